#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace marketing_events {

// A 128-bit identifier. Byte order is the canonical (big-endian) one, so comparing bytes
// orders UUIDv7 values by creation time.
class Uuid {
 public:
  using Bytes = std::array<std::uint8_t, 16>;

  constexpr Uuid() = default;
  constexpr explicit Uuid(const Bytes& bytes) : bytes_(bytes) {}

  // Accepts only the 36-character hyphenated form (either case).
  [[nodiscard]] static std::optional<Uuid> parse(std::string_view text);

  // Canonical lower-case hyphenated form.
  [[nodiscard]] std::string to_string() const;
  // The same, appended to `out` (a response body being written, with no temporary string).
  void append_to(std::string& out) const;
  [[nodiscard]] const Bytes& bytes() const noexcept { return bytes_; }
  [[nodiscard]] int version() const noexcept { return bytes_[6] >> 4U; }
  [[nodiscard]] bool is_nil() const noexcept { return *this == Uuid{}; }

  // clang-tidy 14 mistakes the defaulted comparison's implicit "<=> 0" for a null pointer.
  friend constexpr auto operator<=>(const Uuid&,
                                    const Uuid&) = default;  // NOLINT(modernize-use-nullptr)

 private:
  Bytes bytes_{};
};

}  // namespace marketing_events
