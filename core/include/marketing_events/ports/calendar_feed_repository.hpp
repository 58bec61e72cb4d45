#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "marketing_events/model/calendar_feed.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events {

// Feeds with the digest of their secret. Every call but find_by_digest is scoped to an owner:
// another owner's feed is not_found. A user's feeds go with the user.
class CalendarFeedRepository {
 public:
  virtual ~CalendarFeedRepository() = default;

  // Stores the feed unless its owner already has `at_most` feeds (ErrorCode::conflict), checked
  // atomically with the insert: concurrent adds cannot pass the bound.
  [[nodiscard]] virtual Result<void> add(const CalendarFeed& feed, std::string_view secret_digest,
                                         std::size_t at_most) = 0;

  // The owner's feeds, oldest first.
  [[nodiscard]] virtual Result<std::vector<CalendarFeed>> list(const UserId& owner) = 0;

  // False when the owner has no such feed.
  [[nodiscard]] virtual Result<bool> remove(const UserId& owner, const CalendarFeedId& id) = 0;

  [[nodiscard]] virtual Result<std::optional<CalendarFeed>> find_by_digest(
      std::string_view secret_digest) = 0;
};

}  // namespace marketing_events
