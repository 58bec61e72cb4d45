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
                                     std::optional<EventVersion> expected) override;
  [[nodiscard]] Result<void> remove(const UserId& owner, const EventId& id,
                                    std::optional<EventVersion> expected) override;
  [[nodiscard]] Result<EventSlice> list(const UserId& owner, const EventQuery& query) override;

 private:
  // The stored event when `owner` owns `id` and `expected` (if any) matches, else the error.
  [[nodiscard]] Result<Event*> owned(const UserId& owner, const EventId& id,
                                     std::optional<EventVersion> expected);

  std::shared_mutex mutex_;
  std::map<EventId, Event> events_;
};

}  // namespace marketing_events::memory
