#pragma once

#include <boost/beast/http/verb.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marketing_events/http/message.hpp"
#include "marketing_events/http/problem.hpp"
#include "marketing_events/use_cases/authenticator.hpp"

namespace marketing_events::http {

// Who may call a route.
enum class Access {
  anyone,     // no token needed
  signed_in,  // a valid access token of an existing user; the handler gets the principal
};

// Where a route's handler runs.
enum class Runs {
  io_thread,  // never waits (liveness, metrics, documents): answered at once, in line
  fiber,      // may wait for the database: a stackful coroutine on the I/O thread, which
              // serves other requests while this one waits
  hashing,    // hashes a password: on the hashing threads, bounded, at a lower priority
};

// What a handler is given: the request, the captured template segments, the query string
// (after '?', still percent-encoded), the client's address and, on signed-in routes, the caller.
// A handler that acts for a user it names itself (registration) records them in `acting_user`,
// and one that serves a calendar feed records the feed in `calendar_feed`, for the log line
// (which never carries the feed's secret address).
struct Call {
  const Request& request;
  const std::vector<std::string_view>& captures;
  std::string_view query;
  std::string_view client;
  std::optional<Principal> principal;
  std::optional<UserId>& acting_user;
  std::optional<Uuid>& calendar_feed;

  [[nodiscard]] const UserId& user() const { return principal.value().user; }
};

using Handler = std::function<Reply(const Call&)>;

// One row of the API: everything else — routing, 404 and 405 with Allow, the metrics' route
// label, where the server runs it, the OpenAPI check — is derived from the table.
struct Route {
  boost::beast::http::verb method;
  // A template: "/api/v1/events/{id}"; a braced segment is captured, and may end in a literal
  // suffix that the capture leaves out ("/api/v1/calendar/{secret}.ics").
  std::string path;
  Access access;
  Runs runs;
  Handler handler;
};

// A request matched against the table, once, before anything else looks at it.
struct Dispatch {
  const Route* route = nullptr;  // null: no route (404) or wrong method (405)
  std::string_view route_template = "unmatched";
  std::vector<std::string_view> captures;  // point into the request's target
  std::string_view query;
  bool path_known = false;  // some route has this path (so a null route means 405)

  [[nodiscard]] Runs runs() const noexcept {
    return route == nullptr ? Runs::io_thread : route->runs;
  }
};

// The routes, matched by method and path template.
class RouteTable {
 public:
  explicit RouteTable(std::vector<Route> routes);

  [[nodiscard]] Dispatch match(boost::beast::http::verb method, std::string_view target) const;
  // For 405: the methods the path does have, comma-separated.
  [[nodiscard]] std::string allowed(std::string_view target) const;
  [[nodiscard]] const std::vector<Route>& routes() const noexcept { return routes_; }

 private:
  std::vector<Route> routes_;
  std::vector<std::vector<std::string_view>> segments_;  // of each route's template
};

}  // namespace marketing_events::http
