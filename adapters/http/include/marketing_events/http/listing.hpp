#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "marketing_events/model/event_query.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events::http {

// The listing's query string (after '?'), percent-decoded ('+' is a space, as HTML forms send
// it). A parameter given twice or badly encoded is named in ErrorCode::invalid_parameters;
// unknown parameters are ignored.
[[nodiscard]] Result<EventListParameters> list_parameters_from_query(std::string_view query);

// RFC 8288 links to the first, last, previous and next pages, keeping the other parameters.
[[nodiscard]] std::string page_links(std::string_view path, const EventQuery& query,
                                     std::int64_t total_pages);

}  // namespace marketing_events::http
