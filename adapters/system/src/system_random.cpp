#include "marketing_events/system/system_random.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstdlib>

namespace marketing_events::system {

void SystemRandom::fill(std::span<std::uint8_t> out) {
  std::size_t filled = 0;
  while (filled < out.size()) {
    const auto got = getrandom(out.subspan(filled).data(), out.size() - filled, 0);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      // Weak randomness would silently break every token: better to stop.
      std::abort();
    }
    filled += static_cast<std::size_t>(got);
  }
}

}  // namespace marketing_events::system
