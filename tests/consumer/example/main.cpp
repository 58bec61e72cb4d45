// Plans a small campaign with the core's use cases and the in-memory store, then checks
// what comes back. Exits non-zero if anything is off.
#include <cstdio>

#include <marketing_events/memory/in_memory_event_repository.hpp>
#include <marketing_events/postgres/migrations.hpp>
#include <marketing_events/system/system_clock.hpp>
#include <marketing_events/system/system_random.hpp>
#include <marketing_events/system/uuid_v7.hpp>
#include <marketing_events/use_cases/event_service.hpp>

namespace me = marketing_events;

int main() {
  me::system::SystemClock clock;
  me::system::SystemRandom random;
  me::system::UuidV7Generator ids{clock, random};
  me::memory::InMemoryEventRepository store;
  me::EventService events{me::EventPorts{store, clock, ids}};

  const auto owner = ids.next();
  const auto launch = events.create(
      owner, me::EventInput{"Spring launch", "Press and partners", "2026-03-01T09:00:00+01:00",
                            "2026-03-01T18:00:00+01:00", "published"});
  const auto teaser =
      events.create(owner, me::EventInput{"Teaser", std::nullopt, "2026-02-20T12:00:00Z",
                                          "2026-02-20T12:30:00Z", std::nullopt});
  const auto invalid =
      events.create(owner, me::EventInput{"", std::nullopt, "soon", std::nullopt, "live"});
  if (!launch || !teaser || invalid || invalid.error().fields.size() != 4) {
    std::puts("unexpected result from create");
    return 1;
  }

  me::EventQuery published;
  published.statuses = {me::EventStatus::published};
  const auto page = events.list(owner, published);
  if (!page || page->total_items != 1 || page->items.at(0).id != launch->id) {
    std::puts("unexpected listing");
    return 1;
  }
  // The PostgreSQL adapter comes from the package too: its migrations are compiled in, and a
  // database that cannot be reached is an error value, not a crash.
  me::postgres::PoolSettings database;
  database.conninfo = "host=/nonexistent/socket/dir dbname=none";
  me::postgres::ConnectionPool pool{database};
  const auto current = me::postgres::schema_is_current(pool);
  if (me::postgres::migrations().empty() || current ||
      current.error().code != me::ErrorCode::unavailable) {
    std::puts("unexpected answer from the PostgreSQL adapter");
    return 1;
  }
  std::printf("%s %s starts %s\n", launch->id.to_string().c_str(), launch->details.title.c_str(),
              me::format_instant(launch->details.starts_at).c_str());
  return 0;
}
