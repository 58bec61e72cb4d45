#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace marketing_events::crypto {

// Authenticated encryption (libsodium's XChaCha20-Poly1305-IETF) under one 256-bit key, for
// state the service hands to a client and must take back unread and unchanged (listing
// cursors). Thread-safe: const only.
class SealedBox {
 public:
  using Key = std::array<std::uint8_t, 32>;

  explicit SealedBox(const Key& key);

  // A key from libsodium's CSPRNG: what it seals dies with the process.
  [[nodiscard]] static SealedBox with_random_key();

  // A random nonce, the ciphertext and its tag, as bytes. `associated` is authenticated with
  // them but not carried: open() needs the same.
  [[nodiscard]] std::string seal(std::string_view plaintext, std::string_view associated) const;
  // The plaintext, if `sealed` came from seal() with this key and this `associated`.
  [[nodiscard]] std::optional<std::string> open(std::string_view sealed,
                                                std::string_view associated) const;

  // What seal() adds to the plaintext's length.
  static constexpr std::size_t overhead = 24 + 16;

 private:
  Key key_;
};

}  // namespace marketing_events::crypto
