#pragma once

// The core wired to the PostgreSQL stores on the private test cluster, with the same members
// as InMemoryServices, so the acceptance scenarios run unchanged on either.

#include "marketing_events/postgres/postgres_repositories.hpp"
#include "marketing_events/testing/services.hpp"
#include "marketing_events/testing/test_database.hpp"

namespace marketing_events::testing {

struct PostgresStores {
  postgres::ConnectionPool pool{clean_database()};
  postgres::PostgresUserRepository users{pool};
  postgres::PostgresEventRepository event_store{pool};
  postgres::PostgresRefreshTokenRepository refresh_tokens{pool};
  postgres::PostgresThrottleStore throttle{pool};
  postgres::PostgresCalendarFeedRepository calendar_feeds{pool};
};

using PostgresServices = Services<PostgresStores>;

}  // namespace marketing_events::testing
