#pragma once

// HTTP's small lexical rules (RFC 9110 section 5.6), shared by every header we read.

#include <string_view>
#include <vector>

namespace marketing_events::http {

// Without leading and trailing spaces and tabs ("optional white space").
[[nodiscard]] std::string_view trim_whitespace(std::string_view text) noexcept;

// ASCII case-insensitive equality (header values such as schemes and media types).
[[nodiscard]] bool iequals(std::string_view a, std::string_view b) noexcept;

// The elements of a comma-separated list, trimmed; empty elements are dropped ("a, ,b" is
// two elements), as RFC 9110 section 5.6.1 asks of recipients.
[[nodiscard]] std::vector<std::string_view> split_list(std::string_view list);

}  // namespace marketing_events::http
