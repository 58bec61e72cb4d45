// Every connection has a time limit for what the client must do (send a header, a body, its
// next request, read the answer), and none for what the server does: over real sockets.
#include <poll.h>

#include <atomic>
#include <cerrno>

#include "marketing_events/testing/running_server.hpp"

using namespace marketing_events;
using namespace std::chrono_literals;
using testing::bearer;
using testing::Client;
using testing::RunningServer;
namespace bhttp = boost::beast::http;
using SteadyClock = std::chrono::steady_clock;

namespace {

// How long a test waits for what should take a fraction of it.
constexpr std::chrono::seconds patience{5};

// A plain loopback connection (Beast's client would hide when the server closes).
class RawConnection {
 public:
  explicit RawConnection(unsigned short port, int receive_buffer = 0)
      : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    REQUIRE(fd_ >= 0);
    if (receive_buffer > 0) {  // before connecting, so that the window stays this small
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // NOLINTNEXTLINE(*-reinterpret-cast): the sockets API
    REQUIRE(::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  RawConnection(RawConnection&&) = delete;
  RawConnection& operator=(RawConnection&&) = delete;
  ~RawConnection() { ::close(fd_); }

  // False once the server has closed (or reset) the connection.
  [[nodiscard]] bool send(std::string_view bytes) const {
    while (!bytes.empty()) {
      const auto written = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (written <= 0) {
        return false;
      }
      bytes.remove_prefix(static_cast<std::size_t>(written));
    }
    return true;
  }

  // Reads until the server closes the connection (true) or `limit` passes (false).
  [[nodiscard]] bool closed_within(SteadyClock::duration limit, std::string* received = nullptr) {
    const auto until = SteadyClock::now() + limit;
    std::array<char, 4096> chunk{};
    while (SteadyClock::now() < until) {
      pollfd ready{fd_, POLLIN, 0};
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(until - SteadyClock::now());
      if (::poll(&ready, 1, static_cast<int>(std::max<std::int64_t>(left.count(), 1))) <= 0) {
        continue;
      }
      const auto read = ::recv(fd_, chunk.data(), chunk.size(), 0);
      if (read <= 0) {
        return read == 0 || errno == ECONNRESET;
      }
      if (received != nullptr) {
        received->append(chunk.data(), static_cast<std::size_t>(read));
      }
    }
    return false;
  }

  [[nodiscard]] int fd() const noexcept { return fd_; }

 private:
  int fd_;
};

http::ServerSettings with_timeouts(std::chrono::milliseconds header, std::chrono::milliseconds idle,
                                   std::chrono::milliseconds body,
                                   std::chrono::milliseconds write) {
  http::ServerSettings settings;
  settings.header_timeout = header;
  settings.idle_timeout = idle;
  settings.body_timeout = body;
  settings.write_timeout = write;
  return settings;
}

}  // namespace

TEST_CASE("timeouts: a connection that sends no request is closed at the header timeout") {
  RunningServer running{with_timeouts(300ms, 10s, 10s, 10s)};
  RawConnection connection{running.server->port()};
  const auto started = SteadyClock::now();
  std::string received;
  REQUIRE(connection.closed_within(patience, &received));
  CHECK(SteadyClock::now() - started >= 250ms);
  CHECK(received.empty());  // nothing to answer
}

TEST_CASE("timeouts: a header sent a byte at a time is cut at the header timeout") {
  RunningServer running{with_timeouts(300ms, 10s, 10s, 10s)};
  RawConnection connection{running.server->port()};
  const auto started = SteadyClock::now();
  REQUIRE(connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "));
  // Each byte is progress, but the whole header has 300 ms: trickling does not extend it.
  bool cut = false;
  std::string received;
  while (!cut && SteadyClock::now() - started < patience) {
    cut = !connection.send("a") || connection.closed_within(20ms, &received);
  }
  REQUIRE(cut);
  CHECK(received.empty());  // cut, not answered
  CHECK(SteadyClock::now() - started >= 250ms);
  CHECK(SteadyClock::now() - started < patience);
}

TEST_CASE("timeouts: a kept-alive connection lives while requests come, then the idle timeout") {
  RunningServer running{with_timeouts(10s, 400ms, 10s, 10s)};
  Client client{running.server->port()};
  // Ten requests 100 ms apart: a second in all, over twice the idle timeout.
  for (int i = 0; i < 10; ++i) {
    CHECK(client.send(bhttp::verb::get, "/healthz").result_int() == 200);
    std::this_thread::sleep_for(100ms);
  }
  CHECK(running.server->connections() == 1);
  const auto started = SteadyClock::now();
  std::array<char, 1> byte{};
  boost::beast::error_code error;
  client.stream().expires_after(patience);
  (void)client.stream().read_some(boost::asio::buffer(byte), error);
  CHECK(error == boost::asio::error::eof);  // closed by the server
  // 100 ms of the 400 had passed before this wait began.
  CHECK(SteadyClock::now() - started >= 250ms);
}

TEST_CASE("timeouts: a body that stops coming is cut at the body timeout") {
  RunningServer running{with_timeouts(10s, 10s, 300ms, 10s)};
  RawConnection connection{running.server->port()};
  const auto started = SteadyClock::now();
  REQUIRE(
      connection.send("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                      "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"e"));
  std::string received;
  REQUIRE(connection.closed_within(patience, &received));
  CHECK(SteadyClock::now() - started >= 250ms);
  CHECK(received.empty());  // the client is gone or silent: nothing to answer
}

TEST_CASE("timeouts: a client that stops reading is cut at the write timeout") {
  auto settings = with_timeouts(10s, 10s, 10s, 300ms);
  settings.max_requests_per_connection = 10'000'000;
  RunningServer running{settings};
  // A tiny receive window, and requests pipelined until the server stops taking them: it
  // is then stuck writing answers that nobody reads.
  RawConnection connection{running.server->port(), 4096};
  const timeval stall{0, 200'000};
  ::setsockopt(connection.fd(), SOL_SOCKET, SO_SNDTIMEO, &stall, sizeof stall);
  std::string requests;
  for (int i = 0; i < 2000; ++i) {
    requests += "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  }
  std::size_t sent = 0;
  while (sent < std::size_t{64} << 20U && connection.send(requests)) {
    sent += requests.size();
  }
  const auto stalled = SteadyClock::now();
  CHECK(sent > 0);
  for (int i = 0; i < 500 && running.server->connections() > 0; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  CHECK(running.server->connections() == 0);
  CHECK(SteadyClock::now() - stalled < patience);
}

TEST_CASE("timeouts: the server's own time to answer is not the client's") {
  // Every client limit at 400 ms, and each password hash taking a second: register and log
  // in are answered all the same.
  RunningServer running{with_timeouts(400ms, 400ms, 400ms, 400ms)};
  running.passwords.take(1000ms);
  Client client{running.server->port()};
  const auto token = bearer(client);  // fails unless both are answered 2xx
  CHECK(client.send(bhttp::verb::get, "/api/v1/events", {}, {{"Authorization", token}})
            .result_int() == 200);
}
