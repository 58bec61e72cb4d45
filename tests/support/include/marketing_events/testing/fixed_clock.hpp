#pragma once

#include <atomic>

#include "marketing_events/ports/clock.hpp"

namespace marketing_events::testing {

// A clock that moves only when told to.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(Instant start) : now_(start) {}

  [[nodiscard]] Instant now() const override { return now_.load(); }
  void set(Instant instant) { now_.store(instant); }
  void advance(std::chrono::microseconds by) { now_.store(now_.load() + by); }

 private:
  std::atomic<Instant> now_;
};

}  // namespace marketing_events::testing
