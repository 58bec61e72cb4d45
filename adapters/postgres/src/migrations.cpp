#include "marketing_events/postgres/migrations.hpp"

#include <set>
#include <string>

#include "marketing_events/postgres/statement.hpp"

namespace marketing_events::postgres {
namespace {

// Chosen at random; identifies this service's migration lock among advisory locks.
constexpr std::string_view migration_lock_key = "7253914402281660417";

constexpr Statement applied_versions{"migrations_applied",
                                     "SELECT version FROM schema_migrations ORDER BY version"};
constexpr Statement record_version{
    "migrations_record",
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1::int, $2, now())"};

Result<std::set<int>> read_applied(PooledConnection& connection) {
  auto rows = execute(connection, applied_versions, {});
  if (!rows) {
    return std::move(rows).error();
  }
  std::set<int> versions;
  for (int row = 0; row < PQntuples(rows->get()); ++row) {
    Columns columns{rows->get(), row};
    const auto version = columns.int64();
    if (auto read = columns.finish(version); !read) {
      return std::move(read).error();
    }
    versions.insert(static_cast<int>(version));
  }
  return versions;
}

// One migration and its record, in one transaction: both happen or neither.
Result<void> apply(PooledConnection& connection, const Migration& migration) {
  auto transaction = Transaction::begin(connection);
  if (!transaction) {
    return std::move(transaction).error();
  }
  if (auto done = execute_script(connection, migration.sql); !done) {
    return done;
  }
  auto recorded = execute(connection, record_version,
                          {std::to_string(migration.version), text(migration.name)});
  if (!recorded) {
    return std::move(recorded).error();
  }
  return transaction->commit();
}

Result<int> apply_missing(PooledConnection& connection) {
  auto applied = read_applied(connection);
  if (!applied) {
    return std::move(applied).error();
  }
  int count = 0;
  for (const auto& migration : migrations()) {
    if (applied->contains(migration.version)) {
      continue;
    }
    if (auto done = apply(connection, migration); !done) {
      auto error = std::move(done).error();
      error.detail = "migration " + std::to_string(migration.version) + " (" +
                     std::string(migration.name) + ") failed: " + error.detail;
      return error;
    }
    ++count;
  }
  return count;
}

}  // namespace

Result<int> migrate(ConnectionPool& pool) {
  auto lease = pool.acquire();
  if (!lease) {
    return std::move(lease).error();
  }
  auto& connection = lease->connection();
  const std::string lock = "SELECT pg_advisory_lock(" + std::string(migration_lock_key) + ")";
  const std::string unlock = "SELECT pg_advisory_unlock(" + std::string(migration_lock_key) + ")";
  // Waiting for another migrator, and a long migration, must not hit the statement timeout.
  if (auto unlimited = execute_script(connection, "SET statement_timeout = 0"); !unlimited) {
    return std::move(unlimited).error();
  }
  if (auto locked = execute_script(connection, lock); !locked) {
    return std::move(locked).error();
  }
  auto applied = execute_script(connection,
                                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                " version integer PRIMARY KEY, name text NOT NULL,"
                                " applied_at timestamptz NOT NULL)");
  Result<int> result =
      applied ? apply_missing(connection) : Result<int>{std::move(applied).error()};
  (void)execute_script(connection, unlock);
  (void)execute_script(connection, "RESET statement_timeout");
  return result;
}

Result<bool> schema_is_current(ConnectionPool& pool) {
  auto lease = pool.acquire();
  if (!lease) {
    return std::move(lease).error();
  }
  constexpr Statement has_table{"migrations_table_exists",
                                "SELECT to_regclass('schema_migrations') IS NOT NULL"};
  auto exists = execute(lease->connection(), has_table, {});
  if (!exists) {
    return std::move(exists).error();
  }
  if (!Columns{exists->get(), 0}.boolean()) {
    return false;
  }
  auto applied = read_applied(lease->connection());
  if (!applied) {
    return std::move(applied).error();
  }
  for (const auto& migration : migrations()) {
    if (!applied->contains(migration.version)) {
      return false;
    }
  }
  return true;
}

}  // namespace marketing_events::postgres
