#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "marketing_events/fiber/fiber.hpp"
#include "marketing_events/postgres/migrations.hpp"
#include "marketing_events/postgres/postgres_repositories.hpp"
#include "marketing_events/postgres/statement.hpp"
#include "marketing_events/testing/auth_scenarios.hpp"
#include "marketing_events/testing/concurrently.hpp"
#include "marketing_events/testing/field_names.hpp"
#include "marketing_events/testing/in_memory_services.hpp"
#include "marketing_events/testing/keyset_walk_property.hpp"
#include "marketing_events/testing/postgres_services.hpp"
#include "marketing_events/testing/store_contracts.hpp"
#include "marketing_events/testing/test_database.hpp"

using namespace marketing_events;
using namespace marketing_events::postgres;
using namespace std::chrono_literals;
using marketing_events::testing::run_concurrently;

namespace {

PoolSettings with_connections(PoolSettings settings, std::size_t connections) {
  settings.max_connections = connections;
  return settings;
}

struct Database {
  PoolSettings settings = with_connections(testing::clean_database(), 8);
  ConnectionPool pool{settings};
  PostgresUserRepository users{pool};
  PostgresEventRepository events{pool};
  PostgresRefreshTokenRepository refresh_tokens{pool};
  PostgresThrottleStore throttle{pool};
  PostgresCalendarFeedRepository feeds{pool};
  testing::FixedClock clock{testing::test_epoch};
  system::SystemRandom random;
  system::UuidV7Generator ids{clock, random};

  User user(const std::string& email) {
    User user{ids.next(), email, "hash", clock.now()};
    REQUIRE(users.add(user));
    return user;
  }

  Event event(const User& owner, std::string title, const char* starts_at,
              EventStatus status = EventStatus::draft) {
    clock.advance(1s);
    const auto start = parse_instant(starts_at).value();
    Event event{ids.next(),  owner.id,    EventDetails{std::move(title), "", start, start, status},
                clock.now(), clock.now(), 1};
    REQUIRE(events.add(event));
    return event;
  }
};

std::vector<std::string> titles(const EventSlice& slice) {
  std::vector<std::string> out;
  for (const auto& event : slice.items) {
    out.push_back(event.details.title);
  }
  return out;
}

}  // namespace

TEST_CASE("migrations apply once, even when several run at the same time") {
  const auto url = testing::create_database("migrations_race");
  std::atomic<int> applied{0};
  run_concurrently(4, [&](int) {
    ConnectionPool pool{PoolSettings{url}};
    const auto count = migrate(pool);
    REQUIRE(count.has_value());
    applied += *count;
  });
  CHECK(applied == static_cast<int>(migrations().size()));
  ConnectionPool pool{PoolSettings{url}};
  CHECK(migrate(pool).value() == 0);
  CHECK(schema_is_current(pool).value());
}

TEST_CASE("an unmigrated database is not current") {
  ConnectionPool pool{PoolSettings{testing::create_database("unmigrated")}};
  CHECK_FALSE(schema_is_current(pool).value());
}

TEST_CASE("users round-trip and an e-mail is unique") {
  Database db;
  const auto ana = db.user("ana@example.com");
  CHECK(db.users.find_by_email("ana@example.com").value() == ana);
  CHECK(db.users.find_by_id(ana.id).value()->email == "ana@example.com");
  CHECK_FALSE(db.users.find_by_email("bob@example.com").value().has_value());
  const auto duplicate = db.users.add(User{db.ids.next(), "ana@example.com", "h", db.clock.now()});
  REQUIRE_FALSE(duplicate.has_value());
  CHECK(duplicate.error().code == ErrorCode::conflict);
}

