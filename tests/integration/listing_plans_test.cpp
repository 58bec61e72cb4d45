// White-box: the listing statements' plans at 10⁵ events for one owner, as the service runs them:
// custom plans (planned for the values, as a leased connection's first executions are) and, for
// the statements that may run on a pipelined connection, the generic plan (planned once, for any
// values: plan_cache_mode=force_generic_plan there). A listing must be a range scan of
// an index in the listing's order: a Sort node or a sequential scan means its cost grows with
// the owner's history instead of the page size; and without a title filter or start bounds
// (which no index can serve together with every sort), it must not filter away more than a few
// pages' worth of rows, even for a rare status.

#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "event_listing_sql.hpp"
#include "marketing_events/testing/test_database.hpp"

using namespace marketing_events;

namespace {

constexpr std::string_view owner_text = "0193a1c2-7d4e-7abc-8def-0123456789ab";

void load_events(postgres::PooledConnection& connection) {
  const auto run = [&connection](const std::string& sql) {
    INFO(sql);
    REQUIRE(postgres::execute_script(connection, sql).has_value());
  };
  run("INSERT INTO users VALUES ('" + std::string(owner_text) +
      "', 'plans@example.com', 'x', now())");
  run("INSERT INTO users SELECT gen_random_uuid(), 'other' || i || '@example.com', 'x', now()"
      " FROM generate_series(1, 100) AS i");
  const std::string columns =
      " gen_random_uuid(), (ARRAY['Spring', 'Summer', 'Launch', 'Brand', 'Retail'])[1 + i % 5]"
      " || ' campaign ' || i, '', timestamptz '2025-01-01' + i * interval '7 minutes',"
      " timestamptz '2025-01-01' + i * interval '7 minutes' + interval '1 hour',"
      " CASE WHEN i % 100 = 0 THEN 'archived' WHEN (i / 7) % 5 = 0 THEN 'draft' ELSE 'published' "
      "END,"
      " timestamptz '2025-01-01' + (i * 7919 % 100000) * interval '1 minute', now(), 1";
  // Per-row count triggers are not what is measured here: off for the load. One script is one
  // transaction, so a failed load cannot leave them off for the tests after this one.
  run("ALTER TABLE events DISABLE TRIGGER USER;"
      " INSERT INTO events SELECT" +
      columns.substr(0, columns.find(',')) + ", '" + std::string(owner_text) + "'," +
      columns.substr(columns.find(',') + 1) +
      " FROM generate_series(1, 100000) AS i;"
      " INSERT INTO events SELECT gen_random_uuid(), u.id, 'Other ' || i, '', now(), now(),"
      " 'published', now(), now(), 1 FROM users AS u, generate_series(1, 100) AS i"
      " WHERE u.email LIKE 'other%';"
      " ALTER TABLE events ENABLE TRIGGER USER");
  run("VACUUM ANALYZE events");
}

std::string lines_of(const postgres::Rows& rows) {
  std::string plan;
  for (int row = 0; row < PQntuples(rows.get()); ++row) {
    plan += PQgetvalue(rows.get(), row, 0);
    plan += '\n';
  }
  return plan;
}

// The plan the first executions get: parameters known while planning.
std::string custom_plan(postgres::PooledConnection& connection,
                        const postgres::ListingStatement& listing) {
  std::vector<const char*> values;
  for (const auto& parameter : listing.parameters) {
    values.push_back(parameter ? parameter->c_str() : nullptr);
  }
  const std::string explain = "EXPLAIN (ANALYZE, TIMING OFF) " + std::string(listing.statement.sql);
  const postgres::Rows rows{
      PQexecParams(connection.handle.get(), explain.c_str(), static_cast<int>(values.size()),
                   nullptr, values.data(), nullptr, nullptr, 0),
      &PQclear};
  INFO(PQerrorMessage(connection.handle.get()));
  REQUIRE(PQresultStatus(rows.get()) == PGRES_TUPLES_OK);
  return lines_of(rows);
}

// The plan the service runs: planned once per connection, for any parameters.
std::string generic_plan(postgres::PooledConnection& connection,
                         const postgres::ListingStatement& listing) {
  PGconn* handle = connection.handle.get();
  REQUIRE(postgres::execute_script(connection, "SET plan_cache_mode = force_generic_plan"));
  const postgres::Rows prepared{
      PQprepare(handle, "plan_check", std::string(listing.statement.sql).c_str(), 0, nullptr),
      &PQclear};
  INFO(PQerrorMessage(handle));
  REQUIRE(PQresultStatus(prepared.get()) == PGRES_COMMAND_OK);
  std::string execute = "EXPLAIN (ANALYZE, TIMING OFF) EXECUTE plan_check(";
  for (std::size_t at = 0; at < listing.parameters.size(); ++at) {
    execute += at == 0 ? "" : ", ";
    if (const auto& parameter = listing.parameters.at(at)) {
      const std::unique_ptr<char, decltype(&PQfreemem)> literal{
          PQescapeLiteral(handle, parameter->c_str(), parameter->size()), &PQfreemem};
      REQUIRE(literal != nullptr);
      execute += literal.get();
    } else {
      execute += "NULL";
    }
  }
  execute += ")";
  const postgres::Rows rows{PQexec(handle, execute.c_str()), &PQclear};
  REQUIRE(PQresultStatus(rows.get()) == PGRES_TUPLES_OK);
  REQUIRE(postgres::execute_script(connection, "DEALLOCATE plan_check").has_value());
  REQUIRE(postgres::execute_script(connection, "RESET plan_cache_mode"));
  return lines_of(rows);
}

long rows_removed_by_filter(const std::string& plan) {
  constexpr std::string_view label = "Rows Removed by Filter: ";
  long removed = 0;
  for (auto at = plan.find(label); at != std::string::npos; at = plan.find(label, at + 1)) {
    removed += std::stol(plan.substr(at + label.size()));
  }
  return removed;
}

}  // namespace

