#include "marketing_events/use_cases/event_service.hpp"

namespace marketing_events {
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
                                    const VersionCondition& condition) {
  auto details = validate_event(input);
  if (!details) {
    return std::move(details).error();
  }
  return ports_.events.update(
      EventChange{id, owner, std::move(details).value(), ports_.clock.now()}, condition);
}

Result<Event> EventService::patch(const UserId& owner, const EventId& id, const EventPatch& patch,
                                  const VersionCondition& condition) {
  return ports_.events.modify(owner, id, condition, ports_.clock.now(), [&](const Event& current) {
    return validate_event(apply_patch(current.details, patch));
  });
}

Result<void> EventService::remove(const UserId& owner, const EventId& id,
                                  const VersionCondition& condition) {
  return ports_.events.remove(owner, id, condition);
}

Result<EventPage> EventService::list(const UserId& owner, const EventQuery& query) {
  if (auto valid = check_event_query(query); !valid) {
    return std::move(valid).error();
  }
  auto slice = ports_.events.list(owner, query);
  if (!slice) {
    return std::move(slice).error();
  }
  EventPage page;
  page.paging = query.paging;
  page.limit = query.limit;
  if (slice->more && !slice->items.empty()) {
    page.next = position_of(slice->items.back(), query.sort.key);
  }
  if (query.paging == Paging::numbered) {
    page.page = query.page;
    page.total_items = slice->total_items;
    page.total_pages = count_pages(slice->total_items, query.limit);
  }
  page.items = std::move(slice->items);
  return page;
}

}  // namespace marketing_events
