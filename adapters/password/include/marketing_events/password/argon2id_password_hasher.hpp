#pragma once

#include <cstddef>

#include "marketing_events/ports/password_hasher.hpp"

namespace marketing_events::password {

// Argon2id cost. The defaults are OWASP's first recommended configuration (19 MiB of memory,
// 2 passes, 1 lane); libsodium always uses one lane.
struct Argon2idCost {
  unsigned long long passes = 2;          // NOLINT(google-runtime-int): libsodium's type
  std::size_t memory_bytes = 19U << 20U;  // 19 MiB
};

// Passwords as libsodium's crypto_pwhash_str strings ("$argon2id$v=19$m=19456,t=2,p=1$...").
// Thread-safe; each call allocates its own working memory.
class Argon2idPasswordHasher final : public PasswordHasher {
 public:
  explicit Argon2idPasswordHasher(Argon2idCost cost = {});

  [[nodiscard]] Result<std::string> hash(std::string_view password) override;
  [[nodiscard]] bool verify(std::string_view password, std::string_view hash) override;

  // Whether `hash` was made with another cost and should be replaced at the next login.
  [[nodiscard]] bool needs_rehash(std::string_view hash) const;

 private:
  Argon2idCost cost_;
};

}  // namespace marketing_events::password
