#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marketing_events/event.hpp"
#include "marketing_events/event_query.hpp"

namespace marketing_events::http {

// The token of "Authorization: Bearer <token>" (scheme case-insensitive), or nullopt.
[[nodiscard]] std::optional<std::string_view> bearer_token(std::string_view authorization);

// A strong entity tag for one version of an event.
[[nodiscard]] std::string entity_tag(EventVersion version);

// What an If-Match header asks for: any current representation ("*"), or one of the given
// versions. Weak or foreign tags can never match (RFC 9110 strong comparison).
struct IfMatch {
  bool any = false;
  std::vector<EventVersion> versions;
};
[[nodiscard]] IfMatch parse_if_match(std::string_view header);

// An incoming X-Request-Id worth echoing: 1 to 128 characters of [A-Za-z0-9._:-].
[[nodiscard]] bool is_acceptable_request_id(std::string_view id);

// RFC 8288 links to the first, last, previous and next pages, keeping the other parameters.
[[nodiscard]] std::string page_links(std::string_view path, const EventQuery& query,
                                     std::int64_t total_pages);

// Percent-encodes a query-string value (RFC 3986 unreserved characters stay as they are).
[[nodiscard]] std::string percent_encode(std::string_view text);

}  // namespace marketing_events::http
