#include "marketing_events/memory/in_memory_calendar_feed_repository.hpp"

#include <algorithm>
#include <iterator>

namespace marketing_events::memory {

Result<void> InMemoryCalendarFeedRepository::add(const CalendarFeed& feed,
                                                 std::string_view secret_digest,
                                                 std::size_t at_most) {
  const std::scoped_lock lock(mutex_);
  const auto owned = std::count_if(feeds_.begin(), feeds_.end(), [&](const auto& entry) {
    return entry.second.owner_id == feed.owner_id;
  });
  if (static_cast<std::size_t>(owned) >= at_most) {
    return Error::of(ErrorCode::conflict, "the user already has as many calendar feeds as allowed");
  }
  if (!feeds_.emplace(std::string(secret_digest), feed).second) {
    return Error::of(ErrorCode::internal, "duplicate calendar feed secret digest");
  }
  return {};
}

Result<std::vector<CalendarFeed>> InMemoryCalendarFeedRepository::list(const UserId& owner) {
  const std::scoped_lock lock(mutex_);
  std::vector<CalendarFeed> owned;
  for (const auto& [digest, feed] : feeds_) {
    if (feed.owner_id == owner) {
      owned.push_back(feed);
    }
  }
  std::sort(owned.begin(), owned.end(), [](const CalendarFeed& a, const CalendarFeed& b) {
    return a.created_at != b.created_at ? a.created_at < b.created_at : a.id < b.id;
  });
  return owned;
}

Result<bool> InMemoryCalendarFeedRepository::remove(const UserId& owner, const CalendarFeedId& id) {
  const std::scoped_lock lock(mutex_);
  const auto found = std::find_if(feeds_.begin(), feeds_.end(), [&](const auto& entry) {
    return entry.second.owner_id == owner && entry.second.id == id;
  });
  if (found == feeds_.end()) {
    return false;
  }
  feeds_.erase(found);
  return true;
}

Result<std::optional<CalendarFeed>> InMemoryCalendarFeedRepository::find_by_digest(
    std::string_view secret_digest) {
  const std::scoped_lock lock(mutex_);
  const auto found = feeds_.find(secret_digest);
  if (found == feeds_.end()) {
    return std::optional<CalendarFeed>{};
  }
  return std::optional<CalendarFeed>{found->second};
}

}  // namespace marketing_events::memory
