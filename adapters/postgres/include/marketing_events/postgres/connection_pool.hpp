#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "marketing_events/result.hpp"

namespace marketing_events::postgres {

struct PoolSettings {
  std::string conninfo = "postgresql://localhost/marketing_events";  // a libpq URI or key=value
  // Each connection serves one caller at a time, so more than the threads that call can never
  // all be in use.
  std::size_t max_connections = 4;
  std::chrono::milliseconds acquire_timeout{2000};
  std::chrono::seconds connect_timeout{3};
  std::chrono::milliseconds statement_timeout{5000};
};

struct PoolUsage {
  std::size_t in_use = 0;
  std::size_t idle = 0;
  std::size_t waiting = 0;
};

// One libpq connection with the statements prepared on it.
struct PooledConnection {
  std::unique_ptr<PGconn, decltype(&PQfinish)> handle{nullptr, &PQfinish};
  std::set<std::string, std::less<>> prepared;
};

class ConnectionPool;

// A libpq message on one line: trailing white space removed, inner line breaks as "; " (libpq
// writes DETAIL and HINT on lines of their own; a log line must stay one line).
[[nodiscard]] std::string libpq_message(const char* message);

// A connection on loan. Going out of scope returns it to the pool, or drops it if it is
// broken or still inside a transaction: a connection is only ever reused clean.
class Lease {
 public:
  Lease(ConnectionPool& pool, std::unique_ptr<PooledConnection> connection);
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  Lease(Lease&& other) noexcept;
  Lease& operator=(Lease&&) = delete;
  ~Lease();

  [[nodiscard]] PooledConnection& connection() noexcept { return *connection_; }

 private:
  ConnectionPool* pool_;
  std::unique_ptr<PooledConnection> connection_;
};

// At most `max_connections` connections, opened on demand. acquire() waits at most
// `acquire_timeout`, then fails with ErrorCode::unavailable; so does a failed connect, which
// is retried on the next acquire (the pool recovers when the database comes back).
class ConnectionPool {
 public:
  explicit ConnectionPool(PoolSettings settings);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;
  ConnectionPool(ConnectionPool&&) = delete;
  ConnectionPool& operator=(ConnectionPool&&) = delete;
  ~ConnectionPool() = default;

  [[nodiscard]] Result<Lease> acquire();
  [[nodiscard]] PoolUsage usage() const;
  [[nodiscard]] const PoolSettings& settings() const noexcept { return settings_; }

 private:
  friend class Lease;
  void give_back(std::unique_ptr<PooledConnection> connection);
  [[nodiscard]] Result<std::unique_ptr<PooledConnection>> connect() const;

  PoolSettings settings_;
  mutable std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<PooledConnection>> idle_;
  std::size_t open_ = 0;  // idle + in use + being opened
  std::size_t waiting_ = 0;
};

}  // namespace marketing_events::postgres
