#include "marketing_events/postgres/connection_pool.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/asio/steady_timer.hpp>

#include "marketing_events/fiber/fiber.hpp"
#include "pipeline.hpp"

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

std::optional<std::string> conninfo_problem(const std::string& conninfo) {
  constexpr std::string_view example =
      "like postgresql://USER:PASSWORD@HOST:5432/DATABASE or \"host=HOST dbname=DATABASE\"";
  if (!conninfo.starts_with("postgresql://") && !conninfo.starts_with("postgres://") &&
      conninfo.find('=') == std::string::npos) {
    return "must be a postgresql:// URI or key=value pairs, " + std::string(example);
  }
  char* error = nullptr;
  const std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(conninfo.c_str(), &error), &PQconninfoFree);
  const std::unique_ptr<char, decltype(&PQfreemem)> message(error, &PQfreemem);
  if (options) {
    return std::nullopt;
  }
  // libpq's message quotes the part it could not read, which may be the password: left out.
  return "cannot be read by libpq (a stray character, an unknown key, a bad %-escape?); write "
         "it " +
         std::string(example);
}

bool connection_failure_lasts(const Error& error) {
  // What the server answers when the address is right but the credentials or the database
  // name are not: waiting will not change it (PostgreSQL's English messages; a starting server
  // says "the database system is starting up", which does pass).
  constexpr std::array<std::string_view, 6> lasting{
      "password authentication failed", "does not exist",        "no pg_hba.conf entry",
      "authentication failed",          "invalid integer value", "invalid connection option"};
  return std::ranges::any_of(lasting, [&error](std::string_view reason) {
    return error.detail.find(reason) != std::string::npos;
  });
}

namespace {

using Clock = std::chrono::steady_clock;

// The conninfo the caller gave, then our limits (the first may be a URI; later ones win).
struct ConnectParameters {
  explicit ConnectParameters(const PoolSettings& settings)
      : connect_timeout(std::to_string(settings.connect_timeout.count())),
        options("-c statement_timeout=" + std::to_string(settings.statement_timeout.count()) +
                " -c TimeZone=UTC"),
        values{settings.conninfo.c_str(), connect_timeout.c_str(), options.c_str(), "events-api",
               nullptr} {}

  std::string connect_timeout;
  std::string options;
  std::array<const char*, 5> keywords{"dbname", "connect_timeout", "options", "application_name",
                                      nullptr};
  std::array<const char*, 5> values;
};

Error connect_failure(const PGconn* handle) {
  const std::string why = handle != nullptr ? libpq_message(PQerrorMessage(handle)) : "no memory";
  return Error::of(ErrorCode::unavailable, "database connection failed: " + why);
}

void quiet_notices(PGconn* handle) {
  // Server notices ("relation ... already exists, skipping") are not errors: keep them out of
  // the output, where libpq would print them.
  PQsetNoticeProcessor(
      handle, [](void*, const char*) {}, nullptr);
}

}  // namespace

// Opens a connection without blocking the thread: PQconnectPoll, waiting on its socket.
Result<std::unique_ptr<PooledConnection>> connect_on_fiber(const PoolSettings& settings,
                                                           const fiber::Context& context) {
  const ConnectParameters parameters{settings};
  auto connection = std::make_unique<PooledConnection>();
  connection->statement_timeout = settings.statement_timeout;
  connection->handle.reset(
      PQconnectStartParams(parameters.keywords.data(), parameters.values.data(), 1));
  PGconn* handle = connection->handle.get();
  if (handle == nullptr || PQstatus(handle) == CONNECTION_BAD) {
    return connect_failure(handle);
  }
  const auto deadline = Clock::now() + settings.connect_timeout;
  auto polling = PGRES_POLLING_WRITING;
  while (polling != PGRES_POLLING_OK) {
    if (polling == PGRES_POLLING_FAILED) {
      return connect_failure(handle);
    }
    // The socket may change between attempts (several hosts, SSL then plain): watch the
    // current one, without taking it from libpq.
    boost::asio::posix::stream_descriptor socket{context.executor(), PQsocket(handle)};
    const bool ready = fiber::wait(
        socket,
        polling == PGRES_POLLING_READING ? fiber::Readiness::readable : fiber::Readiness::writable,
        deadline);
    socket.release();
    if (!ready) {
      return Error::of(ErrorCode::unavailable, "database connection timed out");
    }
    polling = PQconnectPoll(handle);
  }
  if (PQsetnonblocking(handle, 1) != 0) {
    return connect_failure(handle);
  }
  quiet_notices(handle);
  // Asio watches a duplicate of the socket and closes it itself: when libpq closes its own
  // descriptor (a dropped connection), the number may be reused at once by another loop's
  // client socket, which a late deregistration of the shared number would detach.
  const int watched = ::dup(PQsocket(handle));
  if (watched < 0) {
    return Error::of(ErrorCode::unavailable, "no file descriptor left for a database connection");
  }
  connection->socket.emplace(context.executor(), watched);
  return connection;
}

