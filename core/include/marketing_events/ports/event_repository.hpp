#pragma once

#include <optional>

#include "marketing_events/event.hpp"
#include "marketing_events/event_query.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events {

// New details for an existing event; the store keeps created_at and bumps the version.
struct EventChange {
  EventId id;
  UserId owner_id;
  EventDetails details;
  Instant updated_at;
};

// Every operation is scoped to an owner: another owner's event is ErrorCode::not_found.
class EventRepository {
 public:
  virtual ~EventRepository() = default;

  [[nodiscard]] virtual Result<void> add(const Event& event) = 0;
  [[nodiscard]] virtual Result<std::optional<Event>> find(const UserId& owner,
                                                          const EventId& id) = 0;

  // Atomic compare-and-set: when `expected` is given and is not the stored version,
  // ErrorCode::version_mismatch and nothing changes. Returns the stored result.
  [[nodiscard]] virtual Result<Event> update(const EventChange& change,
                                             std::optional<EventVersion> expected) = 0;

  // Same precondition as update.
  [[nodiscard]] virtual Result<void> remove(const UserId& owner, const EventId& id,
                                            std::optional<EventVersion> expected) = 0;

  // Filters, orders (ties by id) and cuts one page; counts every match.
  [[nodiscard]] virtual Result<EventSlice> list(const UserId& owner, const EventQuery& query) = 0;
};

}  // namespace marketing_events
