#include "config.hpp"

#include <boost/url/parse.hpp>
#include <charconv>
#include <cstdlib>

#include "marketing_events/http/syntax.hpp"
#include "marketing_events/http/worker_threads.hpp"

namespace events_api {
namespace {

using marketing_events::ErrorCode;
using marketing_events::FieldError;
using std::chrono::milliseconds;
using std::chrono::seconds;

std::optional<long long> parse_integer(const std::string& text, long long minimum,
                                       long long maximum) {
  long long parsed = 0;
  const auto* end = text.data() + text.size();  // NOLINT(*-pointer-arithmetic): from_chars
  const auto [stop, error] = std::from_chars(text.data(), end, parsed);
  if (error != std::errc{} || stop != end || parsed < minimum || parsed > maximum) {
    return std::nullopt;
  }
  return parsed;
}

// PUBLIC_URL as the base of the addresses the service hands out (no trailing '/'), or nullopt.
std::optional<std::string> public_url(const std::string& value) {
  const auto parsed = boost::urls::parse_absolute_uri(value);
  if (!parsed) {
    return std::nullopt;
  }
  using marketing_events::http::iequals;
  const auto scheme = parsed->scheme();
  if (!(iequals({scheme.data(), scheme.size()}, "http") ||
        iequals({scheme.data(), scheme.size()}, "https")) ||
      parsed->encoded_host().empty() || parsed->has_userinfo() || parsed->has_query() ||
      parsed->has_fragment()) {
    return std::nullopt;
  }
  std::string url(parsed->buffer().data(), parsed->buffer().size());
  while (url.ends_with('/')) {
    url.pop_back();
  }
  return url;
}

// Reads an integer within [minimum, maximum] and hands it to `store`.
template <typename Store>
auto bounded(long long minimum, long long maximum, Store store) {
  return [minimum, maximum, store](Config& config,
                                   const std::string& value) -> std::optional<std::string> {
    const auto parsed = parse_integer(value, minimum, maximum);
    if (!parsed) {
      return "must be an integer from " + std::to_string(minimum) + " to " +
             std::to_string(maximum);
    }
    store(config, *parsed);
    return std::nullopt;
  };
}

// `get` is a generic lambda from a Config (const or not) to the field the variable sets.
template <typename Get>
Variable integer(std::string_view name, std::string_view meaning, Get get, long long minimum,
                 long long maximum) {
  return {name, meaning,
          bounded(minimum, maximum,
                  [get](Config& config, long long parsed) {
                    auto& field = get(config);
                    field = static_cast<std::remove_reference_t<decltype(field)>>(parsed);
                  }),
          [get](const Config& config) { return std::to_string(get(config)); }};
}

// A duration counted in `Unit` (the unit its name ends with), whatever the field's own type.
template <typename Unit, typename Get>
Variable duration(std::string_view name, std::string_view meaning, Get get, long long minimum,
                  long long maximum) {
  return {name, meaning,
          bounded(minimum, maximum,
                  [get](Config& config, long long parsed) { get(config) = Unit{parsed}; }),
          [get](const Config& config) {
            return std::to_string(std::chrono::duration_cast<Unit>(get(config)).count());
          }};
}

template <typename Get>
Variable optional_text(std::string_view name, std::string_view meaning, Get get) {
  return {name, meaning,
          [get](Config& config, const std::string& value) -> std::optional<std::string> {
            get(config) = value;
            return std::nullopt;
          },
          [get](const Config& config) { return std::string(get(config).value_or("")); }};
}

// One spelling of yes and no for every switch: true/false, yes/no, on/off, 1/0, any case.
template <typename Get>
Variable flag(std::string_view name, std::string_view meaning, Get get) {
  return {name, meaning,
          [get](Config& config, const std::string& value) -> std::optional<std::string> {
            using marketing_events::http::iequals;
            for (const auto* yes : {"true", "yes", "on", "1"}) {
              if (iequals(value, yes)) {
                get(config) = true;
                return std::nullopt;
              }
            }
            for (const auto* no : {"false", "no", "off", "0"}) {
              if (iequals(value, no)) {
                get(config) = false;
                return std::nullopt;
              }
            }
            return std::string("must be true or false (also yes/no, on/off, 1/0)");
          },
          [get](const Config& config) { return std::string(get(config) ? "true" : "false"); }};
}

template <typename Get>
Variable choice(std::string_view name, std::string_view meaning, Get get,
                const std::vector<std::string_view>& allowed) {
  return {name, meaning,
          [get, allowed](Config& config, const std::string& value) -> std::optional<std::string> {
            for (const auto option : allowed) {
              if (value == option) {
                get(config) = value;
                return std::nullopt;
              }
            }
            std::string list;
            for (const auto option : allowed) {
              list.append(list.empty() ? "" : ", ").append(option);
            }
            return "must be one of " + list;
          },
          [get](const Config& config) { return std::string(get(config)); }};
}

std::vector<Variable> all_variables() {
  std::vector<Variable> list;
  list.push_back({"LISTEN_ADDRESS", "IPv4 or IPv6 address to listen on (`::` for both families)",
                  [](Config& config, const std::string& value) -> std::optional<std::string> {
                    if (!marketing_events::http::parse_ip_address(value)) {
                      return std::string("must be an IPv4 or IPv6 address");
                    }
                    config.server.address = value;
                    return std::nullopt;
                  },
                  [](const Config& config) { return config.server.address; }});
  list.push_back(integer(
      "PORT", "listening port (0: any free port, logged)",
      [](auto& config) -> auto& { return config.server.port; }, 0, 65535));
  list.push_back(
      {"TRUSTED_PROXIES",
       "comma-separated addresses/CIDR networks of reverse proxies whose `X-Forwarded-For` names "
       "the client (throttling counts per client; behind nginx or an ingress, set it to the "
       "proxies' addresses)",
       [](Config& config, const std::string& value) -> std::optional<std::string> {
         auto parsed = marketing_events::http::TrustedProxies::parse(value);
         if (!parsed) {
           return parsed.error().fields.at(0).message;
         }
         config.server.trusted_proxies = std::move(parsed).value();
         return std::nullopt;
       },
       [](const Config& config) { return config.server.trusted_proxies.to_string(); }});
  auto io_threads = integer(
      "IO_THREADS",
      "threads serving connections, each with its own event loop; a request waiting for the "
      "database suspends a coroutine, not the thread; 0: one per available core",
      [](auto& config) -> auto& { return config.server.io_threads; }, 0, 256);
  io_threads.former_name = "HTTP_THREADS";
  list.push_back(std::move(io_threads));
  list.push_back(flag(
      "IO_BATCH_SCHEDULING",
      "true: the I/O threads run under Linux's SCHED_BATCH policy, so a thread woken by a "
      "request or a database reply waits for its core instead of preempting what runs there "
      "(the database, on a shared machine) and then serves several at once; false: the default "
      "policy",
      [](auto& config) -> auto& { return config.server.batch_scheduling; }));
  list.push_back(integer(
      "MAX_CONNECTIONS",
      "connections served at once; at the cap the idlest kept-alive one is closed to make room "
      "(also capped by the descriptor limit, with a warning)",
      [](auto& config) -> auto& { return config.server.max_connections; }, 16, 1'000'000));
  list.push_back(integer(
      "MAX_CONNECTIONS_PER_CLIENT",
      "connections one TCP peer may hold at once (trusted proxies excepted); more are closed",
      [](auto& config) -> auto& { return config.server.max_connections_per_client; }, 1,
      1'000'000));
  list.push_back(integer(
      "HASH_THREADS",
      "threads that hash passwords (logins, registrations), at a lower priority; 0: one per "
      "available core, at most 2 (each hash holds 19 MiB)",
      [](auto& config) -> auto& { return config.server.hashing_threads; }, 0, 64));
  list.push_back(integer(
      "HASH_QUEUE", "logins and registrations that may wait for a hashing thread; more get 503",
      [](auto& config) -> auto& { return config.server.hashing_queue; }, 0, 100'000));
  list.push_back(integer(
      "HASH_QUEUE_PER_CLIENT",
      "logins and registrations one client may have hashing or waiting at once; more get 503",
      [](auto& config) -> auto& { return config.server.hashing_per_client; }, 1, 100'000));
  auto body_limit = integer(
      "BODY_LIMIT_BYTES", "largest request body; larger ones get 413",
      [](auto& config) -> auto& { return config.server.body_limit; }, 1024, 16LL << 20U);
  body_limit.former_name = "BODY_LIMIT";
  list.push_back(std::move(body_limit));
  list.push_back(integer(
      "HEADER_LIMIT_BYTES", "largest request header; larger ones get 431",
      [](auto& config) -> auto& { return config.server.header_limit; }, 1024,
      60LL << 10U));  // Beast itself refuses a single field of 64 KiB
  list.push_back(integer(
      "MAX_HEADER_FIELDS", "header (and trailer) fields per request; more get 431",
      [](auto& config) -> auto& { return config.server.max_header_fields; }, 8, 1000));
  list.push_back(duration<milliseconds>(
      "HTTP_HEADER_TIMEOUT_MS", "time a new connection has to send its first request's header",
      [](auto& config) -> auto& { return config.server.header_timeout; }, 100, 3'600'000));
  list.push_back(duration<milliseconds>(
      "HTTP_IDLE_TIMEOUT_MS", "time a kept-alive connection may wait for its next request",
      [](auto& config) -> auto& { return config.server.idle_timeout; }, 100, 3'600'000));
  list.push_back(duration<milliseconds>(
      "HTTP_BODY_TIMEOUT_MS", "time a client has to send a request's body",
      [](auto& config) -> auto& { return config.server.body_timeout; }, 100, 3'600'000));
  list.push_back(duration<milliseconds>(
      "HTTP_WRITE_TIMEOUT_MS", "time a client has to read a response",
      [](auto& config) -> auto& { return config.server.write_timeout; }, 100, 3'600'000));
  auto drain = duration<seconds>(
      "SHUTDOWN_TIMEOUT_SECONDS", "time to drain in-flight requests after SIGTERM before cutting",
      [](auto& config) -> auto& { return config.server.drain_timeout; }, 1, 600);
  drain.former_name = "SHUTDOWN_TIMEOUT";
  list.push_back(std::move(drain));
  list.push_back(flag(
      "ALLOW_REGISTRATION", "false: `POST /api/v1/auth/register` is 404",
      [](auto& config) -> auto& { return config.routes.auth.allow_registration; }));
  list.push_back(
      {"PUBLIC_URL",
       "where clients reach the service (`https://events.example.com`, without `/api/v1`), for "
       "the calendar subscription addresses it hands out; unset: `http://` and the request's "
       "Host, which is right only without a proxy",
       [](Config& config, const std::string& value) -> std::optional<std::string> {
         auto url = public_url(value);
         if (!url) {
           return std::string(
               "must be an absolute http:// or https:// address with a host and no "
               "user, query or fragment, like https://events.example.com");
         }
         config.routes.calendar.public_url = *url;
         return std::nullopt;
       },
       [](const Config& config) { return config.routes.calendar.public_url; }});
  list.push_back(duration<std::chrono::days>(
      "CALENDAR_WINDOW_DAYS",
      "how far back a calendar feed reaches: events that start at most this many days before "
      "today (UTC)",
      [](auto& config) -> auto& { return config.calendar.window; }, 1, 3660));
  list.push_back(integer(
      "CALENDAR_MAX_EVENTS",
      "events one calendar feed carries at most: the next ones first, then the most recent past "
      "ones",
      [](auto& config) -> auto& { return config.calendar.max_events; }, 1,
      marketing_events::max_feed_events_limit));
  list.push_back(integer(
      "CALENDAR_MAX_FEEDS_PER_USER", "calendar feeds one user may hold at once; more get 409",
      [](auto& config) -> auto& { return config.calendar.max_feeds_per_user; }, 1, 1000));
  list.push_back(duration<seconds>(
      "CALENDAR_CACHE_SECONDS",
      "how long a rendered calendar feed is reused: edits show in a feed after at most this "
      "long, a revocation at once; 0: every read renders",
      [](auto& config) -> auto& { return config.routes.calendar.cache_ttl; }, 0, 3600));
  list.push_back(integer(
      "CALENDAR_CACHE_BYTES",
      "memory for rendered calendar feeds (least recently read out first); a feed larger than a "
      "quarter of it is rendered on every read; 0: none kept",
      [](auto& config) -> auto& { return config.routes.calendar.cache_bytes; }, 0, 1LL << 30U));
  list.push_back(integer(
      "CALENDAR_CONCURRENT_RENDERS",
      "calendar feeds rendered at once; a read beyond it gets 503 with `Retry-After`",
      [](auto& config) -> auto& { return config.routes.calendar.concurrent_renders; }, 1, 64));
  Variable database_url{"DATABASE_URL",
                        "where PostgreSQL is: a `postgresql://` URI or libpq `key=value` pairs",
                        [](Config& config, const std::string& value) -> std::optional<std::string> {
                          if (auto problem = marketing_events::postgres::conninfo_problem(value)) {
                            return problem;
                          }
                          config.database.conninfo = value;
                          return std::nullopt;
                        },
                        [](const Config& config) { return config.database.conninfo; }};
  database_url.secret = true;
  list.push_back(std::move(database_url));
  list.push_back(integer(
      "DB_POOL_SIZE",
      "database connections for requests, split evenly across the I/O threads (each serves "
      "many requests: one waits for a reply without holding its thread)",
      [](auto& config) -> auto& { return config.database.max_connections; }, 1, 1000));
  list.push_back(integer(
      "DB_BLOCKING_POOL_SIZE",
      "database connections for the hashing threads (logins look their user up) and "
      "housekeeping",
      [](auto& config) -> auto& { return config.database.max_blocking_connections; }, 1, 1000));
  list.push_back(flag(
      "DB_PIPELINE",
      "true: single statements share one pipelined connection per I/O thread (libpq pipeline "
      "mode); false: each leases a connection of its own",
      [](auto& config) -> auto& { return config.database.pipeline; }));
  list.push_back(duration<milliseconds>(
      "DB_ACQUIRE_TIMEOUT_MS", "longest wait for a free connection before a 503",
      [](auto& config) -> auto& { return config.database.acquire_timeout; }, 10, 60'000));
  list.push_back(duration<seconds>(
      "DB_CONNECT_TIMEOUT_SECONDS", "longest wait to open a database connection",
      [](auto& config) -> auto& { return config.database.connect_timeout; }, 1, 60));
  list.push_back(duration<milliseconds>(
      "DB_STATEMENT_TIMEOUT_MS", "longest a statement may run before PostgreSQL cancels it (503)",
      [](auto& config) -> auto& { return config.database.statement_timeout; }, 100, 600'000));
  list.push_back(optional_text(
      "JWT_PRIVATE_KEY_FILE",
      "PEM private key: Ed25519 (EdDSA, the default choice) or RSA >= 2048 "
      "(RS256). Unset: an ephemeral key and a warning (tokens die with the "
      "process)",
      [](auto& config) -> auto& { return config.jwt_private_key_file; }));
  list.push_back({"JWT_ISSUER", "`iss` of access tokens",
                  [](Config& config, const std::string& value) -> std::optional<std::string> {
                    config.tokens.issuer = value;
                    return std::nullopt;
                  },
                  [](const Config& config) { return config.tokens.issuer; }});
  list.push_back({"JWT_AUDIENCE", "`aud` of access tokens",
                  [](Config& config, const std::string& value) -> std::optional<std::string> {
                    config.tokens.audience = value;
                    return std::nullopt;
                  },
                  [](const Config& config) { return config.tokens.audience; }});
  list.push_back(duration<seconds>(
      "JWT_LEEWAY_SECONDS",
      "clock skew tolerated between the replica that issued a token and "
      "the one checking it",
      [](auto& config) -> auto& { return config.tokens.leeway; }, 0, 300));
  auto access_ttl = duration<seconds>(
      "ACCESS_TOKEN_TTL_SECONDS", "lifetime of an access token",
      [](auto& config) -> auto& { return config.auth.access_token_lifetime; }, 60, 86'400);
  access_ttl.former_name = "ACCESS_TOKEN_TTL";
  list.push_back(std::move(access_ttl));
  auto refresh_ttl = duration<seconds>(
      "REFRESH_TOKEN_TTL_SECONDS", "lifetime of a refresh token (each refresh starts it again)",
      [](auto& config) -> auto& { return config.auth.refresh_token_lifetime; }, 300, 31'536'000);
  refresh_ttl.former_name = "REFRESH_TOKEN_TTL";
  list.push_back(std::move(refresh_ttl));
  list.push_back(integer(
      "LOGIN_FAILURES_PER_EMAIL", "failed logins per e-mail per window before 429",
      [](auto& config) -> auto& { return config.auth.max_failures_per_email; }, 1, 1000));
  list.push_back(integer(
      "LOGIN_FAILURES_PER_CLIENT", "failed logins per client per window before 429",
      [](auto& config) -> auto& { return config.auth.max_failures_per_client; }, 1, 100'000));
  list.push_back(duration<seconds>(
      "LOGIN_FAILURE_WINDOW_SECONDS", "the window failed logins are counted in",
      [](auto& config) -> auto& { return config.auth.failure_window; }, 1, 86'400));
  list.push_back(integer(
      "REGISTRATIONS_PER_CLIENT_PER_HOUR", "registrations (successful or not) per client per hour",
      [](auto& config) -> auto& { return config.auth.max_registrations_per_client; }, 1,
      1'000'000));
  list.push_back(integer(
      "REFRESHES_PER_SESSION_PER_HOUR", "token refreshes per session (login) per hour",
      [](auto& config) -> auto& { return config.auth.max_refreshes_per_session; }, 1, 1'000'000));
  list.push_back(integer(
      "SESSIONS_PER_USER", "sessions a user holds at once; a login beyond it ends the oldest",
      [](auto& config) -> auto& { return config.auth.max_sessions_per_user; }, 1, 100'000));
  list.push_back(duration<seconds>(
      "HOUSEKEEPING_INTERVAL_SECONDS",
      "how often expired and revoked refresh tokens and closed throttle windows are deleted",
      [](auto& config) -> auto& { return config.housekeeping.interval; }, 10, 86'400));
  list.push_back(duration<seconds>(
      "USER_RECHECK_SECONDS",
      "how long a user found by one request is trusted to exist by the next ones: a deleted "
      "user's access token stops working at most this long after the deletion",
      [](auto& config) -> auto& { return config.authentication.user_recheck_interval; }, 0, 3600));
  list.push_back(choice("LOG_LEVEL", "`trace` … `off`",
                        [](auto& config) -> auto& { return config.log.level; },
                        {"trace", "debug", "info", "warn", "error", "critical", "off"}));
  list.push_back({"LOG_FORMAT", "`json` lines, or `text` for people",
                  [](Config& config, const std::string& value) -> std::optional<std::string> {
                    if (value != "json" && value != "text") {
                      return std::string("must be one of json, text");
                    }
                    config.log.format = value == "text" ? LogFormat::text : LogFormat::json;
                    return std::nullopt;
                  },
                  [](const Config& config) {
                    return std::string(config.log.format == LogFormat::text ? "text" : "json");
                  }});
  return list;
}

// Rules between settings, which no single variable can check.
void check_together(const Config& config, std::vector<std::string>& warnings) {
  // Password hashing threads look users up on connections of their own.
  const auto hashing = config.server.hashing_threads == 0
                           ? std::min<std::size_t>(2, marketing_events::http::available_cores())
                           : config.server.hashing_threads;
  if (config.database.max_blocking_connections < hashing + 1) {
    warnings.push_back("DB_BLOCKING_POOL_SIZE (" +
                       std::to_string(config.database.max_blocking_connections) +
                       ") is smaller than HASH_THREADS + 1 (" + std::to_string(hashing + 1) +
                       "): logins will wait for each other's database connection");
  }
}

}  // namespace

Environment process_environment() {
  return [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read at start-up
    return value == nullptr ? std::nullopt : std::optional<std::string>{value};
  };
}

const std::vector<Variable>& variables() {
  static const std::vector<Variable> list = all_variables();
  return list;
}

marketing_events::Result<LoadedConfig> load_config(const Environment& environment) {
  LoadedConfig loaded;
  std::vector<FieldError> errors;
  for (const auto& variable : variables()) {
    std::string name(variable.name);
    auto value = environment(name.c_str());
    if (!value && !variable.former_name.empty()) {
      const std::string former(variable.former_name);
      value = environment(former.c_str());
      if (value) {
        name = former;
        loaded.warnings.push_back(former + " is deprecated: call it " + std::string(variable.name));
      }
    }
    if (!value || value->empty()) {
      continue;  // VAR= means "use the default", as most tools read it
    }
    if (auto problem = variable.read(loaded.config, *value)) {
      errors.push_back({name, variable.secret ? *problem : *problem + ", got \"" + *value + "\""});
    }
  }
  if (!errors.empty()) {
    return marketing_events::Error::invalid(ErrorCode::invalid_parameters, std::move(errors));
  }
  check_together(loaded.config, loaded.warnings);
  return loaded;
}

marketing_events::Result<Config> config_from(const Environment& environment) {
  auto loaded = load_config(environment);
  if (!loaded) {
    return std::move(loaded).error();
  }
  return std::move(loaded->config);
}

}  // namespace events_api
