#pragma once

#include <string>
#include <vector>

#include "marketing_events/result.hpp"

namespace marketing_events::http {

// An RFC 9457 problem: what a client is told. Internals never go here, only into the log.
struct Problem {
  int status = 500;
  std::string type;  // a URI under https://marketing-events.example/problems/
  std::string title;
  std::string detail;
  std::vector<FieldError> errors;  // named fields or parameters, for 400 and 422
};

// The one table from the core's error vocabulary to HTTP.
[[nodiscard]] Problem problem_for(const Error& error);

// Problems that only HTTP knows.
[[nodiscard]] Problem malformed_body(std::string detail);
[[nodiscard]] Problem unsupported_media_type();
[[nodiscard]] Problem payload_too_large();
[[nodiscard]] Problem unknown_route();
[[nodiscard]] Problem method_not_allowed();

// application/problem+json body.
[[nodiscard]] std::string to_json(const Problem& problem);

}  // namespace marketing_events::http