TEST_CASE("every listing shape is an ordered index range scan at 10^5 events, never a sort") {
  auto settings = testing::clean_database();
  // Loading 10^5 events takes seconds, longer on a machine busy with sanitised tests.
  settings.statement_timeout = std::chrono::minutes{2};
  postgres::ConnectionPool pool{settings};
  auto lease = pool.acquire();
  REQUIRE(lease.has_value());
  auto& connection = lease->connection();
  load_events(connection);
  const auto owner = Uuid::parse(owner_text).value();

  struct Filter {
    std::string name;
    std::vector<EventStatus> statuses;
    bool range = false;
    std::string q;
  };
  const std::vector<Filter> filters{
      {"no filter", {}, false, ""},
      {"one rare status", {EventStatus::archived}, false, ""},
      {"two statuses", {EventStatus::draft, EventStatus::archived}, false, ""},
      {"a start range", {}, true, ""},
      {"a title filter", {}, false, "launch"},
      {"a title filter, a range and a status", {EventStatus::published}, true, "launch"},
  };
  const EventPosition middle{parse_instant("2025-06-01T00:00:00Z").value(), "Launch campaign 5",
                             Uuid::parse("0193a1c2-7d4e-7abc-8def-000000000000").value()};
  for (int sort = 0; sort < 6; ++sort) {
    for (const auto& filter : filters) {
      for (const auto paging : {Paging::numbered, Paging::keyset}) {
        for (const bool after : {false, true}) {
          if (paging == Paging::numbered && after) {
            continue;
          }
          EventQuery query;
          query.sort = {static_cast<EventSortKey>(sort / 2), sort % 2 == 1};
          query.statuses = filter.statuses;
          if (filter.range) {
            query.starts_from = parse_instant("2025-03-01T00:00:00Z");
            query.starts_to = parse_instant("2025-09-01T00:00:00Z");
          }
          query.title_contains = filter.q;
          query.paging = paging;
          if (after) {
            query.after = middle;
          }
          const auto listing = postgres::listing_statement(owner, query);
          std::vector<std::string> plans{custom_plan(connection, listing)};
          if (listing.statement.generic_plan) {
            plans.push_back(generic_plan(connection, listing));
          }
          for (const auto& plan : plans) {
            INFO(listing.statement.name << " with " << filter.name << ":\n" << plan);
            CHECK(plan.find("Sort") == std::string::npos);
            CHECK(plan.find("Seq Scan on events") == std::string::npos);  // event_counts may
            CHECK(plan.find("Index") != std::string::npos);
            if (!filter.range && filter.q.empty()) {
              CHECK(rows_removed_by_filter(plan) <= 20 * (query.limit + 1));
            }
          }
        }
      }
    }
  }
}
