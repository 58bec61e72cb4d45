#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace marketing_events::crypto {

// HMAC-SHA-256 (RFC 2104) under one 256-bit key, for state the service hands to a client and
// must recognise unchanged when it comes back (listing cursors). Thread-safe: const only.
class MessageAuthenticator {
 public:
  using Key = std::array<std::uint8_t, 32>;
  using Tag = std::array<std::uint8_t, 32>;

  explicit MessageAuthenticator(const Key& key);

  // A key from libsodium's CSPRNG: tags die with the process.
  [[nodiscard]] static MessageAuthenticator with_random_key();

  [[nodiscard]] Tag tag(std::string_view message) const;
  // Whether `tag` is this key's tag of `message`, compared in constant time.
  [[nodiscard]] bool verify(std::string_view message, std::span<const std::uint8_t> tag) const;

 private:
  Key key_;
};

}  // namespace marketing_events::crypto
