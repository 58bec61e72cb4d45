#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "marketing_events/model/event.hpp"
#include "marketing_events/model/instant.hpp"
#include "marketing_events/model/user.hpp"
#include "marketing_events/model/uuid.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events {

using CalendarFeedId = Uuid;

inline constexpr std::size_t max_feed_name_length = 100;
inline constexpr const char* default_feed_name = "Marketing events";

// A subscription to one user's events of one status, for calendar clients that cannot send a
// token: whoever holds its secret address reads it. The secret itself is never stored.
struct CalendarFeed {
  CalendarFeedId id;
  UserId owner_id;
  std::string name;  // trimmed, 1..100 code points
  EventStatus status = EventStatus::published;
  Instant created_at;

  friend bool operator==(const CalendarFeed&, const CalendarFeed&) = default;
};

// A new feed as a client asked for it: both members optional.
struct CalendarFeedInput {
  std::optional<std::string> name;    // absent: "Marketing events"
  std::optional<std::string> status;  // absent: published
};

struct CalendarFeedSettings {
  std::string name;
  EventStatus status = EventStatus::published;
};

// Checks every rule and names every broken field at once (ErrorCode::invalid_fields).
[[nodiscard]] Result<CalendarFeedSettings> validate_calendar_feed(const CalendarFeedInput& input);

// What a calendar shows of an event's status (RFC 5545 STATUS of a VEVENT).
enum class CalendarEntryStatus { tentative, confirmed, cancelled };

// One event as a calendar entry. Instants are whole seconds (iCalendar has no fractions).
struct CalendarEntry {
  EventId uid;
  std::string summary;
  std::string description;
  Instant starts_at;
  Instant ends_at;
  Instant created_at;
  Instant last_modified;
  std::int64_t sequence = 0;  // revisions after the first: an edit makes clients replace it
  CalendarEntryStatus status = CalendarEntryStatus::confirmed;

  friend bool operator==(const CalendarEntry&, const CalendarEntry&) = default;
};

// draft → tentative, published → confirmed, archived → cancelled; version n → sequence n - 1.
// Takes the event's text rather than copying it.
[[nodiscard]] CalendarEntry calendar_entry(Event&& event);

// A feed as its subscribers see it.
struct Calendar {
  CalendarFeed feed;
  std::vector<CalendarEntry> entries;  // by start, then id
  bool truncated = false;              // the window holds more events than a feed carries
};

}  // namespace marketing_events
