#pragma once

#include <string>
#include <string_view>

#include "marketing_events/model/instant.hpp"
#include "marketing_events/model/user.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events {

// What an access token asserts.
struct AccessTokenClaims {
  UserId subject;
  Uuid token_id;
  Instant issued_at;
  Instant expires_at;

  friend bool operator==(const AccessTokenClaims&, const AccessTokenClaims&) = default;
};

// Signs short-lived access tokens (JWTs in production).
class AccessTokenIssuer {
 public:
  virtual ~AccessTokenIssuer() = default;

  [[nodiscard]] virtual Result<std::string> issue(const AccessTokenClaims& claims) = 0;
};

// Checks a presented access token; any failure is ErrorCode::unauthenticated.
class AccessTokenVerifier {
 public:
  virtual ~AccessTokenVerifier() = default;

  [[nodiscard]] virtual Result<AccessTokenClaims> verify(std::string_view token,
                                                         Instant now) const = 0;
};

}  // namespace marketing_events
