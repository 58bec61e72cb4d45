#include "marketing_events/jwt/verified_token_cache.hpp"

#include <mutex>

namespace marketing_events::jwt {

VerifiedTokenCache::VerifiedTokenCache(const AccessTokenVerifier& inner,
                                       std::chrono::seconds leeway, std::size_t capacity)
    : inner_(inner), leeway_(leeway), capacity_(capacity) {}

Result<AccessTokenClaims> VerifiedTokenCache::verify(std::string_view token, Instant now) const {
  {
    const std::shared_lock lock{mutex_};
    // C++20's heterogeneous lookup needs a transparent hash; one string copy is cheaper than
    // the signature check it saves.
    const auto found = accepted_.find(std::string(token));
    if (found != accepted_.end() && now < found->second.expires_at + leeway_) {
      return found->second;
    }
  }
  auto claims = inner_.verify(token, now);
  if (claims) {
    remember(token, *claims, now);
  }
  return claims;
}

void VerifiedTokenCache::remember(std::string_view token, const AccessTokenClaims& claims,
                                  Instant now) const {
  const std::unique_lock lock{mutex_};
  if (accepted_.size() >= capacity_) {
    // Full: drop what has expired; if that frees nothing, start again (all entries can be
    // re-verified, so the bound matters more than what survives).
    std::erase_if(accepted_,
                  [&](const auto& entry) { return now >= entry.second.expires_at + leeway_; });
    if (accepted_.size() >= capacity_) {
      accepted_.clear();
    }
  }
  accepted_.insert_or_assign(std::string(token), claims);
}

std::size_t VerifiedTokenCache::size() const {
  const std::shared_lock lock{mutex_};
  return accepted_.size();
}

}  // namespace marketing_events::jwt
