#include <catch2/catch.hpp>

#include "marketing_events/testing/auth_scenarios.hpp"
#include "marketing_events/testing/in_memory_services.hpp"

using namespace marketing_events;
using namespace std::chrono_literals;
using testing::InMemoryServices;

namespace {

constexpr const char* password = "correct horse battery";

TokenPair log_in(InMemoryServices& app, const char* client = "198.51.100.7") {
  auto pair = app.auth.log_in({"ana@example.com", password, client});
  REQUIRE(pair.has_value());
  return pair.value();
}

}  // namespace

TEST_CASE("registration stores a normalised e-mail and only a hash of the password") {
  InMemoryServices app;
  const auto user = app.auth.register_user(" Ana@Example.com ", password);
  REQUIRE(user.has_value());
  CHECK(user->email == "ana@example.com");
  CHECK(user->id.version() == 7);
  CHECK(user->created_at == testing::test_epoch);
  CHECK(user->password_hash.find(password) == std::string::npos);
  const auto stored = app.users.find_by_email("ana@example.com").value();
  REQUIRE(stored.has_value());
  CHECK(stored->id == user->id);
}

TEST_CASE("an e-mail registers once, however it is capitalised") {
  InMemoryServices app;
  REQUIRE(app.auth.register_user("ana@example.com", password).has_value());
  const auto again = app.auth.register_user("ANA@example.com", "another password");
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().code == ErrorCode::conflict);
}

TEST_CASE("login issues an access token for the user and a 256-bit refresh token") {
  InMemoryServices app;
  const auto user = app.auth.register_user("ana@example.com", password).value();
  const auto pair = log_in(app);
  CHECK(pair.expires_in == 900s);
  CHECK(pair.refresh_expires_in == 2'592'000s);
  // "<session id>.<secret>": 36 characters of UUID, then 32 random bytes in unpadded base64url.
  CHECK(pair.refresh_token.size() == 36 + 1 + 43);
  CHECK(pair.refresh_token[36] == '.');
  const auto claims = app.access_tokens.verify(pair.access_token, app.clock.now());
  REQUIRE(claims.has_value());
  CHECK(claims->subject == user.id);
  CHECK(claims->expires_at == app.clock.now() + 900s);
  // Only the digest is stored.
  CHECK_FALSE(app.refresh_tokens.find(pair.refresh_token).value().has_value());
  CHECK(app.refresh_tokens.find(app.secrets.digest(pair.refresh_token)).value().has_value());
}

TEST_CASE("unknown e-mails and wrong passwords fail alike, and both cost a verification") {
  InMemoryServices app;
  REQUIRE(app.auth.register_user("ana@example.com", password).has_value());
  const auto before = app.passwords.verifications();
  const auto wrong_password = app.auth.log_in({"ana@example.com", "wrong password", ""});
  const auto unknown_email = app.auth.log_in({"bob@example.com", password, ""});
  REQUIRE_FALSE(wrong_password.has_value());
  REQUIRE_FALSE(unknown_email.has_value());
  CHECK(wrong_password.error().code == ErrorCode::unauthenticated);
  CHECK(unknown_email.error().code == ErrorCode::unauthenticated);
  CHECK(app.passwords.verifications() - before == 2);
}

TEST_CASE("repeated failures for one e-mail are throttled until the window closes") {
  InMemoryServices app;
  REQUIRE(app.auth.register_user("ana@example.com", password).has_value());
  for (int i = 0; i < 5; ++i) {
    CHECK(app.auth.log_in({"ana@example.com", "wrong password", ""}).error().code ==
          ErrorCode::unauthenticated);
  }
  app.clock.advance(60s);
  const auto throttled = app.auth.log_in({"ana@example.com", password, ""});
  REQUIRE_FALSE(throttled.has_value());
  CHECK(throttled.error().code == ErrorCode::too_many_attempts);
  CHECK(throttled.error().retry_after == 840s);
  app.clock.advance(840s);
  CHECK(app.auth.log_in({"ana@example.com", password, ""}).has_value());
}

TEST_CASE("a successful login resets the e-mail's failure count") {
  InMemoryServices app;
  REQUIRE(app.auth.register_user("ana@example.com", password).has_value());
  for (int i = 0; i < 4; ++i) {
    REQUIRE_FALSE(app.auth.log_in({"ana@example.com", "wrong password", ""}).has_value());
  }
  REQUIRE(app.auth.log_in({"ana@example.com", password, ""}).has_value());
  for (int i = 0; i < 4; ++i) {
    REQUIRE_FALSE(app.auth.log_in({"ana@example.com", "wrong password", ""}).has_value());
  }
  CHECK(app.auth.log_in({"ana@example.com", password, ""}).has_value());
}