TEST_CASE("events keep every field to the microsecond") {
  Database db;
  const auto owner = db.user("ana@example.com");
  const Event event{
      db.ids.next(),
      owner.id,
      EventDetails{"Launch ☀ \"quoted\" 'single'", std::string(10'000, 'd'),
                   parse_instant("2026-03-01T09:00:00.123456Z").value(),
                   parse_instant("1999-12-31T23:59:59.999999-05:00").value() + 24h * 365 * 30,
                   EventStatus::published},
      parse_instant("2026-02-01T00:00:00.000001Z").value(),
      parse_instant("2026-02-02T00:00:00.5Z").value(),
      1};
  REQUIRE(db.events.add(event));
  CHECK(db.events.find(owner.id, event.id).value() == event);
}

TEST_CASE("conditional updates and deletes: owner, version and atomicity") {
  Database db;
  const auto ana = db.user("ana@example.com");
  const auto bob = db.user("bob@example.com");
  const auto event = db.event(ana, "Launch", "2026-03-01T09:00:00Z");
  auto details = event.details;
  details.title = "Relaunch";

  CHECK(db.events.update({event.id, bob.id, details, db.clock.now()}, std::nullopt).error().code ==
        ErrorCode::not_found);
  CHECK(db.events.update({event.id, ana.id, details, db.clock.now()}, 7).error().code ==
        ErrorCode::version_mismatch);
  const auto updated = db.events.update({event.id, ana.id, details, db.clock.now() + 1s}, 1);
  REQUIRE(updated.has_value());
  CHECK(updated->version == 2);
  CHECK(updated->created_at == event.created_at);
  CHECK(updated->updated_at == db.clock.now() + 1s);

  std::atomic<int> winners{0};
  run_concurrently(6, [&](int i) {
    auto mine = details;
    mine.title = "Writer " + std::to_string(i);
    if (db.events.update({event.id, ana.id, mine, db.clock.now()}, 2)) {
      ++winners;
    }
  });
  CHECK(winners == 1);
  CHECK(db.events.find(ana.id, event.id).value()->version == 3);

  CHECK(db.events.remove(bob.id, event.id, std::nullopt).error().code == ErrorCode::not_found);
  CHECK(db.events.remove(ana.id, event.id, 2).error().code == ErrorCode::version_mismatch);
  CHECK(db.events.remove(ana.id, event.id, 3).has_value());
  CHECK(db.events.remove(ana.id, event.id, std::nullopt).error().code == ErrorCode::not_found);
  CHECK_FALSE(db.events.find(ana.id, event.id).value().has_value());
}

TEST_CASE("a condition may list several versions, in one statement") {
  Database db;
  const auto ana = db.user("ana@example.com");
  const auto event = db.event(ana, "Launch", "2026-03-01T09:00:00Z");
  auto details = event.details;
  details.title = "Relaunch";
  CHECK(db.events
            .update({event.id, ana.id, details, db.clock.now()}, VersionCondition::one_of({5, 6}))
            .error()
            .code == ErrorCode::version_mismatch);
  CHECK(db.events.update({event.id, ana.id, details, db.clock.now()}, VersionCondition::one_of({}))
            .error()
            .code == ErrorCode::version_mismatch);
  CHECK(db.events
            .update({event.id, ana.id, details, db.clock.now()}, VersionCondition::one_of({9, 1}))
            ->version == 2);
  CHECK(db.events.remove(ana.id, event.id, VersionCondition::one_of({1, 3})).error().code ==
        ErrorCode::version_mismatch);
  CHECK(db.events.remove(ana.id, event.id, VersionCondition::one_of({1, 2})).has_value());
}

TEST_CASE("modifications hold the row: concurrent ones all apply, none is lost or refused") {
  Database db;
  const auto ana = db.user("ana@example.com");
  const auto event = db.event(ana, "Launch", "2026-03-01T09:00:00Z");
  constexpr int writers = 12;
  std::atomic<int> failures{0};
  run_concurrently(writers, [&](int) {
    const auto modified = db.events.modify(
        ana.id, event.id, {}, db.clock.now(), [](const Event& current) -> Result<EventDetails> {
          auto details = current.details;
          details.description += "+";  // each writer appends to what it finds
          return details;
        });
    if (!modified) {
      ++failures;
    }
  });
  CHECK(failures.load() == 0);
  const auto stored = db.events.find(ana.id, event.id).value().value();
  CHECK(stored.details.description == std::string(writers, '+'));
  CHECK(stored.version == 1 + writers);

  // A refusal from the modification, or a condition that fails, changes nothing.
  const auto refused = db.events.modify(ana.id, event.id, {}, db.clock.now(), [](const Event&) {
    return Result<EventDetails>{Error::of(ErrorCode::invalid_fields, "no")};
  });
  CHECK(refused.error().code == ErrorCode::invalid_fields);
  CHECK(db.events
            .modify(ana.id, event.id, 1, db.clock.now(),
                    [](const Event& current) -> Result<EventDetails> { return current.details; })
            .error()
            .code == ErrorCode::version_mismatch);
  CHECK(db.events
            .modify(ana.id, db.ids.next(), {}, db.clock.now(),
                    [](const Event& current) { return Result<EventDetails>{current.details}; })
            .error()
            .code == ErrorCode::not_found);
  CHECK(db.events.find(ana.id, event.id).value()->version == 1 + writers);
  CHECK(db.pool.usage().in_use == 0);  // every connection came back clean
}

TEST_CASE("a transaction rolls back unless committed") {
  Database db;
  {
    auto lease = db.pool.acquire();
    REQUIRE(lease.has_value());
    auto transaction = Transaction::begin(lease->connection());
    REQUIRE(transaction.has_value());
    REQUIRE(execute_script(
        transaction->connection(),
        "INSERT INTO users VALUES (gen_random_uuid(), 'x@example.com', 'h', now())"));
  }
  CHECK_FALSE(db.users.find_by_email("x@example.com").value().has_value());
  CHECK(db.pool.usage().idle >= 1);  // the rolled-back connection is clean and reused
  {
    auto lease = db.pool.acquire();
    auto transaction = Transaction::begin(lease->connection());
    REQUIRE(execute_script(
        transaction->connection(),
        "INSERT INTO users VALUES (gen_random_uuid(), 'y@example.com', 'h', now())"));
    REQUIRE(transaction->commit());
  }
  CHECK(db.users.find_by_email("y@example.com").value().has_value());
}

TEST_CASE("a value the adapter cannot read is an error naming its column, never a guess") {
  Database db;
  auto lease = db.pool.acquire();
  REQUIRE(lease.has_value());
  const Statement odd{"test_odd_values",
                      "SELECT 'not-a-uuid'::text AS id, NULL::int8 AS version, '12x' AS count,"
                      " 'infinity'::timestamptz AS starts_at, 42::int8 AS title,"
                      " timestamptz '0002-01-01 00:00:00Z BC' AS ends_at,"
                      " timestamptz '10000-01-01T00:00:00Z' AS updated_at"};
  auto rows = execute(lease->connection(), odd, {});
  REQUIRE(rows.has_value());
  {
    Columns columns{rows->get(), 0};
    const auto id = columns.uuid();
    const auto read = columns.finish(id);
    REQUIRE_FALSE(read.has_value());
    CHECK(read.error().code == ErrorCode::internal);
    CHECK(read.error().detail == "unexpected value in column id: not a UUID");
  }
  {
    Columns columns{rows->get(), 0, 1};
    const auto version = columns.int64();
    CHECK(columns.finish(version).error().detail == "unexpected value in column version: is NULL");
  }
  {
    Columns columns{rows->get(), 0, 2};
    const auto count = columns.int64();
    CHECK(columns.finish(count).error().detail ==
          "unexpected value in column count: not an integer");
  }
  {
    Columns columns{rows->get(), 0, 3};
    const auto starts_at = columns.micros();
    CHECK(columns.finish(starts_at).error().detail ==
          "unexpected value in column starts_at: not a finite timestamp");
  }
  {
    Columns columns{rows->get(), 0, 4};
    const auto title = columns.text();
    CHECK(columns.finish(title).error().detail == "unexpected value in column title: not text");
  }
  // A timestamp the API could not have stored, nor can write back (rows written around it).
  for (const auto& [at, name] : {std::pair{5, "ends_at"}, std::pair{6, "updated_at"}}) {
    Columns columns{rows->get(), 0, at};
    const auto instant = columns.micros();
    CHECK(columns.finish(instant).error().detail ==
          std::string("unexpected value in column ") + name +
              ": a timestamp outside years 0001..9999 (written around the API?)");
  }
}

TEST_CASE("results arrive in binary and decode exactly: signs, instants before 2000, bytes") {
  Database db;
  auto lease = db.pool.acquire();
  REQUIRE(lease.has_value());
  const Statement values{
      "test_binary_values",
      "SELECT '0193a1c2-7d4e-7abc-8def-0123456789ab'::uuid, (-5)::int2, (-70000)::int4,"
      " (-9000000000)::int8, true, false, timestamptz '1969-12-31T23:59:59.999999Z',"
      " timestamptz '2026-11-30T12:34:56.789012Z', 'Grüße, \"quoted\"'::text, ''::varchar,"
      " 1234567::int8"};
  auto rows = execute(lease->connection(), values, {});
  REQUIRE(rows.has_value());
  CHECK(PQfformat(rows->get(), 0) == 1);
  Columns columns{rows->get(), 0};
  CHECK(columns.uuid().to_string() == "0193a1c2-7d4e-7abc-8def-0123456789ab");
  CHECK(columns.int64() == -5);
  CHECK(columns.int64() == -70000);
  CHECK(columns.int64() == -9000000000);
  CHECK(columns.boolean());
  CHECK_FALSE(columns.boolean());
  CHECK(columns.micros() == Instant{std::chrono::microseconds{-1}});
  CHECK(format_instant(columns.micros()) == "2026-11-30T12:34:56.789012Z");
  CHECK(columns.text() == "Grüße, \"quoted\"");
  CHECK(columns.text().empty());
  CHECK(columns.micros() == Instant{std::chrono::microseconds{1234567}});  // int8 microseconds
  CHECK(columns.finish(0).has_value());
}

TEST_CASE("the migrations are the .sql files, in order") {
  const auto all = migrations();
  REQUIRE(all.size() >= 2);
  CHECK(all[0].version == 1);
  CHECK(all[0].name == "initial schema");
  CHECK(all[1].name == "per-owner event counts by status");
  for (std::size_t i = 1; i < all.size(); ++i) {
    CHECK(all[i].version == all[i - 1].version + 1);
  }
}

TEST_CASE("an event for an owner who does not exist is refused") {
  Database db;
  const auto start = parse_instant("2026-03-01T09:00:00Z").value();
  const auto added = db.events.add(
      Event{db.ids.next(), db.ids.next(),
            EventDetails{"Orphan", "", start, start, EventStatus::draft}, start, start, 1});
  REQUIRE_FALSE(added.has_value());
  CHECK(added.error().code == ErrorCode::not_found);
}

TEST_CASE("listing filters, sorts with ties broken by id, pages and counts like the core expects") {
  Database db;
  const auto ana = db.user("ana@example.com");
  const auto bob = db.user("bob@example.com");
  db.event(ana, "Gamma", "2026-03-02T00:00:00Z", EventStatus::published);
  db.event(ana, "alpha launch", "2026-03-01T00:00:00Z");
  db.event(ana, "Beta LAUNCH", "2026-03-01T00:00:00Z", EventStatus::published);
  db.event(ana, "Delta 100%_off", "2026-03-04T00:00:00Z", EventStatus::archived);
  db.event(bob, "Someone else's launch", "2026-03-01T00:00:00Z");

  CHECK(titles(db.events.list(ana.id, {}).value()) ==
        std::vector<std::string>{"alpha launch", "Beta LAUNCH", "Gamma", "Delta 100%_off"});

  EventQuery newest_first;
  newest_first.sort = {EventSortKey::created_at, true};
  CHECK(titles(db.events.list(ana.id, newest_first).value()) ==
        std::vector<std::string>{"Delta 100%_off", "Beta LAUNCH", "alpha launch", "Gamma"});

  EventQuery by_title;
  by_title.sort = {EventSortKey::title, false};
  CHECK(titles(db.events.list(ana.id, by_title).value()) ==
        std::vector<std::string>{"Beta LAUNCH", "Delta 100%_off", "Gamma", "alpha launch"});

  EventQuery filtered;
  filtered.statuses = {EventStatus::published, EventStatus::archived};
  filtered.starts_to = parse_instant("2026-03-04T00:00:00Z");
  CHECK(titles(db.events.list(ana.id, filtered).value()) ==
        std::vector<std::string>{"Beta LAUNCH", "Gamma"});

  EventQuery search;
  search.title_contains = "LaUnCh";
  search.starts_from = parse_instant("2026-03-01T00:00:00Z");
  CHECK(titles(db.events.list(ana.id, search).value()) ==
        std::vector<std::string>{"alpha launch", "Beta LAUNCH"});

  EventQuery wildcards;  // % and _ are matched literally
  wildcards.title_contains = "%_";
  CHECK(titles(db.events.list(ana.id, wildcards).value()) ==
        std::vector<std::string>{"Delta 100%_off"});
  wildcards.title_contains = "a_l";
  CHECK(db.events.list(ana.id, wildcards).value().total_items == 0);

  EventQuery second_page;
  second_page.limit = 3;
  second_page.page = 2;
  const auto page = db.events.list(ana.id, second_page).value();
  CHECK(titles(page) == std::vector<std::string>{"Delta 100%_off"});
  CHECK(page.total_items == 4);

  EventQuery past_the_end;
  past_the_end.page = 9;
  const auto empty = db.events.list(ana.id, past_the_end).value();
  CHECK(empty.items.empty());
  CHECK(empty.total_items == 4);
}

TEST_CASE("totals of status-only listings come from kept counts that follow every change") {
  Database db;
  const auto ana = db.user("ana@example.com");
  const auto bob = db.user("bob@example.com");
  std::vector<Event> anas;
  anas.reserve(12);
  for (int i = 0; i < 12; ++i) {
    anas.push_back(db.event(ana, "Event " + std::to_string(i), "2026-03-01T00:00:00Z",
                            i % 3 == 0 ? EventStatus::published : EventStatus::draft));
  }
  db.event(bob, "Bob's", "2026-03-01T00:00:00Z", EventStatus::published);

  // The status-only path (kept counts) and the general path (a title filter that matches
  // everything, so a window count) must agree on every total, after every kind of change.
  const auto totals_agree = [&](const std::vector<EventStatus>& statuses, std::int64_t expected) {
    EventQuery by_status;
    by_status.statuses = statuses;
    by_status.limit = 5;
    EventQuery general = by_status;
    general.title_contains = "Event";
    const auto counted = db.events.list(ana.id, by_status).value();
    CHECK(counted.total_items == expected);
    CHECK(db.events.list(ana.id, general).value().total_items == expected);
    by_status.page = 99;  // past the end: the total comes from the separate count
    CHECK(db.events.list(ana.id, by_status).value().total_items == expected);
  };
  totals_agree({EventStatus::published}, 4);
  totals_agree({EventStatus::draft}, 8);
  totals_agree({}, 12);

  auto changed = anas[1];
  changed.details.status = EventStatus::archived;
  REQUIRE(db.events.update({changed.id, ana.id, changed.details, db.clock.now()}, std::nullopt));
  changed.details.title = "Event renamed";  // no status change: the counts do not move
  REQUIRE(db.events.update({changed.id, ana.id, changed.details, db.clock.now()}, std::nullopt));
  REQUIRE(db.events.remove(ana.id, anas[0].id, std::nullopt));
  totals_agree({EventStatus::published}, 3);
  totals_agree({EventStatus::draft}, 7);
  totals_agree({EventStatus::archived, EventStatus::draft}, 8);
  totals_agree({}, 11);
}

TEST_CASE("opposite status changes of one owner's events at the same time never deadlock") {
  Database db;
  const auto ana = db.user("ana@example.com");
  std::vector<Event> events;
  events.reserve(6);
  for (int i = 0; i < 6; ++i) {
    events.push_back(db.event(ana, "Flip " + std::to_string(i), "2026-03-01T00:00:00Z",
                              i % 2 == 0 ? EventStatus::draft : EventStatus::published));
  }
  std::atomic<int> failures{0};
  testing::run_concurrently(6, [&](int thread) {
    auto event = events.at(static_cast<std::size_t>(thread));
    for (int round = 0; round < 20; ++round) {
      event.details.status =
          event.details.status == EventStatus::draft ? EventStatus::published : EventStatus::draft;
      if (!db.events.update({event.id, ana.id, event.details, db.clock.now()}, std::nullopt)) {
        ++failures;
      }
    }
  });
  CHECK(failures == 0);
  EventQuery drafts;
  drafts.statuses = {EventStatus::draft};
  CHECK(db.events.list(ana.id, drafts).value().total_items == 3);
}

TEST_CASE("of concurrent consumers of one refresh token exactly one wins, and revocation holds") {
  Database db;
  const auto ana = db.user("ana@example.com");
  const auto family = db.ids.next();
  const RefreshTokenRecord record{"digest-1", family, ana.id, db.clock.now(), db.clock.now() + 1h};
  REQUIRE(db.refresh_tokens.add(record));
  REQUIRE(db.refresh_tokens.add({"digest-2", family, ana.id, db.clock.now(), db.clock.now() + 1h}));

  std::atomic<int> winners{0};
  run_concurrently(6, [&](int) {
    const auto consumed = db.refresh_tokens.consume("digest-1", db.clock.now());
    REQUIRE(consumed.has_value());
    REQUIRE(consumed.value().has_value());
    CHECK(consumed.value()->record == record);
    if (consumed.value()->was_unused) {
      ++winners;
    }
  });
  CHECK(winners == 1);
  CHECK_FALSE(db.refresh_tokens.consume("unknown", db.clock.now()).value().has_value());

  REQUIRE(db.refresh_tokens.revoke_family(family, db.clock.now()));
  REQUIRE(db.refresh_tokens.revoke_family(family, db.clock.now()));
  CHECK_FALSE(db.refresh_tokens.consume("digest-2", db.clock.now()).value()->was_unused);
  CHECK(db.refresh_tokens.find("digest-2").value()->family_id == family);
}

TEST_CASE("throttle windows count every attempt atomically, close, and are tidied away") {
  Database db;
  testing::check_throttle_store(db.throttle, db.clock.now());
}

TEST_CASE("refresh tokens are trimmed per session and per user, and tidied when stale") {
  Database db;
  const auto ana = db.user("ana@example.com");
  testing::check_refresh_token_trimming(db.refresh_tokens, ana.id, db.clock.now());
}

TEST_CASE("deleting a user deletes everything they own") {
  Database db;
  const auto ana = db.user("ana@example.com");
  const auto bob = db.user("bob@example.com");
  const auto event = db.event(ana, "Launch", "2026-03-01T09:00:00Z");
  db.event(bob, "Bob's", "2026-03-01T09:00:00Z");
  REQUIRE(db.refresh_tokens.add(
      {"ana-token", db.ids.next(), ana.id, db.clock.now(), db.clock.now() + 1h}));
  CHECK(db.users.remove(ana.id).value());
  CHECK_FALSE(db.users.remove(ana.id).value());
  CHECK_FALSE(db.users.find_by_id(ana.id).value().has_value());
  CHECK_FALSE(db.events.find(ana.id, event.id).value().has_value());
  CHECK_FALSE(db.refresh_tokens.find("ana-token").value().has_value());
  CHECK(db.events.list(bob.id, {}).value().total_items == 1);
}

TEST_CASE("calendar feeds: stored by digest, listed, revoked, and gone with their user") {
  Database db;
  const auto ana = db.user("ana@example.com");
  const auto bob = db.user("bob@example.com");
  const CalendarFeed first{db.ids.next(), ana.id, "Ana, events; all", EventStatus::published,
                           db.clock.now()};
  db.clock.advance(1s);
  const CalendarFeed second{db.ids.next(), ana.id, "Drafts \u00e9", EventStatus::draft,
                            db.clock.now()};
  REQUIRE(db.feeds.add(second, "digest-2", 20));
  REQUIRE(db.feeds.add(first, "digest-1", 20));
  CHECK(db.feeds.list(ana.id).value() == std::vector<CalendarFeed>{first, second});
  CHECK(db.feeds.list(bob.id).value().empty());
  CHECK(db.feeds.find_by_digest("digest-2").value() == second);
  CHECK_FALSE(db.feeds.find_by_digest("digest-3").value().has_value());
  CHECK(db.feeds
            .add(CalendarFeed{db.ids.next(), bob.id, "x", EventStatus::draft, db.clock.now()},
                 "digest-1", 20)
            .error()
            .code == ErrorCode::conflict);  // a digest is unique
  CHECK(
      db.feeds
          .add(CalendarFeed{db.ids.next(), db.ids.next(), "x", EventStatus::draft, db.clock.now()},
               "digest-9", 20)
          .error()
          .code == ErrorCode::not_found);  // no such user
  CHECK_FALSE(db.feeds.remove(bob.id, first.id).value());
  CHECK(db.feeds.remove(ana.id, first.id).value());
  CHECK_FALSE(db.feeds.find_by_digest("digest-1").value().has_value());
  CHECK(db.users.remove(ana.id).value());
  CHECK_FALSE(db.feeds.find_by_digest("digest-2").value().has_value());
}

TEST_CASE("a user's feeds stay within the bound however many are added at once") {
  Database db;
  const auto ana = db.user("ana@example.com");
  std::atomic<int> added{0};
  std::atomic<int> refused{0};
  testing::run_concurrently(8, [&](int thread) {
    for (int i = 0; i < 3; ++i) {
      const CalendarFeed feed{db.ids.next(), ana.id, "Feed", EventStatus::published,
                              db.clock.now()};
      const auto result =
          db.feeds.add(feed, "digest-" + std::to_string(thread) + "-" + std::to_string(i), 5);
      if (result) {
        ++added;
      } else if (result.error().code == ErrorCode::conflict) {
        ++refused;
      }
    }
  });
  CHECK(added == 5);
  CHECK(refused == 19);
  CHECK(db.feeds.list(ana.id).value().size() == 5);
}

TEST_CASE("the pool is bounded: a caller waits at most the acquire timeout, then is told") {
  PoolSettings settings{testing::test_database_url()};
  settings.max_connections = 2;
  settings.acquire_timeout = 200ms;
  ConnectionPool pool{settings};
  auto first = pool.acquire();
  auto second = pool.acquire();
  REQUIRE(first.has_value());
  REQUIRE(second.has_value());
  CHECK(pool.usage().in_use == 2);
  const auto started = std::chrono::steady_clock::now();
  const auto third = pool.acquire();
  const auto waited = std::chrono::steady_clock::now() - started;
  REQUIRE_FALSE(third.has_value());
  CHECK(third.error().code == ErrorCode::unavailable);
  CHECK(waited >= 200ms);
  CHECK(waited < 5s);
  { auto released = std::move(first); }
  CHECK(pool.acquire().has_value());
}

TEST_CASE("a broken or mid-transaction connection is dropped, never reused") {
  PoolSettings settings{testing::test_database_url()};
  settings.max_connections = 1;
  ConnectionPool pool{settings};
  {
    auto lease = pool.acquire();
    REQUIRE(lease.has_value());
    REQUIRE(execute_script(lease->connection(), "BEGIN"));
  }
  CHECK(pool.usage().idle == 0);
  {
    auto lease = pool.acquire();
    REQUIRE(lease.has_value());
    ConnectionPool other_pool{PoolSettings{testing::test_database_url()}};
    auto killer = other_pool.acquire();
    REQUIRE(killer.has_value());
    const auto pid = std::to_string(PQbackendPID(lease->connection().handle.get()));
    REQUIRE(execute_script(killer->connection(), "SELECT pg_terminate_backend(" + pid + ")"));
    const auto after = execute_script(lease->connection(), "SELECT 1");
    REQUIRE_FALSE(after.has_value());
    CHECK(after.error().code == ErrorCode::unavailable);
  }
  CHECK(pool.usage().idle == 0);
  auto fresh = pool.acquire();
  REQUIRE(fresh.has_value());
  CHECK(execute_script(fresh->connection(), "SELECT 1").has_value());
}

TEST_CASE("an unreachable database is unavailable, quickly") {
  PoolSettings settings{"host=/nonexistent-socket-dir user=postgres dbname=none"};
  ConnectionPool pool{settings};
  const auto lease = pool.acquire();
  REQUIRE_FALSE(lease.has_value());
  CHECK(lease.error().code == ErrorCode::unavailable);
  CHECK(pool.usage().in_use == 0);
}

TEST_CASE("SQLSTATEs map to the core's vocabulary") {
  CHECK(error_code_for("23505") == ErrorCode::conflict);
  CHECK(error_code_for("23503") == ErrorCode::not_found);
  CHECK(error_code_for("40001") == ErrorCode::unavailable);
  CHECK(error_code_for("40P01") == ErrorCode::unavailable);
  CHECK(error_code_for("08006") == ErrorCode::unavailable);
  CHECK(error_code_for("57P01") == ErrorCode::unavailable);
  CHECK(error_code_for("42601") == ErrorCode::internal);
}

TEST_CASE("libpq's messages become one line") {
  CHECK(libpq_message("ERROR:  boom\nDETAIL:  why\nHINT:  what to do\n") ==
        "ERROR:  boom; DETAIL:  why; HINT:  what to do");
  CHECK(libpq_message(nullptr).empty());
}

TEST_CASE("parallel wrong logins cannot slip past the limit, in the database") {
  testing::PostgresServices app;
  testing::check_parallel_wrong_logins(app);
}

namespace {

// Runs `work(i)` on `count` fibers of one event loop at once, as the server runs requests,
// with the pool split onto that loop; returns when all are done.
template <typename Work>
void on_fibers(ConnectionPool& pool, int count, Work work) {
  boost::asio::io_context io{1};
  const auto shares = pool.split_across({io.get_executor()});
  for (int i = 0; i < count; ++i) {
    boost::asio::spawn(
        io.get_executor(),
        [&work, i](fiber::Yield yield) {
          fiber::Context context{std::move(yield), 0};
          const fiber::Scope scope{context};
          work(i);
        },
        [](const std::exception_ptr& thrown) {
          if (thrown) {
            std::rethrow_exception(thrown);
          }
        });
  }
  io.run();
}

// Suspends the current fiber until `deadline`, as a request waiting for something else would:
// fibers given one deadline wake in one turn of their loop.
void pause_until(std::chrono::steady_clock::time_point deadline) {
  auto* context = fiber::current();
  boost::asio::steady_timer timer{context->executor(), deadline};
  boost::system::error_code ignored;
  const fiber::Suspension suspension;
  timer.async_wait(context->yield()[ignored]);
}

// The same, for `duration` from now.
void pause(std::chrono::steady_clock::duration duration) {
  pause_until(std::chrono::steady_clock::now() + duration);
}

// Suspends the current fiber until the work queued on its loop before now has run.
void let_queued_work_run() {
  auto* context = fiber::current();
  const fiber::Suspension suspension;
  boost::asio::post(context->yield());
}

const Statement echo{"test_echo", "SELECT $1::int8 * 2, pg_backend_pid()"};

std::int64_t column(const Rows& rows, int at) {
  Columns columns{rows.get(), 0, at};
  const auto value = columns.int64();
  REQUIRE(columns.finish(value).has_value());
  return value;
}

}  // namespace

TEST_CASE("fibers of one loop share its pipelined connection, each getting its own reply") {
  ConnectionPool pool{with_connections(testing::clean_database(), 1)};
  constexpr int fibers = 300;
  std::vector<std::int64_t> answers(fibers, -1);
  std::vector<std::string> errors(fibers);
  std::set<std::int64_t> backends;
  on_fibers(pool, fibers, [&](int i) {
    const auto at = static_cast<std::size_t>(i);
    // Every seventh divides by zero: its error is its own, the statements around it succeed.
    auto rows = i % 7 == 3 ? execute(pool, Statement{"test_divide", "SELECT 100 / $1::int8"},
                                     {text(std::int64_t{0})})
                           : execute(pool, echo, {text(std::int64_t{i})});
    if (rows) {
      answers[at] = column(*rows, 0);
      backends.insert(column(*rows, 1));
    } else {
      errors[at] = rows.error().detail;
    }
  });
  for (int i = 0; i < fibers; ++i) {
    INFO("fiber " << i);
    const auto at = static_cast<std::size_t>(i);
    if (i % 7 == 3) {
      CHECK(answers[at] == -1);
      CHECK_THAT(errors[at], Catch::Contains("22012"));  // division_by_zero
    } else {
      CHECK(errors[at].empty());
      CHECK(answers[at] == std::int64_t{2} * i);
    }
  }
  // The pipelined connection, and the pool's one for those that came while it connected.
  CHECK(backends.size() <= 2);
}

TEST_CASE("a pipelined statement whose first execution fails is not prepared twice") {
  for (const bool read_only : {false, true}) {
    INFO("read_only " << read_only);
    ConnectionPool pool{with_connections(testing::clean_database(), 1)};
    const Statement divide{"test_divide_once", "SELECT 100 / $1::int8", true, read_only};
    on_fibers(pool, 1, [&](int) {
      REQUIRE(execute(pool, echo, {text(std::int64_t{1})}).has_value());  // the pipeline is up
      // Prepared with its first execution, which fails; the prepared statement stays.
      const auto failed = execute(pool, divide, {text(std::int64_t{0})});
      REQUIRE_FALSE(failed.has_value());
      CHECK_THAT(failed.error().detail, Catch::Contains("22012"));
      for (const std::int64_t divisor : {4, 5}) {
        const auto rows = execute(pool, divide, {text(divisor)});
        REQUIRE(rows.has_value());
        CHECK(column(*rows, 0) == 100 / divisor);
      }
    });
  }
}

TEST_CASE("a read that prepares its statement is not skipped by another read's failure") {
  ConnectionPool pool{with_connections(testing::clean_database(), 1)};
  const Statement divide{"test_divide_warm", "SELECT 100 / $1::int8", true, true};
  const Statement fresh{"test_fresh_read", "SELECT $1::int8 * 3", true, true};
  std::vector<std::string> outcomes(3);
  const auto start = std::chrono::steady_clock::now() + 200ms;
  on_fibers(pool, 3, [&](int i) {
    const auto at = static_cast<std::size_t>(i);
    if (i == 0) {
      REQUIRE(execute(pool, divide, {text(std::int64_t{4})}).has_value());  // prepared now
    }
    // All three wake in one turn. The first sends its failing read; the second lets it go
    // first, then prepares and reads `fresh` in the same transaction; the third waits until
    // that transaction's Sync is sent, and reads `fresh` before any reply can be handled.
    pause_until(start);
    for (int turn = 0; turn < i; ++turn) {
      let_queued_work_run();
    }
    auto rows = i == 0 ? execute(pool, divide, {text(std::int64_t{0})})
                       : execute(pool, fresh, {text(std::int64_t{i})});
    outcomes[at] = rows ? std::to_string(column(*rows, 0)) : rows.error().detail;
  });
  CHECK_THAT(outcomes[0], Catch::Contains("22012"));
  CHECK(outcomes[1] == "3");
  CHECK(outcomes[2] == "6");
}

TEST_CASE("a pipelined write whose commit fails gets that error, and the connection stays") {
  ConnectionPool pool{with_connections(testing::clean_database(), 1)};
  {
    auto lease = pool.acquire();
    REQUIRE(lease.has_value());
    REQUIRE(execute_script(lease->connection(),
                           "DROP TABLE IF EXISTS test_deferred_child;"
                           "DROP TABLE IF EXISTS test_deferred_parent;"
                           "CREATE TABLE test_deferred_parent (id int PRIMARY KEY);"
                           "CREATE TABLE test_deferred_child (parent int REFERENCES"
                           " test_deferred_parent DEFERRABLE INITIALLY DEFERRED)"));
  }
  // The foreign key is checked at commit, when PostgreSQL handles the statement's Sync.
  const Statement orphan{"test_orphan", "INSERT INTO test_deferred_child VALUES ($1::int)"};
  const Statement backend{"test_backend", "SELECT pg_backend_pid()"};
  on_fibers(pool, 1, [&](int) {
    const auto before = execute(pool, backend, {});
    REQUIRE(before.has_value());
    const auto failed = execute(pool, orphan, {text(std::int64_t{7})});
    REQUIRE_FALSE(failed.has_value());
    CHECK_THAT(failed.error().detail, Catch::Contains("23503"));
    const auto after = execute(pool, backend, {});
    REQUIRE(after.has_value());
    CHECK(column(*after, 0) == column(*before, 0));  // the same connection, still in step
  });
  auto lease = pool.acquire();
  REQUIRE(lease.has_value());
  CHECK(execute_script(lease->connection(),
                       "DROP TABLE test_deferred_child; DROP TABLE test_deferred_parent"));
}

TEST_CASE("reads sent in one loop turn share a transaction, and one's error is still its own") {
  ConnectionPool pool{with_connections(testing::clean_database(), 1)};
  // The backend and the start of the transaction a statement ran in name that transaction
  // (one backend's transactions start at least a microsecond apart).
  const std::string sql =
      "SELECT $1::int8 * 2, pg_backend_pid(),"
      " (extract(epoch FROM transaction_timestamp()) * 1000000)::int8";
  const Statement read{"test_read", sql, true, true};
  const Statement unmarked{"test_unmarked", sql};  // not said to be read-only: on its own
  const Statement divide{"test_divide_read", "SELECT 100 / $1::int8", true, true};
  constexpr int fibers = 300;
  std::vector<std::int64_t> answers(fibers, -1);
  std::vector<std::pair<std::int64_t, std::int64_t>> transactions(fibers);
  std::vector<std::string> errors(fibers);
  const auto divides = [](int i) { return i % 20 == 10; };
  const auto on_its_own = [](int i) { return i % 20 == 15; };
  on_fibers(pool, fibers, [&](int i) {
    const auto at = static_cast<std::size_t>(i);
    // The first sets up the pipelined connection; then twenty at a time are ready in one turn.
    if (i > 0) {
      pause(50ms + 5ms * (i / 20));
    }
    // One of the twenty divides by zero: PostgreSQL skips the reads after it in its
    // transaction, and they are sent again.
    if (divides(i)) {
      auto rows = execute(pool, divide, {text(std::int64_t{0})});
      errors[at] = rows ? "" : rows.error().detail;
      return;
    }
    auto rows = execute(pool, on_its_own(i) ? unmarked : read, {text(std::int64_t{i})});
    if (rows) {
      answers[at] = column(*rows, 0);
      transactions[at] = {column(*rows, 1), column(*rows, 2)};
    } else {
      errors[at] = rows.error().detail;
    }
  });
  std::map<std::pair<std::int64_t, std::int64_t>, int> statements_per_transaction;
  for (int i = 0; i < fibers; ++i) {
    const auto at = static_cast<std::size_t>(i);
    if (!divides(i)) {
      ++statements_per_transaction[transactions[at]];
    }
  }
  int shared = 0;
  for (int i = 0; i < fibers; ++i) {
    INFO("fiber " << i);
    const auto at = static_cast<std::size_t>(i);
    if (divides(i)) {
      CHECK_THAT(errors[at], Catch::Contains("22012"));  // division_by_zero
      continue;
    }
    CHECK(errors[at].empty());
    CHECK(answers[at] == std::int64_t{2} * i);
    if (on_its_own(i)) {
      CHECK(statements_per_transaction[transactions[at]] == 1);  // its own transaction
    } else if (statements_per_transaction[transactions[at]] > 1) {
      ++shared;
    }
  }
  CHECK(shared > fibers / 3);  // those before the division in each turn, at least
}

TEST_CASE("fibers arriving while the pipelined connection is set up never open a second one") {
  ConnectionPool pool{with_connections(testing::clean_database(), 1)};
  constexpr int fibers = 200;
  std::vector<std::int64_t> answers(fibers, -1);
  std::vector<std::string> errors(fibers);
  std::set<std::int64_t> backends;
  on_fibers(pool, fibers, [&](int i) {
    // One every 50 µs: some arrive during each step of the connection's set-up.
    pause(std::chrono::microseconds{50} * i);
    const auto at = static_cast<std::size_t>(i);
    auto rows = execute(pool, echo, {text(std::int64_t{i})});
    if (rows) {
      answers[at] = column(*rows, 0);
      backends.insert(column(*rows, 1));
    } else {
      errors[at] = rows.error().detail;
    }
  });
  for (int i = 0; i < fibers; ++i) {
    INFO("fiber " << i);
    const auto at = static_cast<std::size_t>(i);
    CHECK(errors[at].empty());
    CHECK(answers[at] == std::int64_t{2} * i);
  }
  CHECK(backends.size() <= 2);  // the pipelined connection and the pool's
}

TEST_CASE("a statement without a trusted generic plan skips the pipeline and is never prepared") {
  ConnectionPool pool{with_connections(testing::clean_database(), 1)};
  const Statement per_value{"test_per_value", "SELECT $1::int8 * 2, pg_backend_pid()", false};
  std::vector<std::int64_t> pipelined;  // backends
  std::vector<std::int64_t> per_value_backends;
  bool pipeline_up = false;  // fiber 0 connects it with its statement; fiber 2 takes the pool's
  on_fibers(pool, 4, [&](int i) {
    // The later ones start once the pipeline is up (a connection took 24 ms to open here).
    for (int waited = 0; i % 2 == 1 && !pipeline_up && waited < 5000; ++waited) {
      pause(1ms);
    }
    REQUIRE((i % 2 == 0 || pipeline_up));
    auto shared = execute(pool, echo, {text(std::int64_t{i})});
    pipeline_up = pipeline_up || i == 0;
    auto own = execute(pool, per_value, {text(std::int64_t{i})});
    REQUIRE(shared.has_value());
    REQUIRE(own.has_value());
    CHECK(column(*own, 0) == std::int64_t{2} * i);
    if (i % 2 == 1) {
      pipelined.push_back(column(*shared, 1));
      per_value_backends.push_back(column(*own, 1));
    }
  });
  REQUIRE(pipelined.size() == 2);
  CHECK(pipelined[0] == pipelined[1]);
  CHECK(per_value_backends[0] != pipelined[0]);
  CHECK(per_value_backends[1] != pipelined[0]);
  auto lease = pool.acquire();
  REQUIRE(lease.has_value());
  CHECK_FALSE(lease->connection().prepared.contains("test_per_value"));
  auto count = execute(lease->connection(),
                       {"test_prepared_count",
                        "SELECT count(*) FROM pg_prepared_statements"
                        " WHERE name = 'test_per_value'"},
                       {});
  REQUIRE(count.has_value());
  CHECK(column(*count, 0) == 0);
}

TEST_CASE("a pipelined connection that dies fails its statements as unavailable, then reconnects") {
  ConnectionPool pool{with_connections(testing::clean_database(), 1)};
  constexpr int fibers = 20;
  std::vector<std::optional<ErrorCode>> during(fibers);  // nullopt: it worked
  std::vector<int> after(fibers,
                         0);  // 1: worked again (not vector<bool>: its proxies confuse cppcheck)
  on_fibers(pool, fibers, [&](int i) {
    const auto at = static_cast<std::size_t>(i);
    if (i > 0) {
      pause(50ms);  // the first has connected the pipeline and sent its statement
    }
    if (i == 0) {
      // Ends its own backend: everything sent behind it on that connection goes with it.
      auto rows = execute(
          pool,
          Statement{"test_suicide", "SELECT pg_terminate_backend(pg_backend_pid()), pg_sleep(0.2)"},
          {});
      during[at] = rows ? std::nullopt : std::optional{rows.error().code};
    } else {
      auto rows = execute(pool, echo, {text(std::int64_t{i})});
      during[at] = rows ? std::nullopt : std::optional{rows.error().code};
    }
    pause(300ms);
    auto again = execute(pool, echo, {text(std::int64_t{i})});
    const std::int64_t expected = std::int64_t{2} * i;
    after.at(at) = again.has_value() && column(*again, 0) == expected ? 1 : 0;
  });
  REQUIRE(during[0].has_value());
  CHECK(*during[0] == ErrorCode::unavailable);
  for (std::size_t i = 0; i < during.size(); ++i) {
    INFO("fiber " << i);
    // Each either ran or was told the database is unavailable, never a wrong answer or an
    // internal error; and every one works again afterwards.
    if (during[i]) {
      CHECK(*during[i] == ErrorCode::unavailable);
    }
    CHECK(after[i] == 1);
  }
}

TEST_CASE("statements behind one stuck on a lock go past the pipeline, the stuck one times out") {
  auto settings = with_connections(testing::clean_database(), 2);
  settings.statement_timeout = 1500ms;
  ConnectionPool pool{settings};
  REQUIRE(migrate(pool));
  ConnectionPool other{testing::clean_database()};
  auto locker = other.acquire();
  REQUIRE(locker);
  REQUIRE(execute_script(locker->connection(), "BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE"));
  std::optional<ErrorCode> stuck;
  constexpr int others = 10;
  std::vector<std::chrono::milliseconds> took(others, std::chrono::hours{1});
  const auto started = std::chrono::steady_clock::now();
  on_fibers(pool, others + 1, [&](int i) {
    if (i == 0) {
      auto rows = execute(pool, Statement{"test_locked", "SELECT count(*) FROM users"}, {});
      stuck = rows ? ErrorCode::internal : rows.error().code;
      return;
    }
    pause(100ms);  // the locked one has now waited longer than the pipeline tolerates
    const auto sent = std::chrono::steady_clock::now();
    auto rows = execute(pool, echo, {text(std::int64_t{i})});
    if (rows && column(*rows, 0) == std::int64_t{2} * i) {
      took[static_cast<std::size_t>(i - 1)] = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - sent);
    }
  });
  CHECK(stuck == ErrorCode::unavailable);  // 57014: cancelled by the statement timeout
  CHECK(std::chrono::steady_clock::now() - started < 3s);
  for (const auto& duration : took) {
    CHECK(duration < 500ms);  // none waited for the stuck one
  }
}

TEST_CASE(
    "keyset walks on PostgreSQL return every item once, in order, with changes between pages") {
  testing::check_keyset_walks([] { return std::make_unique<testing::PostgresServices>(); },
                              20261130, 40);
}
