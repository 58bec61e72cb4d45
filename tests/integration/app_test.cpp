#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "commands.hpp"
#include "config.hpp"
#include "marketing_events/http/api.hpp"
#include "marketing_events/testing/in_memory_services.hpp"

using namespace marketing_events;

namespace {

events_api::Environment environment(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const char* name) -> std::optional<std::string> {
    const auto found = values.find(name);
    return found == values.end() ? std::nullopt : std::optional<std::string>{found->second};
  };
}

}  // namespace

TEST_CASE("app: every setting has a default") {
  const auto config = events_api::config_from(environment({}));
  REQUIRE(config.has_value());
  CHECK(config->port == 8080);
  CHECK(config->access_token_ttl == std::chrono::seconds{900});
  CHECK(config->refresh_token_ttl == std::chrono::seconds{2'592'000});
  CHECK(config->allow_registration);
  CHECK(config->log_format == events_api::LogFormat::json);
  CHECK_FALSE(config->jwt_private_key_file.has_value());
}

TEST_CASE("app: settings are read, and every bad value is named") {
  const auto config =
      events_api::config_from(environment({{"PORT", "9000"},
                                           {"ALLOW_REGISTRATION", "false"},
                                           {"DB_POOL_SIZE", "16"},
                                           {"LOG_FORMAT", "text"},
                                           {"JWT_PRIVATE_KEY_FILE", "/run/secrets/jwt.pem"},
                                           {"DATABASE_URL", "postgresql://db/events"}}));
  REQUIRE(config.has_value());
  CHECK(config->port == 9000);
  CHECK_FALSE(config->allow_registration);
  CHECK(config->db_pool_size == 16);
  CHECK(config->log_format == events_api::LogFormat::text);
  CHECK(config->jwt_private_key_file == "/run/secrets/jwt.pem");
  CHECK(config->database_url == "postgresql://db/events");

  const auto bad = events_api::config_from(environment({{"PORT", "80a"},
                                                        {"ACCESS_TOKEN_TTL", "5"},
                                                        {"ALLOW_REGISTRATION", "maybe"},
                                                        {"LOG_LEVEL", "loud"},
                                                        {"HTTP_THREADS", "0"}}));
  REQUIRE_FALSE(bad.has_value());
  std::vector<std::string> named;
  for (const auto& field : bad.error().fields) {
    named.push_back(field.field);
  }
  CHECK(named == std::vector<std::string>{"PORT", "ACCESS_TOKEN_TTL", "ALLOW_REGISTRATION",
                                          "HTTP_THREADS", "LOG_LEVEL"});
  CHECK(bad.error().fields[0].message == R"(must be an integer from 0 to 65535, got "80a")");
}

// The OpenAPI document in the repository describes exactly the routes the server has.
TEST_CASE("app: the OpenAPI document and the server's routes agree") {
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
      http::ApiDependencies{services.auth, services.events, services.access_tokens, services.clock,
                            "{}", "{}", [] { return true; }, [] { return std::string(); }},
      http::ApiSettings{}};
  const auto routes = api.routes();
  const std::set<std::pair<std::string, std::string>> served(routes.begin(), routes.end());
  CHECK(documented == served);
}
