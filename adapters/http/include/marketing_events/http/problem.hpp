#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "marketing_events/http/message.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events::http {

// An RFC 9457 problem: what a client is told, and what the log and the headers need besides.
// Internals never reach the body, only `log_detail`.
struct Problem {
  int status = 500;
  std::string type;  // a URI under https://marketing-events.example/problems/
  std::string title;
  std::string detail;
  std::vector<FieldError> errors;  // named fields or parameters, for 400 and 422

  std::string log_detail;                           // for the log line only
  std::optional<std::chrono::seconds> retry_after;  // 429
  std::string challenge;                            // WWW-Authenticate, for 401
};

// The one table from the core's error vocabulary to HTTP.
[[nodiscard]] Problem problem_for(const Error& error);

// Problems that only HTTP knows.
[[nodiscard]] Problem malformed_body(std::string detail);
[[nodiscard]] Problem unsupported_media_type();
[[nodiscard]] Problem payload_too_large();
[[nodiscard]] Problem unknown_route(std::string log_detail = {});
[[nodiscard]] Problem method_not_allowed();
[[nodiscard]] Problem missing_access_token();

// application/problem+json body.
[[nodiscard]] std::string to_json(const Problem& problem);

// The whole response: status, body and the problem's headers.
[[nodiscard]] Response render(const Request& request, const Problem& problem);

// A handler's answer: a response, or the problem to render instead.
using Reply = Result<Response, Problem>;

}  // namespace marketing_events::http
