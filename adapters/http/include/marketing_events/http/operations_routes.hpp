#pragma once

#include <functional>
#include <string>
#include <vector>

#include "marketing_events/http/route.hpp"

namespace marketing_events::http {

// What the operations routes serve. Only `ready` may wait (it asks the database).
struct Operations {
  std::function<bool()> ready;           // /readyz: the database answers, the schema is current
  std::function<std::string()> metrics;  // /metrics: Prometheus text exposition
  std::string openapi;                   // /api/v1/openapi.json
  std::string jwks;                      // /.well-known/jwks.json
};

// /healthz, /readyz, /metrics and the two documents; no authentication.
[[nodiscard]] std::vector<Route> operations_routes(Operations operations);

}  // namespace marketing_events::http
