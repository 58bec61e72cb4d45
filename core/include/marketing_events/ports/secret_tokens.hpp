#pragma once

#include <string>
#include <string_view>

namespace marketing_events {

// Bearer secrets the service hands out and later recognises (refresh tokens): random, and kept
// only as a one-way digest, so a copy of the store holds no usable token.
class SecretTokens {
 public:
  virtual ~SecretTokens() = default;

  // A new secret: at least 256 random bits, as URL-safe text.
  [[nodiscard]] virtual std::string generate() = 0;

  // The stored form of a secret: deterministic and one-way.
  [[nodiscard]] virtual std::string digest(std::string_view secret) const = 0;
};

}  // namespace marketing_events
