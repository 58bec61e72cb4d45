#pragma once

// Beast's HTTP/1.1 request parsing, into our Request, with two bounds Beast lacks: the number
// of fields (each costs far more memory than its bytes on the wire), and no trailer fields in
// the message (a trailer must not add an X-Forwarded-For, a Host or an If-Match after the
// header was checked; RFC 9110 section 6.5.2 lets a recipient discard them).

#include <algorithm>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <cstddef>
#include <cstdint>

#include "marketing_events/http/message.hpp"

namespace marketing_events::http {

class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  RequestParser(std::size_t max_fields, std::size_t body_limit)
      : max_fields_(max_fields), body_limit_(body_limit) {}

  [[nodiscard]] const Request& get() const noexcept { return message_; }
  [[nodiscard]] Request release() { return std::move(message_); }

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;

  void on_request_impl(boost::beast::http::verb method, string_view method_string,
                       string_view target, int version, error_code& /*error*/) override {
    if (method == boost::beast::http::verb::unknown) {
      message_.method_string(method_string);
    } else {
      message_.method(method);
    }
    message_.target(target);
    message_.version(static_cast<unsigned>(version));
  }

  void on_response_impl(int /*code*/, string_view /*reason*/, int /*version*/,
                        error_code& error) override {
    error = boost::beast::http::error::bad_version;  // a request parser never sees one
  }

  void on_field_impl(boost::beast::http::field name, string_view name_string, string_view value,
                     error_code& error) override {
    if (++fields_ > max_fields_) {
      error = boost::beast::http::error::header_limit;
      return;
    }
    if (!in_trailer_) {
      message_.insert(name, name_string, value);
    }
  }

  void on_header_impl(error_code& /*error*/) override { in_trailer_ = true; }

  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                         error_code& /*error*/) override {
    if (content_length) {
      message_.body().reserve(
          static_cast<std::size_t>(std::min<std::uint64_t>(*content_length, body_limit_)));
    }
  }

  std::size_t on_body_impl(string_view body, error_code& /*error*/) override {
    message_.body().append(body.data(), body.size());
    return body.size();
  }

  void on_chunk_header_impl(std::uint64_t /*size*/, string_view /*extensions*/,
                            error_code& /*error*/) override {}

  std::size_t on_chunk_body_impl(std::uint64_t /*remain*/, string_view body,
                                 error_code& /*error*/) override {
    message_.body().append(body.data(), body.size());
    return body.size();
  }

  void on_finish_impl(error_code& /*error*/) override {}

  Request message_;
  std::size_t max_fields_;
  std::size_t body_limit_;
  std::size_t fields_ = 0;  // header and trailer fields together
  bool in_trailer_ = false;
};

}  // namespace marketing_events::http
