#include "commands.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>
#include <condition_variable>
#include <csignal>
#include <iostream>
#include <mutex>
#include <thread>

#include "logging.hpp"
#include "marketing_events/http/api.hpp"
#include "marketing_events/http/server.hpp"
#include "marketing_events/postgres/migrations.hpp"
#include "metrics.hpp"
#include "service.hpp"

namespace events_api {

namespace {

// Descriptors the process needs besides its connections: the database pool, the log, the
// listening socket, the event loop's own, a margin for the libraries.
constexpr std::size_t reserved_descriptors = 64;

// The connection cap the descriptor limit allows: the soft limit is raised to the hard one,
// and MAX_CONNECTIONS is lowered (with a warning) if even that is not enough, so the server
// stops accepting before accept(2) can fail with EMFILE.
std::size_t connection_cap(const Config& config, const Log& log) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return config.server.max_connections;
  }
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &limit);
    (void)getrlimit(RLIMIT_NOFILE, &limit);
  }
  const auto reserve = config.database.max_connections + reserved_descriptors;
  const auto available = limit.rlim_cur > reserve + 16 ? limit.rlim_cur - reserve : 16;
  if (config.server.max_connections <= available) {
    return config.server.max_connections;
  }
  log.warn(
      "the descriptor limit allows fewer connections than MAX_CONNECTIONS; raise it "
      "(ulimit -n, or the container's nofile limit) to serve more",
      {{"max_connections", config.server.max_connections},
       {"serving_at_most", available},
       {"descriptor_limit", limit.rlim_cur}});
  return available;
}

// Deletes expired and revoked refresh tokens and closed throttle windows every interval, in
// batches, on a thread of its own, until the stop token fires.
std::jthread start_housekeeping(const HousekeepingSettings& settings,
                                marketing_events::AuthService& auth, const Log& log) {
  return std::jthread([&settings, &auth, &log](const std::stop_token& stop) {
    // Only for sleeping until the interval or the stop token: nothing else shares them.
    std::mutex mutex;
    std::condition_variable_any wake;
    // cppcheck-suppress localMutex
    std::unique_lock lock(mutex);
    while (true) {
      // Returns at the interval, or at once when the stop token fires.
      (void)wake.wait_for(lock, stop, settings.interval, [] { return false; });
      if (stop.stop_requested()) {
        return;
      }
      marketing_events::Housekeeping total;
      // Batch after batch until one comes back short, for at most a minute a round.
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes{1};
      while (!stop.stop_requested() && std::chrono::steady_clock::now() < give_up) {
        const auto removed = auth.remove_stale(settings.batch);
        if (!removed) {
          log.warn("housekeeping failed; retrying at the next interval",
                   {{"detail", removed.error().detail}});
          break;
        }
        total.refresh_tokens += removed->refresh_tokens;
        total.throttle_windows += removed->throttle_windows;
        if (removed->refresh_tokens < settings.batch &&
            removed->throttle_windows < settings.batch) {
          break;
        }
      }
      if (total.refresh_tokens + total.throttle_windows > 0) {
        log.info("housekeeping", {{"refresh_tokens_deleted", total.refresh_tokens},
                                  {"throttle_windows_deleted", total.throttle_windows}});
      }
    }
  });
}

// What to do when the database cannot be reached, for the operator reading the error (never
// the URL itself: it may hold a password).
std::string database_hint(const Config& config) {
  const marketing_events::postgres::PoolSettings defaults;
  if (config.database.conninfo == defaults.conninfo) {
    return "DATABASE_URL is unset or the default, so " + defaults.conninfo +
           " was tried; start PostgreSQL there or set DATABASE_URL, like "
           "postgresql://USER:PASSWORD@HOST:5432/DATABASE";
  }
  return "check that PostgreSQL is running where DATABASE_URL says, and its user and password";
}

