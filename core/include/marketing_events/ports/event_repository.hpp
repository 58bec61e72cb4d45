#pragma once

#include <functional>
#include <optional>

#include "marketing_events/model/event.hpp"
#include "marketing_events/model/event_query.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events {

// New details for an existing event; the store keeps created_at and bumps the version.
struct EventChange {
  EventId id;
  UserId owner_id;
  EventDetails details;
  Instant updated_at;
};

// Computes an event's new details from its stored state; an error leaves the event unchanged.
using EventModification = std::function<Result<EventDetails>(const Event& current)>;

// Every operation is scoped to an owner: another owner's event is ErrorCode::not_found. A
// write whose condition the stored version does not meet is ErrorCode::version_mismatch and
// changes nothing.
class EventRepository {
 public:
  virtual ~EventRepository() = default;

  [[nodiscard]] virtual Result<void> add(const Event& event) = 0;
  [[nodiscard]] virtual Result<std::optional<Event>> find(const UserId& owner,
                                                          const EventId& id) = 0;

  // Atomic compare-and-set of the whole details. Returns the stored result.
  [[nodiscard]] virtual Result<Event> update(const EventChange& change,
                                             const VersionCondition& condition) = 0;

  // Read-modify-write with no other writer in between: `modification` sees the stored event
  // and its result is stored, so concurrent modifications never lose or refuse each other.
  [[nodiscard]] virtual Result<Event> modify(const UserId& owner, const EventId& id,
                                             const VersionCondition& condition, Instant updated_at,
                                             const EventModification& modification) = 0;

  [[nodiscard]] virtual Result<void> remove(const UserId& owner, const EventId& id,
                                            const VersionCondition& condition) = 0;

  // Filters, orders (ties by id) and cuts one page, and says whether items follow it. Numbered
  // paging skips query.offset() items and counts every match; keyset paging starts after
  // query.after (at the first item without it) and counts nothing.
  [[nodiscard]] virtual Result<EventSlice> list(const UserId& owner, const EventQuery& query) = 0;
};

}  // namespace marketing_events
