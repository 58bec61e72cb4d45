#pragma once

#include <string>
#include <utility>
#include <vector>

#include "marketing_events/http/auth_routes.hpp"
#include "marketing_events/http/calendar_routes.hpp"
#include "marketing_events/http/listing_cursor.hpp"
#include "marketing_events/http/message.hpp"
#include "marketing_events/http/operations_routes.hpp"
#include "marketing_events/http/route.hpp"
#include "marketing_events/use_cases/authenticator.hpp"
#include "marketing_events/use_cases/event_service.hpp"

namespace marketing_events::http {

// The HTTP contract (docs/http-contract.md) as one route table and one dispatcher: a parsed
// request in, a response out. It authenticates signed-in routes through the Authenticator use
// case, then calls the route's handler; every rule lives in the core.
class Api {
 public:
  Api(std::vector<Route> routes, Authenticator& authenticator);

  // Matches the request once; the server reads where to run it from the result.
  [[nodiscard]] Dispatch dispatch(const Request& request) const;

  // Answers a dispatched request and records what the log and the metrics need in `exchange`.
  [[nodiscard]] Response handle(const Request& request, const Dispatch& dispatch,
                                Exchange& exchange) const;
  [[nodiscard]] Response handle(const Request& request, Exchange& exchange) const {
    return handle(request, dispatch(request), exchange);
  }

  // Method and path template of every route, for the OpenAPI check.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> routes() const;

 private:
  [[nodiscard]] Result<Principal, Problem> authenticate(const Request& request) const;

  RouteTable table_;
  Authenticator& authenticator_;
};

// What the routes need besides the use cases.
struct ContractSettings {
  AuthRoutesSettings auth;
  CalendarRoutesSettings calendar;
};

// Every route of the contract: events, calendar feeds, authentication and operations. Listing
// cursors are sealed with `cursors`; by default with a random key, so they die with the process
// (the service derives its key from the token-signing key instead).
[[nodiscard]] std::vector<Route> contract_routes(
    EventService& events, AuthService& auth, CalendarService& calendar,
    const ContractSettings& settings, Operations operations,
    const ListingCursors& cursors = ListingCursors{crypto::SealedBox::with_random_key()});

}  // namespace marketing_events::http
