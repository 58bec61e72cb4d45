#include "marketing_events/http/api.hpp"

#include <boost/beast/http/field.hpp>

#include "marketing_events/http/event_routes.hpp"
#include "marketing_events/http/headers.hpp"

namespace marketing_events::http {

using boost::beast::http::field;

Api::Api(std::vector<Route> routes, Authenticator& authenticator)
    : table_(std::move(routes)), authenticator_(authenticator) {}

Dispatch Api::dispatch(const Request& request) const {
  const auto target = request.target();
  return table_.match(request.method(), {target.data(), target.size()});
}

Response Api::handle(const Request& request, const Dispatch& dispatch, Exchange& exchange) const {
  exchange.route = dispatch.route_template;
  auto reply = [&]() -> Reply {
    if (dispatch.route == nullptr) {
      return dispatch.path_known ? method_not_allowed() : unknown_route();
    }
    std::optional<Principal> principal;
    if (dispatch.route->access == Access::signed_in) {
      auto authenticated = authenticate(request);
      if (!authenticated) {
        return std::move(authenticated).error();
      }
      principal = *authenticated;
      exchange.user = principal->user;
    }
    return dispatch.route->handler(Call{request, dispatch.captures, dispatch.query, exchange.client,
                                        principal, exchange.user, exchange.calendar_feed});
  }();
  if (reply) {
    return std::move(reply).value();
  }
  const auto& problem = reply.error();
  exchange.problem_detail = problem.log_detail;
  auto response = render(request, problem);
  if (problem.status == 405) {
    const auto target = request.target();
    response.set(field::allow, table_.allowed({target.data(), target.size()}));
  }
  return response;
}

Result<Principal, Problem> Api::authenticate(const Request& request) const {
  const auto authorization = header(request, field::authorization);
  if (authorization.empty()) {
    return missing_access_token();
  }
  const auto token = bearer_token(authorization);
  if (!token) {
    return problem_for(Error::of(ErrorCode::unauthenticated, "malformed Authorization header"));
  }
  auto principal = authenticator_.authenticate(*token);
  if (!principal) {
    return problem_for(principal.error());
  }
  return *principal;
}

std::vector<std::pair<std::string, std::string>> Api::routes() const {
  std::vector<std::pair<std::string, std::string>> routes;
  for (const auto& route : table_.routes()) {
    const auto method = boost::beast::http::to_string(route.method);
    routes.emplace_back(std::string(method.data(), method.size()), std::string(route.path));
  }
  return routes;
}

std::vector<Route> contract_routes(EventService& events, AuthService& auth,
                                   CalendarService& calendar, const ContractSettings& settings,
                                   Operations operations, const ListingCursors& cursors) {
  auto routes = event_routes(events, cursors);
  auto calendar_part = calendar_routes(calendar, settings.calendar);
  auto auth_part = auth_routes(auth, settings.auth);
  auto operations_part = operations_routes(std::move(operations));
  routes.insert(routes.end(), calendar_part.begin(), calendar_part.end());
  routes.insert(routes.end(), auth_part.begin(), auth_part.end());
  routes.insert(routes.end(), operations_part.begin(), operations_part.end());
  return routes;
}

}  // namespace marketing_events::http
