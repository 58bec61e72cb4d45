// What an attacker sends, over real sockets: every input the edge reads has a bound, and no
// bad input gets a 5xx (issue 12's list, one test each).
#include <atomic>
#include <future>
#include <mutex>

#include "marketing_events/testing/running_server.hpp"

using namespace marketing_events;
using namespace std::chrono_literals;
using testing::bearer;
using testing::body_of;
using testing::Client;
using testing::raw_exchange;
using testing::RunningServer;
namespace bhttp = boost::beast::http;

namespace {

std::string status_line(const std::string& answer) {
  return answer.substr(0, answer.find("\r\n"));
}

std::string chunked_login(const std::string& chunk_line, const std::string& trailer) {
  return "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n" +
         chunk_line + "\r\n{}\r\n0\r\n" + trailer + "\r\n";
}

}  // namespace

TEST_CASE("edge: a chunk extension or trailer section over the header limit is 431, then close") {
  RunningServer running;
  const auto port = running.server->port();
  // Within the limits, trailers and extensions are allowed (and ignored): the body is read.
  CHECK(status_line(raw_exchange(port, chunked_login("2;name=value", "X-Sum: 1\r\n"))) ==
        "HTTP/1.1 422 Unprocessable Entity");
  const auto trailer =
      raw_exchange(port, chunked_login("2", "X-Pad: " + std::string(60'000, 'a') + "\r\n"));
  CHECK(status_line(trailer) == "HTTP/1.1 431 Request Header Fields Too Large");
  CHECK(trailer.find("Connection: close") != std::string::npos);
  const auto extension = raw_exchange(port, chunked_login("2;" + std::string(80'000, 'e'), ""));
  CHECK(status_line(extension) == "HTTP/1.1 431 Request Header Fields Too Large");
  // Many small trailer fields add up the same way.
  std::string many;
  for (int i = 0; i < 4000; ++i) {
    many += "X-" + std::to_string(i) + ": v\r\n";
  }
  CHECK(status_line(raw_exchange(port, chunked_login("2", many))) ==
        "HTTP/1.1 431 Request Header Fields Too Large");
}

TEST_CASE("edge: only a lone, final chunked transfer coding is understood (RFC 9112 6.1)") {
  RunningServer running;
  const auto port = running.server->port();
  const auto with_coding = [&](const std::string& codings) {
    return status_line(raw_exchange(
        port,
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: " +
            codings + "\r\n\r\n2\r\n{}\r\n0\r\n\r\n"));
  };
  CHECK(with_coding("chunked") == "HTTP/1.1 422 Unprocessable Entity");
  CHECK(with_coding("CHUNKED") == "HTTP/1.1 422 Unprocessable Entity");
  for (const auto* unsupported : {"gzip", "xchunked", "chunked, identity", "gzip, chunked"}) {
    INFO(unsupported);
    CHECK(with_coding(unsupported) == "HTTP/1.1 501 Not Implemented");
  }
  // An empty coding is one we do not understand either: the body is not framed by length.
  CHECK(status_line(
            raw_exchange(port,
                         "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: \r\n"
                         "Content-Length: 2\r\n\r\n{}")) == "HTTP/1.1 501 Not Implemented");
  // Both framings at once is a smuggling attempt: refused.
  CHECK(status_line(
            raw_exchange(port,
                         "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")) ==
        "HTTP/1.1 400 Bad Request");
}

TEST_CASE("edge: header fields are counted, and trailer fields never reach the request") {
  std::mutex mutex;
  std::vector<std::string> clients;
  http::ServerSettings settings;
  settings.trusted_proxies = http::TrustedProxies::parse("127.0.0.1").value();
  RunningServer running{settings, [&](const http::CompletedExchange& completed) {
                          const std::scoped_lock lock{mutex};
                          clients.push_back(completed.exchange->client);
                        }};
  const auto port = running.server->port();
  std::string many;
  for (int i = 0; i < 150; ++i) {
    many += "a" + std::to_string(i) + ":\r\n";
  }
  CHECK(status_line(raw_exchange(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n" + many + "\r\n")) ==
        "HTTP/1.1 431 Request Header Fields Too Large");
  // A trailer cannot name the client (nor add a Host or an If-Match) after the header was read.
  CHECK(status_line(raw_exchange(
            port, chunked_login("2", "X-Forwarded-For: 10.9.9.9\r\n").insert(0, ""))) ==
        "HTTP/1.1 422 Unprocessable Entity");
  for (int i = 0; i < 100 && clients.size() < 2; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  const std::scoped_lock lock{mutex};
  CHECK(std::find(clients.begin(), clients.end(), "10.9.9.9") == clients.end());
}

TEST_CASE("edge: an HTTP/1.1 request has exactly one Host") {
  RunningServer running;
  const auto port = running.server->port();
  CHECK(status_line(raw_exchange(port, "GET /healthz HTTP/1.1\r\n\r\n")) ==
        "HTTP/1.1 400 Bad Request");
  CHECK(status_line(raw_exchange(port, "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")) ==
        "HTTP/1.1 400 Bad Request");
  CHECK(status_line(raw_exchange(port, "GET /healthz HTTP/1.0\r\n\r\n")) == "HTTP/1.0 200 OK");
}

TEST_CASE("edge: instants an offset carries out of years 0001..9999 are refused, not stored") {
  RunningServer running;
  Client client{running.server->port()};
  const auto token = bearer(client);
  const auto listed =
      client.send(bhttp::verb::get, "/api/v1/events?starts_from=0001-01-01T00:00:00%2B01:00", {},
                  {{"Authorization", token}});
  CHECK(listed.result_int() == 400);
  CHECK(body_of(listed).at("errors").as_array().at(0).at("field") == "starts_from");
  const auto created = client.send(
      bhttp::verb::post, "/api/v1/events",
      R"({"title":"Late","starts_at":"9999-12-31T23:59:59-01:00","ends_at":"9999-12-31T23:59:59-01:00"})",
      {{"Authorization", token}});
  CHECK(created.result_int() == 422);
}

TEST_CASE("edge: login, refresh and logout bodies are checked before any store is touched") {
  RunningServer running;
  Client client{running.server->port()};
  const auto field_of = [](const http::Response& response) {
    return std::string(body_of(response).at("errors").as_array().at(0).at("field").as_string());
  };
  const auto long_email =
      client.send(bhttp::verb::post, "/api/v1/auth/login",
                  R"({"email":")" + std::string(3000, 'a') + R"(@example.com","password":"x"})");
  CHECK(long_email.result_int() == 422);
  CHECK(field_of(long_email) == "email");
  // libpq would cut the text at the NUL and look up "ana@example.com".
  REQUIRE(running.auth.register_user("ana@example.com", "correct horse battery"));
  const auto nul =
      client.send(bhttp::verb::post, "/api/v1/auth/login",
                  R"({"email":"ana@example.com\u0000x","password":"correct horse battery"})");
  CHECK(nul.result_int() == 422);
  const auto no_password =
      client.send(bhttp::verb::post, "/api/v1/auth/login", R"({"email":"ana@example.com"})");
  CHECK(no_password.result_int() == 422);
  CHECK(field_of(no_password) == "password");
  for (const auto* route : {"/api/v1/auth/refresh", "/api/v1/auth/logout"}) {
    const auto empty = client.send(bhttp::verb::post, route, "{}");
    CHECK(empty.result_int() == 422);
    CHECK(field_of(empty) == "refresh_token");
  }
}

namespace {

// An event store that fails the way a bug would: by throwing.
class ThrowingEventRepository final : public EventRepository {
 public:
  Result<void> add(const Event& /*event*/) override {
    throw std::logic_error("secret internal state");
  }
  Result<std::optional<Event>> find(const UserId& /*owner*/, const EventId& /*id*/) override {
    throw std::logic_error("secret internal state");
  }
  Result<Event> update(const EventChange& /*change*/,
                       const VersionCondition& /*condition*/) override {
    throw std::logic_error("secret internal state");
  }
  Result<Event> modify(const UserId& /*owner*/, const EventId& /*id*/,
                       const VersionCondition& /*condition*/, Instant /*updated_at*/,
                       const EventModification& /*modification*/) override {
    throw std::logic_error("secret internal state");
  }
  Result<void> remove(const UserId& /*owner*/, const EventId& /*id*/,
                      const VersionCondition& /*condition*/) override {
    throw 42;  // not even an exception class
  }
  Result<EventSlice> list(const UserId& /*owner*/, const EventQuery& /*query*/) override {
    throw std::logic_error("secret internal state");
  }
};

struct ThrowingStores {
  memory::InMemoryUserRepository users;
  ThrowingEventRepository event_store;
  memory::InMemoryRefreshTokenRepository refresh_tokens;
  memory::InMemoryThrottleStore throttle;
  memory::InMemoryCalendarFeedRepository calendar_feeds;
};

}  // namespace

TEST_CASE("edge: a handler that throws gets a 500 with its request id, and is reported") {
  std::mutex mutex;
  std::vector<http::Exchange> seen;
  testing::BasicRunningServer<ThrowingStores> running{
      {}, [&](const http::CompletedExchange& completed) {
        const std::scoped_lock lock{mutex};
        seen.push_back(*completed.exchange);
      }};
  Client client{running.server->port()};
  const auto token = bearer(client);
  const auto failed = client.send(bhttp::verb::get, "/api/v1/events", {},
                                  {{"Authorization", token}, {"X-Request-Id", "trace-me"}});
  CHECK(failed.result_int() == 500);
  CHECK(failed["X-Request-Id"] == "trace-me");
  CHECK(failed.body().find("secret") == std::string::npos);
  CHECK(body_of(failed).at("title") == "Internal server error");
  const auto odd =
      client.send(bhttp::verb::delete_, "/api/v1/events/" + running.ids.next().to_string(), {},
                  {{"Authorization", token}});
  CHECK(odd.result_int() == 500);
  // The connection survives, and the next request is served.
  CHECK(client.send(bhttp::verb::get, "/healthz").result_int() == 200);
  for (int i = 0; i < 200; ++i) {
    if (const std::scoped_lock lock{mutex}; seen.size() >= 5) {
      break;
    }
    std::this_thread::sleep_for(10ms);
  }
  const std::scoped_lock lock{mutex};
  const auto failure = std::find_if(seen.begin(), seen.end(), [](const http::Exchange& exchange) {
    return exchange.request_id == "trace-me";
  });
  REQUIRE(failure != seen.end());
  CHECK(failure->unexpected_failure);
  CHECK(failure->problem_detail == "unhandled exception: secret internal state");
}

namespace {

struct LoginOutcomes {
  int served = 0;
  int refused = 0;  // 503 with Retry-After
};

// Six logins at once from one client, each hash holding its thread 400 ms; meanwhile a
// database route must answer at once.
LoginOutcomes six_slow_logins(const http::ServerSettings& settings) {
  RunningServer running{settings};
  Client setup{running.server->port()};
  const auto token = bearer(setup);
  running.passwords.take(400ms);
  std::vector<std::future<http::Response>> logins;
  logins.reserve(6);
  for (int i = 0; i < 6; ++i) {
    logins.push_back(std::async(std::launch::async, [&] {
      Client client{running.server->port()};
      return client.send(bhttp::verb::post, "/api/v1/auth/login",
                         R"({"email":"ana@example.com","password":"correct horse battery"})");
    }));
  }
  std::this_thread::sleep_for(100ms);
  // The workers are untouched: a database route answers while every hashing slot is taken.
  const auto started = std::chrono::steady_clock::now();
  CHECK(
      setup.send(bhttp::verb::get, "/api/v1/events", {}, {{"Authorization", token}}).result_int() ==
      200);
  CHECK(std::chrono::steady_clock::now() - started < 200ms);
  LoginOutcomes outcomes;
  for (auto& login : logins) {
    const auto response = login.get();
    if (response.result_int() == 200) {
      ++outcomes.served;
    } else {
      CHECK(response.result_int() == 503);
      CHECK(response[bhttp::field::retry_after] == "1");
      ++outcomes.refused;
    }
  }
  return outcomes;
}

}  // namespace

TEST_CASE("edge: password hashing has its own bounded threads, beyond them it is 503") {
  http::ServerSettings settings;
  settings.hashing_threads = 1;
  settings.hashing_queue = 2;
  settings.hashing_per_client = 6;  // every client here is 127.0.0.1: no share applies
  const auto outcomes = six_slow_logins(settings);
  CHECK(outcomes.served == 3);  // one hashing, two waiting
  CHECK(outcomes.refused == 3);
}

TEST_CASE("edge: one client holds at most its share of the hashing slots") {
  http::ServerSettings settings;
  settings.hashing_threads = 1;
  settings.hashing_queue = 4;
  settings.hashing_per_client = 2;
  const auto outcomes = six_slow_logins(settings);
  CHECK(outcomes.served == 2);  // room for five, but this client's share is two
  CHECK(outcomes.refused == 4);
}

TEST_CASE("edge: registrations per client are limited") {
  RunningServer running;
  Client client{running.server->port()};
  for (int i = 0; i < 10; ++i) {
    CHECK(client
              .send(bhttp::verb::post, "/api/v1/auth/register",
                    R"({"email":"user)" + std::to_string(i) +
                        R"(@example.com","password":"correct horse battery"})")
              .result_int() == 201);
  }
  const auto refused =
      client.send(bhttp::verb::post, "/api/v1/auth/register",
                  R"({"email":"one-more@example.com","password":"correct horse battery"})");
  CHECK(refused.result_int() == 429);
  CHECK(std::stoi(std::string(refused[bhttp::field::retry_after])) > 0);
}

TEST_CASE("edge: at the connection cap the idlest connection makes room") {
  http::ServerSettings settings;
  settings.max_connections = 4;
  RunningServer running{settings};
  boost::asio::io_context io;
  std::vector<std::unique_ptr<boost::beast::tcp_stream>> idle;
  for (int i = 0; i < 4; ++i) {
    idle.push_back(std::make_unique<boost::beast::tcp_stream>(io));
    idle.back()->connect({boost::asio::ip::make_address("127.0.0.1"), running.server->port()});
  }
  for (int i = 0; i < 100 && running.server->connections() < 4; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  CHECK(running.server->connections() == 4);
  // A fifth client is served: the connection that waited longest was closed for it.
  Client client{running.server->port()};
  CHECK(client.send(bhttp::verb::get, "/healthz").result_int() == 200);
  CHECK(running.server->connections() <= 4);
  std::array<char, 1> byte{};
  boost::beast::error_code error;
  idle.front()->expires_after(2s);
  (void)idle.front()->read_some(boost::asio::buffer(byte), error);
  CHECK(error == boost::asio::error::eof);  // closed by the server
}

TEST_CASE("edge: patches without If-Match never fail because of each other") {
  RunningServer running;
  Client client{running.server->port()};
  const auto token = bearer(client);
  const auto created = client.send(bhttp::verb::post, "/api/v1/events", testing::event_body,
                                   {{"Authorization", token}});
  const auto path = "/api/v1/events/" + std::string(body_of(created).at("id").as_string());
  std::vector<std::future<unsigned>> patches;
  patches.reserve(24);
  for (int i = 0; i < 24; ++i) {
    patches.push_back(std::async(std::launch::async, [&, i] {
      Client writer{running.server->port()};
      return writer
          .send(bhttp::verb::patch, path,
                R"({"description":"writer )" + std::to_string(i) + R"("})",
                {{"Authorization", token}}, "application/merge-patch+json")
          .result_int();
    }));
  }
  for (auto& patch : patches) {
    CHECK(patch.get() == 200);
  }
  const auto final = client.send(bhttp::verb::get, path, {}, {{"Authorization", token}});
  CHECK(final[bhttp::field::etag] == "\"v25\"");
}
