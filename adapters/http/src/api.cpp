#include "marketing_events/http/api.hpp"

#include <algorithm>
#include <array>
#include <boost/beast/http/field.hpp>
#include <boost/json.hpp>
#include <variant>

#include "marketing_events/http/event_json.hpp"
#include "marketing_events/http/headers.hpp"
#include "marketing_events/http/problem.hpp"

namespace marketing_events::http {
namespace {

namespace json = boost::json;
using boost::beast::http::field;
using boost::beast::http::status;

constexpr std::string_view problem_type = "application/problem+json";

Response respond(const Request& request, status code, std::string body,
                 std::string_view content_type = "application/json") {
  Response response{code, request.version()};
  if (!body.empty() || code != status::no_content) {
    response.set(field::content_type, content_type);
    response.body() = std::move(body);
  }
  response.prepare_payload();
  return response;
}

Response problem_response(const Request& request, Exchange& exchange, const Problem& problem,
                          std::string_view detail = {}) {
  exchange.problem_detail = std::string(detail);
  auto response =
      respond(request, static_cast<status>(problem.status), to_json(problem), problem_type);
  return response;
}

Response error_response(const Request& request, Exchange& exchange, const Error& error) {
  auto response = problem_response(request, exchange, problem_for(error), error.detail);
  if (error.code == ErrorCode::unauthenticated) {
    response.set(field::www_authenticate, R"(Bearer error="invalid_token")");
  }
  if (error.code == ErrorCode::too_many_attempts) {
    response.set(field::retry_after, std::to_string(error.retry_after.count()));
  }
  return response;
}

std::string_view header(const Request& request, field name) {
  const auto found = request.find(name);
  if (found == request.end()) {
    return {};
  }
  return {found->value().data(), found->value().size()};
}

// Whether the Content-Type's media type (parameters ignored, case-insensitive) is allowed.
bool has_media_type(const Request& request, bool merge_patch_allowed) {
  auto type = header(request, field::content_type);
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') {
    type.remove_suffix(1);
  }
  std::string lowered(type);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; });
  return lowered == "application/json" ||
         (merge_patch_allowed && lowered == "application/merge-patch+json");
}

json::object user_json(const User& user) {
  return json::object{{"id", user.id.to_string()},
                      {"email", user.email},
                      {"created_at", format_instant(user.created_at)}};
}

Response tokens_response(const Request& request, const TokenPair& pair) {
  auto response = respond(
      request, status::ok,
      json::serialize(json::object{{"access_token", pair.access_token},
                                   {"token_type", "Bearer"},
                                   {"expires_in", pair.expires_in.count()},
                                   {"refresh_token", pair.refresh_token},
                                   {"refresh_expires_in", pair.refresh_expires_in.count()}}));
  response.set(field::cache_control, "no-store");
  return response;
}

Response event_response(const Request& request, status code, const Event& event) {
  auto response = respond(request, code, json::serialize(event_to_json(event)));
  response.set(field::etag, entity_tag(event.version));
  return response;
}

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

}  // namespace

Api::Api(ApiDependencies dependencies, ApiSettings settings)
    : dependencies_(std::move(dependencies)), settings_(settings) {
  const auto add = [this](std::string method, std::string path, Handler handler) {
    routes_.emplace_back(method, path);
    router_.add(std::move(method), std::move(path), std::move(handler));
  };
  add("POST", "/api/v1/events", &Api::create_event);
  add("GET", "/api/v1/events", &Api::list_events);
  add("GET", "/api/v1/events/{id}", &Api::get_event);
  add("PUT", "/api/v1/events/{id}", &Api::replace_event);
  add("PATCH", "/api/v1/events/{id}", &Api::patch_event);
  add("DELETE", "/api/v1/events/{id}", &Api::delete_event);
  if (settings_.allow_registration) {
    add("POST", "/api/v1/auth/register", &Api::register_user);
  }
  add("POST", "/api/v1/auth/login", &Api::log_in);
  add("POST", "/api/v1/auth/refresh", &Api::refresh);
  add("POST", "/api/v1/auth/logout", &Api::log_out);
  add("GET", "/api/v1/me", &Api::me);
  non_blocking_paths_ = {"/healthz", "/metrics", "/api/v1/openapi.json", "/.well-known/jwks.json"};
  add("GET", "/healthz", [](const Api&, Call& call) { return healthz(call); });
  add("GET", "/readyz", &Api::readyz);
  add("GET", "/metrics", &Api::metrics);
  add("GET", "/api/v1/openapi.json", &Api::openapi);
  add("GET", "/.well-known/jwks.json", &Api::jwks);
}

