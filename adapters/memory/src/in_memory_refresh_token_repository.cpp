#include "marketing_events/memory/in_memory_refresh_token_repository.hpp"

namespace marketing_events::memory {

Result<void> InMemoryRefreshTokenRepository::add(const RefreshTokenRecord& record) {
  const std::scoped_lock lock(mutex_);
  if (!tokens_.emplace(record.digest, Stored{record, false}).second) {
    return Error::of(ErrorCode::internal, "duplicate refresh token digest");
  }
  return {};
}

Result<std::optional<ConsumedRefreshToken>> InMemoryRefreshTokenRepository::consume(
    std::string_view digest, Instant /*now*/) {
  const std::scoped_lock lock(mutex_);
  const auto found = tokens_.find(digest);
  if (found == tokens_.end()) {
    return std::optional<ConsumedRefreshToken>{};
  }
  auto& stored = found->second;
  const bool was_unused = !stored.used && !revoked_families_.contains(stored.record.family_id);
  stored.used = true;
  return std::optional<ConsumedRefreshToken>{ConsumedRefreshToken{stored.record, was_unused}};
}

Result<std::optional<RefreshTokenRecord>> InMemoryRefreshTokenRepository::find(
    std::string_view digest) {
  const std::scoped_lock lock(mutex_);
  const auto found = tokens_.find(digest);
  if (found == tokens_.end()) {
    return std::optional<RefreshTokenRecord>{};
  }
  return std::optional<RefreshTokenRecord>{found->second.record};
}

Result<void> InMemoryRefreshTokenRepository::revoke_family(const Uuid& family_id, Instant /*now*/) {
  const std::scoped_lock lock(mutex_);
  revoked_families_.insert(family_id);
  return {};
}

}  // namespace marketing_events::memory
