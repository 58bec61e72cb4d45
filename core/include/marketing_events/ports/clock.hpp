#pragma once

#include "marketing_events/model/instant.hpp"

namespace marketing_events {

// Where the core learns the time; tests pin it.
class Clock {
 public:
  virtual ~Clock() = default;

  [[nodiscard]] virtual Instant now() const = 0;
};

}  // namespace marketing_events
