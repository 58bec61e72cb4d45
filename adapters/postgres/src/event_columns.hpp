#pragma once

#include <string>
#include <string_view>

namespace marketing_events::postgres {

// An event's columns in the order read_event reads them. Instants leave the database as
// binary timestamptz: microseconds, exact, with nothing to render or parse.
inline constexpr std::string_view event_columns =
    "id, owner_id, title, description, starts_at, ends_at, status, created_at, updated_at,"
    " version";
inline constexpr int event_column_count = 10;

inline std::string with_columns(std::string_view before, std::string_view after) {
  return std::string(before) + std::string(event_columns) + std::string(after);
}

}  // namespace marketing_events::postgres
