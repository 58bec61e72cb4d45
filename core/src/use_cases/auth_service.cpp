#include "marketing_events/use_cases/auth_service.hpp"

#include <algorithm>

namespace marketing_events {
namespace {

// Longer inputs cannot be one of our tokens; rejecting them early bounds the hashing work.
constexpr std::size_t max_refresh_token_length = 256;

Error unauthenticated(std::string detail) {
  return Error::of(ErrorCode::unauthenticated, std::move(detail));
}

std::chrono::seconds seconds_until(Instant later, Instant now) {
  return std::max(std::chrono::seconds{1}, std::chrono::ceil<std::chrono::seconds>(later - now));
}

}  // namespace

AuthService::AuthService(const AuthPorts& ports, AuthPolicy policy)
    : ports_(ports), policy_(policy) {
  auto decoy = ports_.passwords.hash(ports_.secrets.generate());
  if (decoy) {
    decoy_password_hash_ = std::move(decoy).value();
  }
}

Result<User> AuthService::register_user(std::string_view email, std::string_view password) {
  auto credentials = validate_credentials(email, password);
  if (!credentials) {
    return std::move(credentials).error();
  }
  auto hash = ports_.passwords.hash(credentials->password);
  if (!hash) {
    return std::move(hash).error();
  }
  User user{ports_.ids.next(), credentials->email, std::move(hash).value(), ports_.clock.now()};
  if (auto added = ports_.users.add(user); !added) {
    return std::move(added).error();
  }
  return user;
}

Result<TokenPair> AuthService::log_in(const LoginRequest& request) {
  const auto now = ports_.clock.now();
  const auto email = normalize_email(request.email);
  const auto email_key = "email:" + email;
  const auto client_key = request.client.empty() ? std::string{} : "client:" + request.client;
  if (auto allowed = check_throttle(email_key, client_key, now); !allowed) {
    return std::move(allowed).error();
  }

  auto found = ports_.users.find_by_email(email);
  if (!found) {
    return std::move(found).error();
  }
  const auto& user = found.value();
  // Verify against a decoy when there is no such user, so both failures take as long.
  const bool password_matches =
      ports_.passwords.verify(request.password,
                              user ? user->password_hash : decoy_password_hash_) &&
      user.has_value();
  if (!password_matches) {
    if (auto recorded = record_failure(email_key, client_key, now); !recorded) {
      return std::move(recorded).error();
    }
    return unauthenticated(user ? "wrong password" : "unknown e-mail");
  }
  if (auto cleared = ports_.login_throttle.clear(email_key); !cleared) {
    return std::move(cleared).error();
  }
  return issue_tokens(user->id, ports_.ids.next(), now);
}

Result<TokenPair> AuthService::refresh(std::string_view refresh_token) {
  if (refresh_token.empty() || refresh_token.size() > max_refresh_token_length) {
    return unauthenticated("malformed refresh token");
  }
  const auto now = ports_.clock.now();
  auto consumed = ports_.refresh_tokens.consume(ports_.secrets.digest(refresh_token), now);
  if (!consumed) {
    return std::move(consumed).error();
  }
  if (!consumed.value()) {
    return unauthenticated("unknown refresh token");
  }
  const auto& [record, was_unused] = *consumed.value();
  if (!was_unused) {
    if (auto revoked = ports_.refresh_tokens.revoke_family(record.family_id, now); !revoked) {
      return std::move(revoked).error();
    }
    return unauthenticated("refresh token reused; its family is revoked");
  }
  if (record.expires_at <= now) {
    return unauthenticated("expired refresh token");
  }
  auto user = ports_.users.find_by_id(record.user_id);
  if (!user) {
    return std::move(user).error();
  }
  if (!user.value()) {
    return unauthenticated("refresh token of a deleted user");
  }
  return issue_tokens(record.user_id, record.family_id, now);
}

Result<void> AuthService::log_out(std::string_view refresh_token) {
  if (refresh_token.empty() || refresh_token.size() > max_refresh_token_length) {
    return {};
  }
  auto found = ports_.refresh_tokens.find(ports_.secrets.digest(refresh_token));
  if (!found) {
    return std::move(found).error();
  }
  if (!found.value()) {
    return {};
  }
  return ports_.refresh_tokens.revoke_family(found.value()->family_id, ports_.clock.now());
}

Result<User> AuthService::current_user(const UserId& user_id) {
  auto found = ports_.users.find_by_id(user_id);
  if (!found) {
    return std::move(found).error();
  }
  if (!found.value()) {
    // A valid token for a user who no longer exists: the token no longer means anything.
    return unauthenticated("token subject no longer exists");
  }
  return std::move(*found.value());
}

Result<void> AuthService::check_throttle(const std::string& email_key,
                                         const std::string& client_key, Instant now) {
  std::chrono::seconds retry_after{0};
  const auto check = [&](const std::string& key, int limit) -> Result<void> {
    if (key.empty()) {
      return {};
    }
    auto window = ports_.login_throttle.failures(key, now, policy_.failure_window);
    if (!window) {
      return std::move(window).error();
    }
    if (window->failures >= limit) {
      retry_after =
          std::max(retry_after, seconds_until(window->opened_at + policy_.failure_window, now));
    }
    return {};
  };
  if (auto checked = check(email_key, policy_.max_failures_per_email); !checked) {
    return checked;
  }
  if (auto checked = check(client_key, policy_.max_failures_per_client); !checked) {
    return checked;
  }
  if (retry_after.count() > 0) {
    Error error = Error::of(ErrorCode::too_many_attempts, "login throttled");
    error.retry_after = retry_after;
    return error;
  }
  return {};
}

Result<void> AuthService::record_failure(const std::string& email_key,
                                         const std::string& client_key, Instant now) {
  for (const auto* key : {&email_key, &client_key}) {
    if (key->empty()) {
      continue;
    }
    if (auto recorded = ports_.login_throttle.record_failure(*key, now, policy_.failure_window);
        !recorded) {
      return std::move(recorded).error();
    }
  }
  return {};
}

Result<TokenPair> AuthService::issue_tokens(const UserId& user_id, const Uuid& family_id,
                                            Instant now) {
  auto access = ports_.access_tokens.issue(
      AccessTokenClaims{user_id, ports_.ids.next(), now, now + policy_.access_token_lifetime});
  if (!access) {
    return std::move(access).error();
  }
  auto refresh_token = ports_.secrets.generate();
  const RefreshTokenRecord record{ports_.secrets.digest(refresh_token), family_id, user_id, now,
                                  now + policy_.refresh_token_lifetime};
  if (auto stored = ports_.refresh_tokens.add(record); !stored) {
    return std::move(stored).error();
  }
  return TokenPair{std::move(access).value(), policy_.access_token_lifetime,
                   std::move(refresh_token), policy_.refresh_token_lifetime};
}

}  // namespace marketing_events
