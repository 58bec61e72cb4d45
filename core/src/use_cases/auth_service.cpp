#include "marketing_events/use_cases/auth_service.hpp"

#include <algorithm>

namespace marketing_events {
namespace {

// Longer inputs cannot be one of our tokens; rejecting them early bounds the hashing work.
constexpr std::size_t max_refresh_token_length = 256;

Error unauthenticated(std::string detail) {
  return Error::of(ErrorCode::unauthenticated, std::move(detail));
}

Error refresh_token_required() {
  return Error::invalid(ErrorCode::invalid_fields, {{"refresh_token", "is required"}});
}

std::chrono::seconds seconds_until(Instant later, Instant now) {
  return std::max(std::chrono::seconds{1}, std::chrono::ceil<std::chrono::seconds>(later - now));
}

// The keys of the throttle store, one prefix per kind of attempt.
std::string key(std::string_view kind, std::string_view who) {
  std::string text(kind);
  text += ':';
  text += who;
  return text;
}

}  // namespace

AuthService::AuthService(const AuthPorts& ports, const AuthPolicy& policy)
    : ports_(ports), policy_(policy) {
  auto decoy = ports_.passwords.hash(ports_.secrets.generate());
  if (decoy) {
    decoy_password_hash_ = std::move(decoy).value();
  }
}

Result<void> AuthService::within_limit(std::string_view key, Instant now,
                                       std::chrono::seconds window, int limit) {
  auto attempt = ports_.throttle.attempt(key, now, window, limit);
  if (!attempt) {
    return std::move(attempt).error();
  }
  if (!attempt->allowed) {
    // The kind of limit, never the key: keys hold e-mail addresses, which stay out of logs.
    Error error = Error::of(ErrorCode::too_many_attempts,
                            "throttled: " + std::string(key.substr(0, key.find(':'))));
    error.retry_after = seconds_until(attempt->window_closes, now);
    return error;
  }
  return {};
}

Result<User> AuthService::register_user(std::string_view email, std::string_view password,
                                        std::string_view client) {
  auto credentials = validate_credentials(email, password);
  if (!credentials) {
    return std::move(credentials).error();
  }
  const auto now = ports_.clock.now();
  if (!client.empty()) {
    if (auto allowed = within_limit(key("register", client), now, policy_.registration_window,
                                    policy_.max_registrations_per_client);
        !allowed) {
      return std::move(allowed).error();
    }
  }
  auto hash = ports_.passwords.hash(credentials->password);
  if (!hash) {
    return std::move(hash).error();
  }
  User user{ports_.ids.next(), credentials->email, std::move(hash).value(), now};
  if (auto added = ports_.users.add(user); !added) {
    return std::move(added).error();
  }
  return user;
}

Result<TokenPair> AuthService::log_in(const LoginRequest& request) {
  auto credentials = validate_login(request.email, request.password);
  if (!credentials) {
    return std::move(credentials).error();
  }
  const auto now = ports_.clock.now();
  const auto email_key = key("email", credentials->email);
  const auto client_key = request.client.empty() ? std::string{} : key("client", request.client);
  // Both attempts are counted before the password is checked, so that of many parallel
  // guesses only the allowed number is ever checked. The client first: a client over its limit
  // leaves no trace under the e-mails it tries.
  if (!client_key.empty()) {
    if (auto allowed =
            within_limit(client_key, now, policy_.failure_window, policy_.max_failures_per_client);
        !allowed) {
      return std::move(allowed).error();
    }
  }
  if (auto allowed =
          within_limit(email_key, now, policy_.failure_window, policy_.max_failures_per_email);
      !allowed) {
    if (!client_key.empty()) {
      (void)ports_.throttle.forgive(client_key);  // the e-mail's limit, not this client's doing
    }
    return std::move(allowed).error();
  }

  auto found = ports_.users.find_by_email(credentials->email);
  if (!found) {
    return std::move(found).error();
  }
  const auto& user = found.value();
  // Verify against a decoy when there is no such user, so both failures take as long.
  const bool password_matches =
      ports_.passwords.verify(credentials->password,
                              user ? user->password_hash : decoy_password_hash_) &&
      user.has_value();
  if (!password_matches) {
    return unauthenticated(user ? "wrong password" : "unknown e-mail");  // the attempts stand
  }
  // A success wipes the e-mail's failures and gives the client its attempt back.
  if (auto cleared = ports_.throttle.clear(email_key); !cleared) {
    return std::move(cleared).error();
  }
  if (!client_key.empty()) {
    if (auto forgiven = ports_.throttle.forgive(client_key); !forgiven) {
      return std::move(forgiven).error();
    }
  }
  auto pair = issue_tokens(user->id, ports_.ids.next(), now);
  if (pair) {
    if (auto trimmed = ports_.refresh_tokens.trim_user(user->id, policy_.max_sessions_per_user);
        !trimmed) {
      return std::move(trimmed).error();
    }
  }
  return pair;
}

Result<TokenPair> AuthService::refresh(std::string_view refresh_token) {
  if (refresh_token.empty()) {
    return refresh_token_required();
  }
  if (refresh_token.size() > max_refresh_token_length) {
    return unauthenticated("malformed refresh token");
  }
  const auto now = ports_.clock.now();
  const auto digest = ports_.secrets.digest(refresh_token);
  auto known = ports_.refresh_tokens.find(digest);
  if (!known) {
    return std::move(known).error();
  }
  if (!known.value()) {
    return not_stored(refresh_token, now);
  }
  const auto family_id = known.value()->family_id;
  if (auto allowed = within_limit(key("refresh", family_id.to_string()), now,
                                  policy_.refresh_window, policy_.max_refreshes_per_session);
      !allowed) {
    return std::move(allowed).error();
  }
  auto consumed = ports_.refresh_tokens.consume(digest, now);
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
  auto pair = issue_tokens(record.user_id, record.family_id, now);
  if (pair) {
    if (auto trimmed = ports_.refresh_tokens.trim_family(record.family_id,
                                                         policy_.used_tokens_kept_per_session);
        !trimmed) {
      return std::move(trimmed).error();
    }
  }
  return pair;
}

// A refresh token that is not stored: unknown, or an old token of a live session whose used
// tokens were trimmed (see AuthPolicy::used_tokens_kept_per_session). The token names its
// session, so the second is recognised as the reuse it is, and the session ends.
Result<TokenPair> AuthService::not_stored(std::string_view refresh_token, Instant now) {
  const auto family = Uuid::parse(refresh_token.substr(0, refresh_token.find('.')));
  if (!family) {
    return unauthenticated("unknown refresh token");
  }
  auto live = ports_.refresh_tokens.has_family(*family);
  if (!live) {
    return std::move(live).error();
  }
  if (!live.value()) {
    return unauthenticated("unknown refresh token");
  }
  if (auto revoked = ports_.refresh_tokens.revoke_family(*family, now); !revoked) {
    return std::move(revoked).error();
  }
  return unauthenticated("an old refresh token of a live session reused; its family is revoked");
}

Result<void> AuthService::log_out(std::string_view refresh_token) {
  if (refresh_token.empty()) {
    return refresh_token_required();
  }
  if (refresh_token.size() > max_refresh_token_length) {
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

Result<void> AuthService::delete_user(std::string_view email) {
  auto found = ports_.users.find_by_email(normalize_email(email));
  if (!found) {
    return std::move(found).error();
  }
  if (!found.value()) {
    return Error::of(ErrorCode::not_found, "no user with this e-mail");
  }
  auto removed = ports_.users.remove(found.value()->id);
  if (!removed) {
    return std::move(removed).error();
  }
  return {};
}

Result<Housekeeping> AuthService::remove_stale(std::int64_t at_most) {
  const auto now = ports_.clock.now();
  auto tokens = ports_.refresh_tokens.remove_stale(now, at_most);
  if (!tokens) {
    return std::move(tokens).error();
  }
  auto windows = ports_.throttle.remove_closed(now, at_most);
  if (!windows) {
    return std::move(windows).error();
  }
  return Housekeeping{*tokens, *windows};
}

Result<TokenPair> AuthService::issue_tokens(const UserId& user_id, const Uuid& family_id,
                                            Instant now) {
  auto access = ports_.access_tokens.issue(
      AccessTokenClaims{user_id, ports_.ids.next(), now, now + policy_.access_token_lifetime});
  if (!access) {
    return std::move(access).error();
  }
  // "<family>.<secret>": the family lets a reused token be recognised even once its row is gone.
  auto refresh_token = family_id.to_string() + "." + ports_.secrets.generate();
  const RefreshTokenRecord record{ports_.secrets.digest(refresh_token), family_id, user_id, now,
                                  now + policy_.refresh_token_lifetime};
  if (auto stored = ports_.refresh_tokens.add(record); !stored) {
    return std::move(stored).error();
  }
  return TokenPair{std::move(access).value(), policy_.access_token_lifetime,
                   std::move(refresh_token), policy_.refresh_token_lifetime};
}

}  // namespace marketing_events
