#pragma once

// The core wired to in-memory stores and test doubles: what the unit and acceptance tests drive.

#include "marketing_events/memory/in_memory_calendar_feed_repository.hpp"
#include "marketing_events/memory/in_memory_event_repository.hpp"
#include "marketing_events/memory/in_memory_refresh_token_repository.hpp"
#include "marketing_events/memory/in_memory_throttle_store.hpp"
#include "marketing_events/memory/in_memory_user_repository.hpp"
#include "marketing_events/testing/services.hpp"

namespace marketing_events::testing {

struct MemoryStores {
  memory::InMemoryUserRepository users;
  memory::InMemoryEventRepository event_store;
  memory::InMemoryRefreshTokenRepository refresh_tokens;
  memory::InMemoryThrottleStore throttle;
  memory::InMemoryCalendarFeedRepository calendar_feeds;
};

using InMemoryServices = Services<MemoryStores>;

}  // namespace marketing_events::testing
