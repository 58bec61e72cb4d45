#include "marketing_events/crypto/encoding.hpp"

#include <sodium.h>

#include <cstdlib>

namespace marketing_events::crypto {
namespace {

constexpr int url_safe = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

}  // namespace

void initialise_sodium() {
  // Thread-safe and idempotent; libsodium asks for it before any other call.
  static const bool ready = sodium_init() >= 0;
  if (!ready) {
    std::abort();  // no randomness: handing out guessable secrets is worse than stopping
  }
}

Sha256Digest sha256(std::string_view message) {
  initialise_sodium();
  Sha256Digest digest{};
  // NOLINTNEXTLINE(*-reinterpret-cast): libsodium takes bytes
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(message.data()),
                     message.size());
  return digest;
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  initialise_sodium();
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  hex.pop_back();  // the terminating NUL
  return hex;
}

std::string base64url_encode(std::span<const std::uint8_t> bytes) {
  initialise_sodium();
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), url_safe), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(), url_safe);
  text.resize(text.size() - 1);  // the terminating NUL
  return text;
}

std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text) {
  initialise_sodium();
  std::vector<std::uint8_t> bytes(text.size() * 3 / 4 + 1);
  std::size_t length = 0;
  const char* end = nullptr;
  // No characters to ignore: anything outside the alphabet fails, and libsodium refuses
  // non-zero leftover bits, so each byte string has exactly one accepted encoding.
  if (sodium_base642bin(bytes.data(), bytes.size(), text.data(), text.size(), nullptr, &length,
                        &end, url_safe) != 0 ||
      end != text.data() + text.size()) {  // NOLINT(*-pointer-arithmetic)
    return std::nullopt;
  }
  bytes.resize(length);
  return bytes;
}

}  // namespace marketing_events::crypto
