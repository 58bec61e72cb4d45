#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <iostream>
#include <optional>

#include "commands.hpp"

namespace events_api {

int healthcheck(const Config& config, std::chrono::milliseconds timeout) {
  namespace asio = boost::asio;
  namespace http = boost::beast::http;
  using boost::system::error_code;
  // A wildcard address is served on loopback too; anything else is asked where it listens.
  auto address = asio::ip::make_address(config.server.address);
  if (address.is_unspecified()) {
    address = address.is_v6() ? asio::ip::address{asio::ip::address_v6::loopback()}
                              : asio::ip::address{asio::ip::address_v4::loopback()};
  }
  const asio::ip::tcp::endpoint endpoint{address, config.server.port};

  asio::io_context io;
  asio::ip::tcp::socket socket{io};
  http::request<http::empty_body> request{http::verb::get, "/healthz", 11};
  request.set(http::field::host, address.to_string());
  request.set(http::field::connection, "close");
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(4096);
  std::optional<unsigned> status;
  std::string failure = "no answer within " + std::to_string(timeout.count()) + " ms";
  socket.async_connect(endpoint, [&](const error_code& connected) {
    if (connected) {
      failure = "cannot connect: " + connected.message();
      return;
    }
    http::async_write(socket, request, [&](const error_code& written, std::size_t) {
      if (written) {
        failure = "cannot send: " + written.message();
        return;
      }
      http::async_read(socket, buffer, parser, [&](const error_code& read, std::size_t) {
        if (read) {
          failure = "no answer: " + read.message();
          return;
        }
        status = parser.get().result_int();
      });
    });
  });
  io.run_for(timeout);

  std::string where = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
  if (status == 200U) {
    std::cout << "healthy: " << where << "/healthz answered 200\n";
    return exit_ok;
  }
  std::cerr << "unhealthy: " << where << "/healthz "
            << (status ? "answered " + std::to_string(*status) : failure)
            << " (is `events-api serve` running with this PORT and LISTEN_ADDRESS?)\n";
  return exit_failure;
}

}  // namespace events_api
