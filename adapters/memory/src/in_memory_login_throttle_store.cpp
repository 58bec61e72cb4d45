#include "marketing_events/memory/in_memory_login_throttle_store.hpp"

namespace marketing_events::memory {

Result<FailureWindow> InMemoryLoginThrottleStore::failures(std::string_view key, Instant now,
                                                           std::chrono::seconds window) {
  const std::scoped_lock lock(mutex_);
  const auto found = windows_.find(key);
  if (found == windows_.end() || found->second.opened_at + window <= now) {
    return FailureWindow{0, now};
  }
  return found->second;
}

Result<FailureWindow> InMemoryLoginThrottleStore::record_failure(std::string_view key, Instant now,
                                                                 std::chrono::seconds window) {
  const std::scoped_lock lock(mutex_);
  auto found = windows_.find(key);
  if (found == windows_.end()) {
    found = windows_.emplace(std::string(key), FailureWindow{0, now}).first;
  } else if (found->second.opened_at + window <= now) {
    found->second = FailureWindow{0, now};
  }
  ++found->second.failures;
  return found->second;
}

Result<void> InMemoryLoginThrottleStore::clear(std::string_view key) {
  const std::scoped_lock lock(mutex_);
  if (const auto found = windows_.find(key); found != windows_.end()) {
    windows_.erase(found);
  }
  return {};
}

}  // namespace marketing_events::memory
