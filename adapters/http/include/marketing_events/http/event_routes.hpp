#pragma once

#include <vector>

#include "marketing_events/http/listing_cursor.hpp"
#include "marketing_events/http/route.hpp"
#include "marketing_events/use_cases/event_service.hpp"

namespace marketing_events::http {

// /api/v1/events and /api/v1/events/{id}: the event use cases for the signed-in caller. The
// listing's keyset cursors are issued and read with (a copy of) `cursors`.
[[nodiscard]] std::vector<Route> event_routes(EventService& events, const ListingCursors& cursors);

}  // namespace marketing_events::http
