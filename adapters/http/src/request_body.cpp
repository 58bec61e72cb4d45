#include "marketing_events/http/request_body.hpp"

#include <boost/beast/http/field.hpp>

#include "marketing_events/http/event_json.hpp"
#include "marketing_events/http/syntax.hpp"

namespace marketing_events::http {
namespace {

// Whether the Content-Type's media type (parameters ignored, case-insensitive) is allowed.
bool has_media_type(const Request& request, BodyType type) {
  const auto content_type = header(request, boost::beast::http::field::content_type);
  const auto media_type = trim_whitespace(content_type.substr(0, content_type.find(';')));
  return iequals(media_type, "application/json") ||
         (type == BodyType::json_or_merge_patch &&
          iequals(media_type, "application/merge-patch+json"));
}

}  // namespace

Result<boost::json::object, Problem> json_body(const Request& request, BodyType type) {
  if (!has_media_type(request, type)) {
    return unsupported_media_type();
  }
  auto parsed = parse_json_object(request.body());
  if (!parsed.object) {
    return malformed_body(std::move(parsed.why_not));
  }
  return std::move(*parsed.object);
}

}  // namespace marketing_events::http
