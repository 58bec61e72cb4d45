#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "marketing_events/http/trusted_proxies.hpp"
#include "marketing_events/result.hpp"

namespace events_api {

enum class LogFormat { json, text };

// Everything `events-api` reads from its environment, each with a default.
struct Config {
  std::string listen_address = "0.0.0.0";  // an IPv4 or IPv6 address; "::" for both
  unsigned short port = 8080;
  marketing_events::http::TrustedProxies trusted_proxies;  // nobody: the client is the peer
  std::string database_url = "postgresql://localhost/marketing_events";
  std::optional<std::string> jwt_private_key_file;  // absent: an ephemeral key (development)
  std::string jwt_issuer = "marketing-events";
  std::string jwt_audience = "marketing-events-api";
  std::chrono::seconds access_token_ttl{900};
  std::chrono::seconds refresh_token_ttl{2'592'000};
  bool allow_registration = true;
  std::size_t http_threads = 4;  // workers for blocking work (database, password hashing)
  std::size_t db_pool_size = 8;
  std::chrono::milliseconds db_acquire_timeout{2000};
  std::size_t body_limit = std::size_t{64} * 1024;
  std::chrono::seconds shutdown_timeout{20};
  std::string log_level = "info";
  LogFormat log_format = LogFormat::json;
};

using Environment = std::function<std::optional<std::string>(const char* name)>;

// The process environment.
[[nodiscard]] Environment process_environment();

// Reads every setting; a bad value is ErrorCode::invalid_parameters naming the variable.
[[nodiscard]] marketing_events::Result<Config> config_from(const Environment& environment);

}  // namespace events_api