// Logs a failed database command: what failed, libpq's reason, and, when the database was out
// of reach, what to check.
void log_database_failure(const Log& log, std::string_view what, const Config& config,
                          const marketing_events::Error& error) {
  if (error.code == marketing_events::ErrorCode::unavailable &&
      marketing_events::postgres::connection_failure_lasts(error)) {
    log.error(std::string(what) + ": the database refused the connection",
              {{"detail", error.detail},
               {"hint", "check the user, password and database name in DATABASE_URL"}});
  } else if (error.code == marketing_events::ErrorCode::unavailable) {
    log.error(std::string(what) + ": the database is out of reach",
              {{"detail", error.detail}, {"hint", database_hint(config)}});
  } else {
    log.error(what, {{"detail", error.detail}});
  }
}

// Why listening failed, in the operator's words, with what to change.
std::string listen_problem(const boost::system::error_code& error, const Config& config) {
  const auto& address = config.server.address;
  const auto port = std::to_string(config.server.port);
  const auto where =
      (address.find(':') == std::string::npos ? address : "[" + address + "]") + ":" + port;
  if (error == boost::asio::error::address_in_use) {
    return where + " is already in use by another program: stop it (`ss -ltnp 'sport = :" + port +
           "'` names it) or set PORT to a free port";
  }
  if (error == boost::asio::error::access_denied) {
    return "not allowed to listen on " + where +
           " (ports below 1024 need root or CAP_NET_BIND_SERVICE): set PORT to 1024 or above";
  }
  if (error == boost::system::errc::address_not_available) {
    return "LISTEN_ADDRESS " + address +
           " is not an address of this machine: set it to one of them (`ip -brief address`), "
           "or to 0.0.0.0 or :: for all";
  }
  return "cannot listen on " + where + ": " + error.message();
}

}  // namespace

