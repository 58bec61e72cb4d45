#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "marketing_events/model/instant.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events {

// One counted attempt: whether it is within the limit, and when its window closes (after which
// the count starts again).
struct Attempt {
  bool allowed = true;
  Instant window_closes;
};

// Attempts counted per key in fixed windows: a window opens at the first attempt after the
// previous one closed. Shared by every replica of the service, so limits hold across them.
class ThrottleStore {
 public:
  virtual ~ThrottleStore() = default;

  // Counts one attempt, atomically with every other caller, and says whether it is one of the
  // first `limit` of its window. Every call counts, allowed or not: of many racing callers, at
  // most `limit` are allowed.
  [[nodiscard]] virtual Result<Attempt> attempt(std::string_view key, Instant now,
                                                std::chrono::seconds window, int limit) = 0;
  // Takes back one counted attempt (one that turned out well).
  [[nodiscard]] virtual Result<void> forgive(std::string_view key) = 0;
  // Forgets the key's window.
  [[nodiscard]] virtual Result<void> clear(std::string_view key) = 0;
  // Housekeeping: deletes up to `at_most` windows closed by `now`; returns how many.
  [[nodiscard]] virtual Result<std::int64_t> remove_closed(Instant now, std::int64_t at_most) = 0;
};

}  // namespace marketing_events
