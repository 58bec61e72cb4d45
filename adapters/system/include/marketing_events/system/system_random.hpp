#pragma once

#include "marketing_events/ports/secure_random.hpp"

namespace marketing_events::system {

// The kernel's CSPRNG (getrandom(2)). Thread-safe; terminates if the kernel refuses.
class SystemRandom final : public SecureRandom {
 public:
  void fill(std::span<std::uint8_t> out) override;
};

}  // namespace marketing_events::system
