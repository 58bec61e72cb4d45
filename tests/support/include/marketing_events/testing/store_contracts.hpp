#pragma once

// What every implementation of a store port must do, checked the same way for the in-memory
// adapter (unit tests) and the PostgreSQL one (integration tests).

#include <catch2/catch.hpp>

#include "marketing_events/ports/refresh_token_repository.hpp"
#include "marketing_events/ports/throttle_store.hpp"
#include "marketing_events/testing/concurrently.hpp"

namespace marketing_events::testing {

inline void check_throttle_store(ThrottleStore& store, Instant start) {
  using namespace std::chrono_literals;
  const auto attempt = [&](std::chrono::seconds at) {
    return store.attempt("email:ana", start + at, 60s, 2).value();
  };
  CHECK(attempt(0s).allowed);
  CHECK(attempt(30s).allowed);
  // A forgiven attempt makes room for one more.
  REQUIRE(store.forgive("email:ana"));
  CHECK(attempt(31s).allowed);
  const auto third = attempt(59s);
  CHECK_FALSE(third.allowed);
  CHECK(third.window_closes == start + 60s);
  // The window closes: counting starts again, at the attempt that reopens it.
  const auto reopened = attempt(61s);
  CHECK(reopened.allowed);
  CHECK(reopened.window_closes == start + 121s);
  REQUIRE(store.clear("email:ana"));
  CHECK(attempt(62s).allowed);
  CHECK(attempt(62s).allowed);

  // Of many racing attempts, exactly the limit is allowed.
  std::atomic<int> allowed{0};
  run_concurrently(24, [&](int) {
    if (store.attempt("client:192.0.2.1", start, 60s, 5).value().allowed) {
      ++allowed;
    }
  });
  CHECK(allowed.load() == 5);

  // Housekeeping deletes closed windows only, in batches.
  REQUIRE(store.attempt("other", start, 1s, 5));
  CHECK(store.remove_closed(start + 2s, 1).value() == 1);
  CHECK(store.remove_closed(start + 2s, 100).value() == 0);  // the others are still open
  CHECK(store.remove_closed(start + 1h, 100).value() == 2);
}

inline void check_refresh_token_trimming(RefreshTokenRepository& tokens, const UserId& user,
                                         Instant start) {
  using namespace std::chrono_literals;
  const Uuid family{Uuid::Bytes{0x01}};
  const auto add = [&](const std::string& digest, const Uuid& in_family, Instant issued) {
    REQUIRE(tokens.add({digest, in_family, user, issued, issued + 1h}));
  };
  // A session that refreshed five times: five used tokens and a live one.
  for (int i = 0; i < 6; ++i) {
    add("family-token-" + std::to_string(i), family, start + std::chrono::seconds{i});
    if (i < 5) {
      REQUIRE(tokens.consume("family-token-" + std::to_string(i), start + std::chrono::seconds{i})
                  .value()
                  ->was_unused);
    }
  }
  REQUIRE(tokens.trim_family(family, 2));
  for (int i = 0; i < 3; ++i) {
    CHECK_FALSE(tokens.find("family-token-" + std::to_string(i)).value().has_value());
  }
  for (int i = 3; i < 6; ++i) {  // two used ones to recognise their reuse, and the live one
    CHECK(tokens.find("family-token-" + std::to_string(i)).value().has_value());
  }
  CHECK_FALSE(tokens.consume("family-token-4", start + 10s).value()->was_unused);

  // Three more sessions; keeping two ends the least recently refreshed ones.
  add("second", Uuid{Uuid::Bytes{0x02}}, start + 20s);
  add("third", Uuid{Uuid::Bytes{0x03}}, start + 30s);
  add("fourth", Uuid{Uuid::Bytes{0x04}}, start + 40s);
  REQUIRE(tokens.trim_user(user, 2));
  CHECK_FALSE(tokens.find("family-token-5").value().has_value());
  CHECK_FALSE(tokens.find("second").value().has_value());
  CHECK(tokens.find("third").value().has_value());
  CHECK(tokens.find("fourth").value().has_value());

  CHECK(tokens.has_family(Uuid{Uuid::Bytes{0x04}}).value());
  CHECK_FALSE(tokens.has_family(Uuid{Uuid::Bytes{0x02}}).value());

  // Housekeeping: expired tokens, tokens of revoked families, then revocations with no token.
  REQUIRE(tokens.revoke_family(Uuid{Uuid::Bytes{0x03}}, start + 50s));
  // "third" (revoked); its revocation goes in the same round once its token is gone.
  CHECK(tokens.remove_stale(start + 51s, 100).value() == 2);
  CHECK(tokens.find("fourth").value().has_value());
  CHECK(tokens.remove_stale(start + 2h, 100).value() == 1);  // "fourth" expired
  CHECK_FALSE(tokens.find("fourth").value().has_value());
  CHECK(tokens.remove_stale(start + 3h, 100).value() == 0);
}

}  // namespace marketing_events::testing
