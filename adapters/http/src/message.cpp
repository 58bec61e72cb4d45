#include "marketing_events/http/message.hpp"

#include <boost/beast/http/field.hpp>

namespace marketing_events::http {

Response respond(const Request& request, Status status, std::string body,
                 std::string_view content_type) {
  Response response{status, request.version()};
  if (status != Status::no_content && status != Status::not_modified) {
    response.set(boost::beast::http::field::content_type, content_type);
    response.body() = std::move(body);
  }
  response.prepare_payload();
  return response;
}

std::string_view header(const Request& request, boost::beast::http::field name) {
  const auto found = request.find(name);
  if (found == request.end()) {
    return {};
  }
  return {found->value().data(), found->value().size()};
}

}  // namespace marketing_events::http
