#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "marketing_events/model/user.hpp"
#include "marketing_events/ports/access_tokens.hpp"
#include "marketing_events/ports/clock.hpp"
#include "marketing_events/ports/user_repository.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events {

// Who is calling, once their access token has been accepted.
struct Principal {
  UserId user;
};

struct AuthenticatorPorts {
  const AccessTokenVerifier& tokens;
  UserRepository& users;
  const Clock& clock;
};

struct AuthenticationPolicy {
  // How long a user, once found in the store, is trusted to still exist without asking again.
  // A deleted user's access token stops working at most this long after the deletion.
  std::chrono::seconds user_recheck_interval{10};
  // Users remembered at once. A full table first forgets its stale entries, then, if none is
  // stale, all of them (each costs one lookup to learn again).
  std::size_t max_remembered_users = 100'000;
};

// Access token → principal: the token must verify, and its subject must still exist.
// Thread-safe if the ports are.
class Authenticator {
 public:
  explicit Authenticator(const AuthenticatorPorts& ports, AuthenticationPolicy policy = {})
      : ports_(ports), policy_(policy) {}

  // ErrorCode::unauthenticated when the token is bad or its user is gone; unavailable when
  // the store cannot say.
  [[nodiscard]] Result<Principal> authenticate(std::string_view access_token);

 private:
  struct UuidHash {
    std::size_t operator()(const Uuid& id) const noexcept;
  };

  [[nodiscard]] bool recently_confirmed(const UserId& user, Instant now);
  void remember(const UserId& user, Instant now);

  AuthenticatorPorts ports_;
  AuthenticationPolicy policy_;
  std::mutex mutex_;
  std::unordered_map<UserId, Instant, UuidHash> confirmed_at_;
};

}  // namespace marketing_events
