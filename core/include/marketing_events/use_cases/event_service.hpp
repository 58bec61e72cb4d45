#pragma once

#include "marketing_events/model/event.hpp"
#include "marketing_events/model/event_query.hpp"
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

  // Full replacement. Fails with version_mismatch unless the stored version meets `condition`.
  [[nodiscard]] Result<Event> replace(const UserId& owner, const EventId& id,
                                      const EventInput& input,
                                      const VersionCondition& condition = {});

  // RFC 7396 merge patch; the result must pass every rule. It applies to the stored event with
  // no writer in between, so without a condition a concurrent change is merged into, never
  // overwritten or refused.
  [[nodiscard]] Result<Event> patch(const UserId& owner, const EventId& id, const EventPatch& patch,
                                    const VersionCondition& condition = {});

  [[nodiscard]] Result<void> remove(const UserId& owner, const EventId& id,
                                    const VersionCondition& condition = {});

  [[nodiscard]] Result<EventPage> list(const UserId& owner, const EventQuery& query);

 private:
  EventPorts ports_;
};

}  // namespace marketing_events
