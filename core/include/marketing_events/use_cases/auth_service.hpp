#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "marketing_events/model/user.hpp"
#include "marketing_events/ports/access_tokens.hpp"
#include "marketing_events/ports/clock.hpp"
#include "marketing_events/ports/id_generator.hpp"
#include "marketing_events/ports/password_hasher.hpp"
#include "marketing_events/ports/refresh_token_repository.hpp"
#include "marketing_events/ports/secret_tokens.hpp"
#include "marketing_events/ports/throttle_store.hpp"
#include "marketing_events/ports/user_repository.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events {

struct AuthPolicy {
  std::chrono::seconds access_token_lifetime{900};
  std::chrono::seconds refresh_token_lifetime{2'592'000};
  // Failed logins tolerated per window, per e-mail and per client, before 429. Each attempt is
  // counted before its password is checked, so parallel attempts cannot slip past the limit.
  int max_failures_per_email = 5;
  int max_failures_per_client = 20;
  std::chrono::seconds failure_window{900};
  // Registrations per client (successful or not) per window: hashing is the costliest thing
  // an anonymous client can ask for.
  int max_registrations_per_client = 10;
  std::chrono::seconds registration_window{3600};
  // Refreshes per session (refresh-token family) per window: a client refreshing in a loop
  // cannot grow the store.
  int max_refreshes_per_session = 60;
  std::chrono::seconds refresh_window{3600};
  // Sessions a user may hold at once; a login beyond it ends the least recently used one.
  std::size_t max_sessions_per_user = 100;
  // Used refresh tokens kept per session to recognise their reuse; older ones are deleted.
  std::size_t used_tokens_kept_per_session = 16;
};

struct AuthPorts {
  UserRepository& users;
  RefreshTokenRepository& refresh_tokens;
  ThrottleStore& throttle;
  PasswordHasher& passwords;
  AccessTokenIssuer& access_tokens;
  const Clock& clock;
  IdGenerator& ids;
  SecretTokens& secrets;
};

struct LoginRequest {
  std::string email;
  std::string password;
  std::string client;  // who is asking (a network address); empty when unknown
};

struct TokenPair {
  std::string access_token;
  std::chrono::seconds expires_in{0};
  std::string refresh_token;  // opaque to clients: "<session id>.<secret from SecretTokens>"
  std::chrono::seconds refresh_expires_in{0};
};

// What one round of housekeeping deleted.
struct Housekeeping {
  std::int64_t refresh_tokens = 0;  // rows of expired tokens, revoked families and revocations
  std::int64_t throttle_windows = 0;
};

// Registration, login and the refresh-token lifecycle. Thread-safe if the ports are.
class AuthService {
 public:
  // Hashes one random password up front, so unknown e-mails cost as much as wrong passwords.
  AuthService(const AuthPorts& ports, const AuthPolicy& policy = {});

  // `client` (a network address) is throttled; empty (an operator's command) is not.
  [[nodiscard]] Result<User> register_user(std::string_view email, std::string_view password,
                                           std::string_view client = {});

  // Bad e-mail and bad password fail alike (unauthenticated); repeated failures throttle.
  [[nodiscard]] Result<TokenPair> log_in(const LoginRequest& request);

  // Consumes the token and returns a new pair of the same family. Presenting a consumed
  // token revokes its whole family.
  [[nodiscard]] Result<TokenPair> refresh(std::string_view refresh_token);

  // Revokes the token's family. Unknown tokens are fine: logging out twice succeeds.
  [[nodiscard]] Result<void> log_out(std::string_view refresh_token);

  [[nodiscard]] Result<User> current_user(const UserId& user_id);

  // Deletes the user with the given e-mail and everything they own. not_found if none.
  [[nodiscard]] Result<void> delete_user(std::string_view email);

  // Deletes what can no longer matter (expired and revoked refresh tokens, closed throttle
  // windows), up to `at_most` rows of each kind, so the stores stay proportional to live
  // sessions. Run periodically.
  [[nodiscard]] Result<Housekeeping> remove_stale(std::int64_t at_most);

  [[nodiscard]] const AuthPolicy& policy() const noexcept { return policy_; }

 private:
  [[nodiscard]] Result<void> within_limit(std::string_view key, Instant now,
                                          std::chrono::seconds window, int limit);
  [[nodiscard]] Result<TokenPair> issue_tokens(const UserId& user_id, const Uuid& family_id,
                                               Instant now);
  [[nodiscard]] Result<TokenPair> not_stored(std::string_view refresh_token, Instant now);

  AuthPorts ports_;
  AuthPolicy policy_;
  std::string decoy_password_hash_;
};

}  // namespace marketing_events
