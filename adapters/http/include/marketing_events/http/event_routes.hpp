#pragma once

#include <vector>

#include "marketing_events/http/route.hpp"
#include "marketing_events/use_cases/event_service.hpp"

namespace marketing_events::http {

// /api/v1/events and /api/v1/events/{id}: the event use cases for the signed-in caller.
[[nodiscard]] std::vector<Route> event_routes(EventService& events);

}  // namespace marketing_events::http