TEST_CASE("one client guessing across many e-mails is throttled too") {
  AuthPolicy policy;
  policy.max_failures_per_client = 3;
  InMemoryServices app{policy};
  REQUIRE(app.auth.register_user("ana@example.com", password).has_value());
  for (const auto* email : {"a@example.com", "b@example.com", "c@example.com"}) {
    REQUIRE(app.auth.log_in({email, password, "203.0.113.9"}).error().code ==
            ErrorCode::unauthenticated);
  }
  CHECK(app.auth.log_in({"ana@example.com", password, "203.0.113.9"}).error().code ==
        ErrorCode::too_many_attempts);
  CHECK(app.auth.log_in({"ana@example.com", password, "198.51.100.1"}).has_value());
}

TEST_CASE("refresh rotates: the new token works, the old one is spent") {
  InMemoryServices app;
  REQUIRE(app.auth.register_user("ana@example.com", password).has_value());
  const auto first = log_in(app);
  const auto second = app.auth.refresh(first.refresh_token);
  REQUIRE(second.has_value());
  CHECK(second->refresh_token != first.refresh_token);
  const auto third = app.auth.refresh(second->refresh_token);
  REQUIRE(third.has_value());
  const auto family = [&](const std::string& token) {
    return app.refresh_tokens.find(app.secrets.digest(token)).value()->family_id;
  };
  CHECK(family(third->refresh_token) == family(first.refresh_token));
}

TEST_CASE("reusing a spent refresh token revokes its whole family, and only it") {
  InMemoryServices app;
  REQUIRE(app.auth.register_user("ana@example.com", password).has_value());
  const auto stolen = log_in(app);
  const auto other_device = log_in(app);
  const auto rotated = app.auth.refresh(stolen.refresh_token).value();

  const auto replay = app.auth.refresh(stolen.refresh_token);
  REQUIRE_FALSE(replay.has_value());
  CHECK(replay.error().code == ErrorCode::unauthenticated);
  // The legitimate holder's descendant is revoked with it.
  CHECK(app.auth.refresh(rotated.refresh_token).error().code == ErrorCode::unauthenticated);
  // Another login's family is untouched.
  CHECK(app.auth.refresh(other_device.refresh_token).has_value());
}

