#include "marketing_events/system/uuid_v7.hpp"

#include <array>

namespace marketing_events::system {
namespace {

constexpr std::uint32_t counter_limit = 0x1000;     // 12 bits
constexpr std::uint32_t counter_seed_mask = 0x7FF;  // leaves half the range for increments

}  // namespace

Uuid UuidV7Generator::next() {
  std::array<std::uint8_t, 10> entropy{};
  random_.fill(entropy);

  const auto since_epoch = clock_.now().time_since_epoch();
  const auto now_millis = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count());

  std::uint64_t millis = 0;
  std::uint32_t counter = 0;
  {
    const std::scoped_lock lock(mutex_);
    if (now_millis > last_millis_) {
      last_millis_ = now_millis;
      counter_ = ((std::uint32_t{entropy[0]} << 8U) | entropy[1]) & counter_seed_mask;
    } else if (++counter_ == counter_limit) {
      // Counter exhausted within one millisecond: borrow the next millisecond.
      ++last_millis_;
      counter_ = 0;
    }
    millis = last_millis_;
    counter = counter_;
  }

  Uuid::Bytes bytes{};
  for (std::size_t i = 0; i < 6; ++i) {
    bytes.at(i) = static_cast<std::uint8_t>(millis >> (40U - 8U * i));
  }
  bytes[6] = static_cast<std::uint8_t>(0x70U | (counter >> 8U));
  bytes[7] = static_cast<std::uint8_t>(counter & 0xFFU);
  bytes[8] = static_cast<std::uint8_t>(0x80U | (entropy[2] & 0x3FU));
  for (std::size_t i = 9; i < bytes.size(); ++i) {
    bytes.at(i) = entropy.at(i - 6);
  }
  return Uuid{bytes};
}

}  // namespace marketing_events::system
