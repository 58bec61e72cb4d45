#pragma once

#include <chrono>
#include <string>

#include "marketing_events/jwt/signing_key.hpp"
#include "marketing_events/ports/access_tokens.hpp"

namespace marketing_events::jwt {

struct JwtSettings {
  std::string issuer = "marketing-events";
  std::string audience = "marketing-events-api";
  // Tolerated clock skew between the issuing and the verifying replica.
  std::chrono::seconds leeway{30};
  // Empty: the key's RFC 7638 thumbprint (or "hs256" for HMAC secrets).
  std::string key_id;
};

// Access tokens as compact JWS (RFC 7515) JWTs (RFC 7519), signed with one pinned key and
// algorithm. Verification accepts only that algorithm and key id, rejects "none", "crit" and
// malformed input, and checks iss, aud, exp, nbf and iat (with leeway), sub and jti.
class JwtAccessTokens final : public AccessTokenIssuer, public AccessTokenVerifier {
 public:
  JwtAccessTokens(SigningKey key, JwtSettings settings);

  [[nodiscard]] Result<std::string> issue(const AccessTokenClaims& claims) override;
  [[nodiscard]] Result<AccessTokenClaims> verify(std::string_view token,
                                                 Instant now) const override;

  // RFC 7517 JWK Set of the public verification keys ({"keys":[]} for HS256).
  [[nodiscard]] std::string jwks() const;
  [[nodiscard]] const std::string& key_id() const noexcept { return settings_.key_id; }

 private:
  SigningKey key_;
  JwtSettings settings_;
  std::string encoded_header_;  // fixed for the key, so encoded once
};

}  // namespace marketing_events::jwt
