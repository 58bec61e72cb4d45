#pragma once

#include <chrono>
#include <cstddef>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "marketing_events/ports/access_tokens.hpp"

namespace marketing_events::jwt {

// Remembers the access tokens another verifier accepted, so that a client's next requests
// with the same token skip the signature check (an Ed25519 verification was half the CPU of
// a GET by id: bench/RESULTS.md). Only a byte-for-byte copy of an accepted token hits, and
// its expiry is checked again at every use; rejections are never cached. Thread-safe.
class VerifiedTokenCache final : public AccessTokenVerifier {
 public:
  // `leeway` must be the inner verifier's, so an entry expires exactly when it would.
  VerifiedTokenCache(const AccessTokenVerifier& inner, std::chrono::seconds leeway,
                     std::size_t capacity = 10'000);

  [[nodiscard]] Result<AccessTokenClaims> verify(std::string_view token,
                                                 Instant now) const override;

  [[nodiscard]] std::size_t size() const;

 private:
  void remember(std::string_view token, const AccessTokenClaims& claims, Instant now) const;

  const AccessTokenVerifier& inner_;
  std::chrono::seconds leeway_;
  std::size_t capacity_;
  mutable std::shared_mutex mutex_;
  mutable std::unordered_map<std::string, AccessTokenClaims> accepted_;
};

}  // namespace marketing_events::jwt