int serve(const Config& config, const Log& log) {
  auto key = load_signing_key(config, log);
  if (!key) {
    log.error("cannot load the signing key", {{"detail", key.error().detail}});
    return exit_usage;
  }
  Service service{config, std::move(key).value()};
  Metrics metrics{service.pool, [&log] { return log.dropped_lines(); }};

  namespace http = marketing_events::http;
  const http::Api api{
      http::contract_routes(
          service.events, service.auth, service.calendar, config.routes,
          http::Operations{[&service] {
                             const auto current =
                                 marketing_events::postgres::schema_is_current(service.pool);
                             return current.has_value() && current.value();
                           },
                           [&metrics] { return metrics.scrape(); }, openapi_document(),
                           service.access_tokens.jwks(), docs_files()},
          http::ListingCursors{service.cursor_box}),
      service.authenticator};
  auto server_settings = config.server;
  server_settings.max_connections = connection_cap(config, log);
  http::Server server{server_settings, api,
                      [&](const http::CompletedExchange& exchange) {
                        metrics.observe(exchange);
                        log.request(exchange);
                      },
                      [&](std::string_view what, std::string_view detail) {
                        metrics.fault(what);
                        log.error("server fault", {{"kind", what}, {"detail", detail}});
                      }};
  // Requests on the I/O threads take their connections from per-thread shares of the pool.
  const auto pool_shares = service.pool.split_across(server.loop_executors());
  // Before anything slow: a SIGTERM from here on drains instead of killing the process.
  server.stop_on_signals({SIGTERM, SIGINT}, [&log](int signal) {
    log.info("draining", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
  });
  try {
    server.listen();
  } catch (const boost::system::system_error& error) {
    log.error("cannot listen: " + listen_problem(error.code(), config),
              {{"address", config.server.address}, {"port", config.server.port}});
    return exit_failure;
  }
  if (auto ready = marketing_events::postgres::schema_is_current(service.pool); !ready) {
    log.warn("database not reachable yet; /readyz stays 503 until it is",
             {{"detail", ready.error().detail}, {"hint", database_hint(config)}});
  } else if (!ready.value()) {
    log.warn("database schema is not current; run `events-api migrate`");
  }
  log.info("listening", {{"port", server.port()},
                         {"address", config.server.address},
                         {"jwt_key_id", service.access_tokens.key_id()},
                         {"registration", config.routes.auth.allow_registration}});
  {
    auto housekeeping = start_housekeeping(config.housekeeping, service.auth, log);
    server.run();
  }  // the housekeeping thread stops here
  log.info("stopped");
  return exit_ok;
}

int migrate(const Config& config, const Log& log, std::chrono::seconds wait) {
  auto settings = config.database;
  settings.max_connections = 1;  // migrations run on one connection, under one lock
  marketing_events::postgres::ConnectionPool pool{settings};
  using Clock = std::chrono::steady_clock;
  const auto give_up = Clock::now() + wait;
  auto applied = marketing_events::postgres::migrate(pool);
  const auto worth_waiting = [&] {
    return !applied && applied.error().code == marketing_events::ErrorCode::unavailable &&
           !marketing_events::postgres::connection_failure_lasts(applied.error()) &&
           Clock::now() < give_up;
  };
  if (worth_waiting()) {
    log.info("waiting for the database",
             {{"for_at_most_seconds", wait.count()}, {"detail", applied.error().detail}});
  }
  while (worth_waiting()) {
    std::this_thread::sleep_for(
        std::min<Clock::duration>(std::chrono::seconds{1}, give_up - Clock::now()));
    applied = marketing_events::postgres::migrate(pool);
  }
  if (!applied) {
    log_database_failure(log, "migration failed", config, applied.error());
    return exit_failure;
  }
  const auto known = marketing_events::postgres::migrations().size();
  log.info(
      applied.value() == 0 ? "schema already current: nothing to migrate" : "migrations applied",
      {{"applied", applied.value()}, {"known", known}});
  return exit_ok;
}

int create_user(const Config& config, const Log& log, const std::string& email,
                std::istream& password_input) {
  std::string password;
  if (!std::getline(password_input, password)) {
    log.error("no password on standard input");
    return exit_usage;
  }
  if (!password.empty() && password.back() == '\r') {
    password.pop_back();
  }
  Service service{config, marketing_events::jwt::SigningKey::generate_ed25519().value()};
  const auto user = service.auth.register_user(email, password);
  if (!user) {
    using marketing_events::ErrorCode;
    const auto& error = user.error();
    if (error.code == ErrorCode::invalid_fields) {
      std::string problems;
      for (const auto& [field, message] : error.fields) {
        problems.append(problems.empty() ? "" : "; ").append(field).append(" ").append(message);
      }
      log.error("user not created: " + problems);
      return exit_usage;
    }
    if (error.code == ErrorCode::conflict) {
      log.error(
          "user not created: a user with this e-mail address already exists; choose another "
          "address, or remove that user first with `events-api user delete --email ADDRESS`",
          {{"email", marketing_events::normalize_email(email)}});
      return exit_usage;
    }
    log_database_failure(log, "user not created", config, error);
    return exit_failure;
  }
  log.info("user created", {{"user_id", user->id.to_string()}, {"email", user->email}});
  return exit_ok;
}

int delete_user(const Config& config, const Log& log, const std::string& email) {
  Service service{config, marketing_events::jwt::SigningKey::generate_ed25519().value()};
  if (auto deleted = service.auth.delete_user(email); !deleted) {
    if (deleted.error().code == marketing_events::ErrorCode::not_found) {
      log.error("user not deleted: no user has this e-mail address",
                {{"email", marketing_events::normalize_email(email)}});
      return exit_usage;
    }
    log_database_failure(log, "user not deleted", config, deleted.error());
    return exit_failure;
  }
  log.info(
      "user deleted: their events and sessions are gone; their access tokens stop "
      "working within USER_RECHECK_SECONDS",
      {{"email", marketing_events::normalize_email(email)}});
  return exit_ok;
}

int keygen() {
  const auto key = marketing_events::jwt::SigningKey::generate_ed25519();
  const auto pem = key ? key->private_pem() : marketing_events::Result<std::string>{key.error()};
  if (!pem) {
    std::cerr << "keygen failed: " << pem.error().detail << "\n";
    return exit_failure;
  }
  std::cout << pem.value();
  return exit_ok;
}

}  // namespace events_api
