#pragma once

#include <functional>
#include <string>
#include <vector>

#include "marketing_events/http/route.hpp"

namespace marketing_events::http {

// A file of the API reference page, served as it is: the page itself at /docs (name ""), the
// files it loads at /docs/{name}.
struct DocsFile {
  std::string name;
  std::string content_type;
  std::string body;
};

// What the operations routes serve. Only `ready` may wait (it asks the database).
struct Operations {
  std::function<bool()> ready;           // /readyz: the database answers, the schema is current
  std::function<std::string()> metrics;  // /metrics: Prometheus text exposition
  std::string openapi;                   // /api/v1/openapi.json
  std::string jwks;                      // /.well-known/jwks.json
  std::vector<DocsFile> docs;            // /docs and /docs/{name}: the API reference page
};

// /healthz, /readyz, /metrics, the two documents and the reference page; no authentication.
[[nodiscard]] std::vector<Route> operations_routes(Operations operations);

}  // namespace marketing_events::http
