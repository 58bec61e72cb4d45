#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "marketing_events/model/calendar_feed.hpp"
#include "marketing_events/ports/calendar_feed_repository.hpp"
#include "marketing_events/ports/clock.hpp"
#include "marketing_events/ports/event_repository.hpp"
#include "marketing_events/ports/id_generator.hpp"
#include "marketing_events/ports/secret_tokens.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events {

// What one feed may cost: it carries at most `max_events` of the events that start at most
// `window` before today (UTC midnight, so a feed's content is stable through a day): the next
// ones first, then the most recent past ones. A user holds at most `max_feeds_per_user` feeds.
struct CalendarPolicy {
  std::chrono::days window{90};
  std::int64_t max_events = 1000;
  std::size_t max_feeds_per_user = 20;
};

inline constexpr std::int64_t max_feed_events_limit = 10'000;

struct CalendarPorts {
  CalendarFeedRepository& feeds;
  EventRepository& events;
  SecretTokens& secrets;
  const Clock& clock;
  IdGenerator& ids;
};

// A feed just created, with the secret that reads it: shown once, never stored.
struct NewCalendarFeed {
  CalendarFeed feed;
  std::string secret;
};

// Calendar subscriptions: a signed-in user creates, lists and revokes feeds; anyone with a
// feed's secret reads it. Thread-safe if the ports are.
class CalendarService {
 public:
  CalendarService(const CalendarPorts& ports, const CalendarPolicy& policy)
      : ports_(ports), policy_(policy) {}

  [[nodiscard]] Result<NewCalendarFeed> create(const UserId& owner, const CalendarFeedInput& input);
  [[nodiscard]] Result<std::vector<CalendarFeed>> list(const UserId& owner);
  // Revoked at once: the secret reads nothing afterwards. not_found for an unknown feed.
  [[nodiscard]] Result<void> revoke(const UserId& owner, const CalendarFeedId& id);

  // The feed a secret reads; not_found for an unknown or revoked secret (or anything that is
  // not a secret at all), which costs one digest and one lookup like a valid one.
  [[nodiscard]] Result<CalendarFeed> find(std::string_view secret);

  // The feed's calendar as of now, earliest first.
  [[nodiscard]] Result<Calendar> calendar_of(const CalendarFeed& feed);

  // find() then calendar_of().
  [[nodiscard]] Result<Calendar> read(std::string_view secret);

  [[nodiscard]] const CalendarPolicy& policy() const noexcept { return policy_; }

 private:
  CalendarPorts ports_;
  CalendarPolicy policy_;
};

}  // namespace marketing_events