// One I/O thread's share: touched only by that thread (its fibers), so no lock.
struct ConnectionPool::Loop {
  // A fiber waiting for a connection: handed one directly, or woken to open one.
  struct Waiter {
    boost::asio::steady_timer timer;
    std::unique_ptr<PooledConnection> handed;
  };

  Loop(const PoolSettings& settings, boost::asio::any_io_executor loop_executor,
       std::size_t maximum)
      : executor(std::move(loop_executor)), max(maximum), pipeline(settings, executor) {}

  boost::asio::any_io_executor executor;
  std::size_t max;
  std::vector<std::unique_ptr<PooledConnection>> idle;
  std::size_t open = 0;
  std::deque<Waiter*> waiters;
  // For usage(), read from any thread.
  std::atomic<std::size_t> in_use_count{0};
  std::atomic<std::size_t> idle_count{0};
  std::atomic<std::size_t> waiting_count{0};
  Pipeline pipeline;  // single statements, shared; leases above for the rest
};

Lease::Lease(ConnectionPool& pool, std::unique_ptr<PooledConnection> connection, int loop)
    : pool_(&pool), connection_(std::move(connection)), loop_(loop) {}

Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), connection_(std::move(other.connection_)), loop_(other.loop_) {}

Lease::~Lease() {
  if (connection_) {
    try {
      pool_->give_back(std::move(connection_), loop_);
    } catch (...) {  // NOLINT(bugprone-empty-catch): out of memory; the connection is closed
    }
  }
}

ConnectionPool::ConnectionPool(PoolSettings settings)
    : settings_(std::move(settings)), blocking_max_(settings_.max_connections) {}

ConnectionPool::~ConnectionPool() = default;

ConnectionPool::LoopShares ConnectionPool::split_across(
    const std::vector<boost::asio::any_io_executor>& loops) {
  // An even split, the remainder to the first loops; every loop needs at least one.
  const auto count = loops.size();
  for (std::size_t i = 0; i < count; ++i) {
    const auto share =
        settings_.max_connections / count + (i < settings_.max_connections % count ? 1 : 0);
    loops_.push_back(std::make_unique<Loop>(settings_, loops[i], std::max<std::size_t>(1, share)));
  }
  const std::scoped_lock lock(mutex_);
  blocking_max_ = std::max<std::size_t>(1, settings_.max_blocking_connections);
  return LoopShares{*this};
}

void ConnectionPool::leave_loops() noexcept {
  loops_.clear();  // closes their idle connections while the loops still exist
  const std::scoped_lock lock(mutex_);
  blocking_max_ = settings_.max_connections;
}

Result<std::unique_ptr<PooledConnection>> ConnectionPool::connect() const {
  const ConnectParameters parameters{settings_};
  auto connection = std::make_unique<PooledConnection>();
  connection->statement_timeout = settings_.statement_timeout;
  connection->handle.reset(
      PQconnectdbParams(parameters.keywords.data(), parameters.values.data(), 1));
  if (!connection->handle || PQstatus(connection->handle.get()) != CONNECTION_OK) {
    return connect_failure(connection->handle.get());
  }
  quiet_notices(connection->handle.get());
  return connection;
}

Pipeline* ConnectionPool::pipeline() noexcept {
  const auto* context = fiber::current();
  if (context == nullptr || context->loop() >= loops_.size() || !settings_.pipeline) {
    return nullptr;
  }
  return &loops_[context->loop()]->pipeline;
}

Result<Lease> ConnectionPool::acquire() {
  const auto* context = fiber::current();
  if (context != nullptr && context->loop() < loops_.size()) {
    return acquire_on(context->loop());
  }
  return acquire_blocking();
}

Result<Lease> ConnectionPool::acquire_blocking() {
  std::unique_lock lock(mutex_);
  const auto deadline = Clock::now() + settings_.acquire_timeout;
  while (idle_.empty() && open_ >= blocking_max_) {
    ++waiting_;
    const auto status = returned_.wait_until(lock, deadline);
    --waiting_;
    if (status == std::cv_status::timeout && idle_.empty() && open_ >= blocking_max_) {
      return Error::of(ErrorCode::unavailable, "no database connection free in time");
    }
  }
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease{*this, std::move(connection), -1};
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
  return Lease{*this, std::move(connection).value(), -1};
}

