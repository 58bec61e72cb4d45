#pragma once

// Stackful coroutines ("fibers") on the I/O threads: a request's use case runs on one, and the
// ports it calls stay synchronous. When an adapter deep below must wait for I/O (a database
// reply), it suspends the fiber, not the thread: the thread serves other requests meanwhile.
// On an ordinary thread (commands, tests, the hashing threads) there is no fiber, and the same
// adapters block as they always did.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/spawn.hpp>
#include <chrono>
#include <cstddef>

namespace marketing_events::fiber {

using Yield = boost::asio::basic_yield_context<boost::asio::any_io_executor>;
using Deadline = std::chrono::steady_clock::time_point;

// The fiber the calling code runs on, and which I/O thread ("loop") runs it.
class Context {
 public:
  Context(Yield yield, std::size_t loop) : yield_(std::move(yield)), loop_(loop) {}

  [[nodiscard]] const Yield& yield() const noexcept { return yield_; }
  [[nodiscard]] std::size_t loop() const noexcept { return loop_; }
  [[nodiscard]] boost::asio::any_io_executor executor() const { return yield_.get_executor(); }

 private:
  Yield yield_;
  std::size_t loop_;
};

// The fiber running on this thread now, or null on an ordinary thread.
[[nodiscard]] Context* current() noexcept;

// Makes `context` current while a fiber runs its work, and puts back what was current before.
class Scope {
 public:
  explicit Scope(Context& context) noexcept;
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;
  Scope(Scope&&) = delete;
  Scope& operator=(Scope&&) = delete;
  ~Scope();

 private:
  Context* previous_;
};

// Held around every suspension: while this fiber waits, its thread runs others, so none is
// current; when it resumes, it is current again.
class Suspension {
 public:
  Suspension() noexcept;
  Suspension(const Suspension&) = delete;
  Suspension& operator=(const Suspension&) = delete;
  Suspension(Suspension&&) = delete;
  Suspension& operator=(Suspension&&) = delete;
  ~Suspension();

 private:
  Context* suspended_;
};

enum class Readiness { readable, writable };

// Suspends the current fiber until `descriptor` is ready or `deadline` passes. Returns false
// on timeout or error. Must be called on a fiber, on the descriptor's own loop.
[[nodiscard]] bool wait(boost::asio::posix::stream_descriptor& descriptor, Readiness readiness,
                        Deadline deadline);

}  // namespace marketing_events::fiber
