#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>

#include "marketing_events/ports/refresh_token_repository.hpp"

namespace marketing_events::memory {

// Thread-safe.
class InMemoryRefreshTokenRepository final : public RefreshTokenRepository {
 public:
  [[nodiscard]] Result<void> add(const RefreshTokenRecord& record) override;
  [[nodiscard]] Result<std::optional<ConsumedRefreshToken>> consume(std::string_view digest,
                                                                    Instant now) override;
  [[nodiscard]] Result<std::optional<RefreshTokenRecord>> find(std::string_view digest) override;
  [[nodiscard]] Result<bool> has_family(const Uuid& family_id) override;
  [[nodiscard]] Result<void> revoke_family(const Uuid& family_id, Instant now) override;
  [[nodiscard]] Result<void> trim_family(const Uuid& family_id, std::size_t keep) override;
  [[nodiscard]] Result<void> trim_user(const UserId& user_id, std::size_t keep) override;
  [[nodiscard]] Result<std::int64_t> remove_stale(Instant now, std::int64_t at_most) override;

  [[nodiscard]] std::size_t size();

 private:
  struct Stored {
    RefreshTokenRecord record;
    std::optional<Instant> used_at;
  };

  std::mutex mutex_;
  std::map<std::string, Stored, std::less<>> tokens_;
  std::map<Uuid, Instant> revoked_families_;  // when
};

}  // namespace marketing_events::memory
