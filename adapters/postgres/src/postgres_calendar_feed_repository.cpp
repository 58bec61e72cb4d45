#include "marketing_events/postgres/postgres_repositories.hpp"
#include "marketing_events/postgres/statement.hpp"

namespace marketing_events::postgres {
namespace {

// Inserts only while the owner has fewer than $7 feeds (see the migration's function).
constexpr Statement insert_feed{
    "feed_insert",
    "INSERT INTO calendar_feeds (id, owner_id, name, status, secret_digest, created_at)"
    " SELECT $1::uuid, $2::uuid, $3, $4, $5, $6::timestamptz"
    " WHERE calendar_feeds_of_locked_owner($2::uuid) < $7::int8"};

constexpr Statement feeds_of_owner{
    "feed_list",
    "SELECT id, owner_id, name, status, created_at"
    " FROM calendar_feeds WHERE owner_id = $1::uuid ORDER BY created_at, id",
    true, true};

constexpr Statement delete_feed{
    "feed_delete", "DELETE FROM calendar_feeds WHERE owner_id = $1::uuid AND id = $2::uuid"};

constexpr Statement feed_by_digest{"feed_find",
                                   "SELECT id, owner_id, name, status, created_at"
                                   " FROM calendar_feeds WHERE secret_digest = $1",
                                   true, true};

Result<CalendarFeed> read_feed(const PGresult* rows, int row) {
  Columns columns{rows, row};
  CalendarFeed feed;
  feed.id = columns.uuid();
  feed.owner_id = columns.uuid();
  feed.name = columns.text();
  const auto status = parse_event_status(columns.text());
  feed.created_at = columns.micros();
  if (!status) {
    return Error::of(ErrorCode::internal, "a stored calendar feed has an unknown status");
  }
  feed.status = *status;
  return columns.finish(std::move(feed));
}

}  // namespace

Result<void> PostgresCalendarFeedRepository::add(const CalendarFeed& feed,
                                                 std::string_view secret_digest,
                                                 std::size_t at_most) {
  auto inserted = affected_rows(execute(
      pool_, insert_feed,
      {text(feed.id), text(feed.owner_id), text(feed.name), text(to_string(feed.status)),
       text(secret_digest), text(feed.created_at), text(static_cast<std::int64_t>(at_most))}));
  if (!inserted) {
    return std::move(inserted).error();
  }
  if (*inserted == 0) {
    return Error::of(ErrorCode::conflict, "the user already has as many calendar feeds as allowed");
  }
  return {};
}

Result<std::vector<CalendarFeed>> PostgresCalendarFeedRepository::list(const UserId& owner) {
  auto rows = execute(pool_, feeds_of_owner, {text(owner)});
  if (!rows) {
    return std::move(rows).error();
  }
  std::vector<CalendarFeed> feeds;
  const auto count = PQntuples(rows->get());
  feeds.reserve(static_cast<std::size_t>(count));
  for (int row = 0; row < count; ++row) {
    auto feed = read_feed(rows->get(), row);
    if (!feed) {
      return std::move(feed).error();
    }
    feeds.push_back(std::move(feed).value());
  }
  return feeds;
}

Result<bool> PostgresCalendarFeedRepository::remove(const UserId& owner, const CalendarFeedId& id) {
  auto removed = affected_rows(execute(pool_, delete_feed, {text(owner), text(id)}));
  if (!removed) {
    return std::move(removed).error();
  }
  return *removed > 0;
}

Result<std::optional<CalendarFeed>> PostgresCalendarFeedRepository::find_by_digest(
    std::string_view secret_digest) {
  auto rows = execute(pool_, feed_by_digest, {text(secret_digest)});
  if (!rows) {
    return std::move(rows).error();
  }
  if (PQntuples(rows->get()) == 0) {
    return std::optional<CalendarFeed>{};
  }
  auto feed = read_feed(rows->get(), 0);
  if (!feed) {
    return std::move(feed).error();
  }
  return std::optional<CalendarFeed>{std::move(feed).value()};
}

}  // namespace marketing_events::postgres
