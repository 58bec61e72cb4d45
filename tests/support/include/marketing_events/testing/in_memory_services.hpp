#pragma once

// The core wired to in-memory adapters and test doubles: what the unit and acceptance tests
// drive. Every member is owned here, in dependency order.

#include "marketing_events/auth_service.hpp"
#include "marketing_events/event_service.hpp"
#include "marketing_events/memory/in_memory_event_repository.hpp"
#include "marketing_events/memory/in_memory_login_throttle_store.hpp"
#include "marketing_events/memory/in_memory_refresh_token_repository.hpp"
#include "marketing_events/memory/in_memory_user_repository.hpp"
#include "marketing_events/system/system_random.hpp"
#include "marketing_events/testing/fake_access_tokens.hpp"
#include "marketing_events/testing/fake_password_hasher.hpp"
#include "marketing_events/testing/fixed_clock.hpp"
#include "marketing_events/uuid_v7.hpp"

namespace marketing_events::testing {

// 2026-03-01T00:00:00Z: a fixed "now" keeps expiry arithmetic readable in tests.
inline constexpr Instant test_epoch{
    std::chrono::sys_days{std::chrono::year{2026} / std::chrono::March / 1}};

struct InMemoryServices {
  explicit InMemoryServices(AuthPolicy policy = {})
      : auth(AuthPorts{users, refresh_tokens, login_throttle, passwords, access_tokens, clock, ids,
                       random},
             policy) {}

  FixedClock clock{test_epoch};
  system::SystemRandom random;
  UuidV7Generator ids{clock, random};
  memory::InMemoryUserRepository users;
  memory::InMemoryEventRepository event_store;
  memory::InMemoryRefreshTokenRepository refresh_tokens;
  memory::InMemoryLoginThrottleStore login_throttle;
  FakePasswordHasher passwords{random};
  FakeAccessTokens access_tokens;
  AuthService auth;
  EventService events{EventPorts{event_store, clock, ids}};
};

}  // namespace marketing_events::testing
