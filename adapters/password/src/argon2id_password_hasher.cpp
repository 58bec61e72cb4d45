#include "marketing_events/password/argon2id_password_hasher.hpp"

#include <sodium.h>

#include <array>
#include <cstdlib>

namespace marketing_events::password {

Argon2idPasswordHasher::Argon2idPasswordHasher(Argon2idCost cost) : cost_(cost) {
  // Safe to call from several threads and more than once; fails only if the system has no
  // usable random source, and then no password could be hashed safely.
  if (sodium_init() < 0) {
    std::abort();
  }
}

Result<std::string> Argon2idPasswordHasher::hash(std::string_view password) {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), cost_.passes,
                            cost_.memory_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error::of(ErrorCode::unavailable, "argon2id: out of memory");
  }
  return std::string(out.data());
}

bool Argon2idPasswordHasher::verify(std::string_view password, std::string_view hash) {
  // libsodium wants a NUL-terminated string of bounded length.
  std::array<char, crypto_pwhash_STRBYTES> stored{};
  if (hash.empty() || hash.size() >= stored.size()) {
    return false;
  }
  hash.copy(stored.data(), hash.size());
  return crypto_pwhash_str_verify(stored.data(), password.data(), password.size()) == 0;
}

bool Argon2idPasswordHasher::needs_rehash(std::string_view hash) const {
  std::array<char, crypto_pwhash_STRBYTES> stored{};
  if (hash.empty() || hash.size() >= stored.size()) {
    return true;
  }
  hash.copy(stored.data(), hash.size());
  return crypto_pwhash_str_needs_rehash(stored.data(), cost_.passes, cost_.memory_bytes) != 0;
}

}  // namespace marketing_events::password
