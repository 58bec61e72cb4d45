#include "marketing_events/model/uuid.hpp"

namespace marketing_events {
namespace {

constexpr std::size_t canonical_length = 36;

constexpr bool is_hyphen_position(std::size_t pos) {
  return pos == 8 || pos == 13 || pos == 18 || pos == 23;
}

std::optional<std::uint8_t> hex_value(char digit) {
  if (digit >= '0' && digit <= '9') {
    return static_cast<std::uint8_t>(digit - '0');
  }
  if (digit >= 'a' && digit <= 'f') {
    return static_cast<std::uint8_t>(digit - 'a' + 10);
  }
  if (digit >= 'A' && digit <= 'F') {
    return static_cast<std::uint8_t>(digit - 'A' + 10);
  }
  return std::nullopt;
}

}  // namespace

std::optional<Uuid> Uuid::parse(std::string_view text) {
  if (text.size() != canonical_length) {
    return std::nullopt;
  }
  Bytes bytes{};
  std::size_t nibble = 0;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    if (is_hyphen_position(pos)) {
      if (text[pos] != '-') {
        return std::nullopt;
      }
      continue;
    }
    const auto value = hex_value(text[pos]);
    if (!value) {
      return std::nullopt;
    }
    auto& byte = bytes.at(nibble / 2);
    byte = static_cast<std::uint8_t>(nibble % 2 == 0 ? *value << 4U : byte | *value);
    ++nibble;
  }
  return Uuid{bytes};
}

std::string Uuid::to_string() const {
  std::string out;
  out.reserve(canonical_length);
  append_to(out);
  return out;
}

void Uuid::append_to(std::string& out) const {
  static constexpr std::string_view digits = "0123456789abcdef";
  std::array<char, canonical_length> text{};
  std::size_t next = 0;
  for (std::size_t i = 0; i < bytes_.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      text.at(next++) = '-';
    }
    text.at(next++) = digits[bytes_.at(i) >> 4U];
    text.at(next++) = digits[bytes_.at(i) & 0x0FU];
  }
  out.append(text.data(), text.size());
}

}  // namespace marketing_events
