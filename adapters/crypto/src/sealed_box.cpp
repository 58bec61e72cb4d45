#include "marketing_events/crypto/sealed_box.hpp"

#include <sodium.h>

#include "marketing_events/crypto/encoding.hpp"

namespace marketing_events::crypto {
namespace {

constexpr std::size_t nonce_size = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;

// NOLINTBEGIN(*-reinterpret-cast): libsodium takes bytes
const unsigned char* bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}
unsigned char* bytes(std::string& text) {
  return reinterpret_cast<unsigned char*>(text.data());
}
// NOLINTEND(*-reinterpret-cast)

}  // namespace

SealedBox::SealedBox(const Key& key) : key_(key) {
  static_assert(sizeof(Key) == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
  static_assert(overhead == nonce_size + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  initialise_sodium();
}

SealedBox SealedBox::with_random_key() {
  initialise_sodium();
  Key key{};
  crypto_aead_xchacha20poly1305_ietf_keygen(key.data());
  return SealedBox{key};
}

std::string SealedBox::seal(std::string_view plaintext, std::string_view associated) const {
  std::string sealed(nonce_size + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES,
                     '\0');
  randombytes_buf(sealed.data(), nonce_size);  // 192 random bits never repeat in practice
  unsigned long long written = 0;
  const auto* nonce = bytes(sealed);
  crypto_aead_xchacha20poly1305_ietf_encrypt(std::next(bytes(sealed), nonce_size), &written,
                                             bytes(plaintext), plaintext.size(), bytes(associated),
                                             associated.size(), nullptr, nonce, key_.data());
  sealed.resize(nonce_size + written);
  return sealed;
}

std::optional<std::string> SealedBox::open(std::string_view sealed,
                                           std::string_view associated) const {
  if (sealed.size() < overhead) {
    return std::nullopt;
  }
  std::string plaintext(sealed.size() - overhead, '\0');
  unsigned long long written = 0;
  const auto ciphertext = sealed.substr(nonce_size);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          bytes(plaintext), &written, nullptr, bytes(ciphertext), ciphertext.size(),
          bytes(associated), associated.size(), bytes(sealed), key_.data()) != 0) {
    return std::nullopt;
  }
  plaintext.resize(written);
  return plaintext;
}

}  // namespace marketing_events::crypto
