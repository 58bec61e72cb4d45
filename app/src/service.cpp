#include "service.hpp"

#include <fstream>
#include <sstream>

namespace events_api {

Service::Service(const Config& config, marketing_events::jwt::SigningKey key)
    : pool(config.database),
      cursor_box(key.derive_secret(listing_cursor_key_purpose)),
      access_tokens(std::move(key), config.tokens),
      verified_tokens(access_tokens, config.tokens.leeway),
      auth(marketing_events::AuthPorts{users, refresh_tokens, throttle, passwords, access_tokens,
                                       clock, ids, secrets},
           config.auth),
      authenticator(marketing_events::AuthenticatorPorts{verified_tokens, users, clock},
                    config.authentication),
      calendar(marketing_events::CalendarPorts{calendar_feeds, event_store, secrets, clock, ids},
               config.calendar) {}

marketing_events::Result<marketing_events::jwt::SigningKey> load_signing_key(const Config& config,
                                                                             const Log& log) {
  if (!config.jwt_private_key_file) {
    log.warn(
        "JWT_PRIVATE_KEY_FILE is not set: signing with an ephemeral key; tokens and listing "
        "cursors will not survive a restart or work across replicas (run `events-api keygen` "
        "for a key)");
    return marketing_events::jwt::SigningKey::generate_ed25519();
  }
  std::ifstream file(*config.jwt_private_key_file);
  if (!file) {
    return marketing_events::Error::of(
        marketing_events::ErrorCode::invalid_parameters,
        "cannot read JWT_PRIVATE_KEY_FILE " + *config.jwt_private_key_file);
  }
  std::stringstream pem;
  pem << file.rdbuf();
  auto key = marketing_events::jwt::SigningKey::from_private_pem(pem.str());
  if (!key) {
    return marketing_events::Error::of(
        marketing_events::ErrorCode::invalid_parameters,
        "JWT_PRIVATE_KEY_FILE " + *config.jwt_private_key_file + ": " + key.error().detail);
  }
  return key;
}

}  // namespace events_api
