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

void append_header_text(std::string& text, const Response& response) {
  constexpr std::size_t status_line_bytes = 16;  // "HTTP/1.1 200 " and the line's end
  const auto reason = response.reason();
  std::size_t size = text.size() + status_line_bytes + reason.size() + 2;
  for (const auto& field : response) {
    size += field.name_string().size() + field.value().size() + 4;
  }
  text.reserve(size);
  const unsigned version = response.version();
  const unsigned code = response.result_int();
  text += "HTTP/";
  text += static_cast<char>('0' + version / 10);
  text += '.';
  text += static_cast<char>('0' + version % 10);
  text += ' ';
  text += static_cast<char>('0' + code / 100 % 10);
  text += static_cast<char>('0' + code / 10 % 10);
  text += static_cast<char>('0' + code % 10);
  text += ' ';
  text.append(reason.data(), reason.size());
  text += "\r\n";
  for (const auto& field : response) {
    text.append(field.name_string().data(), field.name_string().size());
    text += ": ";
    text.append(field.value().data(), field.value().size());
    text += "\r\n";
  }
  text += "\r\n";
}

std::string_view header(const Request& request, boost::beast::http::field name) {
  const auto found = request.find(name);
  if (found == request.end()) {
    return {};
  }
  return {found->value().data(), found->value().size()};
}

}  // namespace marketing_events::http
