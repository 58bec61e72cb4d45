#include "marketing_events/http/json_text.hpp"

#include <algorithm>
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

// Writes text[at] escaped if it must be, with the plain text before it (from unescaped_from).
void append_escaped(std::string& out, std::string_view text, std::size_t at,
                    std::size_t& unescaped_from) {
  static constexpr std::string_view hex = "0123456789abcdef";
  const auto byte = static_cast<unsigned char>(text[at]);
  if (byte >= 0x20U && byte != '"' && byte != '\\') {
    return;
  }
  out.append(text.substr(unescaped_from, at - unescaped_from));
  unescaped_from = at + 1;
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

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  std::size_t unescaped_from = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    // Eight plain bytes are skipped at once; otherwise the next eight (or the rest) are looked
    // at one by one.
    if (i + sizeof(std::uint64_t) <= text.size()) {
      std::uint64_t word = 0;
      std::memcpy(&word, text.data() + i, sizeof word);
      if (!any_to_escape(word)) {
        i += sizeof word;
        continue;
      }
    }
    const auto stop = std::min(text.size(), i + sizeof(std::uint64_t));
    for (; i < stop; ++i) {
      append_escaped(out, text, i, unescaped_from);
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
