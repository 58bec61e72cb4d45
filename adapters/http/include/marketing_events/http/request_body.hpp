#pragma once

#include <boost/json/object.hpp>

#include "marketing_events/http/message.hpp"
#include "marketing_events/http/problem.hpp"

namespace marketing_events::http {

// Which media types a body may come as.
enum class BodyType {
  json,                 // application/json
  json_or_merge_patch,  // also application/merge-patch+json (PATCH)
};

// The body as a JSON object: 415 for another media type, 400 for JSON that is broken or not an
// object (UTF-8 is checked strictly and nesting is limited).
[[nodiscard]] Result<boost::json::object, Problem> json_body(const Request& request,
                                                             BodyType type = BodyType::json);

// The body read by `convert` (a function from a JSON object to the core's Result<T>), with
// every failure as the problem to answer.
template <typename Convert>
[[nodiscard]] auto read_body(const Request& request, Convert convert,
                             BodyType type = BodyType::json)
    -> Result<typename decltype(convert(std::declval<const boost::json::object&>()))::value_type,
              Problem> {
  auto object = json_body(request, type);
  if (!object) {
    return std::move(object).error();
  }
  auto converted = convert(*object);
  if (!converted) {
    return problem_for(converted.error());
  }
  return std::move(converted).value();
}

}  // namespace marketing_events::http
