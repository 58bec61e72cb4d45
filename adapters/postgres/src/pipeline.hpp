#pragma once

#include <libpq-fe.h>

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "marketing_events/fiber/fiber.hpp"
#include "marketing_events/postgres/connection_pool.hpp"
#include "marketing_events/postgres/statement.hpp"

namespace marketing_events::postgres {

// Opens a connection without blocking the thread (connection_pool.cpp).
[[nodiscard]] Result<std::unique_ptr<PooledConnection>> connect_on_fiber(
    const PoolSettings& settings, const fiber::Context& context);

// One connection of an I/O thread in libpq's pipeline mode, shared by that thread's fibers
// for single statements outside a transaction. Each statement goes out at once with its own
// Sync (so it is its own transaction, and one statement's error never touches another's),
// without waiting for the replies before it; one reader hands the replies, which come back in
// order, to their fibers. The database backend then serves a whole loop's requests without a
// wake-up per request, and the loop's thread makes one receive for many replies. Over TCP, the
// statements that the loop's ready requests send go out together: the socket is corked at the
// first and uncorked once the work queued before it has run, so the backend (and the loop's
// thread, which its wake-up would preempt) pays one delivery for them, not one each.
//
// A statement waits behind the ones sent before it, so the pipeline only takes one when the
// wait is short: fewer than max_in_flight outstanding and the oldest younger than slow_head.
// Otherwise (and while it connects) the caller leases a connection of its own, as without it.
// A reply later than the statement timeout plus a grace second means the connection is
// stuck: every statement on it fails as unavailable, and the next one reconnects.
class Pipeline {
 public:
  static constexpr std::size_t max_in_flight = 32;
  static constexpr std::chrono::milliseconds slow_head{20};

  Pipeline(const PoolSettings& settings, boost::asio::any_io_executor executor);
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;
  Pipeline(Pipeline&&) = delete;
  Pipeline& operator=(Pipeline&&) = delete;
  ~Pipeline();

  // Runs one statement on the current fiber (which must be of this pipeline's loop); nullopt
  // when the pipeline cannot take it now.
  [[nodiscard]] std::optional<Result<Rows>> try_execute(const Statement& statement,
                                                        const std::vector<const char*>& values);

 private:
  struct Unit;

  [[nodiscard]] bool connect(const fiber::Context& context);
  void cork();
  void flush();
  void read();
  void on_readable();
  void fail_all(const Error& error);

  const PoolSettings* settings_;
  boost::asio::any_io_executor executor_;
  std::unique_ptr<PooledConnection> connection_;
  std::deque<Unit*> in_flight_;   // oldest first; null: its fiber gave up waiting
  std::uint64_t generation_ = 0;  // bumped when the connection goes: stale callbacks see it
  bool connecting_ = false;
  bool reading_ = false;
  bool writing_ = false;
  bool corked_ = false;   // TCP_CORK is on until the loop's queued work has run
  bool corkable_ = true;  // false when this connection's socket is not TCP
};

}  // namespace marketing_events::postgres
