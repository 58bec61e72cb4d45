#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "marketing_events/model/event.hpp"

namespace marketing_events::http {

// The token of "Authorization: Bearer <token>" (scheme case-insensitive), or nullopt.
[[nodiscard]] std::optional<std::string_view> bearer_token(std::string_view authorization);

// A strong entity tag for one version of an event.
[[nodiscard]] std::string entity_tag(EventVersion version);

// What an If-Match header requires: "*" or no header, nothing; otherwise one of the listed
// versions. Weak or foreign tags can never match (RFC 9110 strong comparison), so a header
// listing only those can never be met.
[[nodiscard]] VersionCondition version_condition(std::optional<std::string_view> if_match);

// An incoming X-Request-Id worth echoing: 1 to 128 characters of [A-Za-z0-9._:-].
[[nodiscard]] bool is_acceptable_request_id(std::string_view id);

}  // namespace marketing_events::http
