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
// for single statements outside a transaction, sent without waiting for the replies before
// them; one reader hands the replies, which come back in order, to their fibers. The database
// backend then serves a whole loop's requests without a wake-up per request, and the loop's
// thread makes one receive for many replies.
//
// A statement that writes (or is not marked read_only) goes out with its own Sync, so it is
// its own transaction and one statement's error never touches another's; it is done once
// committed. The reads that the loop's ready requests send share one Sync, sent once the work
// queued before the first has run: one transaction, and usually one send from here and one from
// the backend for all of them, where a Sync each cost both sides a send each (libpq 15 flushes
// at every Sync). A read is done when its rows are in. If one fails, PostgreSQL skips the rest
// of that transaction; those are sent again, each on its own. A read that must prepare its
// statement first goes on its own too, so no failure of another can skip the preparation that
// later statements count on. Over TCP, the socket is corked while a loop turn sends statements
// with their own Sync (writes, and reads that go on their own).
//
// A statement waits behind the ones sent before it, so the pipeline only takes one when the
// wait is short: fewer than max_in_flight entries outstanding (a statement is one, and so is
// each Sync) and the oldest younger than slow_head.
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
  // What in_flight_ waits for, in order: a statement's commands (its preparation, if it is
  // prepared with it, and its execution), or a Sync.
  struct Entry {
    Unit* unit = nullptr;  // null for a Sync, or when its fiber gave up waiting
    int commands = 0;      // still to end
    bool sync = false;
    bool batched = false;  // a read sharing its transaction: done when its rows are in
    std::chrono::steady_clock::time_point sent_at;
  };

  // Whether a statement may join now: on a fiber, not while connecting, fewer than
  // max_in_flight entries outstanding, the oldest younger than slow_head.
  [[nodiscard]] bool takes_more(const fiber::Context* context) const;
  [[nodiscard]] bool connect(const fiber::Context& context);
  [[nodiscard]] Result<Rows> execute_once(const fiber::Context& context, const Statement& statement,
                                          const std::vector<const char*>& values, bool batched);
  void end_batch();
  [[nodiscard]] bool sync();
  void forget(Unit& unit);
  void complete(Unit* unit);
  void cork();
  void flush();
  void read();
  void on_readable();
  void fail_all(const Error& error);

  const PoolSettings* settings_;
  boost::asio::any_io_executor executor_;
  std::unique_ptr<PooledConnection> connection_;
  std::deque<Entry> in_flight_;       // oldest first
  std::vector<Unit*> awaiting_sync_;  // writes whose commands have ended, until their Sync
  std::uint64_t generation_ = 0;      // bumped when the connection goes: stale callbacks see it
  bool connecting_ = false;
  bool reading_ = false;
  bool writing_ = false;
  bool corked_ = false;           // TCP_CORK is on until the loop's queued work has run
  bool corkable_ = true;          // false when this connection's socket is not TCP
  bool batch_open_ = false;       // reads were sent whose Sync is still to be sent
  bool head_has_result_ = false;  // the head command has had a result since its start
};

}  // namespace marketing_events::postgres
