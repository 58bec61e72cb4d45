#pragma once

// The one composition of the core for tests: the use cases wired to a set of stores (`Stores`
// provides users, event_store, refresh_tokens, throttle and calendar_feeds), a pinned clock, fast
// test doubles for passwords and, unless `Tokens` says otherwise, readable fake access tokens.

#include "marketing_events/crypto/random_secret_tokens.hpp"
#include "marketing_events/system/system_random.hpp"
#include "marketing_events/system/uuid_v7.hpp"
#include "marketing_events/testing/fake_access_tokens.hpp"
#include "marketing_events/testing/fake_password_hasher.hpp"
#include "marketing_events/testing/fixed_clock.hpp"
#include "marketing_events/use_cases/auth_service.hpp"
#include "marketing_events/use_cases/authenticator.hpp"
#include "marketing_events/use_cases/calendar_service.hpp"
#include "marketing_events/use_cases/event_service.hpp"

namespace marketing_events::testing {

// 2026-03-01T00:00:00Z: a fixed "now" keeps expiry arithmetic readable in tests.
inline constexpr Instant test_epoch{
    std::chrono::sys_days{std::chrono::year{2026} / std::chrono::March / 1}};

// How a test builds its access-token implementation; specialise for one that needs arguments.
template <typename Tokens>
Tokens make_access_tokens() {
  return Tokens{};
}

template <typename Stores, typename Tokens = FakeAccessTokens>
struct Services : Stores {
  explicit Services(const AuthPolicy& policy = {}, const AuthenticationPolicy& authentication = {})
      : auth(AuthPorts{this->users, this->refresh_tokens, this->throttle, passwords, access_tokens,
                       clock, ids, secrets},
             policy),
        authenticator(AuthenticatorPorts{access_tokens, this->users, clock}, authentication),
        events(EventPorts{this->event_store, clock, ids}),
        calendar(CalendarPorts{this->calendar_feeds, this->event_store, secrets, clock, ids}, {}) {}

  FixedClock clock{test_epoch};
  system::SystemRandom random;
  system::UuidV7Generator ids{clock, random};
  crypto::RandomSecretTokens secrets;
  FakePasswordHasher passwords{random};
  Tokens access_tokens = make_access_tokens<Tokens>();
  AuthService auth;
  Authenticator authenticator;
  EventService events;
  CalendarService calendar;
};

}  // namespace marketing_events::testing
