#include "marketing_events/postgres/postgres_repositories.hpp"
#include "marketing_events/postgres/statement.hpp"

namespace marketing_events::postgres {
namespace {

// Counts the attempt atomically (the row lock orders racing callers); a window that has closed
// starts again at this attempt. The count stops at a million, beyond any limit.
constexpr Statement count_attempt{
    "throttle_attempt",
    "INSERT INTO throttle_windows AS w (key, attempts, closes_at)"
    " VALUES ($1, 1, $2::timestamptz + make_interval(secs => $3::float8))"
    " ON CONFLICT (key) DO UPDATE SET"
    " attempts = CASE WHEN w.closes_at <= $2::timestamptz THEN 1"
    " ELSE least(w.attempts + 1, 1000000) END,"
    " closes_at = CASE WHEN w.closes_at <= $2::timestamptz"
    " THEN $2::timestamptz + make_interval(secs => $3::float8) ELSE w.closes_at END"
    " RETURNING attempts, closes_at"};

constexpr Statement forgive_attempt{
    "throttle_forgive",
    "UPDATE throttle_windows SET attempts = attempts - 1 WHERE key = $1 AND attempts > 0"};

constexpr Statement clear_key{"throttle_clear", "DELETE FROM throttle_windows WHERE key = $1"};

constexpr Statement remove_closed_windows{
    "throttle_remove_closed",
    "DELETE FROM throttle_windows WHERE key IN"
    " (SELECT key FROM throttle_windows WHERE closes_at <= $1::timestamptz LIMIT $2::int8)"};

Result<void> nothing(Result<Rows> rows) {
  if (!rows) {
    return std::move(rows).error();
  }
  return {};
}

}  // namespace

Result<Attempt> PostgresThrottleStore::attempt(std::string_view key, Instant now,
                                               std::chrono::seconds window, int limit) {
  auto rows = execute(pool_, count_attempt, {text(key), text(now), text(window.count())});
  if (!rows) {
    return std::move(rows).error();
  }
  Columns columns{rows->get(), 0};
  const auto attempts = columns.int64();
  return columns.finish(Attempt{attempts <= limit, columns.micros()});
}

Result<void> PostgresThrottleStore::forgive(std::string_view key) {
  return nothing(execute(pool_, forgive_attempt, {text(key)}));
}

Result<void> PostgresThrottleStore::clear(std::string_view key) {
  return nothing(execute(pool_, clear_key, {text(key)}));
}

Result<std::int64_t> PostgresThrottleStore::remove_closed(Instant now, std::int64_t at_most) {
  return affected_rows(execute(pool_, remove_closed_windows, {text(now), text(at_most)}));
}

}  // namespace marketing_events::postgres
