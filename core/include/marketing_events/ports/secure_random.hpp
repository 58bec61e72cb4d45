#pragma once

#include <cstdint>
#include <span>

namespace marketing_events {

// Cryptographically secure random bytes (refresh tokens, identifier entropy).
class SecureRandom {
 public:
  virtual ~SecureRandom() = default;

  // Fills `out` completely. An implementation that cannot must terminate, not return weak bytes.
  virtual void fill(std::span<std::uint8_t> out) = 0;
};

}  // namespace marketing_events
