#include "marketing_events/http/json_text.hpp"

#include <array>
#include <charconv>

namespace marketing_events::http {

void append_json_string(std::string& out, std::string_view text) {
  static constexpr std::string_view hex = "0123456789abcdef";
  out += '"';
  std::size_t unescaped_from = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20U && byte != '"' && byte != '\\') {
      continue;
    }
    out.append(text.substr(unescaped_from, i - unescaped_from));
    unescaped_from = i + 1;
    switch (byte) {
      case '"':
        out += R"(\")";
        break;
      case '\\':
        out += R"(\\)";
        break;
      case '\b':
        out += R"(\b)";
        break;
      case '\t':
        out += R"(\t)";
        break;
      case '\n':
        out += R"(\n)";
        break;
      case '\f':
        out += R"(\f)";
        break;
      case '\r':
        out += R"(\r)";
        break;
      default:
        out += R"(\u00)";
        out += hex[byte >> 4U];
        out += hex[byte & 0x0FU];
    }
  }
  out.append(text.substr(unescaped_from));
  out += '"';
}

void append_json_integer(std::string& out, std::int64_t value) {
  std::array<char, 24> digits{};
  const auto written = std::to_chars(digits.data(), digits.data() + digits.size(), value);
  out.append(digits.data(), written.ptr);
}

}  // namespace marketing_events::http