Result<Lease> ConnectionPool::acquire_on(std::size_t index) {
  auto& loop = *loops_[index];
  const auto* context = fiber::current();
  const auto deadline = Clock::now() + settings_.acquire_timeout;
  while (true) {
    if (!loop.idle.empty()) {
      auto connection = std::move(loop.idle.back());
      loop.idle.pop_back();
      --loop.idle_count;
      ++loop.in_use_count;
      return Lease{*this, std::move(connection), static_cast<int>(index)};
    }
    if (loop.open < loop.max) {
      ++loop.open;
      auto connection = [&] {
        try {
          return connect_on_fiber(settings_, *context);
        } catch (...) {
          --loop.open;  // the place stays free for the next try
          throw;
        }
      }();
      if (!connection) {
        --loop.open;
        if (!loop.waiters.empty()) {
          loop.waiters.front()->timer.cancel();  // its turn to try
        }
        return std::move(connection).error();
      }
      ++loop.in_use_count;
      return Lease{*this, std::move(connection).value(), static_cast<int>(index)};
    }
    if (Clock::now() >= deadline) {
      return Error::of(ErrorCode::unavailable, "no database connection free in time");
    }
    Loop::Waiter waiter{boost::asio::steady_timer{loop.executor, deadline}, nullptr};
    loop.waiters.push_back(&waiter);
    ++loop.waiting_count;
    boost::system::error_code ignored;
    {
      const fiber::Suspension suspension;
      waiter.timer.async_wait(context->yield()[ignored]);
    }
    --loop.waiting_count;
    if (const auto still = std::find(loop.waiters.begin(), loop.waiters.end(), &waiter);
        still != loop.waiters.end()) {
      loop.waiters.erase(still);
    }
    if (waiter.handed) {
      ++loop.in_use_count;
      return Lease{*this, std::move(waiter.handed), static_cast<int>(index)};
    }
    // Woken without a connection (one was dropped: a place to open one), or timed out: the
    // top of the loop tells which.
  }
}

void ConnectionPool::give_back(std::unique_ptr<PooledConnection> connection, int loop) {
  if (loop < 0) {
    give_back_blocking(std::move(connection));
  } else if (static_cast<std::size_t>(loop) >= loops_.size()) {
    connection.reset();  // the loops are gone (a drain cut short): nothing to return it to
  } else {
    give_back_on(*loops_[static_cast<std::size_t>(loop)], std::move(connection));
  }
}

namespace {

bool reusable(const PooledConnection& connection) {
  return PQstatus(connection.handle.get()) == CONNECTION_OK &&
         PQtransactionStatus(connection.handle.get()) == PQTRANS_IDLE;
}

}  // namespace

void ConnectionPool::give_back_blocking(std::unique_ptr<PooledConnection> connection) {
  const bool clean = reusable(*connection);
  if (!clean) {
    connection.reset();  // closes it, outside the lock
  }
  const std::scoped_lock lock(mutex_);
  if (clean) {
    idle_.push_back(std::move(connection));
  } else {
    --open_;
  }
  returned_.notify_one();
}

void ConnectionPool::give_back_on(Loop& loop, std::unique_ptr<PooledConnection> connection) {
  --loop.in_use_count;
  if (!reusable(*connection)) {
    connection.reset();
    --loop.open;
    if (!loop.waiters.empty()) {
      auto* next = loop.waiters.front();
      loop.waiters.pop_front();
      next->timer.cancel();  // woken without a connection: it opens one
    }
    return;
  }
  if (!loop.waiters.empty()) {
    auto* next = loop.waiters.front();
    loop.waiters.pop_front();
    next->handed = std::move(connection);
    next->timer.cancel();
    return;
  }
  loop.idle.push_back(std::move(connection));
  ++loop.idle_count;
}

PoolUsage ConnectionPool::usage() const {
  PoolUsage usage;
  {
    const std::scoped_lock lock(mutex_);
    usage = PoolUsage{open_ - idle_.size(), idle_.size(), waiting_};
  }
  for (const auto& loop : loops_) {
    usage.in_use += loop->in_use_count.load();
    usage.idle += loop->idle_count.load();
    usage.waiting += loop->waiting_count.load();
  }
  return usage;
}

}  // namespace marketing_events::postgres
