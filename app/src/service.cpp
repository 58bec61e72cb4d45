#include "service.hpp"

#include <fstream>
#include <sstream>

namespace events_api {
namespace {

marketing_events::postgres::PoolSettings pool_settings(const Config& config) {
  marketing_events::postgres::PoolSettings settings;
  settings.conninfo = config.database_url;
  settings.max_connections = config.db_pool_size;
  settings.acquire_timeout = config.db_acquire_timeout;
  return settings;
}

marketing_events::AuthPolicy auth_policy(const Config& config) {
  marketing_events::AuthPolicy policy;
  policy.access_token_lifetime = config.access_token_ttl;
  policy.refresh_token_lifetime = config.refresh_token_ttl;
  return policy;
}

}  // namespace

Service::Service(const Config& config, marketing_events::jwt::SigningKey key)
    : pool(pool_settings(config)),
      access_tokens(std::move(key),
                    marketing_events::jwt::JwtSettings{
                        config.jwt_issuer, config.jwt_audience, token_leeway, {}}),
      auth(marketing_events::AuthPorts{users, refresh_tokens, login_throttle, passwords,
                                       access_tokens, clock, ids, random},
           auth_policy(config)) {}

marketing_events::Result<marketing_events::jwt::SigningKey> load_signing_key(const Config& config,
                                                                             const Log& log) {
  if (!config.jwt_private_key_file) {
    log.warn(
        "JWT_PRIVATE_KEY_FILE is not set: signing with an ephemeral key; tokens will not "
        "survive a restart or work across replicas (run `events-api keygen` for a key)");
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
