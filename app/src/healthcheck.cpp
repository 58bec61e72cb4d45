#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <iostream>
#include <optional>
#include <string_view>
#include <vector>

#include "commands.hpp"

namespace events_api {
namespace {

namespace asio = boost::asio;
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

// The status code of an HTTP/1.x status line ("HTTP/1.1 200 OK\r\n"), if it is one.
std::optional<unsigned> status_of(std::string_view line) {
  constexpr std::string_view version = "HTTP/1.";
  if (!line.starts_with(version) || line.size() < 12 || line[8] != ' ') {
    return std::nullopt;
  }
  unsigned status = 0;
  for (const char digit : line.substr(9, 3)) {
    if (digit < '0' || digit > '9') {
      return std::nullopt;
    }
    status = status * 10 + static_cast<unsigned>(digit - '0');
  }
  return status;
}

// GET /healthz of `endpoint`, given up after `timeout` (io_context::run_for bounds it all). The
// status line is all a health check needs: Beast's parser would cost more to build than the
// whole command, so the request is written and the line read as plain bytes (at most 256).
Answer ask(const asio::ip::tcp::endpoint& endpoint, std::chrono::milliseconds timeout) {
  asio::io_context io;
  asio::ip::tcp::socket socket{io};
  const std::string request =
      "GET /healthz HTTP/1.1\r\nHost: " + authority(endpoint) + "\r\nConnection: close\r\n\r\n";
  std::string received;
  Answer answer{std::nullopt, "no answer within " + std::to_string(timeout.count()) + " ms"};
  socket.async_connect(endpoint, [&](const error_code& connected) {
    if (connected) {
      answer.failure = "cannot connect: " + connected.message();
      return;
    }
    asio::async_write(socket, asio::buffer(request), [&](const error_code& written, std::size_t) {
      if (written) {
        answer.failure = "cannot send: " + written.message();
        return;
      }
      asio::async_read_until(socket, asio::dynamic_buffer(received, 256), "\r\n",
                             [&](const error_code& read, std::size_t line_length) {
                               if (read) {
                                 answer.failure = "no answer: " + read.message();
                                 return;
                               }
                               answer.status =
                                   status_of(std::string_view(received).substr(0, line_length));
                               if (!answer.status) {
                                 answer.failure = "not an HTTP answer";
                               }
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