TEST_CASE("expired, unknown and malformed refresh tokens are refused") {
  InMemoryServices app;
  REQUIRE(app.auth.register_user("ana@example.com", password).has_value());
  const auto pair = log_in(app);
  CHECK(app.auth.refresh("not-a-token").error().code == ErrorCode::unauthenticated);
  // No token at all is a request to fix, not a failed authentication.
  const auto missing = app.auth.refresh("");
  CHECK(missing.error().code == ErrorCode::invalid_fields);
  CHECK(missing.error().fields.at(0).field == "refresh_token");
  CHECK(app.auth.refresh(std::string(10'000, 'x')).error().code == ErrorCode::unauthenticated);
  app.clock.advance(2'592'000s);
  CHECK(app.auth.refresh(pair.refresh_token).error().code == ErrorCode::unauthenticated);
}

TEST_CASE("logout revokes the family and can be repeated") {
  InMemoryServices app;
  REQUIRE(app.auth.register_user("ana@example.com", password).has_value());
  const auto first = log_in(app);
  const auto second = app.auth.refresh(first.refresh_token).value();
  CHECK(app.auth.log_out(first.refresh_token).has_value());
  CHECK(app.auth.refresh(second.refresh_token).error().code == ErrorCode::unauthenticated);
  CHECK(app.auth.log_out(first.refresh_token).has_value());
  CHECK(app.auth.log_out("never issued").has_value());
}

TEST_CASE("the current user is the token's subject, while it exists") {
  InMemoryServices app;
  const auto user = app.auth.register_user("ana@example.com", password).value();
  const auto me = app.auth.current_user(user.id);
  REQUIRE(me.has_value());
  CHECK(me->email == "ana@example.com");
  CHECK(app.auth.current_user(app.ids.next()).error().code == ErrorCode::unauthenticated);
}

TEST_CASE("parallel wrong logins cannot slip past the limit") {
  InMemoryServices app;
  testing::check_parallel_wrong_logins(app);
}

TEST_CASE("a session refreshing in a loop is throttled, and its rows stay bounded") {
  AuthPolicy policy;
  policy.max_refreshes_per_session = 40;
  InMemoryServices app{policy};
  REQUIRE(app.auth.register_user("ana@example.com", password));
  auto token = log_in(app).refresh_token;
  for (int i = 0; i < 40; ++i) {
    auto pair = app.auth.refresh(token);
    REQUIRE(pair.has_value());
    token = pair->refresh_token;
  }
  const auto refused = app.auth.refresh(token);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::too_many_attempts);
  CHECK(refused.error().retry_after > 0s);
  // 16 used tokens kept to recognise their reuse, and the live one: not 41.
  CHECK(app.refresh_tokens.size() == policy.used_tokens_kept_per_session + 1);
  app.clock.advance(1h);
  CHECK(app.auth.refresh(token).has_value());  // a new window
}

TEST_CASE("reusing a token too old to be stored still ends the session") {
  AuthPolicy policy;
  policy.used_tokens_kept_per_session = 2;
  InMemoryServices app{policy};
  REQUIRE(app.auth.register_user("ana@example.com", password));
  const auto stolen = log_in(app).refresh_token;
  auto latest = stolen;
  for (int i = 0; i < 5; ++i) {  // the thief refreshes until the stolen token's row is gone
    app.clock.advance(1s);
    latest = app.auth.refresh(latest).value().refresh_token;
  }
  REQUIRE_FALSE(app.refresh_tokens.find(app.secrets.digest(stolen)).value().has_value());
  // The victim presents the old token: it names its session, which is revoked.
  CHECK(app.auth.refresh(stolen).error().code == ErrorCode::unauthenticated);
  CHECK(app.auth.refresh(latest).error().code == ErrorCode::unauthenticated);
  // A made-up token naming no stored session changes nothing.
  const auto other = log_in(app).refresh_token;
  CHECK(app.auth.refresh(app.ids.next().to_string() + ".forged").error().code ==
        ErrorCode::unauthenticated);
  CHECK(app.auth.refresh(other).has_value());
}

TEST_CASE("a user's sessions are capped, a new login ends the least recently used") {
  AuthPolicy policy;
  policy.max_sessions_per_user = 3;
  InMemoryServices app{policy};
  REQUIRE(app.auth.register_user("ana@example.com", password));
  std::vector<std::string> sessions;
  for (int i = 0; i < 5; ++i) {
    app.clock.advance(1s);
    sessions.push_back(log_in(app).refresh_token);
  }
  CHECK(app.refresh_tokens.size() == 3);
  CHECK(app.auth.refresh(sessions[0]).error().code == ErrorCode::unauthenticated);
  CHECK(app.auth.refresh(sessions[1]).error().code == ErrorCode::unauthenticated);
  CHECK(app.auth.refresh(sessions[4]).has_value());
}

TEST_CASE("housekeeping deletes expired tokens and closed throttle windows") {
  InMemoryServices app;
  REQUIRE(app.auth.register_user("ana@example.com", password));
  const auto pair = log_in(app);
  CHECK(app.auth.log_in({"ana@example.com", "wrong password", "203.0.113.1"}).error().code ==
        ErrorCode::unauthenticated);
  CHECK(app.auth.remove_stale(1000)->refresh_tokens == 0);
  app.clock.advance(app.auth.policy().refresh_token_lifetime);
  const auto removed = app.auth.remove_stale(1000);
  REQUIRE(removed.has_value());
  CHECK(removed->refresh_tokens == 1);
  CHECK(removed->throttle_windows == 3);  // the e-mail and both clients
  CHECK(app.refresh_tokens.size() == 0);
  CHECK(app.throttle.size() == 0);
  CHECK(app.auth.refresh(pair.refresh_token).error().code == ErrorCode::unauthenticated);
}

TEST_CASE("registrations from one client are limited, an operator's are not") {
  AuthPolicy policy;
  policy.max_registrations_per_client = 2;
  InMemoryServices app{policy};
  CHECK(app.auth.register_user("a@example.com", password, "192.0.2.1").has_value());
  CHECK(app.auth.register_user("b@example.com", password, "192.0.2.1").has_value());
  CHECK(app.auth.register_user("c@example.com", password, "192.0.2.1").error().code ==
        ErrorCode::too_many_attempts);
  CHECK(app.auth.register_user("c@example.com", password, "192.0.2.2").has_value());
  CHECK(app.auth.register_user("d@example.com", password).has_value());  // no client: a CLI
  CHECK(app.auth.register_user("e@example.com", password).has_value());
  CHECK(app.auth.register_user("f@example.com", password).has_value());
}

TEST_CASE("deleting a user") {
  InMemoryServices app;
  REQUIRE(app.auth.register_user("ana@example.com", password));
  CHECK(app.auth.delete_user(" ANA@example.com").has_value());
  CHECK(app.auth.delete_user("ana@example.com").error().code == ErrorCode::not_found);
  CHECK_FALSE(app.users.find_by_email("ana@example.com").value().has_value());
}
