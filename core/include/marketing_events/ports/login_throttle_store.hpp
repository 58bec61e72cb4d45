#pragma once

#include <chrono>
#include <string_view>

#include "marketing_events/model/instant.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events {

// Failed logins counted in fixed windows: a window opens at the first failure after the
// previous one closed, and lasts `window`.
struct FailureWindow {
  int failures = 0;
  Instant opened_at;
};

// Shared by every replica of the service, so that throttling holds across them.
class LoginThrottleStore {
 public:
  virtual ~LoginThrottleStore() = default;

  // The window open at `now` for `key` (zero failures if none is).
  [[nodiscard]] virtual Result<FailureWindow> failures(std::string_view key, Instant now,
                                                       std::chrono::seconds window) = 0;
  // Counts one failure atomically and returns the window after it.
  [[nodiscard]] virtual Result<FailureWindow> record_failure(std::string_view key, Instant now,
                                                             std::chrono::seconds window) = 0;
  [[nodiscard]] virtual Result<void> clear(std::string_view key) = 0;
};

}  // namespace marketing_events
