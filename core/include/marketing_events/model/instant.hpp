#pragma once

// Instants are microseconds since the Unix epoch, UTC. RFC 3339 in, RFC 3339 with `Z` out.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace marketing_events {

using Instant = std::chrono::sys_time<std::chrono::microseconds>;

// The range of instants the contract can express:
// 0001-01-01T00:00:00Z..9999-12-31T23:59:59.999999Z.
inline constexpr Instant earliest_instant{
    std::chrono::sys_days{std::chrono::year{1} / std::chrono::January / 1}};
inline constexpr Instant latest_instant{
    std::chrono::sys_days{std::chrono::year{10000} / std::chrono::January / 1} -
    std::chrono::microseconds{1}};

// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm|-hh:mm)`; the offset is required.
// Fractions finer than a microsecond are truncated. Years 0001..9999 only, in UTC too: an
// offset that moves the instant out of that range makes it invalid.
[[nodiscard]] std::optional<Instant> parse_instant(std::string_view text);

// Always UTC with `Z`; the fraction is omitted when zero, else 3 or 6 digits. An instant
// outside earliest_instant..latest_instant is written as the nearest one inside.
[[nodiscard]] std::string format_instant(Instant instant);
// The same, appended to `out` (a response body being written, with no temporary string).
void append_instant(std::string& out, Instant instant);

}  // namespace marketing_events
