#pragma once

#include <string>

#include "marketing_events/ports/access_tokens.hpp"

namespace marketing_events::testing {

// Readable, unsigned tokens "fake.<subject>.<token id>.<issued>.<expires>" (microseconds).
// Verification checks the shape and the expiry, which is what the core's tests need.
class FakeAccessTokens final : public AccessTokenIssuer, public AccessTokenVerifier {
 public:
  [[nodiscard]] Result<std::string> issue(const AccessTokenClaims& claims) override;
  [[nodiscard]] Result<AccessTokenClaims> verify(std::string_view token,
                                                 Instant now) const override;
};

}  // namespace marketing_events::testing
