#pragma once

// Digests and text encodings from libsodium, for the adapters that sign, verify or store
// secrets (JWTs, JWK thumbprints, refresh-token digests). The core asks for them through ports.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace marketing_events::crypto {

using Sha256Digest = std::array<std::uint8_t, 32>;

// libsodium's one-time set-up; every function here calls it. Terminates if libsodium cannot
// start (no entropy source).
void initialise_sodium();

// FIPS 180-4 SHA-256.
[[nodiscard]] Sha256Digest sha256(std::string_view message);

// Lower-case hexadecimal.
[[nodiscard]] std::string to_hex(std::span<const std::uint8_t> bytes);

// RFC 4648 section 5, without padding.
[[nodiscard]] std::string base64url_encode(std::span<const std::uint8_t> bytes);

// Strict inverse of base64url_encode: no padding, no white space, no other alphabet, and no
// non-zero bits left over in the last character (so every byte string has one encoding).
[[nodiscard]] std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text);

}  // namespace marketing_events::crypto
