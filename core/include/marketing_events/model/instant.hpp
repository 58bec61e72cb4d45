#pragma once

// Instants are microseconds since the Unix epoch, UTC. RFC 3339 in, RFC 3339 with `Z` out.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace marketing_events {

using Instant = std::chrono::sys_time<std::chrono::microseconds>;

// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm|-hh:mm)`; the offset is required.
// Fractions finer than a microsecond are truncated. Years 0001..9999 only.
[[nodiscard]] std::optional<Instant> parse_instant(std::string_view text);

// Always UTC with `Z`; the fraction is omitted when zero, else 3 or 6 digits.
[[nodiscard]] std::string format_instant(Instant instant);

}  // namespace marketing_events
