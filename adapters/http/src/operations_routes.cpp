#include "marketing_events/http/operations_routes.hpp"

#include <boost/beast/http/field.hpp>
#include <memory>

namespace marketing_events::http {

std::vector<Route> operations_routes(Operations operations) {
  using boost::beast::http::field;
  using boost::beast::http::verb;
  // Shared by the handlers, which outlive this call.
  const auto served = std::make_shared<const Operations>(std::move(operations));
  return {
      {verb::get, "/healthz", Access::anyone, Runs::io_thread,
       [](const Call& call) -> Reply {
         return respond(call.request, Status::ok, R"({"status":"ok"})");
       }},
      {verb::get, "/readyz", Access::anyone, Runs::fiber,
       [served](const Call& call) -> Reply {
         if (!served->ready()) {
           return problem_for(Error::of(ErrorCode::unavailable, "not ready"));
         }
         return respond(call.request, Status::ok, R"({"status":"ready"})");
       }},
      {verb::get, "/metrics", Access::anyone, Runs::io_thread,
       [served](const Call& call) -> Reply {
         return respond(call.request, Status::ok, served->metrics(),
                        "text/plain; version=0.0.4; charset=utf-8");
       }},
      {verb::get, "/api/v1/openapi.json", Access::anyone, Runs::io_thread,
       [served](const Call& call) -> Reply {
         return respond(call.request, Status::ok, served->openapi);
       }},
      {verb::get, "/.well-known/jwks.json", Access::anyone, Runs::io_thread,
       [served](const Call& call) -> Reply {
         auto response =
             respond(call.request, Status::ok, served->jwks, "application/jwk-set+json");
         response.set(field::cache_control, "public, max-age=300");
         return response;
       }},
  };
}

}  // namespace marketing_events::http
