#include "marketing_events/model/text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace marketing_events::text {
namespace {

struct Decoded {
  char32_t code_point;
  std::size_t length;
};

// Decodes one code point at `pos`, rejecting every malformed form of RFC 3629.
std::optional<Decoded> decode(std::string_view text, std::size_t pos) {
  const auto lead = static_cast<std::uint8_t>(text[pos]);
  if (lead < 0x80U) {
    return Decoded{lead, 1};
  }
  std::size_t length = 0;
  char32_t value = 0;
  char32_t minimum = 0;
  if ((lead & 0xE0U) == 0xC0U) {
    length = 2;
    value = lead & 0x1FU;
    minimum = 0x80;
  } else if ((lead & 0xF0U) == 0xE0U) {
    length = 3;
    value = lead & 0x0FU;
    minimum = 0x800;
  } else if ((lead & 0xF8U) == 0xF0U) {
    length = 4;
    value = lead & 0x07U;
    minimum = 0x10000;
  } else {
    return std::nullopt;
  }
  if (pos + length > text.size()) {
    return std::nullopt;
  }
  for (std::size_t i = 1; i < length; ++i) {
    const auto continuation = static_cast<std::uint8_t>(text[pos + i]);
    if ((continuation & 0xC0U) != 0x80U) {
      return std::nullopt;
    }
    value = (value << 6U) | (continuation & 0x3FU);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return std::nullopt;
  }
  return Decoded{value, length};
}

bool is_white_space(char32_t code_point) {
  static constexpr std::array<char32_t, 25> white_space{
      0x0009, 0x000A, 0x000B, 0x000C, 0x000D, 0x0020, 0x0085, 0x00A0, 0x1680,
      0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008,
      0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000};
  return std::find(white_space.begin(), white_space.end(), code_point) != white_space.end();
}

}  // namespace

std::optional<std::size_t> code_point_count(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t pos = 0; pos < text.size(); ++count) {
    const auto decoded = decode(text, pos);
    if (!decoded) {
      return std::nullopt;
    }
    pos += decoded->length;
  }
  return count;
}

bool contains_nul(std::string_view text) noexcept {
  return text.find('\0') != std::string_view::npos;
}

std::string_view trim(std::string_view text) {
  std::size_t begin = 0;
  while (begin < text.size()) {
    const auto decoded = decode(text, begin);
    if (!decoded || !is_white_space(decoded->code_point)) {
      break;
    }
    begin += decoded->length;
  }
  // Scan forward, remembering where the last non-space code point ends.
  std::size_t end = begin;
  for (std::size_t pos = begin; pos < text.size();) {
    const auto decoded = decode(text, pos);
    if (!decoded) {
      end = text.size();
      break;
    }
    pos += decoded->length;
    if (!is_white_space(decoded->code_point)) {
      end = pos;
    }
  }
  return text.substr(begin, end - begin);
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = ascii_lower(c);
  }
  return out;
}

}  // namespace marketing_events::text
