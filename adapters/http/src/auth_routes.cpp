#include "marketing_events/http/auth_routes.hpp"

#include <algorithm>
#include <array>
#include <boost/beast/http/field.hpp>
#include <boost/json.hpp>

#include "marketing_events/http/request_body.hpp"
#include "marketing_events/http/trusted_proxies.hpp"

namespace marketing_events::http {
namespace {

namespace json = boost::json;
using boost::beast::http::field;
using boost::beast::http::verb;

// The string members of an auth body, by name; absent ones read as empty. A member that is
// not a string, or not one of `names`, is named in an ErrorCode::invalid_fields error.
template <std::size_t N>
Result<std::array<std::string, N>> string_members(const json::object& body,
                                                  const std::array<std::string_view, N>& names) {
  std::array<std::string, N> values;
  std::vector<FieldError> errors;
  for (const auto& member : body) {
    const std::string_view name{member.key().data(), member.key().size()};
    const auto* known = std::find(names.begin(), names.end(), name);
    if (known == names.end()) {
      errors.push_back({std::string(name), "is not a known field"});
    } else if (!member.value().is_string()) {
      errors.push_back({std::string(name), "must be a string"});
    } else {
      const auto& text = member.value().get_string();
      values.at(static_cast<std::size_t>(known - names.begin())) = {text.data(), text.size()};
    }
  }
  if (!errors.empty()) {
    return Error::invalid(ErrorCode::invalid_fields, std::move(errors));
  }
  return values;
}

constexpr std::array<std::string_view, 2> credential_fields{"email", "password"};
constexpr std::array<std::string_view, 1> refresh_fields{"refresh_token"};
using Credentials = std::array<std::string, 2>;
using RefreshToken = std::array<std::string, 1>;

json::object user_json(const User& user) {
  return json::object{{"id", user.id.to_string()},
                      {"email", user.email},
                      {"created_at", format_instant(user.created_at)}};
}

Reply tokens_reply(const Call& call, const Result<TokenPair>& pair) {
  if (!pair) {
    return problem_for(pair.error());
  }
  auto response = respond(
      call.request, Status::ok,
      json::serialize(json::object{{"access_token", pair->access_token},
                                   {"token_type", "Bearer"},
                                   {"expires_in", pair->expires_in.count()},
                                   {"refresh_token", pair->refresh_token},
                                   {"refresh_expires_in", pair->refresh_expires_in.count()}}));
  response.set(field::cache_control, "no-store");
  return response;
}

// The handlers get the body's fields, read by the route (see auth_routes below).
Reply register_user(AuthService& auth, const Call& call, const Credentials& fields) {
  auto user = auth.register_user(fields[0], fields[1], throttle_identity(call.client));
  if (!user) {
    return problem_for(user.error());
  }
  call.acting_user = user->id;
  auto response = respond(call.request, Status::created, json::serialize(user_json(*user)));
  response.set(field::location, "/api/v1/me");
  return response;
}

Reply log_in(AuthService& auth, const Call& call, const Credentials& fields) {
  auto reply =
      tokens_reply(call, auth.log_in({fields[0], fields[1], throttle_identity(call.client)}));
  if (!reply && reply.error().status == 401) {
    auto problem = std::move(reply).error();
    // Never which of the two: that would tell an attacker which addresses have accounts.
    problem.detail = "The e-mail address or the password is wrong.";
    problem.challenge = "Bearer";  // credentials, not a token, were wrong
    return problem;
  }
  return reply;
}

// A refresh token that cannot be used: the way out is a new login.
Problem refresh_token_problem(const Error& error) {
  auto problem = problem_for(error);
  if (problem.status == 401) {
    problem.detail =
        "The refresh token is unknown, expired, revoked or already used: log in again with "
        "POST /api/v1/auth/login.";
  }
  return problem;
}

Reply refresh(AuthService& auth, const Call& call, const RefreshToken& fields) {
  auto pair = auth.refresh(fields[0]);
  if (!pair) {
    return refresh_token_problem(pair.error());
  }
  return tokens_reply(call, pair);
}

Reply log_out(AuthService& auth, const Call& call, const RefreshToken& fields) {
  if (auto done = auth.log_out(fields[0]); !done) {
    return refresh_token_problem(done.error());
  }
  return respond(call.request, Status::no_content);
}

Reply me(AuthService& auth, const Call& call) {
  auto user = auth.current_user(call.user());
  if (!user) {
    return problem_for(user.error());
  }
  return respond(call.request, Status::ok, json::serialize(user_json(*user)));
}

// A handler whose body's string members named in `names` are read before it runs.
template <std::size_t N>
Handler with_fields(AuthService& auth, const std::array<std::string_view, N>& names,
                    Reply (*handler)(AuthService&, const Call&,
                                     const std::array<std::string, N>&)) {
  return [&auth, &names, handler](const Call& call) -> Reply {
    auto fields = read_body(
        call.request, [&names](const json::object& body) { return string_members(body, names); });
    if (!fields) {
      return std::move(fields).error();
    }
    return handler(auth, call, *fields);
  };
}

}  // namespace

std::vector<Route> auth_routes(AuthService& auth, AuthRoutesSettings settings) {
  std::vector<Route> routes;
  if (settings.allow_registration) {
    routes.push_back({verb::post, "/api/v1/auth/register", Access::anyone, Runs::hashing,
                      with_fields(auth, credential_fields, register_user)});
  }
  routes.push_back({verb::post, "/api/v1/auth/login", Access::anyone, Runs::hashing,
                    with_fields(auth, credential_fields, log_in)});
  routes.push_back({verb::post, "/api/v1/auth/refresh", Access::anyone, Runs::fiber,
                    with_fields(auth, refresh_fields, refresh)});
  routes.push_back({verb::post, "/api/v1/auth/logout", Access::anyone, Runs::fiber,
                    with_fields(auth, refresh_fields, log_out)});
  routes.push_back({verb::get, "/api/v1/me", Access::signed_in, Runs::fiber,
                    [&auth](const Call& call) { return me(auth, call); }});
  return routes;
}

}  // namespace marketing_events::http