std::vector<std::pair<std::string, std::string>> Api::routes() const {
  return routes_;
}

bool Api::never_blocks(const Request& request) const {
  if (request.method() != boost::beast::http::verb::get) {
    return false;
  }
  const std::string_view target{request.target().data(), request.target().size()};
  const auto path = target.substr(0, target.find('?'));
  return std::find(non_blocking_paths_.begin(), non_blocking_paths_.end(), path) !=
         non_blocking_paths_.end();
}

Response Api::handle(const Request& request, Exchange& exchange) const {
  const std::string_view target{request.target().data(), request.target().size()};
  const auto question = target.find('?');
  const auto path = target.substr(0, question);
  const auto query =
      question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
  const std::string_view method{request.method_string().data(), request.method_string().size()};
  const auto match = router_.match(method, path);
  if (!match) {
    exchange.route = "unmatched";
    return problem_response(request, exchange, unknown_route());
  }
  exchange.route = match->route;
  if (match->handler == nullptr) {
    auto response = problem_response(request, exchange, method_not_allowed());
    response.set(field::allow, match->allowed);
    return response;
  }
  Call call{request, exchange, match->captures, query};
  return (*match->handler)(*this, call);
}

// --- helpers shared by the routes (members so they can reach the dependencies) -------------

namespace {

struct Authenticated {
  std::optional<UserId> user;
  std::optional<Response> refusal;
};

Authenticated authenticate(const AccessTokenVerifier& verifier, const Clock& clock,
                           const Request& request, Exchange& exchange) {
  const auto authorization = header(request, field::authorization);
  if (authorization.empty()) {
    auto response = problem_response(
        request, exchange, problem_for(Error::of(ErrorCode::unauthenticated)), "no access token");
    response.set(field::www_authenticate, "Bearer");
    return {std::nullopt, std::move(response)};
  }
  const auto token = bearer_token(authorization);
  if (!token) {
    return {std::nullopt, error_response(request, exchange,
                                         Error::of(ErrorCode::unauthenticated,
                                                   "malformed Authorization header"))};
  }
  auto claims = verifier.verify(*token, clock.now());
  if (!claims) {
    return {std::nullopt, error_response(request, exchange, claims.error())};
  }
  exchange.user = claims->subject;
  return {claims->subject, std::nullopt};
}

struct Body {
  std::optional<json::object> object;
  std::optional<Response> refusal;
};

Body read_body(const Request& request, Exchange& exchange, bool merge_patch_allowed = false) {
  if (!has_media_type(request, merge_patch_allowed)) {
    return {std::nullopt, problem_response(request, exchange, unsupported_media_type())};
  }
  auto parsed = parse_json_object(request.body());
  if (!parsed.object) {
    return {std::nullopt, problem_response(request, exchange, malformed_body(parsed.why_not))};
  }
  return {std::move(parsed.object), std::nullopt};
}

// An auth body's string members by name, or the response that refuses the body.
template <std::size_t N>
struct AuthFields {
  std::optional<std::array<std::string, N>> values;
  std::optional<Response> refusal;
};

template <std::size_t N>
AuthFields<N> read_auth_fields(const Request& request, Exchange& exchange,
                               const std::array<std::string_view, N>& names) {
  auto body = read_body(request, exchange);
  if (!body.object) {
    return {std::nullopt, std::move(body.refusal)};
  }
  auto fields = string_members(*body.object, names);
  if (!fields) {
    return {std::nullopt, error_response(request, exchange, fields.error())};
  }
  return {std::move(*fields), std::nullopt};
}

}  // namespace

Response Api::create_event(Call& call) const {
  auto auth =
      authenticate(dependencies_.access_tokens, dependencies_.clock, call.request, call.exchange);
  if (!auth.user) {
    return std::move(*auth.refusal);
  }
  auto body = read_body(call.request, call.exchange);
  if (!body.object) {
    return std::move(*body.refusal);
  }
  auto input = event_input_from_json(*body.object);
  if (!input) {
    return error_response(call.request, call.exchange, input.error());
  }
  auto event = dependencies_.events.create(*auth.user, *input);
  if (!event) {
    return error_response(call.request, call.exchange, event.error());
  }
  auto response = event_response(call.request, status::created, *event);
  response.set(field::location, "/api/v1/events/" + event->id.to_string());
  return response;
}

