#include "marketing_events/memory/in_memory_refresh_token_repository.hpp"

#include <algorithm>
#include <vector>

namespace marketing_events::memory {

Result<void> InMemoryRefreshTokenRepository::add(const RefreshTokenRecord& record) {
  const std::scoped_lock lock(mutex_);
  if (!tokens_.emplace(record.digest, Stored{record, std::nullopt}).second) {
    return Error::of(ErrorCode::internal, "duplicate refresh token digest");
  }
  return {};
}

Result<std::optional<ConsumedRefreshToken>> InMemoryRefreshTokenRepository::consume(
    std::string_view digest, Instant now) {
  const std::scoped_lock lock(mutex_);
  const auto found = tokens_.find(digest);
  if (found == tokens_.end()) {
    return std::optional<ConsumedRefreshToken>{};
  }
  auto& stored = found->second;
  const bool was_unused = !stored.used_at && !revoked_families_.contains(stored.record.family_id);
  if (was_unused) {
    stored.used_at = now;
  }
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

Result<void> InMemoryRefreshTokenRepository::revoke_family(const Uuid& family_id, Instant now) {
  const std::scoped_lock lock(mutex_);
  revoked_families_.emplace(family_id, now);
  return {};
}

Result<void> InMemoryRefreshTokenRepository::trim_family(const Uuid& family_id, std::size_t keep) {
  const std::scoped_lock lock(mutex_);
  std::vector<std::pair<Instant, std::string>> used;  // (used at, digest)
  for (const auto& [digest, stored] : tokens_) {
    if (stored.record.family_id == family_id && stored.used_at) {
      used.emplace_back(*stored.used_at, digest);
    }
  }
  std::sort(used.begin(), used.end(), std::greater<>{});
  for (std::size_t i = keep; i < used.size(); ++i) {
    tokens_.erase(used[i].second);
  }
  return {};
}

Result<void> InMemoryRefreshTokenRepository::trim_user(const UserId& user_id, std::size_t keep) {
  const std::scoped_lock lock(mutex_);
  std::map<Uuid, Instant> last_issued;  // family -> its newest token
  for (const auto& [digest, stored] : tokens_) {
    if (stored.record.user_id == user_id) {
      auto& newest = last_issued[stored.record.family_id];
      newest = std::max(newest, stored.record.issued_at);
    }
  }
  std::vector<std::pair<Instant, Uuid>> families;
  families.reserve(last_issued.size());
  for (const auto& [family, newest] : last_issued) {
    families.emplace_back(newest, family);
  }
  std::sort(families.begin(), families.end(), std::greater<>{});
  for (std::size_t i = keep; i < families.size(); ++i) {
    std::erase_if(tokens_, [&](const auto& entry) {
      return entry.second.record.family_id == families[i].second;
    });
  }
  return {};
}

Result<std::int64_t> InMemoryRefreshTokenRepository::remove_stale(Instant now,
                                                                  std::int64_t at_most) {
  const std::scoped_lock lock(mutex_);
  std::int64_t removed = 0;
  for (auto it = tokens_.begin(); it != tokens_.end() && removed < at_most;) {
    const auto& record = it->second.record;
    if (record.expires_at <= now || revoked_families_.contains(record.family_id)) {
      it = tokens_.erase(it);
      ++removed;
    } else {
      ++it;
    }
  }
  std::int64_t revocations = 0;
  for (auto it = revoked_families_.begin();
       it != revoked_families_.end() && revocations < at_most;) {
    const bool tokens_left = std::any_of(tokens_.begin(), tokens_.end(), [&](const auto& entry) {
      return entry.second.record.family_id == it->first;
    });
    if (tokens_left) {
      ++it;
    } else {
      it = revoked_families_.erase(it);
      ++revocations;
    }
  }
  return removed + revocations;
}

Result<bool> InMemoryRefreshTokenRepository::has_family(const Uuid& family_id) {
  const std::scoped_lock lock(mutex_);
  return std::any_of(tokens_.begin(), tokens_.end(),
                     [&](const auto& entry) { return entry.second.record.family_id == family_id; });
}

std::size_t InMemoryRefreshTokenRepository::size() {
  const std::scoped_lock lock(mutex_);
  return tokens_.size();
}

}  // namespace marketing_events::memory
