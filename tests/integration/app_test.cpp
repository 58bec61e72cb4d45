#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "commands.hpp"
#include "config.hpp"
#include "marketing_events/http/api.hpp"
#include "marketing_events/http/server.hpp"
#include "marketing_events/postgres/migrations.hpp"
#include "marketing_events/testing/in_memory_services.hpp"
#include "marketing_events/testing/test_database.hpp"
#include "service.hpp"

using namespace marketing_events;

namespace {

events_api::Environment environment(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const char* name) -> std::optional<std::string> {
    const auto found = values.find(name);
    return found == values.end() ? std::nullopt : std::optional<std::string>{found->second};
  };
}

}  // namespace

TEST_CASE("every setting has a default") {
  const auto config = events_api::config_from(environment({}));
  REQUIRE(config.has_value());
  CHECK(config->server.port == 8080);
  CHECK(config->auth.access_token_lifetime == std::chrono::seconds{900});
  CHECK(config->auth.refresh_token_lifetime == std::chrono::seconds{2'592'000});
  CHECK(config->routes.allow_registration);
  CHECK(config->log.format == events_api::LogFormat::json);
  CHECK_FALSE(config->jwt_private_key_file.has_value());
}

TEST_CASE("former variable names still work, with a warning naming the new one") {
  const auto loaded = events_api::load_config(environment(
      {{"ACCESS_TOKEN_TTL", "600"}, {"SHUTDOWN_TIMEOUT", "5"}, {"BODY_LIMIT", "2048"}}));
  REQUIRE(loaded.has_value());
  CHECK(loaded->config.auth.access_token_lifetime == std::chrono::seconds{600});
  CHECK(loaded->config.server.drain_timeout == std::chrono::seconds{5});
  CHECK(loaded->config.server.body_limit == 2048);
  REQUIRE(loaded->warnings.size() == 3);
  CHECK(loaded->warnings.at(0) == "BODY_LIMIT is deprecated: call it BODY_LIMIT_BYTES");
  // The new name wins when both are set.
  const auto both = events_api::config_from(
      environment({{"ACCESS_TOKEN_TTL", "600"}, {"ACCESS_TOKEN_TTL_SECONDS", "700"}}));
  CHECK(both->auth.access_token_lifetime == std::chrono::seconds{700});
}

TEST_CASE("one spelling of yes and no for every switch") {
  for (const auto* yes : {"true", "TRUE", "yes", "On", "1"}) {
    CHECK(events_api::config_from(environment({{"ALLOW_REGISTRATION", yes}}))
              ->routes.allow_registration);
  }
  for (const auto* no : {"false", "FALSE", "no", "off", "OFF", "0"}) {
    CHECK_FALSE(events_api::config_from(environment({{"ALLOW_REGISTRATION", no}}))
                    ->routes.allow_registration);
  }
}

TEST_CASE("settings that cannot work together are said at start-up") {
  const auto loaded =
      events_api::load_config(environment({{"DB_POOL_SIZE", "16"}, {"HTTP_THREADS", "4"}}));
  REQUIRE(loaded.has_value());
  REQUIRE(loaded->warnings.size() == 1);
  CHECK(loaded->warnings.at(0).starts_with("DB_POOL_SIZE (16) is larger than HTTP_THREADS (4)"));
  CHECK(events_api::load_config(environment({}))->warnings.empty());
}

// The README's configuration table lists exactly the variables the code reads, with the
// defaults the code has.
TEST_CASE("the README's configuration table is the code's") {
  std::ifstream readme(MARKETING_EVENTS_README);
  REQUIRE(readme);
  std::set<std::string> documented;  // "VARIABLE=default"
  std::string line;
  while (std::getline(readme, line) && !line.starts_with("| variable | default | meaning |")) {
  }
  while (std::getline(readme, line) && line.starts_with("|")) {
    if (!line.starts_with("| `")) {
      continue;  // the header's rule
    }
    const auto name_end = line.find('`', 3);
    const auto default_start = line.find('|', name_end) + 1;
    const auto default_end = line.find('|', default_start);
    auto value = line.substr(default_start, default_end - default_start);
    value = value.substr(value.find_first_not_of(' '));
    value = value.substr(0, value.find_last_not_of(' ') + 1);
    if (value.size() >= 2 && value.front() == '`' && value.back() == '`') {
      value = value.substr(1, value.size() - 2);
    }
    documented.insert(line.substr(3, name_end - 3) + "=" + (value == "(none)" ? "" : value));
  }
  const events_api::Config defaults;
  std::set<std::string> in_code;
  for (const auto& variable : events_api::variables()) {
    in_code.insert(std::string(variable.name) + "=" + variable.show(defaults));
  }
  for (const auto& row : documented) {
    INFO("README: " << row);
    CHECK(in_code.contains(row));
  }
  for (const auto& row : in_code) {
    INFO("code: " << row);
    CHECK(documented.contains(row));
  }
}