namespace {

// The version an If-Match header requires, resolved against the current one when it lists
// several; nullopt when there is no precondition. An unsatisfiable header yields version 0,
// which no event has.
template <typename GetCurrent>
Result<std::optional<EventVersion>> expected_version(const Request& request,
                                                     GetCurrent get_current) {
  const auto found = request.find(field::if_match);
  if (found == request.end()) {
    return std::optional<EventVersion>{};
  }
  const auto if_match = parse_if_match({found->value().data(), found->value().size()});
  if (if_match.any) {
    return std::optional<EventVersion>{};
  }
  if (if_match.versions.size() == 1) {
    return std::optional<EventVersion>{if_match.versions.front()};
  }
  if (if_match.versions.empty()) {
    return std::optional<EventVersion>{0};
  }
  auto current = get_current();
  if (!current) {
    return std::move(current).error();
  }
  const auto listed = std::find(if_match.versions.begin(), if_match.versions.end(),
                                current->version) != if_match.versions.end();
  return std::optional<EventVersion>{listed ? current->version : 0};
}

}  // namespace

namespace {

// The caller and the event an /api/v1/events/{id} request names, or the refusal to send.
struct EventTarget {
  UserId owner;
  EventId id;
};
using TargetOrRefusal = std::variant<EventTarget, Response>;

TargetOrRefusal event_target(const AccessTokenVerifier& verifier, const Clock& clock,
                             const Request& request, Exchange& exchange,
                             std::string_view captured_id) {
  auto auth = authenticate(verifier, clock, request, exchange);
  if (!auth.user) {
    return std::move(*auth.refusal);
  }
  const auto id = Uuid::parse(captured_id);
  if (!id) {
    return problem_response(request, exchange, unknown_route(), "malformed event id");
  }
  return EventTarget{*auth.user, *id};
}

Response event_or_error(const Request& request, Exchange& exchange, const Result<Event>& event) {
  if (!event) {
    return error_response(request, exchange, event.error());
  }
  return event_response(request, status::ok, *event);
}

}  // namespace

Response Api::get_event(Call& call) const {
  auto target = event_target(dependencies_.access_tokens, dependencies_.clock, call.request,
                             call.exchange, call.captures.at(0));
  if (auto* refusal = std::get_if<Response>(&target)) {
    return std::move(*refusal);
  }
  const auto& named = std::get<EventTarget>(target);
  const auto& owner = named.owner;  // not a structured binding: lambdas capture it (clang 14)
  const auto& id = named.id;
  return event_or_error(call.request, call.exchange, dependencies_.events.get(owner, id));
}

// PUT and PATCH: the same steps around a different reading of the body and use case.
template <typename ReadBody, typename Write>
Response Api::write_event(Call& call, bool merge_patch_allowed, ReadBody read, Write write) const {
  auto target = event_target(dependencies_.access_tokens, dependencies_.clock, call.request,
                             call.exchange, call.captures.at(0));
  if (auto* refusal = std::get_if<Response>(&target)) {
    return std::move(*refusal);
  }
  const auto& named = std::get<EventTarget>(target);
  const auto& owner = named.owner;  // not a structured binding: lambdas capture it (clang 14)
  const auto& id = named.id;
  auto body = read_body(call.request, call.exchange, merge_patch_allowed);
  if (!body.object) {
    return std::move(*body.refusal);
  }
  auto input = read(*body.object);
  if (!input) {
    return error_response(call.request, call.exchange, input.error());
  }
  auto expected =
      expected_version(call.request, [&] { return dependencies_.events.get(owner, id); });
  if (!expected) {
    return error_response(call.request, call.exchange, expected.error());
  }
  return event_or_error(call.request, call.exchange, write(owner, id, *input, *expected));
}

Response Api::replace_event(Call& call) const {
  return write_event(call, false, event_input_from_json,
                     [this](const UserId& owner, const EventId& id, const EventInput& input,
                            std::optional<EventVersion> expected) {
                       return dependencies_.events.replace(owner, id, input, expected);
                     });
}

Response Api::patch_event(Call& call) const {
  return write_event(call, true, event_patch_from_json,
                     [this](const UserId& owner, const EventId& id, const EventPatch& patch,
                            std::optional<EventVersion> expected) {
                       return dependencies_.events.patch(owner, id, patch, expected);
                     });
}

Response Api::delete_event(Call& call) const {
  auto target = event_target(dependencies_.access_tokens, dependencies_.clock, call.request,
                             call.exchange, call.captures.at(0));
  if (auto* refusal = std::get_if<Response>(&target)) {
    return std::move(*refusal);
  }
  const auto& named = std::get<EventTarget>(target);
  const auto& owner = named.owner;  // not a structured binding: lambdas capture it (clang 14)
  const auto& id = named.id;
  auto expected =
      expected_version(call.request, [&] { return dependencies_.events.get(owner, id); });
  if (!expected) {
    return error_response(call.request, call.exchange, expected.error());
  }
  if (auto removed = dependencies_.events.remove(owner, id, *expected); !removed) {
    return error_response(call.request, call.exchange, removed.error());
  }
  return respond(call.request, status::no_content, {});
}

