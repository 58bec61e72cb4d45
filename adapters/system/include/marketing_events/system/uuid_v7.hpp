#pragma once

#include <cstdint>
#include <mutex>

#include "marketing_events/ports/clock.hpp"
#include "marketing_events/ports/id_generator.hpp"
#include "marketing_events/ports/secure_random.hpp"

namespace marketing_events::system {

// RFC 9562 UUIDv7: 48-bit Unix milliseconds, a 12-bit counter seeded randomly each
// millisecond (method 1 of section 6.2), 62 random bits. Strictly increasing per generator,
// even when the clock stands still or steps back. Thread-safe.
class UuidV7Generator final : public IdGenerator {
 public:
  UuidV7Generator(const Clock& clock, SecureRandom& random) : clock_(clock), random_(random) {}

  [[nodiscard]] Uuid next() override;

 private:
  const Clock& clock_;
  SecureRandom& random_;
  std::mutex mutex_;
  std::uint64_t last_millis_ = 0;
  std::uint32_t counter_ = 0;
};

}  // namespace marketing_events::system
