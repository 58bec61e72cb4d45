#pragma once

#include "marketing_events/model/uuid.hpp"

namespace marketing_events {

// New identifiers for users, events, token families and token ids.
class IdGenerator {
 public:
  virtual ~IdGenerator() = default;

  [[nodiscard]] virtual Uuid next() = 0;
};

}  // namespace marketing_events
