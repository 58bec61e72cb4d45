#pragma once

#include "marketing_events/ports/clock.hpp"

namespace marketing_events::system {

// The real-time clock, at microsecond precision.
class SystemClock final : public Clock {
 public:
  [[nodiscard]] Instant now() const override;
};

}  // namespace marketing_events::system
