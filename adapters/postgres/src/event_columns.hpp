#pragma once

#include <string>
#include <string_view>

namespace marketing_events::postgres {

// An event's columns in the order read_event reads them. Instants leave the database as
// microseconds since the epoch: exact, and cheap to read.
inline constexpr std::string_view event_columns =
    "id, owner_id, title, description,"
    " (extract(epoch FROM starts_at) * 1000000)::int8,"
    " (extract(epoch FROM ends_at) * 1000000)::int8, status,"
    " (extract(epoch FROM created_at) * 1000000)::int8,"
    " (extract(epoch FROM updated_at) * 1000000)::int8, version";
inline constexpr int event_column_count = 10;

inline std::string with_columns(std::string_view before, std::string_view after) {
  return std::string(before) + std::string(event_columns) + std::string(after);
}

}  // namespace marketing_events::postgres
