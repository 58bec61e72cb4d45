#include "marketing_events/event_service.hpp"

namespace marketing_events {
namespace {

// Bounded retries of a patch that lost a race with another writer.
constexpr int max_patch_attempts = 3;

}  // namespace

Result<Event> EventService::create(const UserId& owner, const EventInput& input) {
  auto details = validate_event(input);
  if (!details) {
    return std::move(details).error();
  }
  const auto now = ports_.clock.now();
  Event event{ports_.ids.next(), owner, std::move(details).value(), now, now, 1};
  if (auto added = ports_.events.add(event); !added) {
    return std::move(added).error();
  }
  return event;
}

Result<Event> EventService::get(const UserId& owner, const EventId& id) {
  auto found = ports_.events.find(owner, id);
  if (!found) {
    return std::move(found).error();
  }
  if (!found.value()) {
    return Error::of(ErrorCode::not_found, "no such event for this owner");
  }
  return std::move(*found.value());
}

Result<Event> EventService::replace(const UserId& owner, const EventId& id, const EventInput& input,
                                    std::optional<EventVersion> expected) {
  auto details = validate_event(input);
  if (!details) {
    return std::move(details).error();
  }
  return ports_.events.update(
      EventChange{id, owner, std::move(details).value(), ports_.clock.now()}, expected);
}

Result<Event> EventService::patch(const UserId& owner, const EventId& id, const EventPatch& patch,
                                  std::optional<EventVersion> expected) {
  for (int attempt = 1;; ++attempt) {
    auto current = get(owner, id);
    if (!current) {
      return current;
    }
    if (expected && *expected != current->version) {
      return Error::of(ErrorCode::version_mismatch, "event changed since the caller read it");
    }
    auto details = validate_event(apply_patch(current->details, patch));
    if (!details) {
      return std::move(details).error();
    }
    auto updated = ports_.events.update(
        EventChange{id, owner, std::move(details).value(), ports_.clock.now()}, current->version);
    const bool lost_race =
        !updated && updated.error().code == ErrorCode::version_mismatch && !expected;
    if (!lost_race) {
      return updated;
    }
    if (attempt == max_patch_attempts) {
      // The caller set no precondition, so this is contention, not their mistake.
      return Error::of(ErrorCode::unavailable, "event kept changing while being patched");
    }
  }
}

Result<void> EventService::remove(const UserId& owner, const EventId& id,
                                  std::optional<EventVersion> expected) {
  return ports_.events.remove(owner, id, expected);
}

Result<EventPage> EventService::list(const UserId& owner, const EventQuery& query) {
  if (auto valid = check_event_query(query); !valid) {
    return std::move(valid).error();
  }
  auto slice = ports_.events.list(owner, query);
  if (!slice) {
    return std::move(slice).error();
  }
  return EventPage{std::move(slice->items), query.page, query.limit, slice->total_items,
                   count_pages(slice->total_items, query.limit)};
}

}  // namespace marketing_events
