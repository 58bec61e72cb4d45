#include "config.hpp"

#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <cstdlib>
#include <vector>

namespace events_api {
namespace {

using marketing_events::ErrorCode;
using marketing_events::FieldError;

struct Reader {
  const Environment& environment;
  std::vector<FieldError> errors;

  std::optional<std::string> text(const char* name) {
    auto value = environment(name);
    if (value && value->empty()) {
      return std::nullopt;  // VAR= means "use the default", as most tools read it
    }
    return value;
  }

  template <typename Number>
  void number(const char* name, Number& out, long long minimum, long long maximum) {
    const auto value = text(name);
    if (!value) {
      return;
    }
    long long parsed = 0;
    const auto* end =
        value->data() + value->size();  // NOLINT(*-pointer-arithmetic): from_chars' range
    const auto [ptr, error] = std::from_chars(value->data(), end, parsed);
    if (error != std::errc{} || ptr != end || parsed < minimum || parsed > maximum) {
      errors.push_back({name, "must be an integer from " + std::to_string(minimum) + " to " +
                                  std::to_string(maximum) + ", got \"" + *value + "\""});
      return;
    }
    out = static_cast<Number>(parsed);
  }

  template <typename Duration>
  void duration(const char* name, Duration& out, long long minimum, long long maximum) {
    auto count = static_cast<long long>(out.count());
    number(name, count, minimum, maximum);
    out = Duration{count};
  }

  void flag(const char* name, bool& out) {
    const auto value = text(name);
    if (!value) {
      return;
    }
    if (*value == "true" || *value == "1" || *value == "yes") {
      out = true;
    } else if (*value == "false" || *value == "0" || *value == "no") {
      out = false;
    } else {
      errors.push_back({name, "must be true or false, got \"" + *value + "\""});
    }
  }

  void ip_address(const char* name, std::string& out) {
    const auto value = text(name);
    if (!value) {
      return;
    }
    std::array<unsigned char, sizeof(in6_addr)> parsed{};
    if (inet_pton(AF_INET, value->c_str(), parsed.data()) != 1 &&
        inet_pton(AF_INET6, value->c_str(), parsed.data()) != 1) {
      errors.push_back({name, "must be an IPv4 or IPv6 address, got \"" + *value + "\""});
      return;
    }
    out = *value;
  }

  template <std::size_t N>
  void choice(const char* name, std::string& out, const std::array<const char*, N>& allowed) {
    const auto value = text(name);
    if (!value) {
      return;
    }
    for (const auto* option : allowed) {
      if (*value == option) {
        out = *value;
        return;
      }
    }
    std::string list;
    for (const auto* option : allowed) {
      list += list.empty() ? "" : ", ";
      list += option;
    }
    errors.push_back({name, "must be one of " + list + ", got \"" + *value + "\""});
  }
};

}  // namespace

Environment process_environment() {
  return [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read at start-up
    return value == nullptr ? std::nullopt : std::optional<std::string>{value};
  };
}

marketing_events::Result<Config> config_from(const Environment& environment) {
  Config config;
  Reader read{environment, {}};
  read.ip_address("LISTEN_ADDRESS", config.listen_address);
  read.number("PORT", config.port, 0, 65535);  // 0: any free port (tests)
  if (auto proxies = read.text("TRUSTED_PROXIES")) {
    auto parsed = marketing_events::http::TrustedProxies::parse(*proxies);
    if (parsed) {
      config.trusted_proxies = std::move(*parsed);
    } else {
      read.errors.push_back(parsed.error().fields.at(0));
    }
  }
  if (auto url = read.text("DATABASE_URL")) {
    config.database_url = *url;
  }
  config.jwt_private_key_file = read.text("JWT_PRIVATE_KEY_FILE");
  if (auto issuer = read.text("JWT_ISSUER")) {
    config.jwt_issuer = *issuer;
  }
  if (auto audience = read.text("JWT_AUDIENCE")) {
    config.jwt_audience = *audience;
  }
  read.duration("ACCESS_TOKEN_TTL", config.access_token_ttl, 60, 86'400);
  read.duration("REFRESH_TOKEN_TTL", config.refresh_token_ttl, 300, 31'536'000);
  read.flag("ALLOW_REGISTRATION", config.allow_registration);
  read.number("HTTP_THREADS", config.http_threads, 1, 256);
  read.number("DB_POOL_SIZE", config.db_pool_size, 1, 1000);
  read.duration("DB_ACQUIRE_TIMEOUT_MS", config.db_acquire_timeout, 10, 60'000);
  read.number("BODY_LIMIT", config.body_limit, 1024, 16LL * 1024 * 1024);
  read.duration("SHUTDOWN_TIMEOUT", config.shutdown_timeout, 1, 600);
  read.choice("LOG_LEVEL", config.log_level,
              std::array{"trace", "debug", "info", "warn", "error", "critical", "off"});
  std::string format = "json";
  read.choice("LOG_FORMAT", format, std::array{"json", "text"});
  config.log_format = format == "text" ? LogFormat::text : LogFormat::json;
  if (!read.errors.empty()) {
    return marketing_events::Error::invalid(ErrorCode::invalid_parameters, std::move(read.errors));
  }
  return config;
}

}  // namespace events_api
