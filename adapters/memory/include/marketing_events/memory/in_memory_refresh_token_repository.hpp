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
  [[nodiscard]] Result<void> revoke_family(const Uuid& family_id, Instant now) override;

 private:
  struct Stored {
    RefreshTokenRecord record;
    bool used = false;
  };

  std::mutex mutex_;
  std::map<std::string, Stored, std::less<>> tokens_;
  std::set<Uuid> revoked_families_;
};

}  // namespace marketing_events::memory
