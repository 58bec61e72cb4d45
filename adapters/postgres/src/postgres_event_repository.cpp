#include <array>
#include <string>

#include "marketing_events/postgres/postgres_repositories.hpp"
#include "marketing_events/postgres/statement.hpp"

namespace marketing_events::postgres {
namespace {

// Instants leave the database as microseconds since the epoch: exact, and cheap to read.
constexpr std::string_view event_columns =
    "id, owner_id, title, description,"
    " (extract(epoch FROM starts_at) * 1000000)::int8,"
    " (extract(epoch FROM ends_at) * 1000000)::int8, status,"
    " (extract(epoch FROM created_at) * 1000000)::int8,"
    " (extract(epoch FROM updated_at) * 1000000)::int8, version";
constexpr int event_column_count = 10;

std::string with_columns(std::string_view before, std::string_view after) {
  return std::string(before) + std::string(event_columns) + std::string(after);
}

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
constexpr Statement event_exists{
    "events_exists", "SELECT 1 FROM events WHERE id = $1::uuid AND owner_id = $2::uuid"};

// The filters of a listing: $1 owner, $2 statuses; then $3/$4 start bounds, $5 title pattern.
constexpr std::string_view status_filter =
    " FROM events WHERE owner_id = $1::uuid"
    " AND ($2::text[] IS NULL OR status = ANY ($2::text[]))";
const std::string& list_filters() {
  static const std::string filters =
      std::string(status_filter) +
      " AND ($3::timestamptz IS NULL OR starts_at >= $3::timestamptz)"
      " AND ($4::timestamptz IS NULL OR starts_at < $4::timestamptz)"
      " AND ($5 = '' OR title ILIKE '%' || $5 || '%')";
  return filters;
}

const std::string& count_sql() {
  static const std::string sql = "SELECT count(*)" + list_filters();
  return sql;
}

// A listing filtered by status alone ($1 owner, $2 statuses) takes its total from the
// trigger-kept counts: reading one row per status instead of every matching event.
constexpr Statement count_by_status{
    "events_count_by_status",
    "SELECT coalesce(sum(total), 0)::int8 FROM event_counts WHERE owner_id = $1::uuid"
    " AND ($2::text[] IS NULL OR status = ANY ($2::text[]))"};

struct ListStatement {
  std::string name;
  std::string sql;
};

std::string order_by(std::string_view key, std::string_view direction) {
  return " ORDER BY " + std::string(key) + std::string(direction) + ", id" + std::string(direction);
}

// One statement per sort order (ORDER BY cannot be a parameter), in two families: the general
// one counts the matches with a window function; the status-only one reads the total from
// event_counts in the same statement.
const ListStatement& list_statement(const EventSort& sort, bool status_only) {
  static const std::array<ListStatement, 12> statements = [] {
    std::array<ListStatement, 12> built;
    constexpr std::array<std::string_view, 3> keys{"starts_at", "created_at",
                                                   "title COLLATE \"C\""};
    constexpr std::array<std::string_view, 3> names{"starts_at", "created_at", "title"};
    for (std::size_t key = 0; key < keys.size(); ++key) {
      for (std::size_t descending = 0; descending < 2; ++descending) {
        const std::string_view direction = descending == 1 ? " DESC" : " ASC";
        const std::string suffix =
            std::string(names.at(key)) + (descending == 1 ? "_desc" : "_asc");
        auto& general = built.at(key * 2 + descending);
        general.name = "events_list_" + suffix;
        general.sql = with_columns("SELECT ", ", count(*) OVER ()") + list_filters() +
                      order_by(keys.at(key), direction) + " LIMIT $6::int8 OFFSET $7::int8";
        auto& by_status = built.at(6 + key * 2 + descending);
        by_status.name = "events_page_" + suffix;
        by_status.sql = with_columns("SELECT ", ", (" + std::string(count_by_status.sql) + ")") +
                        std::string(status_filter) + order_by(keys.at(key), direction) +
                        " LIMIT $3::int8 OFFSET $4::int8";
      }
    }
    return built;
  }();
  return statements.at((status_only ? 6 : 0) + static_cast<std::size_t>(sort.key) * 2 +
                       (sort.descending ? 1 : 0));
}

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

// A LIKE pattern that matches `text` literally (backslash is LIKE's default escape).
std::string literal_like(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    if (c == '\\' || c == '%' || c == '_') {
      escaped += '\\';
    }
    escaped += c;
  }
  return escaped;
}

std::vector<Parameter> filter_parameters(const UserId& owner, const EventQuery& query) {
  Parameter statuses;
  if (!query.statuses.empty()) {
    std::vector<std::string> names;
    for (const auto status : query.statuses) {
      names.emplace_back(to_string(status));
    }
    statuses = array_literal(names);
  }
  return {text(owner), statuses, query.starts_from ? text(*query.starts_from) : Parameter{},
          query.starts_to ? text(*query.starts_to) : Parameter{},
          literal_like(query.title_contains)};
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
  auto rows = execute(pool_, Statement{"events_find", find_sql()}, {text(id), text(owner)});
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
  const bool status_only = !query.starts_from && !query.starts_to && query.title_contains.empty();
  auto parameters = filter_parameters(owner, query);
  if (status_only) {
    parameters.resize(2);  // $1 owner, $2 statuses
  }
  const auto& statement = list_statement(query.sort, status_only);
  auto with_page = parameters;
  with_page.push_back(text(query.limit));
  with_page.push_back(text(query.offset()));
  auto rows = execute(pool_, Statement{statement.name, statement.sql}, with_page);
  if (!rows) {
    return std::move(rows).error();
  }
  EventSlice slice;
  const int count = PQntuples(rows->get());
  slice.items.reserve(static_cast<std::size_t>(count));
  for (int row = 0; row < count; ++row) {
    auto event = read_event(rows->get(), row);
    if (!event) {
      return std::move(event).error();
    }
    slice.items.push_back(std::move(event).value());
  }
  if (count > 0) {
    Columns total{rows->get(), 0, event_column_count};
    return total.finish(EventSlice{std::move(slice.items), total.int64()});
  }
  // A page past the end has no row to carry the total: count separately.
  auto counted = status_only ? execute(pool_, count_by_status, parameters)
                             : execute(pool_, Statement{"events_count", count_sql()}, parameters);
  if (!counted) {
    return std::move(counted).error();
  }
  Columns total{counted->get(), 0};
  slice.total_items = total.int64();
  return total.finish(std::move(slice));
}

}  // namespace marketing_events::postgres
