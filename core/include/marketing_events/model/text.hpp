#pragma once

// UTF-8 text rules shared by the model: lengths are counted in Unicode code points.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace marketing_events::text {

// Number of code points, or nullopt when `text` is not valid UTF-8 (overlongs, surrogates
// and values above U+10FFFF are invalid).
[[nodiscard]] std::optional<std::size_t> code_point_count(std::string_view text);

[[nodiscard]] bool contains_nul(std::string_view text) noexcept;

// Removes leading and trailing Unicode White_Space. `text` must be valid UTF-8.
[[nodiscard]] std::string_view trim(std::string_view text);

// ASCII letters lowered; other bytes unchanged (UTF-8 stays valid).
[[nodiscard]] std::string ascii_lower(std::string_view text);
[[nodiscard]] constexpr char ascii_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace marketing_events::text
