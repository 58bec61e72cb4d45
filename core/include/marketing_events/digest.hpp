#pragma once

// Pure, dependency-free encodings the core needs to store refresh tokens only as digests.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace marketing_events {

using Sha256Digest = std::array<std::uint8_t, 32>;

// FIPS 180-4 SHA-256.
[[nodiscard]] Sha256Digest sha256(std::string_view message);

[[nodiscard]] std::string to_hex(std::span<const std::uint8_t> bytes);

// RFC 4648 section 5, without padding.
[[nodiscard]] std::string base64url_encode(std::span<const std::uint8_t> bytes);

}  // namespace marketing_events
