#include "marketing_events/crypto/random_secret_tokens.hpp"

#include <sodium.h>

#include <array>

#include "marketing_events/crypto/encoding.hpp"

namespace marketing_events::crypto {
namespace {

constexpr std::size_t secret_bytes = 32;

}  // namespace

RandomSecretTokens::RandomSecretTokens() {
  initialise_sodium();
}

std::string RandomSecretTokens::generate() {
  std::array<std::uint8_t, secret_bytes> secret{};
  randombytes_buf(secret.data(), secret.size());
  return base64url_encode(secret);
}

std::string RandomSecretTokens::digest(std::string_view secret) const {
  return to_hex(sha256(secret));
}

}  // namespace marketing_events::crypto
