#include "marketing_events/memory/in_memory_event_repository.hpp"

#include <algorithm>
#include <mutex>
#include <tuple>
#include <vector>

#include "marketing_events/model/text.hpp"

namespace marketing_events::memory {
namespace {

bool matches(const Event& event, const EventQuery& query, const std::string& needle) {
  const auto& details = event.details;
  if (!query.statuses.empty() && std::find(query.statuses.begin(), query.statuses.end(),
                                           details.status) == query.statuses.end()) {
    return false;
  }
  if (query.starts_from && details.starts_at < *query.starts_from) {
    return false;
  }
  if (query.starts_to && details.starts_at >= *query.starts_to) {
    return false;
  }
  return needle.empty() || text::ascii_lower(details.title).find(needle) != std::string::npos;
}

// An event's sort key as a tuple: the position's members, compared in order.
auto sort_key(const EventPosition& position) {
  return std::tuple{position.instant, std::string_view{position.title}, position.id};
}

bool sorts_before(const Event& left, const Event& right, const EventSort& sort) {
  const auto left_key = position_of(left, sort.key);
  const auto right_key = position_of(right, sort.key);
  return sort.descending ? sort_key(right_key) < sort_key(left_key)
                         : sort_key(left_key) < sort_key(right_key);
}

bool sorts_after(const Event& event, const EventPosition& position, const EventSort& sort) {
  const auto key = position_of(event, sort.key);
  return sort.descending ? sort_key(key) < sort_key(position) : sort_key(position) < sort_key(key);
}

}  // namespace

Result<void> InMemoryEventRepository::add(const Event& event) {
  const std::unique_lock lock(mutex_);
  if (!events_.emplace(event.id, event).second) {
    return Error::of(ErrorCode::internal, "duplicate event id");
  }
  return {};
}

Result<std::optional<Event>> InMemoryEventRepository::find(const UserId& owner, const EventId& id) {
  const std::shared_lock lock(mutex_);
  const auto found = events_.find(id);
  if (found == events_.end() || found->second.owner_id != owner) {
    return std::optional<Event>{};
  }
  return std::optional<Event>{found->second};
}

Result<Event*> InMemoryEventRepository::owned(const UserId& owner, const EventId& id,
                                              const VersionCondition& condition) {
  const auto found = events_.find(id);
  if (found == events_.end() || found->second.owner_id != owner) {
    return Error::of(ErrorCode::not_found, "no such event for this owner");
  }
  if (!condition.allows(found->second.version)) {
    return Error::of(ErrorCode::version_mismatch, "stale version");
  }
  return &found->second;
}

Event& InMemoryEventRepository::store(Event& event, EventDetails details, Instant updated_at) {
  event.details = std::move(details);
  event.updated_at = updated_at;
  ++event.version;
  return event;
}

Result<Event> InMemoryEventRepository::update(const EventChange& change,
                                              const VersionCondition& condition) {
  const std::unique_lock lock(mutex_);
  auto stored = owned(change.owner_id, change.id, condition);
  if (!stored) {
    return std::move(stored).error();
  }
  return store(*stored.value(), change.details, change.updated_at);
}

Result<Event> InMemoryEventRepository::modify(const UserId& owner, const EventId& id,
                                              const VersionCondition& condition, Instant updated_at,
                                              const EventModification& modification) {
  const std::unique_lock lock(mutex_);
  auto stored = owned(owner, id, condition);
  if (!stored) {
    return std::move(stored).error();
  }
  auto details = modification(*stored.value());
  if (!details) {
    return std::move(details).error();
  }
  return store(*stored.value(), std::move(details).value(), updated_at);
}

Result<void> InMemoryEventRepository::remove(const UserId& owner, const EventId& id,
                                             const VersionCondition& condition) {
  const std::unique_lock lock(mutex_);
  auto stored = owned(owner, id, condition);
  if (!stored) {
    return std::move(stored).error();
  }
  events_.erase(id);
  return {};
}

Result<EventSlice> InMemoryEventRepository::list(const UserId& owner, const EventQuery& query) {
  const auto needle = text::ascii_lower(query.title_contains);
  std::vector<Event> selected;
  {
    const std::shared_lock lock(mutex_);
    for (const auto& [id, event] : events_) {
      if (event.owner_id == owner && matches(event, query, needle)) {
        selected.push_back(event);
      }
    }
  }
  std::sort(selected.begin(), selected.end(), [&](const Event& left, const Event& right) {
    return sorts_before(left, right, query.sort);
  });
  EventSlice slice;
  const auto size = static_cast<std::int64_t>(selected.size());
  std::int64_t first = 0;
  if (query.paging == Paging::numbered) {
    slice.total_items = size;
    first = std::min(query.offset(), size);
  } else if (query.after) {
    // The first item sorting after the position (the position's item may be gone).
    const auto after = std::partition_point(
        selected.begin(), selected.end(),
        [&](const Event& event) { return !sorts_after(event, *query.after, query.sort); });
    first = after - selected.begin();
  }
  const auto last = std::min(first + query.limit, size);
  slice.more = last < size;
  slice.items.assign(std::make_move_iterator(selected.begin() + first),
                     std::make_move_iterator(selected.begin() + last));
  return slice;
}

}  // namespace marketing_events::memory
