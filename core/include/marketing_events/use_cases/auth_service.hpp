#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "marketing_events/model/user.hpp"
#include "marketing_events/ports/access_tokens.hpp"
#include "marketing_events/ports/clock.hpp"
#include "marketing_events/ports/id_generator.hpp"
#include "marketing_events/ports/login_throttle_store.hpp"
#include "marketing_events/ports/password_hasher.hpp"
#include "marketing_events/ports/refresh_token_repository.hpp"
#include "marketing_events/ports/secret_tokens.hpp"
#include "marketing_events/ports/user_repository.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events {

struct AuthPolicy {
  std::chrono::seconds access_token_lifetime{900};
  std::chrono::seconds refresh_token_lifetime{2'592'000};
  // Failed logins tolerated per window, per e-mail and per client, before 429.
  int max_failures_per_email = 5;
  int max_failures_per_client = 20;
  std::chrono::seconds failure_window{900};
};

struct AuthPorts {
  UserRepository& users;
  RefreshTokenRepository& refresh_tokens;
  LoginThrottleStore& login_throttle;
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
  std::string refresh_token;  // opaque: from the SecretTokens port
  std::chrono::seconds refresh_expires_in{0};
};

// Registration, login and the refresh-token lifecycle. Thread-safe if the ports are.
class AuthService {
 public:
  // Hashes one random password up front, so unknown e-mails cost as much as wrong passwords.
  AuthService(const AuthPorts& ports, AuthPolicy policy = {});

  [[nodiscard]] Result<User> register_user(std::string_view email, std::string_view password);

  // Bad e-mail and bad password fail alike (unauthenticated); repeated failures throttle.
  [[nodiscard]] Result<TokenPair> log_in(const LoginRequest& request);

  // Consumes the token and returns a new pair of the same family. Presenting a consumed
  // token revokes its whole family.
  [[nodiscard]] Result<TokenPair> refresh(std::string_view refresh_token);

  // Revokes the token's family. Unknown tokens are fine: logging out twice succeeds.
  [[nodiscard]] Result<void> log_out(std::string_view refresh_token);

  [[nodiscard]] Result<User> current_user(const UserId& user_id);

  [[nodiscard]] const AuthPolicy& policy() const noexcept { return policy_; }

 private:
  [[nodiscard]] Result<void> check_throttle(const std::string& email_key,
                                            const std::string& client_key, Instant now);
  [[nodiscard]] Result<void> record_failure(const std::string& email_key,
                                            const std::string& client_key, Instant now);
  [[nodiscard]] Result<TokenPair> issue_tokens(const UserId& user_id, const Uuid& family_id,
                                               Instant now);

  AuthPorts ports_;
  AuthPolicy policy_;
  std::string decoy_password_hash_;
};

}  // namespace marketing_events
