#pragma once

#include "config.hpp"
#include "logging.hpp"
#include "marketing_events/crypto/random_secret_tokens.hpp"
#include "marketing_events/crypto/sealed_box.hpp"
#include "marketing_events/jwt/jwt_access_tokens.hpp"
#include "marketing_events/jwt/verified_token_cache.hpp"
#include "marketing_events/password/argon2id_password_hasher.hpp"
#include "marketing_events/postgres/postgres_repositories.hpp"
#include "marketing_events/system/system_clock.hpp"
#include "marketing_events/system/system_random.hpp"
#include "marketing_events/system/uuid_v7.hpp"
#include "marketing_events/use_cases/auth_service.hpp"
#include "marketing_events/use_cases/authenticator.hpp"
#include "marketing_events/use_cases/calendar_service.hpp"
#include "marketing_events/use_cases/event_service.hpp"

namespace events_api {

// What the listing-cursor key is derived for, from the signing key (changing it invalidates
// every cursor issued before).
inline constexpr std::string_view listing_cursor_key_purpose =
    "marketing-events listing cursors v1";

// Every concrete adapter, wired to the core: the one place that knows them all.
struct Service {
  Service(const Config& config, marketing_events::jwt::SigningKey key);

  marketing_events::system::SystemClock clock;
  marketing_events::system::SystemRandom random;
  marketing_events::system::UuidV7Generator ids{clock, random};
  marketing_events::crypto::RandomSecretTokens secrets;
  marketing_events::postgres::ConnectionPool pool;
  marketing_events::postgres::PostgresUserRepository users{pool};
  marketing_events::postgres::PostgresEventRepository event_store{pool};
  marketing_events::postgres::PostgresRefreshTokenRepository refresh_tokens{pool};
  marketing_events::postgres::PostgresThrottleStore throttle{pool};
  marketing_events::postgres::PostgresCalendarFeedRepository calendar_feeds{pool};
  marketing_events::password::Argon2idPasswordHasher passwords;
  // Seals listing cursors with a key derived from the signing key: cursors survive a restart
  // and work on every replica that shares the key. Declared before access_tokens, which takes
  // the key.
  marketing_events::crypto::SealedBox cursor_box;
  marketing_events::jwt::JwtAccessTokens access_tokens;
  // What requests' tokens are checked with: a repeated token skips the signature check.
  marketing_events::jwt::VerifiedTokenCache verified_tokens;
  marketing_events::AuthService auth;
  marketing_events::Authenticator authenticator;
  marketing_events::EventService events{marketing_events::EventPorts{event_store, clock, ids}};
  marketing_events::CalendarService calendar;
};

// The signing key from JWT_PRIVATE_KEY_FILE, or an ephemeral Ed25519 key (with a warning:
// tokens then die with the process and differ between replicas).
[[nodiscard]] marketing_events::Result<marketing_events::jwt::SigningKey> load_signing_key(
    const Config& config, const Log& log);

}  // namespace events_api