Response Api::list_events(Call& call) const {
  auto auth =
      authenticate(dependencies_.access_tokens, dependencies_.clock, call.request, call.exchange);
  if (!auth.user) {
    return std::move(*auth.refusal);
  }
  auto parameters = list_parameters_from_query(call.query);
  if (!parameters) {
    return error_response(call.request, call.exchange, parameters.error());
  }
  auto query = parse_event_query(*parameters);
  if (!query) {
    return error_response(call.request, call.exchange, query.error());
  }
  auto page = dependencies_.events.list(*auth.user, *query);
  if (!page) {
    return error_response(call.request, call.exchange, page.error());
  }
  auto response = respond(call.request, status::ok, json::serialize(page_to_json(*page)));
  response.set(field::link, page_links("/api/v1/events", *query, page->total_pages));
  return response;
}

Response Api::register_user(Call& call) const {
  auto auth_fields = read_auth_fields(call.request, call.exchange, credential_fields);
  if (!auth_fields.values) {
    return std::move(*auth_fields.refusal);
  }
  const auto& fields = auth_fields.values;
  auto user = dependencies_.auth.register_user(fields->at(0), fields->at(1));
  if (!user) {
    return error_response(call.request, call.exchange, user.error());
  }
  call.exchange.user = user->id;
  auto response = respond(call.request, status::created, json::serialize(user_json(*user)));
  response.set(field::location, "/api/v1/me");
  return response;
}

Response Api::log_in(Call& call) const {
  auto auth_fields = read_auth_fields(call.request, call.exchange, credential_fields);
  if (!auth_fields.values) {
    return std::move(*auth_fields.refusal);
  }
  const auto& fields = auth_fields.values;
  auto pair = dependencies_.auth.log_in({fields->at(0), fields->at(1), call.exchange.client});
  if (!pair) {
    auto response = error_response(call.request, call.exchange, pair.error());
    if (pair.error().code == ErrorCode::unauthenticated) {
      response.set(field::www_authenticate, "Bearer");
    }
    return response;
  }
  return tokens_response(call.request, *pair);
}

Response Api::refresh(Call& call) const {
  auto auth_fields = read_auth_fields(call.request, call.exchange, refresh_fields);
  if (!auth_fields.values) {
    return std::move(*auth_fields.refusal);
  }
  const auto& fields = auth_fields.values;
  auto pair = dependencies_.auth.refresh(fields->at(0));
  if (!pair) {
    return error_response(call.request, call.exchange, pair.error());
  }
  return tokens_response(call.request, *pair);
}

Response Api::log_out(Call& call) const {
  auto auth_fields = read_auth_fields(call.request, call.exchange, refresh_fields);
  if (!auth_fields.values) {
    return std::move(*auth_fields.refusal);
  }
  const auto& fields = auth_fields.values;
  if (auto done = dependencies_.auth.log_out(fields->at(0)); !done) {
    return error_response(call.request, call.exchange, done.error());
  }
  return respond(call.request, status::no_content, {});
}

Response Api::me(Call& call) const {
  auto auth =
      authenticate(dependencies_.access_tokens, dependencies_.clock, call.request, call.exchange);
  if (!auth.user) {
    return std::move(*auth.refusal);
  }
  auto user = dependencies_.auth.current_user(*auth.user);
  if (!user) {
    return error_response(call.request, call.exchange, user.error());
  }
  return respond(call.request, status::ok, json::serialize(user_json(*user)));
}

Response Api::healthz(Call& call) {
  return respond(call.request, status::ok, R"({"status":"ok"})");
}

Response Api::readyz(Call& call) const {
  if (!dependencies_.ready()) {
    return problem_response(call.request, call.exchange,
                            problem_for(Error::of(ErrorCode::unavailable)), "not ready");
  }
  return respond(call.request, status::ok, R"({"status":"ready"})");
}

Response Api::metrics(Call& call) const {
  return respond(call.request, status::ok, dependencies_.metrics(),
                 "text/plain; version=0.0.4; charset=utf-8");
}

Response Api::openapi(Call& call) const {
  return respond(call.request, status::ok, dependencies_.openapi);
}

Response Api::jwks(Call& call) const {
  auto response = respond(call.request, status::ok, dependencies_.jwks, "application/jwk-set+json");
  response.set(field::cache_control, "public, max-age=300");
  return response;
}

}  // namespace marketing_events::http
