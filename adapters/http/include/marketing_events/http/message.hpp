#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "marketing_events/model/user.hpp"

namespace marketing_events::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
using Status = boost::beast::http::status;

// Facts about one exchange, for the log line and the metrics.
struct Exchange {
  std::string request_id;
  std::string client;                    // the client's address (see TrustedProxies)
  std::string_view route = "unmatched";  // the matched route template (the table outlives it)
  std::optional<UserId> user;
  std::optional<Uuid> calendar_feed;  // the feed a calendar read served (never its secret)
  std::string problem_detail;         // why it failed, for operators only (never sent)
  bool unexpected_failure = false;    // an exception escaped the handler (a bug)
};

// A response to `request` carrying `body` as `content_type` (no body and no type for 204).
[[nodiscard]] Response respond(const Request& request, Status status, std::string body = {},
                               std::string_view content_type = "application/json");

// Appends the response's status line and header fields as Beast's serializer writes them
// (ending in the empty line), for one write together with the body. Not for a chunked body.
void append_header_text(std::string& text, const Response& response);

// The value of a header, or empty.
[[nodiscard]] std::string_view header(const Request& request, boost::beast::http::field name);

}  // namespace marketing_events::http
