#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "marketing_events/model/event_query.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events::http {

// The listing's query string (after '?'), percent-decoded ('+' is a space, as HTML forms send
// it). A parameter given twice or badly encoded is named in ErrorCode::invalid_parameters;
// unknown parameters are ignored.
[[nodiscard]] Result<EventListParameters> list_parameters_from_query(std::string_view query);

// RFC 8288 links to the first, last, previous and next pages, keeping the other parameters
// (percent-encoded). `path` is written as it is: a route's own path, already a valid one.
[[nodiscard]] std::string page_links(std::string_view path, const EventQuery& query,
                                     std::int64_t total_pages);

// The links of a keyset walk: `first` (an empty cursor: the walk's start) and `next` when there
// is a next page, keeping the other parameters; `path` as for page_links.
[[nodiscard]] std::string walk_links(std::string_view path, const EventQuery& query,
                                     const std::optional<std::string>& next_cursor);

}  // namespace marketing_events::http
