#include "commands.hpp"

#include <csignal>
#include <iostream>

#include "logging.hpp"
#include "marketing_events/http/api.hpp"
#include "marketing_events/http/server.hpp"
#include "marketing_events/postgres/migrations.hpp"
#include "metrics.hpp"
#include "service.hpp"

namespace events_api {

namespace json = boost::json;

int serve(const Config& config, const Log& log) {
  auto key = load_signing_key(config, log);
  if (!key) {
    log.error("cannot load the signing key", {{"detail", key.error().detail}});
    return exit_usage;
  }
  Service service{config, std::move(key).value()};
  Metrics metrics{service.pool};

  namespace http = marketing_events::http;
  const http::Api api{
      http::contract_routes(service.events, service.auth, config.routes,
                            http::Operations{[&service] {
                                               const auto current =
                                                   marketing_events::postgres::schema_is_current(
                                                       service.pool);
                                               return current.has_value() && current.value();
                                             },
                                             [&metrics] { return metrics.scrape(); },
                                             openapi_document(), service.access_tokens.jwks()}),
      service.authenticator};
  http::Server server{config.server, api, [&](const http::CompletedExchange& exchange) {
                        metrics.observe(exchange);
                        log.request(exchange);
                      }};
  // Before anything slow: a SIGTERM from here on drains instead of killing the process.
  server.stop_on_signals({SIGTERM, SIGINT}, [&log](int signal) {
    log.info("draining", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
  });
  try {
    server.listen();
  } catch (const std::exception& error) {
    log.error("cannot listen", {{"port", config.server.port}, {"detail", error.what()}});
    return exit_failure;
  }
  if (auto ready = marketing_events::postgres::schema_is_current(service.pool); !ready) {
    log.warn("database not reachable yet; /readyz stays 503 until it is",
             {{"detail", ready.error().detail}});
  } else if (!ready.value()) {
    log.warn("database schema is not current; run `events-api migrate`");
  }
  log.info("listening", {{"port", server.port()},
                         {"address", config.server.address},
                         {"jwt_key_id", service.access_tokens.key_id()},
                         {"registration", config.routes.allow_registration}});
  server.run();
  log.info("stopped");
  return exit_ok;
}

int migrate(const Config& config, const Log& log) {
  auto settings = config.database;
  settings.max_connections = 1;  // migrations run on one connection, under one lock
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
