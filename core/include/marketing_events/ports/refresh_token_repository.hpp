#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "marketing_events/model/instant.hpp"
#include "marketing_events/model/user.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events {

// A refresh token as stored: only its digest, never the token itself. Every token descended
// from one login shares a family.
struct RefreshTokenRecord {
  std::string digest;
  Uuid family_id;
  UserId user_id;
  Instant issued_at;
  Instant expires_at;

  friend bool operator==(const RefreshTokenRecord&, const RefreshTokenRecord&) = default;
};

struct ConsumedRefreshToken {
  RefreshTokenRecord record;
  // True for exactly one consume() of a token that was neither used nor revoked.
  bool was_unused = false;
};

class RefreshTokenRepository {
 public:
  virtual ~RefreshTokenRepository() = default;

  [[nodiscard]] virtual Result<void> add(const RefreshTokenRecord& record) = 0;

  // Marks the token used, atomically: of concurrent calls, at most one sees was_unused.
  // nullopt when no token has this digest.
  [[nodiscard]] virtual Result<std::optional<ConsumedRefreshToken>> consume(std::string_view digest,
                                                                            Instant now) = 0;

  [[nodiscard]] virtual Result<std::optional<RefreshTokenRecord>> find(std::string_view digest) = 0;

  // Afterwards no token of the family can be consumed as unused. Idempotent.
  [[nodiscard]] virtual Result<void> revoke_family(const Uuid& family_id, Instant now) = 0;
};

}  // namespace marketing_events
