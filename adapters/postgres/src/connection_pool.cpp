#include "marketing_events/postgres/connection_pool.hpp"

#include <array>

namespace marketing_events::postgres {

std::string libpq_message(const char* message) {
  std::string text = message == nullptr ? "" : message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  for (auto at = text.find('\n'); at != std::string::npos; at = text.find('\n', at)) {
    text.replace(at, 1, "; ");
  }
  return text;
}

Lease::Lease(ConnectionPool& pool, std::unique_ptr<PooledConnection> connection)
    : pool_(&pool), connection_(std::move(connection)) {}

Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), connection_(std::move(other.connection_)) {}

Lease::~Lease() {
  if (connection_) {
    pool_->give_back(std::move(connection_));
  }
}

ConnectionPool::ConnectionPool(PoolSettings settings) : settings_(std::move(settings)) {}

Result<std::unique_ptr<PooledConnection>> ConnectionPool::connect() const {
  // The caller's conninfo comes first, so it may be a URI; our limits are added after it.
  const auto connect_timeout = std::to_string(settings_.connect_timeout.count());
  const auto options =
      "-c statement_timeout=" + std::to_string(settings_.statement_timeout.count()) +
      " -c TimeZone=UTC";
  const std::array<const char*, 5> keywords{"dbname", "connect_timeout", "options",
                                            "application_name", nullptr};
  const std::array<const char*, 5> values{settings_.conninfo.c_str(), connect_timeout.c_str(),
                                          options.c_str(), "events-api", nullptr};
  auto connection = std::make_unique<PooledConnection>();
  connection->handle.reset(PQconnectdbParams(keywords.data(), values.data(), 1));
  if (!connection->handle || PQstatus(connection->handle.get()) != CONNECTION_OK) {
    const std::string why =
        connection->handle ? libpq_message(PQerrorMessage(connection->handle.get())) : "no memory";
    return Error::of(ErrorCode::unavailable, "database connection failed: " + why);
  }
  // Server notices ("relation ... already exists, skipping") are not errors: keep them out of
  // the output, where libpq would print them.
  PQsetNoticeProcessor(
      connection->handle.get(), [](void*, const char*) {}, nullptr);
  return connection;
}

Result<Lease> ConnectionPool::acquire() {
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + settings_.acquire_timeout;
  while (idle_.empty() && open_ >= settings_.max_connections) {
    ++waiting_;
    const auto status = returned_.wait_until(lock, deadline);
    --waiting_;
    if (status == std::cv_status::timeout && idle_.empty() && open_ >= settings_.max_connections) {
      return Error::of(ErrorCode::unavailable, "no database connection free in time");
    }
  }
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease{*this, std::move(connection)};
  }
  ++open_;
  lock.unlock();
  auto connection = connect();
  if (!connection) {
    lock.lock();
    --open_;
    returned_.notify_one();
    return std::move(connection).error();
  }
  return Lease{*this, std::move(connection).value()};
}

void ConnectionPool::give_back(std::unique_ptr<PooledConnection> connection) {
  const bool reusable = PQstatus(connection->handle.get()) == CONNECTION_OK &&
                        PQtransactionStatus(connection->handle.get()) == PQTRANS_IDLE;
  if (!reusable) {
    connection.reset();  // closes it, outside the lock
  }
  const std::scoped_lock lock(mutex_);
  if (reusable) {
    idle_.push_back(std::move(connection));
  } else {
    --open_;
  }
  returned_.notify_one();
}

PoolUsage ConnectionPool::usage() const {
  const std::scoped_lock lock(mutex_);
  return PoolUsage{open_ - idle_.size(), idle_.size(), waiting_};
}

}  // namespace marketing_events::postgres
