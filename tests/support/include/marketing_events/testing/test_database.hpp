#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "marketing_events/postgres/connection_pool.hpp"
#include "marketing_events/postgres/migrations.hpp"
#include "marketing_events/postgres/statement.hpp"

namespace marketing_events::testing {

// The private cluster's conninfo. The CTest fixture that started the cluster passes its
// socket directory as TEST_DATABASE_HOST.
inline std::string test_database_url(const std::string& database = "marketing_events") {
  const char* host = std::getenv("TEST_DATABASE_HOST");  // NOLINT(concurrency-mt-unsafe)
  REQUIRE(host != nullptr);
  return "host=" + std::string(host) + " user=postgres dbname=" + database;
}

// A new, empty database on the private cluster.
inline std::string create_database(const std::string& name) {
  postgres::ConnectionPool admin{postgres::PoolSettings{test_database_url("postgres")}};
  auto lease = admin.acquire();
  REQUIRE(lease.has_value());
  REQUIRE(postgres::execute_script(lease->connection(), "DROP DATABASE IF EXISTS " + name));
  REQUIRE(postgres::execute_script(lease->connection(), "CREATE DATABASE " + name));
  return test_database_url(name);
}

// The shared test database, migrated and emptied: each caller starts from nothing. Tests that
// use it hold the CTest resource lock "postgres", so they never run at the same time.
inline postgres::PoolSettings clean_database() {
  postgres::PoolSettings settings{test_database_url()};
  postgres::ConnectionPool pool{settings};
  REQUIRE(postgres::migrate(pool).has_value());
  auto lease = pool.acquire();
  REQUIRE(lease.has_value());
  REQUIRE(postgres::execute_script(
      lease->connection(),
      "TRUNCATE users, events, refresh_tokens, "
      "revoked_refresh_families, login_failures, throttle_windows CASCADE"));
  return settings;
}

}  // namespace marketing_events::testing
