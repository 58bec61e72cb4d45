#include "marketing_events/http/problem.hpp"

#include <boost/json.hpp>

namespace marketing_events::http {
namespace {

constexpr std::string_view type_base = "https://marketing-events.example/problems/";

Problem make(int status, std::string_view type, std::string title, std::string detail = {}) {
  Problem problem;
  problem.status = status;
  problem.type = std::string(type_base) + std::string(type);
  problem.title = std::move(title);
  problem.detail = std::move(detail);
  return problem;
}

std::string count_detail(std::size_t count, const char* noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? " is" : "s are") + " invalid";
}

Problem problem_for_code(const Error& error) {
  switch (error.code) {
    case ErrorCode::invalid_fields: {
      auto problem = make(422, "validation-error", "Validation failed",
                          count_detail(error.fields.size(), "field"));
      problem.errors = error.fields;
      return problem;
    }
    case ErrorCode::invalid_parameters: {
      auto problem = make(400, "invalid-parameters", "Invalid query parameters",
                          count_detail(error.fields.size(), "parameter"));
      problem.errors = error.fields;
      return problem;
    }
    case ErrorCode::not_found:
      return make(404, "not-found", "Not found");
    case ErrorCode::conflict:
      return make(409, "conflict", "Conflict", "This e-mail address is already registered.");
    case ErrorCode::version_mismatch:
      return make(412, "precondition-failed", "Precondition failed",
                  "The event has changed since the given ETag.");
    case ErrorCode::unauthenticated: {
      auto problem = make(401, "unauthorized", "Unauthorized",
                          "Send a valid access token as Authorization: Bearer <access_token>; "
                          "this one is malformed, expired or not ours. Get a new one from "
                          "POST /api/v1/auth/refresh or POST /api/v1/auth/login.");
      problem.challenge = R"(Bearer error="invalid_token")";
      return problem;
    }
    case ErrorCode::too_many_attempts: {
      auto problem = make(429, "too-many-requests", "Too many failed attempts",
                          "Try again after the time given in Retry-After.");
      problem.retry_after = error.retry_after;
      return problem;
    }
    case ErrorCode::unavailable:
      return make(503, "service-unavailable", "Service unavailable", "Please retry in a moment.");
    case ErrorCode::internal:
      break;
  }
  return make(500, "internal-error", "Internal server error");
}

}  // namespace

Problem problem_for(const Error& error) {
  auto problem = problem_for_code(error);
  problem.log_detail = error.detail;
  return problem;
}

Problem malformed_body(std::string detail) {
  return make(400, "malformed-request", "Malformed request", std::move(detail));
}

Problem unsupported_media_type() {
  return make(415, "unsupported-media-type", "Unsupported media type",
              "Send the body as application/json.");
}

Problem payload_too_large() {
  return make(413, "payload-too-large", "Payload too large");
}

Problem unknown_route(std::string log_detail) {
  auto problem = make(404, "not-found", "Not found");
  problem.log_detail = std::move(log_detail);
  return problem;
}

Problem method_not_allowed() {
  return make(405, "method-not-allowed", "Method not allowed");
}

Problem missing_access_token() {
  auto problem = problem_for(Error::of(ErrorCode::unauthenticated, "no access token"));
  problem.detail =
      "This needs an access token: send Authorization: Bearer <access_token>, with the token "
      "from POST /api/v1/auth/login.";
  problem.challenge = "Bearer";  // no token was sent, so there is no error to name
  return problem;
}

std::string to_json(const Problem& problem) {
  boost::json::object body{
      {"type", problem.type}, {"title", problem.title}, {"status", problem.status}};
  if (!problem.detail.empty()) {
    body["detail"] = problem.detail;
  }
  if (!problem.errors.empty()) {
    boost::json::array errors;
    for (const auto& [field, message] : problem.errors) {
      errors.push_back(boost::json::object{{"field", field}, {"message", message}});
    }
    body["errors"] = std::move(errors);
  }
  return boost::json::serialize(body);
}

Response render(const Request& request, const Problem& problem) {
  auto response = respond(request, static_cast<Status>(problem.status), to_json(problem),
                          "application/problem+json");
  if (!problem.challenge.empty()) {
    response.set(boost::beast::http::field::www_authenticate, problem.challenge);
  }
  if (problem.retry_after) {
    response.set(boost::beast::http::field::retry_after,
                 std::to_string(problem.retry_after->count()));
  }
  return response;
}

}  // namespace marketing_events::http
