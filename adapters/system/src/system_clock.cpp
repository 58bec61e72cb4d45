#include "marketing_events/system/system_clock.hpp"

namespace marketing_events::system {

Instant SystemClock::now() const {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

}  // namespace marketing_events::system