TEST_CASE("settings are read, and every bad value is named") {
  const auto config =
      events_api::config_from(environment({{"PORT", "9000"},
                                           {"LISTEN_ADDRESS", "127.0.0.1"},
                                           {"TRUSTED_PROXIES", "10.0.0.0/8, ::1"},
                                           {"ALLOW_REGISTRATION", "false"},
                                           {"DB_POOL_SIZE", "16"},
                                           {"LOG_FORMAT", "text"},
                                           {"JWT_PRIVATE_KEY_FILE", "/run/secrets/jwt.pem"},
                                           {"DATABASE_URL", "postgresql://db/events"}}));
  REQUIRE(config.has_value());
  CHECK(config->server.port == 9000);
  CHECK(config->server.address == "127.0.0.1");
  CHECK(config->server.trusted_proxies.contains(boost::asio::ip::make_address("10.1.2.3")));
  CHECK_FALSE(config->server.trusted_proxies.contains(boost::asio::ip::make_address("11.0.0.1")));
  CHECK_FALSE(config->routes.allow_registration);
  CHECK(config->database.max_connections == 16);
  CHECK(config->log.format == events_api::LogFormat::text);
  CHECK(config->jwt_private_key_file == "/run/secrets/jwt.pem");
  CHECK(config->database.conninfo == "postgresql://db/events");

  const auto bad = events_api::config_from(environment({{"PORT", "80a"},
                                                        {"LISTEN_ADDRESS", "localhost"},
                                                        {"TRUSTED_PROXIES", "10.0.0.0/33"},
                                                        {"ACCESS_TOKEN_TTL", "5"},
                                                        {"ALLOW_REGISTRATION", "maybe"},
                                                        {"LOG_LEVEL", "loud"},
                                                        {"HTTP_THREADS", "0"}}));
  REQUIRE_FALSE(bad.has_value());
  std::vector<std::string> named;
  for (const auto& field : bad.error().fields) {
    named.push_back(field.field);
  }
  CHECK(named == std::vector<std::string>{"LISTEN_ADDRESS", "PORT", "TRUSTED_PROXIES",
                                          "HTTP_THREADS", "ALLOW_REGISTRATION", "ACCESS_TOKEN_TTL",
                                          "LOG_LEVEL"});
  CHECK(bad.error().fields[0].message == R"(must be an IPv4 or IPv6 address, got "localhost")");
  CHECK(bad.error().fields[1].message == R"(must be an integer from 0 to 65535, got "80a")");
}

// The OpenAPI document in the repository describes exactly the routes the server has.
TEST_CASE("the OpenAPI document and the server's routes agree") {
  const auto document = boost::json::parse(events_api::openapi_document()).as_object();
  CHECK(document.at("openapi") == "3.1.0");
  std::set<std::pair<std::string, std::string>> documented;
  for (const auto& [path, item] : document.at("paths").as_object()) {
    for (const auto& [method, operation] : item.as_object()) {
      if (method != "parameters") {
        std::string upper(method);
        for (auto& c : upper) {
          c = static_cast<char>(c - 'a' + 'A');
        }
        documented.emplace(upper, std::string(path));
      }
    }
  }
  testing::InMemoryServices services;
  const http::Api api{
      http::contract_routes(
          services.events, services.auth, {},
          http::Operations{[] { return true; }, [] { return std::string(); }, "{}", "{}"}),
      services.authenticator};
  const auto routes = api.routes();
  const std::set<std::pair<std::string, std::string>> served(routes.begin(), routes.end());
  CHECK(documented == served);
}

namespace {

namespace bhttp = boost::beast::http;

struct Timed {
  unsigned status;
  std::chrono::steady_clock::duration took;
};

Timed get(unsigned short port, const std::string& target, const std::string& authorization = {}) {
  boost::asio::io_context io;
  boost::beast::tcp_stream stream(io);
  stream.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  http::Request request{bhttp::verb::get, target, 11};
  request.set(bhttp::field::host, "127.0.0.1");
  if (!authorization.empty()) {
    request.set(bhttp::field::authorization, authorization);
  }
  const auto started = std::chrono::steady_clock::now();
  bhttp::write(stream, request);
  boost::beast::flat_buffer buffer;
  http::Response response;
  bhttp::read(stream, buffer, response);
  return {response.result_int(), std::chrono::steady_clock::now() - started};
}

}  // namespace

TEST_CASE("with every connection and worker busy, /healthz answers at once, the rest get 503") {
  using namespace std::chrono_literals;
  events_api::Config config;
  config.database.conninfo = testing::test_database_url();
  config.database.max_connections = 1;
  config.database.acquire_timeout = 300ms;
  config.server.worker_threads = 2;
  config.server.address = "127.0.0.1";
  config.server.port = 0;
  events_api::Service service{config, jwt::SigningKey::generate_ed25519().value()};
  REQUIRE(postgres::migrate(service.pool).has_value());
  const auto user = service.auth.register_user("ana@example.com", "correct horse battery");
  REQUIRE(user.has_value());
  const auto now = service.clock.now();
  const auto token =
      "Bearer " +
      service.access_tokens.issue({user->id, service.ids.next(), now, now + 5min}).value();

  const http::Api api{
      http::contract_routes(
          service.events, service.auth, {},
          http::Operations{[] { return true; }, [] { return std::string(); }, "{}", "{}"}),
      service.authenticator};
  http::Server server{config.server, api, [](const http::CompletedExchange&) {}};
  server.listen();
  std::jthread serving([&server] { server.run(); });

  {
    auto held = service.pool.acquire();  // the pool's only connection
    REQUIRE(held.has_value());
    // Both workers wait for a connection...
    auto first =
        std::async(std::launch::async, [&] { return get(server.port(), "/api/v1/events", token); });
    auto second =
        std::async(std::launch::async, [&] { return get(server.port(), "/api/v1/events", token); });
    std::this_thread::sleep_for(50ms);
    // ...and liveness does not wait for them.
    const auto health = get(server.port(), "/healthz");
    CHECK(health.status == 200);
    CHECK(health.took < 100ms);
    for (auto* pending : {&first, &second}) {
      const auto refused = pending->get();
      CHECK(refused.status == 503);
      CHECK(refused.took >= 250ms);
      CHECK(refused.took < 2s);
    }
  }
  CHECK(get(server.port(), "/api/v1/events", token).status == 200);
  server.stop();
}
