#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marketing_events/http/api.hpp"
#include "marketing_events/http/server.hpp"
#include "marketing_events/jwt/jwt_access_tokens.hpp"
#include "marketing_events/postgres/connection_pool.hpp"
#include "marketing_events/result.hpp"
#include "marketing_events/use_cases/auth_service.hpp"
#include "marketing_events/use_cases/authenticator.hpp"
#include "marketing_events/use_cases/calendar_service.hpp"

namespace events_api {

enum class LogFormat { json, text };

// The periodic deletion of what can no longer matter (AuthService::remove_stale).
struct HousekeepingSettings {
  std::chrono::seconds interval{300};
  std::int64_t batch = 1000;  // rows per statement, so no deletion holds locks for long
};

struct LogSettings {
  std::string level = "info";
  LogFormat format = LogFormat::json;
};

// Everything `events-api` reads from its environment. Each part is an adapter's or the core's
// own settings structure, which owns the defaults; this only composes them.
struct Config {
  marketing_events::http::ServerSettings server;
  marketing_events::http::ContractSettings routes;
  marketing_events::postgres::PoolSettings database;
  marketing_events::jwt::JwtSettings tokens;
  std::optional<std::string> jwt_private_key_file;  // absent: an ephemeral key (development)
  marketing_events::AuthPolicy auth;
  marketing_events::AuthenticationPolicy authentication;
  marketing_events::CalendarPolicy calendar;
  HousekeepingSettings housekeeping;
  LogSettings log;
};

using Environment = std::function<std::optional<std::string>(const char* name)>;

// The process environment.
[[nodiscard]] Environment process_environment();

// One environment variable. Names say their unit: _MS, _SECONDS or _BYTES.
struct Variable {
  std::string_view name;
  std::string_view meaning;
  // Reads a non-empty value into the config; the error message names what is allowed.
  std::function<std::optional<std::string>(Config&, const std::string& value)> read;
  // The value as the config holds it (the default, for a default Config); empty when unset.
  std::function<std::string(const Config&)> show;
  std::string_view former_name = {};  // still read, with a warning
  bool secret = false;                // its value may hold a password: never repeated in an error
};

// Every variable, in the order the README's table lists them.
[[nodiscard]] const std::vector<Variable>& variables();

// A config and what the operator should hear about it.
struct LoadedConfig {
  Config config;
  std::vector<std::string> warnings;  // deprecated names, settings that waste resources
};

// Reads every variable; each bad value is named in ErrorCode::invalid_parameters.
[[nodiscard]] marketing_events::Result<LoadedConfig> load_config(const Environment& environment);

// Just the config (tests, commands that do not log warnings).
[[nodiscard]] marketing_events::Result<Config> config_from(const Environment& environment);

}  // namespace events_api
