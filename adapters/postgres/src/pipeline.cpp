#include "pipeline.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <string>
#include <system_error>
#include <utility>

namespace marketing_events::postgres {
namespace {

using Clock = std::chrono::steady_clock;

// The statement's own timeout is the server's; this one also catches a server gone silent.
constexpr std::chrono::seconds reply_grace{1};

bool succeeded(const PGresult* rows) {
  const auto status = PQresultStatus(rows);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

Error lost(PGconn* handle) {
  return Error::of(ErrorCode::unavailable,
                   "database connection lost: " + libpq_message(PQerrorMessage(handle)));
}

}  // namespace

// One statement in flight: its replies so far, and the fiber waiting for them.
struct Pipeline::Unit {
  explicit Unit(const boost::asio::any_io_executor& executor, Clock::time_point deadline)
      : timer(executor, deadline) {}

  boost::asio::steady_timer timer;  // the fiber sleeps on it; cancelled when the reply is in
  Rows chosen{nullptr, &PQclear};   // the first failure, else the last result
  std::optional<Error> error;       // the connection failed under it
  std::string prepared_here;        // a statement prepared with it
  bool prepare_failed = false;      // that preparation failed or was skipped: forgotten
  bool done = false;
};

Pipeline::Pipeline(const PoolSettings& settings, boost::asio::any_io_executor executor)
    : settings_(&settings), executor_(std::move(executor)) {}

// Units still in flight belong to fibers that are never resumed (their loop has stopped):
// nothing of theirs is touched.
Pipeline::~Pipeline() = default;

bool Pipeline::connect(const fiber::Context& context) {
  // Until the connection is ready for statements, the loop's other fibers use leased
  // connections rather than start a second one.
  connecting_ = true;
  auto connected = connect_on_fiber(*settings_, context);
  // Every statement is planned once per connection, not on every execution: a listing's
  // custom plan costs more to make than to run, and PostgreSQL keeps making one when a LIMIT
  // parameter inflates the generic plan's estimate. Statements whose generic plan is not good
  // for every value never come here (Statement::generic_plan; listing_plans_test checks).
  const bool ready =
      connected && execute_script(*connected.value(), "SET plan_cache_mode = force_generic_plan") &&
      PQenterPipelineMode(connected.value()->handle.get()) != 0;
  connecting_ = false;
  if (!ready) {
    return false;  // the caller's own connection attempt reports why
  }
  connection_ = std::move(connected).value();
  ++generation_;
  corked_ = false;
  corkable_ = true;
  batch_open_ = false;
  return true;
}

bool Pipeline::takes_more(const fiber::Context* context) const {
  return context != nullptr && !connecting_ && in_flight_.size() < max_in_flight &&
         (in_flight_.empty() || Clock::now() - in_flight_.front().sent_at <= slow_head);
}

std::optional<Result<Rows>> Pipeline::try_execute(const Statement& statement,
                                                  const std::vector<const char*>& values) {
  const auto* context = fiber::current();
  if (!takes_more(context) || (!connection_ && !connect(*context))) {
    return std::nullopt;
  }
  // A read whose statement is prepared here shares its transaction with the loop turn's other
  // reads. One that prepares goes on its own: an earlier read's failure in a shared
  // transaction would make PostgreSQL skip the preparation, while later statements, sent
  // meanwhile, count on it.
  const bool shared =
      statement.read_only && connection_->prepared.contains(std::string(statement.name));
  auto outcome = execute_once(*context, statement, values, shared);
  if (outcome.has_value() && outcome.value() &&
      PQresultStatus(outcome.value().get()) == PGRES_PIPELINE_ABORTED) {
    // An earlier read of its transaction failed and PostgreSQL skipped this one: sent again on
    // its own, here if the pipeline takes it, else on a leased connection.
    if (!connection_ || !takes_more(context)) {
      return std::nullopt;
    }
    outcome = execute_once(*context, statement, values, false);
  }
  if (!outcome) {
    return Result<Rows>{std::move(outcome).error()};
  }
  auto rows = std::move(outcome).value();
  if (!rows || !succeeded(rows.get())) {
    const PGresult* failed = rows.get();
    const char* sqlstate =
        failed == nullptr ? nullptr : PQresultErrorField(failed, PG_DIAG_SQLSTATE);
    if (sqlstate == nullptr) {
      return Error::of(ErrorCode::unavailable, "database statement aborted");
    }
    return Error::of(error_code_for(sqlstate), std::string("SQLSTATE ") + sqlstate + ": " +
                                                   libpq_message(PQresultErrorMessage(failed)));
  }
  return Result<Rows>{std::move(rows)};
}

Result<Rows> Pipeline::execute_once(const fiber::Context& context, const Statement& statement,
                                    const std::vector<const char*>& values, bool batched) {
  PGconn* handle = connection_->handle.get();
  if (!batched) {
    // A statement of its own transaction: the socket is corked so that what this loop turn
    // sends leaves together, and the reads sent before it end their transaction first.
    cork();
    end_batch();
    if (!connection_) {
      return Error::of(ErrorCode::unavailable, "database connection lost");
    }
  }
  Unit unit{executor_, Clock::now() + settings_->statement_timeout + reply_grace};
  const std::string name(statement.name);
  int commands = 1;
  if (!connection_->prepared.contains(name)) {
    const std::string sql(statement.sql);
    if (PQsendPrepare(handle, name.c_str(), sql.c_str(), 0, nullptr) == 0) {
      auto error = lost(handle);
      fail_all(error);
      return error;
    }
    connection_->prepared.insert(name);
    unit.prepared_here = name;
    commands = 2;
  }
  if (PQsendQueryPrepared(handle, name.c_str(), static_cast<int>(values.size()), values.data(),
                          nullptr, nullptr, binary_results) == 0) {
    auto error = lost(handle);
    fail_all(error);
    return error;
  }
  // The unit outlives its entry: the entry is popped (or its pointer cleared, or every entry
  // dropped by fail_all) before this function returns.
  // cppcheck-suppress danglingLifetime
  in_flight_.push_back({&unit, commands, false, batched, Clock::now()});
  if (batched) {
    // Its Sync (and with it the send: libpq 15 flushes at every Sync) once the work queued on
    // this loop before it has run, so the reads of one loop turn share one.
    if (!batch_open_) {
      batch_open_ = true;
      boost::asio::post(executor_, [this, generation = generation_] {
        if (generation == generation_) {
          end_batch();
        }
      });
    }
  } else if (!sync()) {
    return Error::of(ErrorCode::unavailable, "database connection lost");
  }
  read();
  if (!unit.done) {
    boost::system::error_code ignored;
    const fiber::Suspension suspension;
    unit.timer.async_wait(context.yield()[ignored]);
  }
  if (!unit.done) {
    // No reply in time: the connection is stuck. Nobody may later write to this unit.
    forget(unit);
    fail_all(Error::of(ErrorCode::unavailable, "database reply timed out"));
    return Error::of(ErrorCode::unavailable, "database reply timed out");
  }
  if (unit.error) {
    return std::move(*unit.error);
  }
  return std::move(unit.chosen);
}

void Pipeline::end_batch() {
  if (!batch_open_) {
    return;
  }
  batch_open_ = false;
  (void)sync();
}

bool Pipeline::sync() {
  if (!connection_) {
    return false;
  }
  if (PQpipelineSync(connection_->handle.get()) == 0) {
    // Part of the transaction may be queued without its Sync: the connection cannot be trusted.
    fail_all(lost(connection_->handle.get()));
    return false;
  }
  in_flight_.push_back({nullptr, 0, true, false, Clock::now()});
  flush();
  return true;
}

void Pipeline::forget(Unit& unit) {
  for (auto& entry : in_flight_) {
    if (entry.unit == &unit) {
      entry.unit = nullptr;
    }
  }
  std::replace(awaiting_sync_.begin(), awaiting_sync_.end(), &unit, static_cast<Unit*>(nullptr));
}

void Pipeline::cork() {
  if (corked_ || !corkable_) {
    return;
  }
  const int socket = PQsocket(connection_->handle.get());
  int on = 1;
  if (setsockopt(socket, IPPROTO_TCP, TCP_CORK, &on, sizeof on) != 0) {
    corkable_ = false;  // not TCP (a Unix socket): this connection's statements leave at once
    return;
  }
  boost::asio::post(executor_, [this, generation = generation_] {
    if (generation != generation_) {
      return;  // that connection is gone, and its cork with it
    }
    corked_ = false;
    int off = 0;
    if (setsockopt(PQsocket(connection_->handle.get()), IPPROTO_TCP, TCP_CORK, &off, sizeof off) !=
        0) {
      fail_all(Error::of(ErrorCode::unavailable,
                         "database connection lost: its socket could not be uncorked: " +
                             std::generic_category().message(errno)));
    }
  });
  corked_ = true;
}

void Pipeline::flush() {
  if (!connection_ || writing_) {
    return;
  }
  const int flushed = PQflush(connection_->handle.get());
  if (flushed < 0) {
    fail_all(lost(connection_->handle.get()));
    return;
  }
  if (flushed == 1) {  // the socket is full: the rest when it drains
    writing_ = true;
    connection_->socket->async_wait(
        boost::asio::posix::stream_descriptor::wait_write,
        [this, generation = generation_](const boost::system::error_code& error) {
          if (generation != generation_) {
            return;
          }
          writing_ = false;
          if (error) {
            fail_all(lost(connection_->handle.get()));
            return;
          }
          flush();
        });
  }
}

void Pipeline::read() {
  if (!connection_ || reading_ || in_flight_.empty()) {
    return;
  }
  reading_ = true;
  connection_->socket->async_wait(
      boost::asio::posix::stream_descriptor::wait_read,
      [this, generation = generation_](const boost::system::error_code& error) {
        if (generation != generation_) {
          return;
        }
        reading_ = false;
        if (error) {
          fail_all(lost(connection_->handle.get()));
          return;
        }
        on_readable();
      });
}

void Pipeline::on_readable() {
  PGconn* handle = connection_->handle.get();
  if (PQconsumeInput(handle) == 0) {
    fail_all(lost(handle));
    return;
  }
  // The replies come in the order of in_flight_: each command's results, then a NULL; a
  // transaction's Sync as PGRES_PIPELINE_SYNC. A write's reply is complete at its own Sync,
  // once its transaction is over; a read sharing a turn's Sync is complete at its NULL.
  int ends_in_a_row = 0;  // a NULL with no result before it; many in a row: out of step
  while (!in_flight_.empty() && PQisBusy(handle) == 0) {
    Rows result{PQgetResult(handle), &PQclear};
    Entry& head = in_flight_.front();
    if (!result) {
      if (head.sync || !head_has_result_) {
        if (++ends_in_a_row > 2) {
          fail_all(Error::of(ErrorCode::unavailable, "database pipeline out of step"));
          return;
        }
        continue;
      }
      head_has_result_ = false;  // the end of the head's command
      if (--head.commands == 0) {
        if (head.batched) {
          complete(head.unit);  // a read's rows are final, whatever follows in its transaction
        } else {
          awaiting_sync_.push_back(head.unit);  // a write is done once it is committed
        }
        in_flight_.pop_front();
      }
      continue;
    }
    ends_in_a_row = 0;
    if (head.sync && PQresultStatus(result.get()) != PGRES_PIPELINE_SYNC) {
      // An error at the end of a transaction (its commit failed): the write it ends has
      // failed. A transaction of reads has no such write, and its reads are answered already.
      if (!awaiting_sync_.empty() && awaiting_sync_.back() != nullptr) {
        Unit* write = awaiting_sync_.back();
        if (!write->chosen || succeeded(write->chosen.get())) {
          write->chosen = std::move(result);
        }
      }
      continue;
    }
    if (PQresultStatus(result.get()) == PGRES_PIPELINE_SYNC) {
      if (!head.sync) {
        fail_all(Error::of(ErrorCode::unavailable, "database pipeline out of step"));
        return;
      }
      in_flight_.pop_front();
      for (auto* unit : std::exchange(awaiting_sync_, {})) {
        complete(unit);
      }
      continue;
    }
    head_has_result_ = true;
    Unit* unit = head.unit;
    if (unit != nullptr && head.commands == 2 && !succeeded(result.get())) {
      unit->prepare_failed = true;  // its first command, the preparation
    }
    if (unit != nullptr && (!unit->chosen || succeeded(unit->chosen.get()))) {
      unit->chosen = std::move(result);  // a later result replaces a success; a failure stays
    }
  }
  if (PQstatus(handle) != CONNECTION_OK) {
    fail_all(lost(handle));
    return;
  }
  flush();  // libpq may have more to send once it has read
  read();
}

void Pipeline::complete(Unit* unit) {
  if (unit == nullptr) {
    return;  // its fiber gave up waiting
  }
  if (unit->prepare_failed) {
    // Prepared again next time; forgotten now, before any fiber resumes and sends again. A
    // preparation that succeeded stays, even if the execution or the transaction failed:
    // prepared statements outlive transactions.
    connection_->prepared.erase(unit->prepared_here);
  }
  unit->done = true;
  unit->timer.cancel();
}

void Pipeline::fail_all(const Error& error) {
  auto entries = std::exchange(in_flight_, {});
  auto units = std::exchange(awaiting_sync_, {});
  for (const auto& entry : entries) {
    units.push_back(entry.unit);
  }
  connection_.reset();  // its socket's pending waits end; their callbacks see the generation
  ++generation_;
  reading_ = false;
  writing_ = false;
  corked_ = false;
  batch_open_ = false;
  head_has_result_ = false;
  for (auto* unit : units) {
    if (unit != nullptr && !unit->done) {
      unit->error = error;
      unit->done = true;
      unit->timer.cancel();
    }
  }
}

}  // namespace marketing_events::postgres
