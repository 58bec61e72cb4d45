#pragma once

#include <map>
#include <shared_mutex>

#include "marketing_events/ports/event_repository.hpp"

namespace marketing_events::memory {

// Thread-safe. Title search folds ASCII case only, and titles sort by code point (as
// PostgreSQL's "C" collation does).
class InMemoryEventRepository final : public EventRepository {
 public:
  [[nodiscard]] Result<void> add(const Event& event) override;
  [[nodiscard]] Result<std::optional<Event>> find(const UserId& owner, const EventId& id) override;
  [[nodiscard]] Result<Event> update(const EventChange& change,
                                     const VersionCondition& condition) override;
  [[nodiscard]] Result<Event> modify(const UserId& owner, const EventId& id,
                                     const VersionCondition& condition, Instant updated_at,
                                     const EventModification& modification) override;
  [[nodiscard]] Result<void> remove(const UserId& owner, const EventId& id,
                                    const VersionCondition& condition) override;
  [[nodiscard]] Result<EventSlice> list(const UserId& owner, const EventQuery& query) override;

 private:
  // The stored event when `owner` owns `id` and its version meets `condition`, else the error.
  [[nodiscard]] Result<Event*> owned(const UserId& owner, const EventId& id,
                                     const VersionCondition& condition);
  // Stores new details as the next version. The caller holds the lock.
  static Event& store(Event& event, EventDetails details, Instant updated_at);

  std::shared_mutex mutex_;
  std::map<EventId, Event> events_;
};

}  // namespace marketing_events::memory
