#include "marketing_events/memory/in_memory_throttle_store.hpp"

#include <algorithm>

namespace marketing_events::memory {
namespace {

// Attempts beyond any limit are not told apart; the count stops here so it cannot overflow.
constexpr int max_counted_attempts = 1'000'000;

}  // namespace

Result<Attempt> InMemoryThrottleStore::attempt(std::string_view key, Instant now,
                                               std::chrono::seconds window, int limit) {
  const std::scoped_lock lock(mutex_);
  auto found = windows_.find(key);
  if (found == windows_.end()) {
    found = windows_.emplace(std::string(key), Window{0, now + window}).first;
  } else if (found->second.closes <= now) {
    found->second = Window{0, now + window};
  }
  auto& counted = found->second;
  counted.attempts = std::min(counted.attempts + 1, max_counted_attempts);
  return Attempt{counted.attempts <= limit, counted.closes};
}

Result<void> InMemoryThrottleStore::forgive(std::string_view key) {
  const std::scoped_lock lock(mutex_);
  if (const auto found = windows_.find(key); found != windows_.end()) {
    found->second.attempts = std::max(0, found->second.attempts - 1);
  }
  return {};
}

Result<void> InMemoryThrottleStore::clear(std::string_view key) {
  const std::scoped_lock lock(mutex_);
  if (const auto found = windows_.find(key); found != windows_.end()) {
    windows_.erase(found);
  }
  return {};
}

Result<std::int64_t> InMemoryThrottleStore::remove_closed(Instant now, std::int64_t at_most) {
  const std::scoped_lock lock(mutex_);
  std::int64_t removed = 0;
  for (auto it = windows_.begin(); it != windows_.end() && removed < at_most;) {
    if (it->second.closes <= now) {
      it = windows_.erase(it);
      ++removed;
    } else {
      ++it;
    }
  }
  return removed;
}

std::size_t InMemoryThrottleStore::size() {
  const std::scoped_lock lock(mutex_);
  return windows_.size();
}

}  // namespace marketing_events::memory
