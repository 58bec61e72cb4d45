#include "marketing_events/postgres/postgres_repositories.hpp"
#include "marketing_events/postgres/statement.hpp"

namespace marketing_events::postgres {
namespace {

constexpr Statement open_window{
    "throttle_window",
    "SELECT failures, (extract(epoch FROM opened_at) * 1000000)::int8 FROM login_failures"
    " WHERE key = $1 AND opened_at + make_interval(secs => $3::float8) > $2::timestamptz"};

// Counts a failure atomically; a window that has closed starts again at this failure.
constexpr Statement count_failure{
    "throttle_record",
    "INSERT INTO login_failures AS f (key, failures, opened_at)"
    " VALUES ($1, 1, $2::timestamptz)"
    " ON CONFLICT (key) DO UPDATE SET"
    " failures = CASE WHEN f.opened_at + make_interval(secs => $3::float8) <= $2::timestamptz"
    " THEN 1 ELSE f.failures + 1 END,"
    " opened_at = CASE WHEN f.opened_at + make_interval(secs => $3::float8) <= $2::timestamptz"
    " THEN $2::timestamptz ELSE f.opened_at END"
    " RETURNING failures, (extract(epoch FROM opened_at) * 1000000)::int8"};

constexpr Statement clear_key{"throttle_clear", "DELETE FROM login_failures WHERE key = $1"};

Result<FailureWindow> window_of(Result<Rows> rows, Instant now) {
  if (!rows) {
    return std::move(rows).error();
  }
  if (PQntuples(rows->get()) == 0) {
    return FailureWindow{0, now};
  }
  Columns columns{rows->get(), 0};
  return columns.finish(FailureWindow{static_cast<int>(columns.int64()), columns.micros()});
}

}  // namespace

Result<FailureWindow> PostgresLoginThrottleStore::failures(std::string_view key, Instant now,
                                                           std::chrono::seconds window) {
  return window_of(execute(pool_, open_window, {text(key), text(now), text(window.count())}), now);
}

Result<FailureWindow> PostgresLoginThrottleStore::record_failure(std::string_view key, Instant now,
                                                                 std::chrono::seconds window) {
  return window_of(execute(pool_, count_failure, {text(key), text(now), text(window.count())}),
                   now);
}

Result<void> PostgresLoginThrottleStore::clear(std::string_view key) {
  auto rows = execute(pool_, clear_key, {text(key)});
  if (!rows) {
    return std::move(rows).error();
  }
  return {};
}

}  // namespace marketing_events::postgres
