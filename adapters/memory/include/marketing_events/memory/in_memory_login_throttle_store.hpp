#pragma once

#include <map>
#include <mutex>
#include <string>

#include "marketing_events/ports/login_throttle_store.hpp"

namespace marketing_events::memory {

// Thread-safe; holds for one process only (PostgreSQL's holds across replicas).
class InMemoryLoginThrottleStore final : public LoginThrottleStore {
 public:
  [[nodiscard]] Result<FailureWindow> failures(std::string_view key, Instant now,
                                               std::chrono::seconds window) override;
  [[nodiscard]] Result<FailureWindow> record_failure(std::string_view key, Instant now,
                                                     std::chrono::seconds window) override;
  [[nodiscard]] Result<void> clear(std::string_view key) override;

 private:
  std::mutex mutex_;
  std::map<std::string, FailureWindow, std::less<>> windows_;
};

}  // namespace marketing_events::memory
