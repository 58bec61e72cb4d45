#pragma once

#include <libpq-fe.h>

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "marketing_events/result.hpp"

namespace marketing_events::postgres {

struct PoolSettings {
  std::string conninfo = "postgresql://localhost/marketing_events";  // a libpq URI or key=value
  // The connections requests use. On I/O threads (split_across), each thread gets an even
  // share and its requests wait for a reply without holding the thread, so a few connections
  // serve many requests; on ordinary threads, each connection serves one caller at a time.
  std::size_t max_connections = 8;
  // Once split across I/O threads: the connections left for ordinary threads (password
  // hashing threads looking users up, housekeeping).
  std::size_t max_blocking_connections = 3;
  std::chrono::milliseconds acquire_timeout{2000};
  std::chrono::seconds connect_timeout{3};
  std::chrono::milliseconds statement_timeout{5000};
  // On I/O threads: single statements outside a transaction share one more connection per
  // thread in libpq's pipeline mode (see Pipeline), while it answers promptly.
  bool pipeline = true;
};

struct PoolUsage {
  std::size_t in_use = 0;
  std::size_t idle = 0;
  std::size_t waiting = 0;
};

// A libpq message on one line: trailing white space removed, inner line breaks as "; " (libpq
// writes DETAIL and HINT on lines of their own; a log line must stay one line).
[[nodiscard]] std::string libpq_message(const char* message);

// Why `conninfo` cannot be a DATABASE_URL, or nullopt when libpq can read it. A bare word is
// refused although libpq would take it as a database name: it is almost always a mistyped URI.
[[nodiscard]] std::optional<std::string> conninfo_problem(const std::string& conninfo);

// Whether a failed connection fails for a reason that waiting will not remove (a wrong password,
// an unknown database or role, a refused client), rather than a server that is not up yet.
[[nodiscard]] bool connection_failure_lasts(const Error& error);

// One libpq connection with the statements prepared on it. A connection of an I/O thread also
// has its socket registered with that thread's event loop, and is used in non-blocking mode.
struct PooledConnection {
  PooledConnection() = default;
  PooledConnection(const PooledConnection&) = delete;
  PooledConnection& operator=(const PooledConnection&) = delete;
  PooledConnection(PooledConnection&&) = delete;
  PooledConnection& operator=(PooledConnection&&) = delete;
  ~PooledConnection() = default;

  std::unique_ptr<PGconn, decltype(&PQfinish)> handle{nullptr, &PQfinish};
  std::set<std::string, std::less<>> prepared;
  // A duplicate of libpq's socket, watched by the loop (closed first, before PQfinish).
  std::optional<boost::asio::posix::stream_descriptor> socket;
  std::chrono::milliseconds statement_timeout{5000};
};

class ConnectionPool;
class Pipeline;

// A connection on loan. Going out of scope returns it to the pool, or drops it if it is
// broken or still inside a transaction or a query: a connection is only ever reused clean.
class Lease {
 public:
  Lease(ConnectionPool& pool, std::unique_ptr<PooledConnection> connection, int loop);
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  Lease(Lease&& other) noexcept;
  Lease& operator=(Lease&&) = delete;
  ~Lease();

  [[nodiscard]] PooledConnection& connection() noexcept { return *connection_; }

 private:
  ConnectionPool* pool_;
  std::unique_ptr<PooledConnection> connection_;
  int loop_;  // the I/O thread's share it came from; -1: the blocking one
};

// At most `max_connections` connections, opened on demand. acquire() waits at most
// `acquire_timeout`, then fails with ErrorCode::unavailable; so does a failed connect, which
// is retried on the next acquire (the pool recovers when the database comes back).
// On a fiber of an I/O thread (after split_across), acquire() and the statements run on the
// connection suspend the fiber instead of blocking the thread.
class ConnectionPool {
 public:
  explicit ConnectionPool(PoolSettings settings);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;
  ConnectionPool(ConnectionPool&&) = delete;
  ConnectionPool& operator=(ConnectionPool&&) = delete;
  ~ConnectionPool();

  // Gives each of the I/O threads (by loop index, as fiber::Context::loop() names them) its
  // own share of max_connections; ordinary threads keep max_blocking_connections. Call once,
  // before serving. The shares' connections are bound to the threads' event loops: the
  // returned guard closes them, and must go before the loops do.
  class LoopShares {
   public:
    explicit LoopShares(ConnectionPool& pool) : pool_(&pool) {}
    LoopShares(const LoopShares&) = delete;
    LoopShares& operator=(const LoopShares&) = delete;
    LoopShares(LoopShares&& other) noexcept : pool_(std::exchange(other.pool_, nullptr)) {}
    LoopShares& operator=(LoopShares&&) = delete;
    ~LoopShares() {
      if (pool_ != nullptr) {
        pool_->leave_loops();
      }
    }

   private:
    ConnectionPool* pool_;
  };
  [[nodiscard]] LoopShares split_across(const std::vector<boost::asio::any_io_executor>& loops);

  [[nodiscard]] Result<Lease> acquire();
  // The calling fiber's loop's pipeline, or null (an ordinary thread, or pipelines off).
  [[nodiscard]] Pipeline* pipeline() noexcept;
  [[nodiscard]] PoolUsage usage() const;
  [[nodiscard]] const PoolSettings& settings() const noexcept { return settings_; }

 private:
  friend class Lease;
  struct Loop;

  [[nodiscard]] Result<Lease> acquire_blocking();
  [[nodiscard]] Result<Lease> acquire_on(std::size_t index);
  void give_back(std::unique_ptr<PooledConnection> connection, int loop);
  void give_back_blocking(std::unique_ptr<PooledConnection> connection);
  static void give_back_on(Loop& loop, std::unique_ptr<PooledConnection> connection);
  void leave_loops() noexcept;
  [[nodiscard]] Result<std::unique_ptr<PooledConnection>> connect() const;

  PoolSettings settings_;
  std::size_t blocking_max_;
  // Ordinary threads.
  mutable std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<PooledConnection>> idle_;
  std::size_t open_ = 0;  // idle + in use + being opened
  std::size_t waiting_ = 0;
  // I/O threads: each share is touched by its own thread only.
  std::vector<std::unique_ptr<Loop>> loops_;
};

}  // namespace marketing_events::postgres
