#include "marketing_events/crypto/message_authenticator.hpp"

#include <sodium.h>

#include "marketing_events/crypto/encoding.hpp"

namespace marketing_events::crypto {

MessageAuthenticator::MessageAuthenticator(const Key& key) : key_(key) {
  static_assert(sizeof(Key) == crypto_auth_hmacsha256_KEYBYTES);
  static_assert(sizeof(Tag) == crypto_auth_hmacsha256_BYTES);
  initialise_sodium();
}

MessageAuthenticator MessageAuthenticator::with_random_key() {
  initialise_sodium();
  Key key{};
  crypto_auth_hmacsha256_keygen(key.data());
  return MessageAuthenticator{key};
}

MessageAuthenticator::Tag MessageAuthenticator::tag(std::string_view message) const {
  Tag tag{};
  // NOLINTNEXTLINE(*-reinterpret-cast): libsodium takes bytes
  crypto_auth_hmacsha256(tag.data(), reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), key_.data());
  return tag;
}

bool MessageAuthenticator::verify(std::string_view message,
                                  std::span<const std::uint8_t> tag) const {
  return tag.size() == sizeof(Tag) &&
         crypto_auth_hmacsha256_verify(tag.data(),
                                       // NOLINTNEXTLINE(*-reinterpret-cast): libsodium takes bytes
                                       reinterpret_cast<const unsigned char*>(message.data()),
                                       message.size(), key_.data()) == 0;
}

}  // namespace marketing_events::crypto
