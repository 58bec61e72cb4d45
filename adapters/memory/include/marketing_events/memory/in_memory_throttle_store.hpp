#pragma once

#include <map>
#include <mutex>
#include <string>

#include "marketing_events/ports/throttle_store.hpp"

namespace marketing_events::memory {

// Thread-safe; holds for one process only (PostgreSQL's holds across replicas).
class InMemoryThrottleStore final : public ThrottleStore {
 public:
  [[nodiscard]] Result<Attempt> attempt(std::string_view key, Instant now,
                                        std::chrono::seconds window, int limit) override;
  [[nodiscard]] Result<void> forgive(std::string_view key) override;
  [[nodiscard]] Result<void> clear(std::string_view key) override;
  [[nodiscard]] Result<std::int64_t> remove_closed(Instant now, std::int64_t at_most) override;

  [[nodiscard]] std::size_t size();

 private:
  struct Window {
    int attempts = 0;
    Instant closes;
  };

  std::mutex mutex_;
  std::map<std::string, Window, std::less<>> windows_;
};

}  // namespace marketing_events::memory
