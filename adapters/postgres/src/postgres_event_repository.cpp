#include <algorithm>
#include <string>

#include "event_columns.hpp"
#include "event_listing_sql.hpp"
#include "marketing_events/postgres/postgres_repositories.hpp"
#include "marketing_events/postgres/statement.hpp"

namespace marketing_events::postgres {
namespace {

const std::string& find_sql() {
  static const std::string sql =
      with_columns("SELECT ", " FROM events WHERE id = $1::uuid AND owner_id = $2::uuid");
  return sql;
}

const std::string& update_sql() {
  static const std::string sql = with_columns(
      "UPDATE events SET title = $3, description = $4, starts_at = $5::timestamptz,"
      " ends_at = $6::timestamptz, status = $7, updated_at = $8::timestamptz,"
      " version = version + 1"
      " WHERE id = $1::uuid AND owner_id = $2::uuid"
      " AND ($9::int8[] IS NULL OR version = ANY ($9::int8[])) RETURNING ",
      "");
  return sql;
}

// The row a read-modify-write holds locked until its transaction ends.
const std::string& find_for_update_sql() {
  static const std::string sql = find_sql() + " FOR UPDATE";
  return sql;
}

constexpr Statement insert_event{
    "events_insert",
    "INSERT INTO events (id, owner_id, title, description, starts_at, ends_at, status,"
    " created_at, updated_at, version) VALUES ($1::uuid, $2::uuid, $3, $4, $5::timestamptz,"
    " $6::timestamptz, $7, $8::timestamptz, $9::timestamptz, $10::int8)"};
constexpr Statement delete_event{"events_delete",
                                 "DELETE FROM events WHERE id = $1::uuid AND owner_id = $2::uuid"
                                 " AND ($3::int8[] IS NULL OR version = ANY ($3::int8[]))"};
constexpr Statement event_exists{"events_exists",
                                 "SELECT 1 FROM events WHERE id = $1::uuid AND owner_id = $2::uuid",
                                 true, true};

Result<Event> read_event(const PGresult* rows, int row) {
  Columns columns{rows, row};
  // Braced initialisers are evaluated left to right: the columns are read in order.
  Event event{columns.uuid(),
              columns.uuid(),
              EventDetails{columns.text(), columns.text(), columns.micros(), columns.micros()},
              {},
              {},
              1};
  const auto status_text = columns.text();
  event.created_at = columns.micros();
  event.updated_at = columns.micros();
  event.version = columns.int64();
  const auto status = parse_event_status(status_text);
  if (!status) {
    return Error::of(ErrorCode::internal,
                     "unexpected event status in the database: " + status_text);
  }
  event.details.status = *status;
  return columns.finish(std::move(event));
}

Parameter condition_parameter(const VersionCondition& condition) {
  if (!condition.versions()) {
    return Parameter{};
  }
  std::vector<std::string> versions;
  for (const auto version : *condition.versions()) {
    versions.push_back(std::to_string(version));
  }
  return array_literal(versions);
}

// After a conditional write touched nothing: was the event missing, or the version stale?
Error missing_or_stale(ConnectionPool& pool, const EventId& id, const UserId& owner,
                       const VersionCondition& condition) {
  if (condition.is_unconditional()) {
    return Error::of(ErrorCode::not_found, "no such event for this owner");
  }
  auto rows = execute(pool, event_exists, {text(id), text(owner)});
  if (!rows) {
    return std::move(rows).error();
  }
  return PQntuples(rows->get()) == 0
             ? Error::of(ErrorCode::not_found, "no such event for this owner")
             : Error::of(ErrorCode::version_mismatch, "stale version");
}

std::vector<Parameter> change_parameters(const EventChange& change, Parameter condition) {
  const auto& details = change.details;
  return {text(change.id),
          text(change.owner_id),
          text(details.title),
          text(details.description),
          text(details.starts_at),
          text(details.ends_at),
          text(to_string(details.status)),
          text(change.updated_at),
          std::move(condition)};
}

}  // namespace

Result<void> PostgresEventRepository::add(const Event& event) {
  const auto& details = event.details;
  auto rows =
      execute(pool_, insert_event,
              {text(event.id), text(event.owner_id), text(details.title), text(details.description),
               text(details.starts_at), text(details.ends_at), text(to_string(details.status)),
               text(event.created_at), text(event.updated_at), text(event.version)});
  if (!rows) {
    return std::move(rows).error();
  }
  return {};
}

Result<std::optional<Event>> PostgresEventRepository::find(const UserId& owner, const EventId& id) {
  auto rows =
      execute(pool_, Statement{"events_find", find_sql(), true, true}, {text(id), text(owner)});
  if (!rows) {
    return std::move(rows).error();
  }
  if (PQntuples(rows->get()) == 0) {
    return std::optional<Event>{};
  }
  auto event = read_event(rows->get(), 0);
  if (!event) {
    return std::move(event).error();
  }
  return std::optional<Event>{std::move(event).value()};
}

Result<Event> PostgresEventRepository::update(const EventChange& change,
                                              const VersionCondition& condition) {
  auto rows = execute(pool_, Statement{"events_update", update_sql()},
                      change_parameters(change, condition_parameter(condition)));
  if (!rows) {
    return std::move(rows).error();
  }
  if (PQntuples(rows->get()) == 0) {
    return missing_or_stale(pool_, change.id, change.owner_id, condition);
  }
  return read_event(rows->get(), 0);
}

Result<Event> PostgresEventRepository::modify(const UserId& owner, const EventId& id,
                                              const VersionCondition& condition, Instant updated_at,
                                              const EventModification& modification) {
  auto lease = pool_.acquire();
  if (!lease) {
    return std::move(lease).error();
  }
  auto transaction = Transaction::begin(lease->connection());
  if (!transaction) {
    return std::move(transaction).error();
  }
  auto& connection = transaction->connection();
  auto locked = execute(connection, Statement{"events_find_for_update", find_for_update_sql()},
                        {text(id), text(owner)});
  if (!locked) {
    return std::move(locked).error();
  }
  if (PQntuples(locked->get()) == 0) {
    return Error::of(ErrorCode::not_found, "no such event for this owner");
  }
  auto current = read_event(locked->get(), 0);
  if (!current) {
    return current;
  }
  if (!condition.allows(current->version)) {
    return Error::of(ErrorCode::version_mismatch, "stale version");
  }
  auto details = modification(*current);
  if (!details) {
    return std::move(details).error();
  }
  auto rows = execute(connection, Statement{"events_update", update_sql()},
                      change_parameters({id, owner, std::move(details).value(), updated_at}, {}));
  if (!rows) {
    return std::move(rows).error();
  }
  auto stored = read_event(rows->get(), 0);
  if (!stored) {
    return stored;
  }
  if (auto committed = transaction->commit(); !committed) {
    return std::move(committed).error();
  }
  return stored;
}

Result<void> PostgresEventRepository::remove(const UserId& owner, const EventId& id,
                                             const VersionCondition& condition) {
  auto rows = execute(pool_, delete_event, {text(id), text(owner), condition_parameter(condition)});
  if (!rows) {
    return std::move(rows).error();
  }
  if (std::string_view{PQcmdTuples(rows->get())} == "0") {
    return missing_or_stale(pool_, id, owner, condition);
  }
  return {};
}

Result<EventSlice> PostgresEventRepository::list(const UserId& owner, const EventQuery& query) {
  const auto listing = listing_statement(owner, query);
  auto rows = execute(pool_, listing.statement, listing.parameters);
  if (!rows) {
    return std::move(rows).error();
  }
  EventSlice slice;
  const auto count = static_cast<std::int64_t>(PQntuples(rows->get()));
  const auto kept = std::min(count, query.limit);  // a keyset walk reads one more than the page
  slice.items.reserve(static_cast<std::size_t>(kept));
  for (int row = 0; row < kept; ++row) {
    auto event = read_event(rows->get(), row);
    if (!event) {
      return std::move(event).error();
    }
    slice.items.push_back(std::move(event).value());
  }
  if (!listing.counts) {
    slice.more = count > query.limit;
    return slice;
  }
  if (count > 0) {
    Columns total{rows->get(), 0, event_column_count};
    slice.total_items = total.int64();
    slice.more = query.offset() + count < slice.total_items;
    return total.finish(std::move(slice));
  }
  // A page past the end has no row to carry the total: count separately.
  const auto counting = count_statement(owner, query);
  auto counted = execute(pool_, counting.statement, counting.parameters);
  if (!counted) {
    return std::move(counted).error();
  }
  Columns total{counted->get(), 0};
  slice.total_items = total.int64();
  return total.finish(std::move(slice));
}

}  // namespace marketing_events::postgres
