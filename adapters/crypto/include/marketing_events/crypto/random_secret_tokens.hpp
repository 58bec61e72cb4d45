#pragma once

#include "marketing_events/ports/secret_tokens.hpp"

namespace marketing_events::crypto {

// 256 bits from libsodium's CSPRNG as unpadded base64url (43 characters); the digest is the
// hex SHA-256 of the text. Thread-safe.
class RandomSecretTokens final : public SecretTokens {
 public:
  RandomSecretTokens();

  [[nodiscard]] std::string generate() override;
  [[nodiscard]] std::string digest(std::string_view secret) const override;
};

}  // namespace marketing_events::crypto
