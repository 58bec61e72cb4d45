#include "marketing_events/http/json_text.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace marketing_events::http {

namespace {

constexpr std::uint64_t each_byte(unsigned char byte) {
  return 0x0101010101010101ULL * byte;
}

// Whether any of the eight bytes of `word` is below 0x20, '"' or '\\' (the classic "has a
// byte less than n" bit trick, exact for n <= 0x80), so that plain text is skipped eight bytes
// at a time instead of one.
constexpr bool any_to_escape(std::uint64_t word) {
  const auto high_bits = each_byte(0x80);
  const auto below = [&](std::uint64_t bytes, unsigned char limit) {
    return ((bytes - each_byte(limit)) & ~bytes & high_bits) != 0;
  };
  return below(word, 0x20) || below(word ^ each_byte('"'), 1) || below(word ^ each_byte('\\'), 1);
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr std::string_view hex = "0123456789abcdef";
  out += '"';
  std::size_t unescaped_from = 0;
  std::size_t i = 0;
  for (; i < text.size(); ++i) {
    while (i + sizeof(std::uint64_t) <= text.size()) {
      std::uint64_t word = 0;
      std::memcpy(&word, text.data() + i, sizeof word);
      if (any_to_escape(word)) {
        break;
      }
      i += sizeof word;
    }
    if (i == text.size()) {
      break;
    }
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
