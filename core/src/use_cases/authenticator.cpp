#include "marketing_events/use_cases/authenticator.hpp"

#include <cstring>

namespace marketing_events {

std::size_t Authenticator::UuidHash::operator()(const Uuid& id) const noexcept {
  // The last eight bytes of a UUIDv7 (or v4) are random: already a good hash.
  std::size_t hash = 0;
  std::memcpy(&hash, id.bytes().data() + id.bytes().size() - sizeof(hash), sizeof(hash));
  return hash;
}

Result<Principal> Authenticator::authenticate(std::string_view access_token) {
  const auto now = ports_.clock.now();
  auto claims = ports_.tokens.verify(access_token, now);
  if (!claims) {
    return std::move(claims).error();
  }
  const auto& user = claims->subject;
  if (recently_confirmed(user, now)) {
    return Principal{user};
  }
  auto found = ports_.users.find_by_id(user);
  if (!found) {
    return std::move(found).error();
  }
  if (!found.value()) {
    return Error::of(ErrorCode::unauthenticated, "token subject no longer exists");
  }
  remember(user, now);
  return Principal{user};
}

bool Authenticator::recently_confirmed(const UserId& user, Instant now) {
  const std::scoped_lock lock(mutex_);
  const auto found = confirmed_at_.find(user);
  // A clock that stepped back (now before the confirmation) does not extend the trust.
  return found != confirmed_at_.end() && found->second <= now &&
         now - found->second < policy_.user_recheck_interval;
}

void Authenticator::remember(const UserId& user, Instant now) {
  const std::scoped_lock lock(mutex_);
  if (confirmed_at_.size() >= policy_.max_remembered_users && !confirmed_at_.contains(user)) {
    // Full (see AuthenticationPolicy): the table never outgrows its bound.
    std::erase_if(confirmed_at_, [&](const auto& entry) {
      return now - entry.second >= policy_.user_recheck_interval;
    });
    if (confirmed_at_.size() >= policy_.max_remembered_users) {
      confirmed_at_.clear();
    }
  }
  confirmed_at_[user] = now;
}

}  // namespace marketing_events
