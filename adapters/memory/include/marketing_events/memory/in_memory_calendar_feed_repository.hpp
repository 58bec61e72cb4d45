#pragma once

#include <map>
#include <mutex>
#include <string>

#include "marketing_events/ports/calendar_feed_repository.hpp"

namespace marketing_events::memory {

// Thread-safe. Feeds outlive a removed user here (the memory stores do not know each other);
// PostgreSQL deletes them with the user.
class InMemoryCalendarFeedRepository final : public CalendarFeedRepository {
 public:
  [[nodiscard]] Result<void> add(const CalendarFeed& feed, std::string_view secret_digest,
                                 std::size_t at_most) override;
  [[nodiscard]] Result<std::vector<CalendarFeed>> list(const UserId& owner) override;
  [[nodiscard]] Result<bool> remove(const UserId& owner, const CalendarFeedId& id) override;
  [[nodiscard]] Result<std::optional<CalendarFeed>> find_by_digest(
      std::string_view secret_digest) override;

 private:
  std::mutex mutex_;
  std::map<std::string, CalendarFeed, std::less<>> feeds_;  // by secret digest
};

}  // namespace marketing_events::memory
