#include <atomic>
#include <catch2/catch.hpp>

#include <thread>
#include <vector>
#include "marketing_events/testing/store_contracts.hpp"

#include "marketing_events/testing/concurrently.hpp"
#include "marketing_events/testing/in_memory_services.hpp"

using namespace marketing_events;
using namespace std::chrono_literals;
using marketing_events::testing::run_concurrently;
using testing::InMemoryServices;

TEST_CASE("of many concurrent consumers of one refresh token, exactly one wins") {
  memory::InMemoryRefreshTokenRepository tokens;
  const RefreshTokenRecord record{"digest", Uuid{}, Uuid{}, testing::test_epoch,
                                  testing::test_epoch + 1h};
  REQUIRE(tokens.add(record));
  std::atomic<int> winners{0};
  run_concurrently(8, [&](int) {
    const auto consumed = tokens.consume("digest", testing::test_epoch).value();
    if (consumed && consumed->was_unused) {
      ++winners;
    }
  });
  CHECK(winners == 1);
}

TEST_CASE("concurrent registrations of one e-mail create one account") {
  InMemoryServices app;
  std::atomic<int> created{0};
  std::atomic<int> conflicts{0};
  run_concurrently(8, [&](int) {
    const auto user = app.auth.register_user("ana@example.com", "correct horse battery");
    if (user) {
      ++created;
    } else if (user.error().code == ErrorCode::conflict) {
      ++conflicts;
    }
  });
  CHECK(created == 1);
  CHECK(conflicts == 7);
}

TEST_CASE("concurrent conditional updates of one version: exactly one succeeds") {
  InMemoryServices app;
  const auto owner = app.ids.next();
  const auto event = app.events
                         .create(owner, EventInput{"Launch", std::nullopt, "2026-03-01T09:00:00Z",
                                                   "2026-03-01T10:00:00Z", std::nullopt})
                         .value();
  std::atomic<int> succeeded{0};
  run_concurrently(8, [&](int i) {
    EventChange change{event.id, owner, event.details, app.clock.now()};
    change.details.title = "Writer " + std::to_string(i);
    if (app.event_store.update(change, 1)) {
      ++succeeded;
    }
  });
  CHECK(succeeded == 1);
  CHECK(app.events.get(owner, event.id)->version == 2);
}

TEST_CASE("concurrent creates and lists stay consistent") {
  InMemoryServices app;
  const auto owner = app.ids.next();
  run_concurrently(4, [&](int i) {
    for (int n = 0; n < 50; ++n) {
      const auto title = "Event " + std::to_string(i) + "-" + std::to_string(n);
      REQUIRE(app.events.create(owner, EventInput{title, std::nullopt, "2026-03-01T09:00:00Z",
                                                  "2026-03-01T10:00:00Z", std::nullopt}));
      EventQuery query;
      query.limit = 100;
      const auto page = app.events.list(owner, query).value();
      REQUIRE(page.items.size() ==
              static_cast<std::size_t>(std::min<std::int64_t>(100, page.total_items)));
    }
  });
  CHECK(app.events.list(owner, {}).value().total_items == 200);
}

TEST_CASE("throttle windows count every attempt atomically, close, and are tidied away") {
  memory::InMemoryThrottleStore store;
  testing::check_throttle_store(store, testing::test_epoch);
}

TEST_CASE("refresh tokens are trimmed per session and per user, and tidied when stale") {
  memory::InMemoryRefreshTokenRepository tokens;
  testing::check_refresh_token_trimming(tokens, Uuid{Uuid::Bytes{0xAA}}, testing::test_epoch);
}
