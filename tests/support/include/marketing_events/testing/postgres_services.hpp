#pragma once

// The core wired to the PostgreSQL adapters on the private test cluster, with the same
// members as InMemoryServices, so the acceptance scenarios run unchanged on either.

#include "marketing_events/auth_service.hpp"
#include "marketing_events/event_service.hpp"
#include "marketing_events/postgres/postgres_repositories.hpp"
#include "marketing_events/system/system_random.hpp"
#include "marketing_events/testing/fake_access_tokens.hpp"
#include "marketing_events/testing/fake_password_hasher.hpp"
#include "marketing_events/testing/fixed_clock.hpp"
#include "marketing_events/testing/in_memory_services.hpp"
#include "marketing_events/testing/test_database.hpp"
#include "marketing_events/uuid_v7.hpp"

namespace marketing_events::testing {

struct PostgresServices {
  explicit PostgresServices(AuthPolicy policy = {})
      : auth(AuthPorts{users, refresh_tokens, login_throttle, passwords, access_tokens, clock, ids,
                       random},
             policy) {}

  postgres::ConnectionPool pool{clean_database()};
  FixedClock clock{test_epoch};
  system::SystemRandom random;
  UuidV7Generator ids{clock, random};
  postgres::PostgresUserRepository users{pool};
  postgres::PostgresEventRepository event_store{pool};
  postgres::PostgresRefreshTokenRepository refresh_tokens{pool};
  postgres::PostgresLoginThrottleStore login_throttle{pool};
  FakePasswordHasher passwords{random};
  FakeAccessTokens access_tokens;
  AuthService auth;
  EventService events{EventPorts{event_store, clock, ids}};
};

}  // namespace marketing_events::testing
