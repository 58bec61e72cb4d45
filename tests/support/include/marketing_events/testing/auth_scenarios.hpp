#pragma once

// Races the authentication use cases must win on every store: run on the in-memory stores
// (unit tests) and on PostgreSQL (integration tests).

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>

#include "marketing_events/result.hpp"
#include "marketing_events/testing/concurrently.hpp"

namespace marketing_events::testing {

// 30 parallel wrong logins for one e-mail, from different clients, while each password check
// takes as long as a real one: at most the e-mail's limit (5) are checked and refused with 401;
// every other one is throttled before its password is looked at.
template <typename App>
void check_parallel_wrong_logins(App& app) {
  using namespace std::chrono_literals;
  REQUIRE(app.auth.register_user("ana@example.com", "correct horse battery"));
  app.passwords.take(20ms);
  std::atomic<int> refused{0};
  std::atomic<int> throttled{0};
  run_concurrently(30, [&](int i) {
    const auto attempt =
        app.auth.log_in({"ana@example.com", "wrong password", "198.51.100." + std::to_string(i)});
    if (!attempt && attempt.error().code == ErrorCode::unauthenticated) {
      ++refused;
    } else if (!attempt && attempt.error().code == ErrorCode::too_many_attempts) {
      ++throttled;
    }
  });
  app.passwords.take(0ms);
  CHECK(refused.load() <= app.auth.policy().max_failures_per_email);
  CHECK(refused.load() + throttled.load() == 30);
}

}  // namespace marketing_events::testing
