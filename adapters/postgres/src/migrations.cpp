#include "marketing_events/postgres/migrations.hpp"

#include <array>
#include <set>
#include <string>

#include "marketing_events/postgres/statement.hpp"

namespace marketing_events::postgres {
namespace {

// Chosen at random; identifies this service's migration lock among advisory locks.
constexpr std::string_view migration_lock_key = "7253914402281660417";

constexpr std::string_view initial_schema = R"sql(
CREATE TABLE users (
  id            uuid PRIMARY KEY,
  email         text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL
);

CREATE TABLE events (
  id          uuid PRIMARY KEY,
  owner_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title       text NOT NULL,
  description text NOT NULL,
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL,
  status      text NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  version     bigint NOT NULL CHECK (version >= 1),
  CHECK (ends_at >= starts_at)
);

-- One index per sort key, led by the owner (every query is one owner's) and ending in id
-- (the tie-breaker), so a page is an index range scan; status filters use the status ones.
CREATE INDEX events_owner_starts ON events (owner_id, starts_at, id);
CREATE INDEX events_owner_created ON events (owner_id, created_at, id);
CREATE INDEX events_owner_title ON events (owner_id, (title COLLATE "C"), id);
CREATE INDEX events_owner_status_starts ON events (owner_id, status, starts_at, id);

CREATE TABLE refresh_tokens (
  digest     text PRIMARY KEY,
  family_id  uuid NOT NULL,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  issued_at  timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE revoked_refresh_families (
  family_id  uuid PRIMARY KEY,
  revoked_at timestamptz NOT NULL
);

CREATE TABLE login_failures (
  key       text PRIMARY KEY,
  failures  integer NOT NULL,
  opened_at timestamptz NOT NULL
);
)sql";

// How many events each owner has in each status, kept by triggers in the same transaction as
// the change, so a listing filtered by status alone counts its total without scanning the
// owner's whole history (bench/RESULTS.md: the window count grew with every event).
constexpr std::string_view event_counts = R"sql(
CREATE TABLE event_counts (
  owner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  status   text NOT NULL,
  total    bigint NOT NULL CHECK (total >= 0),
  PRIMARY KEY (owner_id, status)
);

INSERT INTO event_counts (owner_id, status, total)
  SELECT owner_id, status, count(*) FROM events GROUP BY owner_id, status;

-- A decrement never inserts: the CHECK applies to a proposed row before ON CONFLICT does.
CREATE FUNCTION event_counts_add(owner uuid, event_status text, delta bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF delta > 0 THEN
    INSERT INTO event_counts (owner_id, status, total) VALUES (owner, event_status, delta)
    ON CONFLICT (owner_id, status) DO UPDATE SET total = event_counts.total + delta;
  ELSE
    UPDATE event_counts SET total = total + delta
    WHERE owner_id = owner AND status = event_status;
  END IF;
END
$$;

CREATE FUNCTION event_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM event_counts_add(NEW.owner_id, NEW.status, 1);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM event_counts_add(OLD.owner_id, OLD.status, -1);
  -- A status change touches two counters: always in the same order (by key), so two
  -- opposite changes of one owner's events cannot deadlock.
  ELSIF (OLD.owner_id, OLD.status) < (NEW.owner_id, NEW.status) THEN
    PERFORM event_counts_add(OLD.owner_id, OLD.status, -1);
    PERFORM event_counts_add(NEW.owner_id, NEW.status, 1);
  ELSE
    PERFORM event_counts_add(NEW.owner_id, NEW.status, 1);
    PERFORM event_counts_add(OLD.owner_id, OLD.status, -1);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER events_counted_on_insert_or_delete AFTER INSERT OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION event_counts_track();
CREATE TRIGGER events_counted_on_status_change AFTER UPDATE OF owner_id, status ON events
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.owner_id IS DISTINCT FROM NEW.owner_id)
  EXECUTE FUNCTION event_counts_track();
)sql";

constexpr std::array<Migration, 2> all_migrations{{
    {1, "initial schema", initial_schema},
    {2, "per-owner event counts by status", event_counts},
}};

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
    versions.insert(static_cast<int>(column_int64(rows->get(), row, 0)));
  }
  return versions;
}

Result<int> apply_missing(PooledConnection& connection) {
  auto applied = read_applied(connection);
  if (!applied) {
    return std::move(applied).error();
  }
  int count = 0;
  for (const auto& migration : all_migrations) {
    if (applied->contains(migration.version)) {
      continue;
    }
    auto done = execute_script(connection, "BEGIN");
    if (done) {
      done = execute_script(connection, migration.sql);
    }
    if (done) {
      auto recorded = execute(connection, record_version,
                              {std::to_string(migration.version), text(migration.name)});
      if (!recorded) {
        done = std::move(recorded).error();
      }
    }
    if (done) {
      done = execute_script(connection, "COMMIT");
    }
    if (!done) {
      (void)execute_script(connection, "ROLLBACK");
      auto error = std::move(done).error();
      error.detail = "migration " + std::to_string(migration.version) + " failed: " + error.detail;
      return error;
    }
    ++count;
  }
  return count;
}

}  // namespace

std::span<const Migration> migrations() noexcept {
  return all_migrations;
}

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
  if (column_text(exists->get(), 0, 0) != "t") {
    return false;
  }
  auto applied = read_applied(lease->connection());
  if (!applied) {
    return std::move(applied).error();
  }
  for (const auto& migration : all_migrations) {
    if (!applied->contains(migration.version)) {
      return false;
    }
  }
  return true;
}

}  // namespace marketing_events::postgres
