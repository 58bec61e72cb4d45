#pragma once

#include <optional>

#include "marketing_events/event.hpp"
#include "marketing_events/event_query.hpp"
#include "marketing_events/ports/clock.hpp"
#include "marketing_events/ports/event_repository.hpp"
#include "marketing_events/ports/id_generator.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events {

struct EventPorts {
  EventRepository& events;
  const Clock& clock;
  IdGenerator& ids;
};

// The marketing-event use cases. Every call acts for one owner and sees only their events:
// another owner's event is not_found, never "forbidden". Thread-safe if the ports are.
class EventService {
 public:
  explicit EventService(const EventPorts& ports) : ports_(ports) {}

  [[nodiscard]] Result<Event> create(const UserId& owner, const EventInput& input);
  [[nodiscard]] Result<Event> get(const UserId& owner, const EventId& id);

  // Full replacement. With `expected`, fails with version_mismatch unless it is current.
  [[nodiscard]] Result<Event> replace(const UserId& owner, const EventId& id,
                                      const EventInput& input,
                                      std::optional<EventVersion> expected = std::nullopt);

  // RFC 7396 merge patch; the result must pass every rule. Without `expected`, a concurrent
  // change is merged into rather than overwritten.
  [[nodiscard]] Result<Event> patch(const UserId& owner, const EventId& id, const EventPatch& patch,
                                    std::optional<EventVersion> expected = std::nullopt);

  [[nodiscard]] Result<void> remove(const UserId& owner, const EventId& id,
                                    std::optional<EventVersion> expected = std::nullopt);

  [[nodiscard]] Result<EventPage> list(const UserId& owner, const EventQuery& query);

 private:
  EventPorts ports_;
};

}  // namespace marketing_events
