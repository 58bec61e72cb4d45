#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <optional>
#include <string>

#include "marketing_events/auth_service.hpp"
#include "marketing_events/event_service.hpp"
#include "marketing_events/http/router.hpp"
#include "marketing_events/ports/access_tokens.hpp"
#include "marketing_events/ports/clock.hpp"

namespace marketing_events::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

struct ApiSettings {
  bool allow_registration = true;
};

// What the API reads besides the use cases; each is cheap and never blocks on the network
// except `ready` (which asks the database, and only for /readyz).
struct ApiDependencies {
  AuthService& auth;
  EventService& events;
  const AccessTokenVerifier& access_tokens;
  const Clock& clock;
  std::string jwks;     // /.well-known/jwks.json
  std::string openapi;  // /api/v1/openapi.json
  std::function<bool()> ready;
  std::function<std::string()> metrics;  // Prometheus text exposition
};

// Facts about one exchange, for the log line and the metrics.
struct Exchange {
  std::string request_id;
  std::string client;  // the peer's address
  std::string route;   // the matched template, or "unmatched"
  std::optional<UserId> user;
  std::string problem_detail;  // the core's internal detail of an error, for the log only
};

// The HTTP contract of ../shared/API.md as one function: a parsed request in, a response out.
// It only translates; every rule lives in the core.
class Api {
 public:
  Api(ApiDependencies dependencies, ApiSettings settings);

  [[nodiscard]] Response handle(const Request& request, Exchange& exchange) const;

  // Whether the request's route never waits on I/O (liveness, metrics, documents), so a
  // server may answer it on its I/O thread even while every worker is busy.
  [[nodiscard]] bool never_blocks(const Request& request) const;

  // Route templates by method, for the OpenAPI check.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> routes() const;

 private:
  struct Call {
    const Request& request;
    Exchange& exchange;
    std::vector<std::string_view> captures;
    std::string_view query;
  };
  using Handler = std::function<Response(const Api&, Call&)>;

  Response create_event(Call& call) const;
  Response get_event(Call& call) const;
  Response replace_event(Call& call) const;
  template <typename ReadBody, typename Write>
  Response write_event(Call& call, bool merge_patch_allowed, ReadBody read, Write write) const;
  Response patch_event(Call& call) const;
  Response delete_event(Call& call) const;
  Response list_events(Call& call) const;
  Response register_user(Call& call) const;
  Response log_in(Call& call) const;
  Response refresh(Call& call) const;
  Response log_out(Call& call) const;
  Response me(Call& call) const;
  static Response healthz(Call& call);
  Response readyz(Call& call) const;
  Response metrics(Call& call) const;
  Response openapi(Call& call) const;
  Response jwks(Call& call) const;

  ApiDependencies dependencies_;
  ApiSettings settings_;
  Router<Handler> router_;
  std::vector<std::pair<std::string, std::string>> routes_;
  std::vector<std::string> non_blocking_paths_;  // GET routes without a template segment
};

}  // namespace marketing_events::http
