#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
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

  // Whether any token of the family is stored.
  [[nodiscard]] virtual Result<bool> has_family(const Uuid& family_id) = 0;

  // Afterwards no token of the family can be consumed as unused. Idempotent.
  [[nodiscard]] virtual Result<void> revoke_family(const Uuid& family_id, Instant now) = 0;

  // Keeps the family's `keep` newest used tokens and deletes the older ones, so a family's rows
  // stay bounded however often it refreshes. (The token text names its family, so the use case
  // still recognises the reuse of a deleted one.)
  [[nodiscard]] virtual Result<void> trim_family(const Uuid& family_id, std::size_t keep) = 0;

  // Keeps the user's `keep` most recently refreshed families and deletes the others' tokens:
  // the oldest sessions end when a user has too many.
  [[nodiscard]] virtual Result<void> trim_user(const UserId& user_id, std::size_t keep) = 0;

  // Housekeeping: deletes up to `at_most` rows of each kind that can no longer matter —
  // tokens expired by `now`, tokens of revoked families, and revocations whose family has no
  // token left. Returns how many.
  [[nodiscard]] virtual Result<std::int64_t> remove_stale(Instant now, std::int64_t at_most) = 0;
};

}  // namespace marketing_events
