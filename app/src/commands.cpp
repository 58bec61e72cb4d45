#include "commands.hpp"

#include <pthread.h>

#include <atomic>
#include <csignal>
#include <iostream>
#include <thread>

#include "logging.hpp"
#include "marketing_events/http/api.hpp"
#include "marketing_events/http/server.hpp"
#include "marketing_events/postgres/migrations.hpp"
#include "metrics.hpp"
#include "service.hpp"

namespace events_api {
namespace {

namespace json = boost::json;

// SIGTERM and SIGINT are blocked in every thread and awaited by one, so no handler runs at a
// random point in another thread.
sigset_t termination_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
}

}  // namespace

int serve(const Config& config) {
  const auto signals = termination_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const Log log{config.log_format, config.log_level};
  auto key = load_signing_key(config, log);
  if (!key) {
    log.error("cannot load the signing key", {{"detail", key.error().detail}});
    return exit_usage;
  }
  Service service{config, std::move(key).value()};
  Metrics metrics{service.pool};

  marketing_events::http::Api api{
      marketing_events::http::ApiDependencies{
          service.auth, service.events, service.verified_tokens, service.clock,
          service.access_tokens.jwks(), openapi_document(),
          [&service] {
            const auto current = marketing_events::postgres::schema_is_current(service.pool);
            return current.has_value() && current.value();
          },
          [&metrics] { return metrics.scrape(); }},
      marketing_events::http::ApiSettings{config.allow_registration}};

  marketing_events::http::ServerSettings settings;
  settings.address = config.listen_address;
  settings.port = config.port;
  settings.trusted_proxies = config.trusted_proxies;
  settings.body_limit = config.body_limit;
  settings.worker_threads = config.http_threads;
  settings.drain_timeout = config.shutdown_timeout;
  marketing_events::http::Server server{
      settings, api, [&](const marketing_events::http::CompletedExchange& exchange) {
        metrics.observe(exchange);
        log.request(exchange);
      }};
  try {
    server.listen();
  } catch (const std::exception& error) {
    log.error("cannot listen", {{"port", config.port}, {"detail", error.what()}});
    return exit_failure;
  }
  if (auto ready = marketing_events::postgres::schema_is_current(service.pool); !ready) {
    log.warn("database not reachable yet; /readyz stays 503 until it is",
             {{"detail", ready.error().detail}});
  } else if (!ready.value()) {
    log.warn("database schema is not current; run `events-api migrate`");
  }
  log.info("listening", {{"port", server.port()},
                         {"address", config.listen_address},
                         {"jwt_key_id", service.access_tokens.key_id()},
                         {"registration", config.allow_registration}});

  // Waits for SIGTERM/SIGINT in short slices, so it also ends when the server stops alone.
  std::atomic<bool> stopped{false};
  std::jthread signal_waiter([&server, &log, &stopped, signals] {
    constexpr timespec slice{0, 200'000'000};
    while (!stopped.load()) {
      const int received = sigtimedwait(&signals, nullptr, &slice);
      if (received == SIGTERM || received == SIGINT) {
        log.info("draining", {{"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"}});
        server.stop();
        return;
      }
    }
  });
  server.run();
  stopped.store(true);
  log.info("stopped");
  return exit_ok;
}

int migrate(const Config& config) {
  const Log log{config.log_format, config.log_level};
  marketing_events::postgres::PoolSettings settings;
  settings.conninfo = config.database_url;
  settings.max_connections = 1;
  marketing_events::postgres::ConnectionPool pool{settings};
  const auto applied = marketing_events::postgres::migrate(pool);
  if (!applied) {
    log.error("migration failed", {{"detail", applied.error().detail}});
    return exit_failure;
  }
  log.info("migrations applied", {{"applied", applied.value()},
                                  {"known", marketing_events::postgres::migrations().size()}});
  return exit_ok;
}

int create_user(const Config& config, const std::string& email, std::istream& password_input) {
  const Log log{config.log_format, config.log_level};
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
    json::array problems;
    for (const auto& [field, message] : user.error().fields) {
      std::string problem = field;
      problem += " ";
      problem += message;
      problems.emplace_back(problem);
    }
    log.error("user not created", {{"reason", marketing_events::to_string(user.error().code)},
                                   {"fields", std::move(problems)}});
    return user.error().code == marketing_events::ErrorCode::invalid_fields ? exit_usage
                                                                            : exit_failure;
  }
  log.info("user created", {{"user_id", user->id.to_string()}, {"email", user->email}});
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
