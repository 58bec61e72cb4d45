#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

namespace marketing_events::http {

// When a connection must be done with what it is doing (reading a request, writing a
// response), and what happens if it is not: `on_expiry`, called on the connection's loop.
//
// Moving the deadline only stores a time. Beast's tcp_stream timeouts instead arm an Asio
// timer for every read and write, and a timer that becomes its loop's earliest costs a
// timerfd_settime system call (Asio keeps one timer descriptor per loop, set to its soonest
// timer): traced, about three responses in ten paid one. Here one timer per connection wakes
// at most once per `horizon` (the shortest limit the connection is usually given; the server
// never uses less than a second) and goes back to sleep if the deadline has moved on; a limit
// shorter than `horizon` re-arms it at once. Every deadline is kept exactly either way.
// Used from the executor's thread only.
class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  Deadline(const boost::asio::any_io_executor& executor, Clock::duration horizon,
           std::function<void()> on_expiry);
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;
  Deadline(Deadline&&) = delete;
  Deadline& operator=(Deadline&&) = delete;
  ~Deadline();  // on_expiry is never called afterwards

  // The connection has `limit` from `now` (the caller's reading of the clock, if it has one).
  void expires_after(Clock::duration limit, Clock::time_point now = Clock::now());
  // No limit until the next expires_after (while the server itself works on a request).
  void clear() noexcept;

  // How many times the timer was set waiting: what the design keeps low (for tests).
  [[nodiscard]] std::size_t timer_waits() const noexcept;

 private:
  struct State;
  static void arm(const std::shared_ptr<State>& state, Clock::time_point now);
  static void wake(const std::shared_ptr<State>& state);

  // Shared with the timer's pending handler, which may run after this object is gone.
  std::shared_ptr<State> state_;
};

}  // namespace marketing_events::http
