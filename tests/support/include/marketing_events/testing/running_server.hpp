#pragma once

// The real server on a loopback port over the in-memory stores and real EdDSA tokens, and a
// client for it: what the HTTP tests over real sockets share.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "marketing_events/http/api.hpp"
#include "marketing_events/http/server.hpp"
#include "marketing_events/jwt/jwt_access_tokens.hpp"
#include "marketing_events/testing/in_memory_services.hpp"

namespace marketing_events::testing {

// Real EdDSA access tokens for the test composition.
template <>
inline jwt::JwtAccessTokens make_access_tokens<jwt::JwtAccessTokens>() {
  return jwt::JwtAccessTokens{jwt::SigningKey::generate_ed25519().value(), jwt::JwtSettings{}};
}

// The real server on a loopback port, over `Stores` (in memory unless a test swaps one) and
// real EdDSA tokens.
template <typename Stores>
struct BasicRunningServer : Services<Stores, jwt::JwtAccessTokens> {
  explicit BasicRunningServer(
      const http::ServerSettings& given = {},
      http::ExchangeObserver observer = [](const http::CompletedExchange&) {},
      const http::ContractSettings& route_settings = {})
      : api{http::contract_routes(
                this->events, this->auth, this->calendar, route_settings,
                http::Operations{[] { return true; },
                                 [] { return std::string("up 1\n"); },
                                 R"({"openapi":"3.1.0"})",
                                 this->access_tokens.jwks(),
                                 {{"", "text/html; charset=utf-8", "<!doctype html>"},
                                  {"docs.js", "text/javascript; charset=utf-8", "'use strict';"}}}),
            this->authenticator} {
    auto settings = given;
    settings.address = "127.0.0.1";
    settings.port = 0;
    server = std::make_unique<http::Server>(settings, api, std::move(observer));
    server->listen();
    thread = std::jthread([this] {
      policy_before_run = ::sched_getscheduler(0);
      server->run();
      policy_after_run = ::sched_getscheduler(0);
    });
  }
  BasicRunningServer(const BasicRunningServer&) = delete;
  BasicRunningServer& operator=(const BasicRunningServer&) = delete;
  BasicRunningServer(BasicRunningServer&&) = delete;
  BasicRunningServer& operator=(BasicRunningServer&&) = delete;
  ~BasicRunningServer() { stop(); }

  // Drains the server and waits for its thread.
  void stop() {
    if (thread.joinable()) {
      server->stop();
      thread.join();
    }
  }

  jwt::JwtAccessTokens& tokens = this->access_tokens;
  http::Api api;
  std::unique_ptr<http::Server> server;
  std::jthread thread;
  // The thread's scheduling policy before run() and once it returned; read them after stop(),
  // whose join orders the thread's writes before the reads.
  int policy_before_run = -1;
  int policy_after_run = -1;
};

using RunningServer = BasicRunningServer<MemoryStores>;

// One keep-alive connection to the server.
class Client {
 public:
  explicit Client(unsigned short port) : stream_(io_) {
    stream_.connect(
        boost::asio::ip::tcp::endpoint{boost::asio::ip::make_address("127.0.0.1"), port});
  }

  http::Response send(boost::beast::http::verb method, const std::string& target,
                      const std::string& body = {},
                      const std::vector<std::pair<std::string, std::string>>& headers = {},
                      const char* content_type = "application/json") {
    http::Request request{method, target, 11};
    request.set(boost::beast::http::field::host, "127.0.0.1");
    if (!body.empty()) {
      request.set(boost::beast::http::field::content_type, content_type);
      request.body() = body;
    }
    for (const auto& [name, value] : headers) {
      request.set(name, value);
    }
    request.prepare_payload();
    boost::beast::http::write(stream_, request);
    return receive();
  }

  http::Response receive() {
    http::Response response;
    boost::beast::http::read(stream_, buffer_, response);
    return response;
  }

  boost::beast::tcp_stream& stream() { return stream_; }

 private:
  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
};

inline boost::json::object body_of(const http::Response& response) {
  return boost::json::parse(response.body()).as_object();
}

inline std::string bearer(Client& client, const std::string& email = "ana@example.com") {
  const auto credentials = R"({"email":")" + email + R"(","password":"correct horse battery"})";
  client.send(boost::beast::http::verb::post, "/api/v1/auth/register", credentials);
  const auto login = client.send(boost::beast::http::verb::post, "/api/v1/auth/login", credentials);
  REQUIRE(login.result_int() == 200);
  return "Bearer " + std::string(body_of(login).at("access_token").as_string());
}

inline const std::string event_body =
    R"({"title":"Spring launch","description":"Press","starts_at":"2026-03-01T09:00:00+01:00",)"
    R"("ends_at":"2026-03-01T18:00:00Z","status":"draft"})";

// Sends `bytes` as they are on a new connection and returns everything the server writes back
// until it closes the connection or `wait` passes without a byte. Plain POSIX sockets: the
// receive timeout must bound every read.
inline std::string raw_exchange(unsigned short port, const std::string& bytes,
                                std::chrono::milliseconds wait = std::chrono::seconds{5}) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // NOLINTNEXTLINE(*-reinterpret-cast): the sockets API
  REQUIRE(::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(wait);
  const timeval timeout{
      seconds.count(),
      std::chrono::duration_cast<std::chrono::microseconds>(wait - seconds).count()};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const auto written =
        ::send(fd, std::string_view{bytes}.substr(sent).data(), bytes.size() - sent, MSG_NOSIGNAL);
    if (written <= 0) {
      break;  // the server may close before it has read everything: that is an answer too
    }
    sent += static_cast<std::size_t>(written);
  }
  std::string answer;
  std::array<char, 4096> chunk{};
  while (true) {
    const auto read = ::recv(fd, chunk.data(), chunk.size(), 0);
    if (read <= 0) {
      break;
    }
    answer.append(chunk.data(), static_cast<std::size_t>(read));
  }
  ::close(fd);
  return answer;
}

}  // namespace marketing_events::testing
