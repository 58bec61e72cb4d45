// The connection deadline on a real event loop: it keeps every deadline, and moving it costs
// no timer operation.
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <thread>

#include "deadline.hpp"

using namespace std::chrono_literals;
using marketing_events::http::Deadline;
using Clock = Deadline::Clock;

namespace {

// Runs `io` until nothing is left to do or `limit` has passed.
void run_for(boost::asio::io_context& io, Clock::duration limit) {
  io.run_for(limit);
  io.restart();
}

// What the connection saw: how often its deadline expired, and when last.
struct Expiries {
  int count = 0;
  Clock::time_point last;

  std::function<void()> recorder() {
    return [this] {
      ++count;
      last = Clock::now();
    };
  }
};

}  // namespace

TEST_CASE("deadline: it expires once, when the limit has passed") {
  boost::asio::io_context io;
  Expiries expired;
  Deadline deadline{io.get_executor(), 1s, expired.recorder()};
  const auto started = Clock::now();
  deadline.expires_after(50ms, started);
  run_for(io, 2s);
  CHECK(expired.count == 1);
  CHECK(expired.last - started >= 50ms);
  CHECK(expired.last - started < 1s);
}

TEST_CASE("deadline: moving it later arms no timer, and the last one set is kept") {
  boost::asio::io_context io;
  Expiries expired;
  Deadline deadline{io.get_executor(), 100ms, expired.recorder()};
  deadline.expires_after(100ms);
  for (int i = 0; i < 10'000; ++i) {
    deadline.expires_after(100ms);  // as every request on a kept-alive connection does
  }
  CHECK(deadline.timer_waits() == 1);
  // Keep moving it for 300 ms, three times the horizon: the timer wakes a few times only.
  const auto started = Clock::now();
  Clock::time_point last_set;
  boost::asio::steady_timer ticker{io};
  std::function<void()> tick = [&] {
    if (Clock::now() - started < 300ms) {
      last_set = Clock::now();
      deadline.expires_after(100ms, last_set);
      ticker.expires_after(5ms);
      ticker.async_wait([&](const boost::system::error_code&) { tick(); });
    }
  };
  tick();
  run_for(io, 2s);
  CHECK(expired.count == 1);
  CHECK(expired.last - last_set >= 100ms);
  CHECK(expired.last - last_set < 600ms);
  CHECK(deadline.timer_waits() <= 10);  // about one a horizon, not one per move (60)
}

TEST_CASE("deadline: a limit shorter than the horizon is kept on time") {
  boost::asio::io_context io;
  Expiries expired;
  Deadline deadline{io.get_executor(), 10s, expired.recorder()};
  deadline.expires_after(10s);
  const auto started = Clock::now();
  deadline.expires_after(50ms, started);  // a lingering close's half second, say
  run_for(io, 2s);
  REQUIRE(expired.count == 1);
  CHECK(expired.last - started >= 50ms);
  CHECK(expired.last - started < 1s);
  CHECK(deadline.timer_waits() == 2);
}

TEST_CASE("deadline: cleared, it never expires and its timer stops waking") {
  boost::asio::io_context io;
  Expiries expired;
  Deadline deadline{io.get_executor(), 20ms, expired.recorder()};
  deadline.expires_after(40ms);
  deadline.clear();  // the server works on the request: not the client's time
  run_for(io, 300ms);
  CHECK(expired.count == 0);
  CHECK(deadline.timer_waits() == 1);
  // Set again, it is kept again.
  deadline.expires_after(20ms);
  run_for(io, 1s);
  CHECK(expired.count == 1);
}

TEST_CASE("deadline: once destroyed, its connection is never called") {
  boost::asio::io_context io;
  Expiries expired;
  {
    Deadline deadline{io.get_executor(), 1s, expired.recorder()};
    deadline.expires_after(0ms);
  }
  run_for(io, 100ms);
  CHECK(expired.count == 0);
  // Destroyed after its wait completed, with the handler already queued: that handler cannot
  // be cancelled any more, and must still do nothing.
  std::optional<Deadline> deadline;
  deadline.emplace(io.get_executor(), 1s, expired.recorder());
  deadline->expires_after(15ms);
  // This relies on the order of Asio's queue (Boost 1.81): the reactor's pass is queued behind
  // this handler, and the timer's handler behind the one this handler posts.
  boost::asio::post(io, [&] {
    std::this_thread::sleep_for(40ms);  // the timer is due when the reactor next looks...
    boost::asio::post(io, [&] { deadline.reset(); });  // ...and this runs before its handler
  });
  run_for(io, 200ms);
  CHECK_FALSE(deadline.has_value());
  CHECK(expired.count == 0);
}
