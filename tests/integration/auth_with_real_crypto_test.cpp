#include <catch2/catch.hpp>

#include "marketing_events/crypto/random_secret_tokens.hpp"
#include "marketing_events/jwt/jwt_access_tokens.hpp"
#include "marketing_events/memory/in_memory_refresh_token_repository.hpp"
#include "marketing_events/memory/in_memory_throttle_store.hpp"
#include "marketing_events/memory/in_memory_user_repository.hpp"
#include "marketing_events/password/argon2id_password_hasher.hpp"
#include "marketing_events/system/system_clock.hpp"
#include "marketing_events/system/system_random.hpp"
#include "marketing_events/system/uuid_v7.hpp"
#include "marketing_events/use_cases/auth_service.hpp"

using namespace marketing_events;

// The login story with the production crypto: Argon2id passwords and EdDSA JWTs.
TEST_CASE("log in, verify the JWT, refresh, with Argon2id and EdDSA") {
  system::SystemClock clock;
  system::SystemRandom random;
  system::UuidV7Generator ids{clock, random};
  memory::InMemoryUserRepository users;
  memory::InMemoryRefreshTokenRepository refresh_tokens;
  memory::InMemoryThrottleStore throttle;
  password::Argon2idPasswordHasher passwords;
  jwt::JwtAccessTokens tokens{jwt::SigningKey::generate_ed25519().value(), jwt::JwtSettings{}};
  crypto::RandomSecretTokens secrets;
  AuthService auth{
      AuthPorts{users, refresh_tokens, throttle, passwords, tokens, clock, ids, secrets}};

  const auto user = auth.register_user("ana@example.com", "correct horse battery").value();
  const auto pair = auth.log_in({"ana@example.com", "correct horse battery", ""});
  REQUIRE(pair.has_value());
  const auto claims = tokens.verify(pair->access_token, clock.now());
  REQUIRE(claims.has_value());
  CHECK(claims->subject == user.id);
  CHECK(auth.log_in({"ana@example.com", "wrong password!", ""}).error().code ==
        ErrorCode::unauthenticated);
  CHECK(auth.log_in({"nobody@example.com", "correct horse battery", ""}).error().code ==
        ErrorCode::unauthenticated);
  const auto renewed = auth.refresh(pair->refresh_token);
  REQUIRE(renewed.has_value());
  CHECK(tokens.verify(renewed->access_token, clock.now())->subject == user.id);
}
