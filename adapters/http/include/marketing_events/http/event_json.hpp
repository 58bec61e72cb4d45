#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "marketing_events/model/event.hpp"
#include "marketing_events/model/event_query.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events::http {

// A request body that is a JSON object, or why not (for a 400). UTF-8 is checked strictly and
// nesting is limited.
struct ParsedBody {
  std::optional<boost::json::object> object;
  std::string why_not;
};
[[nodiscard]] ParsedBody parse_json_object(std::string_view body);

// A create or replace body as the core's input. When a field has the wrong JSON type, is
// unknown or is read-only, the error also names every field that breaks a rule, so the client
// learns everything at once; otherwise the use case applies the rules.
[[nodiscard]] Result<EventInput> event_input_from_json(const boost::json::object& body);

// An RFC 7396 merge patch body. Type errors, unknown and read-only fields are named here; the
// patched result's rules are checked by the use case.
[[nodiscard]] Result<EventPatch> event_patch_from_json(const boost::json::object& body);

// The event as the contract shows it, as JSON text.
[[nodiscard]] std::string event_json(const Event& event);
// A page: numbered pages carry page, limit, total_items and total_pages; a keyset walk's carry
// limit only. Both carry next_cursor (null on the last page).
[[nodiscard]] std::string page_json(const EventPage& page,
                                    const std::optional<std::string>& next_cursor);

}  // namespace marketing_events::http
