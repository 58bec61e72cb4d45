#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <iostream>
#include <optional>
#include <vector>

#include "commands.hpp"

namespace events_api {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;

// "127.0.0.1:8080" or "[::1]:8080".
std::string authority(const asio::ip::tcp::endpoint& endpoint) {
  const auto address = endpoint.address().to_string();
  return (endpoint.address().is_v6() ? "[" + address + "]" : address) + ":" +
         std::to_string(endpoint.port());
}

struct Answer {
  std::optional<unsigned> status;
  std::string failure;
};

// GET /healthz of `endpoint`, given up after `timeout` (io_context::run_for bounds it all).
Answer ask(const asio::ip::tcp::endpoint& endpoint, std::chrono::milliseconds timeout) {
  asio::io_context io;
  asio::ip::tcp::socket socket{io};
  http::request<http::empty_body> request{http::verb::get, "/healthz", 11};
  request.set(http::field::host, authority(endpoint));
  request.set(http::field::connection, "close");
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(4096);
  Answer answer{std::nullopt, "no answer within " + std::to_string(timeout.count()) + " ms"};
  socket.async_connect(endpoint, [&](const error_code& connected) {
    if (connected) {
      answer.failure = "cannot connect: " + connected.message();
      return;
    }
    http::async_write(socket, request, [&](const error_code& written, std::size_t) {
      if (written) {
        answer.failure = "cannot send: " + written.message();
        return;
      }
      http::async_read(socket, buffer, parser, [&](const error_code& read, std::size_t) {
        if (read) {
          answer.failure = "no answer: " + read.message();
          return;
        }
        answer.status = parser.get().result_int();
      });
    });
  });
  io.run_for(timeout);
  return answer;
}

}  // namespace

int healthcheck(const Config& config, std::chrono::milliseconds timeout) {
  // A wildcard address is served on loopback too: ::1, or 127.0.0.1 where IPv6 is off (a
  // server on :: also takes IPv4); anything else is asked where it listens.
  const auto address = asio::ip::make_address(config.server.address);
  std::vector<asio::ip::tcp::endpoint> endpoints;
  if (!address.is_unspecified()) {
    endpoints.emplace_back(address, config.server.port);
  } else if (address.is_v6()) {
    endpoints.emplace_back(asio::ip::address_v6::loopback(), config.server.port);
    endpoints.emplace_back(asio::ip::address_v4::loopback(), config.server.port);
  } else {
    endpoints.emplace_back(asio::ip::address_v4::loopback(), config.server.port);
  }
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  std::string failures;
  for (const auto& endpoint : endpoints) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        give_up - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      break;
    }
    const auto answer = ask(endpoint, left);
    if (answer.status == 200U) {
      std::cout << "healthy: " << authority(endpoint) << "/healthz answered 200\n";
      return exit_ok;
    }
    failures.append(failures.empty() ? "" : "; ").append(authority(endpoint)).append("/healthz ");
    failures.append(answer.status ? "answered " + std::to_string(*answer.status) : answer.failure);
  }
  std::cerr << "unhealthy: " << failures
            << " (is `events-api serve` running with this PORT and LISTEN_ADDRESS?)\n";
  return exit_failure;
}

}  // namespace events_api
