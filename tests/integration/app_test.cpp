#include <algorithm>
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
#include "logging.hpp"
#include "marketing_events/http/api.hpp"
#include "marketing_events/http/server.hpp"
#include "marketing_events/postgres/migrations.hpp"
#include "marketing_events/testing/in_memory_services.hpp"
#include "marketing_events/testing/test_database.hpp"
#include "metrics.hpp"
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
  CHECK(config->routes.auth.allow_registration);
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
              ->routes.auth.allow_registration);
  }
  for (const auto* no : {"false", "FALSE", "no", "off", "OFF", "0"}) {
    CHECK_FALSE(events_api::config_from(environment({{"ALLOW_REGISTRATION", no}}))
                    ->routes.auth.allow_registration);
  }
}

TEST_CASE("PUBLIC_URL is an absolute http(s) address, the calendar settings are bounded") {
  for (const auto& [given, kept] : std::vector<std::pair<std::string, std::string>>{
           {"https://events.example.com", "https://events.example.com"},
           {"HTTPS://events.example.com/", "HTTPS://events.example.com"},
           {"http://10.0.0.1:8080/marketing//", "http://10.0.0.1:8080/marketing"}}) {
    const auto config = events_api::config_from(environment({{"PUBLIC_URL", given}}));
    REQUIRE(config.has_value());
    CHECK(config->routes.calendar.public_url == kept);
  }
  for (const auto* bad :
       {"events.example.com", "ftp://events.example.com", "http:///path",
        "https://user:secret@events.example.com", "https://e.example.com/?a=1",
        "https://e.example.com/#top", "https://e.example.com/\n", "https://e .example.com"}) {
    INFO(bad);
    const auto config = events_api::config_from(environment({{"PUBLIC_URL", bad}}));
    REQUIRE_FALSE(config.has_value());
    CHECK(config.error().fields.at(0).field == "PUBLIC_URL");
  }
  const auto calendar =
      events_api::config_from(environment({{"CALENDAR_WINDOW_DAYS", "30"},
                                           {"CALENDAR_MAX_EVENTS", "500"},
                                           {"CALENDAR_MAX_FEEDS_PER_USER", "3"},
                                           {"CALENDAR_CACHE_SECONDS", "0"},
                                           {"CALENDAR_CONCURRENT_RENDERS", "6"}}));
  REQUIRE(calendar.has_value());
  CHECK(calendar->calendar.window == std::chrono::days{30});
  CHECK(calendar->calendar.max_events == 500);
  CHECK(calendar->calendar.max_feeds_per_user == 3);
  CHECK(calendar->routes.calendar.cache_ttl == std::chrono::milliseconds{0});
  CHECK(calendar->routes.calendar.concurrent_renders == 6);
  CHECK_FALSE(events_api::config_from(environment({{"CALENDAR_MAX_EVENTS", "10001"}})));
  CHECK_FALSE(events_api::config_from(environment({{"CALENDAR_WINDOW_DAYS", "0"}})));
}

TEST_CASE("settings that cannot work together are said at start-up") {
  const auto loaded =
      events_api::load_config(environment({{"DB_BLOCKING_POOL_SIZE", "1"}, {"HASH_THREADS", "2"}}));
  REQUIRE(loaded.has_value());
  REQUIRE(loaded->warnings.size() == 1);
  CHECK(loaded->warnings.at(0).starts_with(
      "DB_BLOCKING_POOL_SIZE (1) is smaller than HASH_THREADS + 1 (3)"));
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
  CHECK_FALSE(config->routes.auth.allow_registration);
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
                                                        {"IO_THREADS", "300"}}));
  REQUIRE_FALSE(bad.has_value());
  std::vector<std::string> named;
  for (const auto& field : bad.error().fields) {
    named.push_back(field.field);
  }
  CHECK(named == std::vector<std::string>{"LISTEN_ADDRESS", "PORT", "TRUSTED_PROXIES", "IO_THREADS",
                                          "ALLOW_REGISTRATION", "ACCESS_TOKEN_TTL", "LOG_LEVEL"});
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
          services.events, services.auth, services.calendar, {},
          http::Operations{[] { return true; }, [] { return std::string(); }, "{}", "{}", {}}),
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

TEST_CASE("a request waiting for the database holds a connection, not the thread") {
  using namespace std::chrono_literals;
  events_api::Config config;
  config.database.conninfo = testing::clean_database().conninfo;
  config.database.max_connections = 1;
  config.database.acquire_timeout = 300ms;
  const bool pipelined = GENERATE(false, true);
  config.database.pipeline = pipelined;
  config.server.io_threads = 1;
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
          service.events, service.auth, service.calendar, {},
          http::Operations{[] { return true; }, [] { return std::string(); }, "{}", "{}", {}}),
      service.authenticator};
  http::Server server{config.server, api, [](const http::CompletedExchange&) {}};
  const auto shares = service.pool.split_across(server.loop_executors());
  server.listen();
  std::jthread serving([&server] { server.run(); });
  CHECK(get(server.port(), "/api/v1/events", token).status == 200);  // the user is now known

  {
    // Another session locks the events table: a listing now waits inside PostgreSQL, holding
    // the I/O thread's only connection.
    postgres::ConnectionPool other{postgres::PoolSettings{config.database.conninfo}};
    auto locker = other.acquire();
    REQUIRE(locker.has_value());
    REQUIRE(postgres::execute_script(locker->connection(),
                                     "BEGIN; LOCK TABLE events IN ACCESS EXCLUSIVE MODE"));
    auto first =
        std::async(std::launch::async, [&] { return get(server.port(), "/api/v1/events", token); });
    std::this_thread::sleep_for(100ms);
    std::optional<std::future<Timed>> second;
    if (pipelined) {
      // The first waits on the loop's pipelined connection; seeing it stuck, the next one
      // takes the pool's only connection instead, and waits there.
      second = std::async(std::launch::async,
                          [&] { return get(server.port(), "/api/v1/events", token); });
      std::this_thread::sleep_for(100ms);
    }
    // The thread itself is free: liveness answers at once...
    const auto health = get(server.port(), "/healthz");
    CHECK(health.status == 200);
    CHECK(health.took < 100ms);
    // ...and a second listing, with no connection free, gets a 503 after the acquire timeout.
    const auto refused = get(server.port(), "/api/v1/events", token);
    CHECK(refused.status == 503);
    CHECK(refused.took >= 250ms);
    CHECK(refused.took < 2s);
    REQUIRE(postgres::execute_script(locker->connection(), "COMMIT"));
    CHECK(first.get().status == 200);  // the waiting one completes once the lock is gone
    if (second) {
      CHECK(second->get().status == 200);
    }
  }
  CHECK(get(server.port(), "/api/v1/events", token).status == 200);
  server.stop();
}

namespace {

// A log destination as slow as a stalled pipe to a collector, keeping what it was given.
struct SlowDestination {
  std::mutex mutex;
  std::vector<std::string> lines;
  int batches = 0;

  events_api::LineWriter::Write write() {
    return [this](std::string_view batch) {
      std::this_thread::sleep_for(std::chrono::milliseconds{50});
      const std::scoped_lock lock{mutex};
      ++batches;
      while (!batch.empty()) {
        const auto end = batch.find('\n');
        lines.emplace_back(batch.substr(0, end));
        batch.remove_prefix(end + 1);
      }
    };
  }
};

}  // namespace

TEST_CASE("logging never waits for the writer, a full buffer drops lines, counted") {
  SlowDestination destination;
  std::size_t dropped = 0;
  {
    const events_api::Log log{events_api::LogSettings{"info", events_api::LogFormat::json},
                              std::size_t{16} * 1024, destination.write()};
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 1000; ++i) {
      log.info("line", {{"n", i}});
    }
    // Written at 50 ms a batch, 1,000 lines could take seconds; the caller is back at once.
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds{200});
    dropped = log.dropped_lines();
    CHECK(dropped > 0);  // 1,000 lines of ~80 bytes do not fit in 16 KiB
  }                      // the Log writes what is still buffered before it goes
  const std::scoped_lock lock{destination.mutex};
  CHECK(destination.lines.size() == 1000 - dropped);
  CHECK(destination.batches < 10);  // batches, not a write per line
}

TEST_CASE("a clean shutdown loses no log line") {
  SlowDestination destination;
  {
    const events_api::Log log{events_api::LogSettings{"info", events_api::LogFormat::json},
                              std::size_t{1} << 20U, destination.write()};
    for (int i = 0; i < 100; ++i) {
      log.info("line", {{"n", i}});
    }
  }
  const std::scoped_lock lock{destination.mutex};
  REQUIRE(destination.lines.size() == 100);
  CHECK(destination.lines.back().find("\"n\":99") != std::string::npos);
}

TEST_CASE("lines from many threads are all written, each thread's in order") {
  SlowDestination destination;
  constexpr int threads = 6;  // more than the 4 shards asked for: some threads share one
  constexpr int per_thread = 2000;
  {
    events_api::LineWriter writer{destination.write(), std::size_t{8} << 20U,
                                  std::chrono::milliseconds{5}, 4};
    std::vector<std::jthread> appenders;
    appenders.reserve(threads);
    for (int thread = 0; thread < threads; ++thread) {
      appenders.emplace_back([&writer, thread] {
        for (int line = 0; line < per_thread; ++line) {
          writer.append(std::to_string(thread) + " " + std::to_string(line));
        }
      });
    }
    appenders.clear();  // joins them
    CHECK(writer.dropped() == 0);
  }
  const std::scoped_lock lock{destination.mutex};
  REQUIRE(destination.lines.size() == std::size_t{threads} * per_thread);
  std::map<int, int> next_line;
  for (const auto& line : destination.lines) {
    const auto space = line.find(' ');
    const int thread = std::stoi(line.substr(0, space));
    CHECK(std::stoi(line.substr(space + 1)) == next_line[thread]++);
  }
}

TEST_CASE("the writer's bound is for all its shards together, however they fill") {
  // A destination that holds the first batch until released: meanwhile nothing is written.
  std::promise<void> release;
  const auto released = release.get_future().share();
  std::mutex mutex;
  std::vector<std::string> lines;
  const events_api::LineWriter::Write gated = [&](std::string_view batch) {
    released.wait();
    const std::scoped_lock lock{mutex};
    while (!batch.empty()) {
      const auto end = batch.find('\n');
      lines.emplace_back(batch.substr(0, end));
      batch.remove_prefix(end + 1);
    }
  };
  std::size_t dropped = 0;
  {
    // 8 KiB in 8 shards: 80 lines of 100 bytes (with the line break) fit, in any shard.
    events_api::LineWriter writer{gated, std::size_t{8} * 1024, std::chrono::milliseconds{5}, 8};
    const std::string line(99, 'a');
    const std::string other(99, 'b');
    std::jthread{[&] {
      for (int i = 0; i < 100; ++i) {
        writer.append(line);
      }
    }}.join();
    std::jthread{[&] {
      for (int i = 0; i < 100; ++i) {
        writer.append(other);
      }
    }}.join();
    dropped = writer.dropped();
    release.set_value();
  }
  const std::scoped_lock lock{mutex};
  CHECK(lines.size() == 200 - dropped);
  CHECK(lines.size() <= 81);
  // The first thread used far more than an eighth of the bound, and left no room for the other.
  CHECK(std::count(lines.begin(), lines.end(), std::string(99, 'a')) >= 70);
  CHECK(std::count(lines.begin(), lines.end(), std::string(99, 'b')) == 0);
}

TEST_CASE("metrics labels come from a fixed vocabulary, whatever the client sends") {
  postgres::ConnectionPool pool{postgres::PoolSettings{}};
  events_api::Metrics metrics{pool, [] { return std::size_t{0}; }};
  for (int i = 0; i < 800; ++i) {
    http::Request request;
    request.method_string("X" + std::to_string(i) + std::string(8000, 'M'));
    http::Exchange exchange;
    exchange.route = "/healthz";
    metrics.observe({&request, 405, std::chrono::microseconds{10}, &exchange});
  }
  http::Request get;
  get.method(boost::beast::http::verb::get);
  http::Exchange unmatched;
  metrics.observe({&get, 404, std::chrono::microseconds{10}, &unmatched});
  const auto started = std::chrono::steady_clock::now();
  const auto text = metrics.scrape();
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds{50});
  CHECK(text.size() < std::size_t{64} * 1024);
  CHECK(text.find(R"(http_requests_total{method="other",route="/healthz",status="405"} 800)") !=
        std::string::npos);
  CHECK(text.find("MMMM") == std::string::npos);
}

// What a client can put in every field and parameter, sent through the whole stack to a real
// PostgreSQL: none of it may produce a 5xx (a 5xx is our bug, or an unreachable database).
TEST_CASE("no bad input anywhere gets a 5xx from the real stack") {
  using namespace std::chrono_literals;
  events_api::Config config;
  config.database.conninfo = testing::clean_database().conninfo;
  config.auth.max_failures_per_email = 1'000'000;  // the throttles are not what is tested here
  config.auth.max_failures_per_client = 1'000'000;
  config.auth.max_registrations_per_client = 1'000'000;
  events_api::Service service{config, jwt::SigningKey::generate_ed25519().value()};
  const http::Api api{
      http::contract_routes(
          service.events, service.auth, service.calendar, {},
          http::Operations{[] { return true; }, [] { return std::string(); }, "{}", "{}", {}}),
      service.authenticator};
  const auto user = service.auth.register_user("ana@example.com", "correct horse battery");
  REQUIRE(user.has_value());
  const auto now = service.clock.now();
  const auto token =
      "Bearer " +
      service.access_tokens.issue({user->id, service.ids.next(), now, now + 1h}).value();
  const auto event = service.events.create(
      user->id, {"Launch", "", "2026-03-01T09:00:00Z", "2026-03-01T10:00:00Z", "draft"});
  REQUIRE(event.has_value());
  const auto event_path = "/api/v1/events/" + event->id.to_string();

  const std::vector<std::string> strings{
      "",
      R"(\u0000)",
      R"(a\u0000b)",
      R"(\ud800)",
      R"(\udfff\ud800)",
      R"(\uffff)",
      "\xF0\x9F\x8E\x89",
      std::string(3000, 'a') + "@example.com",
      std::string(70'000 / 4, 'x'),
      R"(%_\\'\")",
      "'; DROP TABLE events; --",
      "0001-01-01T00:00:00+01:00",
      "9999-12-31T23:59:59-01:00",
      "0000-01-01T00:00:00Z",
      "2026-02-29T00:00:00Z",
      "2026-03-01T24:00:00Z",
      "2026-03-01T09:00:00.99999999999999999999Z",
      "2026-03-01T09:00:00+99:99",
      "ana@example.com",
  };
  std::vector<std::string> bodies;
  for (const auto& text : strings) {
    for (const auto* field : {"title", "description", "starts_at", "ends_at", "status"}) {
      bodies.push_back(R"({"title":"T","starts_at":"2026-03-01T09:00:00Z",)"
                       R"("ends_at":"2026-03-01T10:00:00Z",")" +
                       std::string(field) + R"(":")" + text + R"("})");
    }
    bodies.push_back(std::string(R"({"email":")")
                         .append(text)
                         .append(R"(","password":")")
                         .append(text)
                         .append(R"("})"));
    bodies.push_back(R"({"email":"ana@example.com","password":")" + text + R"("})");
    bodies.push_back(R"({"refresh_token":")" + text + R"("})");
  }
  for (const auto* odd : {"[]", "null", "1e999", R"({"title":1e999})", "{\"a\":", "\xC3\x28",
                          R"({"title":{"nested":[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]}})"}) {
    bodies.emplace_back(odd);
  }
  const std::vector<std::string> queries{
      "starts_from=0001-01-01T00:00:00%2B01:00",
      "starts_to=9999-12-31T23:59:59-01:00",
      "page=2147483647&limit=100",
      "page=99999999999999999999",
      "q=%00",
      "q=%C3%28",
      "q=%25%5F%5C",
      "q=" + std::string(200, 'x'),
      "q=%F0%9F%8E%89%F0%9F%8E%89",
      "status=draft,,published",
      std::string(
          "sort=-title&q=a&starts_from=2026-01-01T00:00:00Z&starts_to=2027-01-01T00:00:00Z") +
          "&status=draft",
      "limit=0&page=0&sort=nope",
  };
  const std::vector<std::string> ids{event->id.to_string(), "00000000-0000-0000-0000-000000000000",
                                     "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", "not-a-uuid",
                                     std::string(4000, 'a')};
  const std::vector<std::string> if_matches{R"("v9223372036854775807")", R"("v-1")",
                                            std::string(2000, ','), R"("v1", *)"};

  int sent = 0;
  const auto expect_no_5xx =
      [&](boost::beast::http::verb method, const std::string& target, const std::string& body,
          const std::vector<std::pair<std::string, std::string>>& headers = {}) {
        http::Request request{method, target, 11};
        request.set(boost::beast::http::field::host, "localhost");
        request.set(boost::beast::http::field::authorization, token);
        request.set(boost::beast::http::field::content_type, "application/json");
        for (const auto& [name, value] : headers) {
          request.set(name, value);
        }
        request.body() = body;
        request.prepare_payload();
        http::Exchange exchange;
        exchange.client = "192.0.2.1";
        const auto response = api.handle(request, exchange);
        ++sent;
        INFO(target << " " << body.substr(0, 200) << " -> " << response.body() << " ("
                    << exchange.problem_detail << ")");
        CHECK(response.result_int() < 500);
      };
  using boost::beast::http::verb;
  for (const auto& body : bodies) {
    expect_no_5xx(verb::post, "/api/v1/events", body);
    expect_no_5xx(verb::put, event_path, body);
    expect_no_5xx(verb::patch, event_path, body);
    expect_no_5xx(verb::post, "/api/v1/auth/login", body);
    expect_no_5xx(verb::post, "/api/v1/auth/register", body);
    expect_no_5xx(verb::post, "/api/v1/auth/refresh", body);
    expect_no_5xx(verb::post, "/api/v1/auth/logout", body);
  }
  for (const auto& query : queries) {
    expect_no_5xx(verb::get, "/api/v1/events?" + query, "");
  }
  for (const auto& id : ids) {
    for (const auto& if_match : if_matches) {
      expect_no_5xx(verb::get, "/api/v1/events/" + id, "");
      expect_no_5xx(verb::patch, "/api/v1/events/" + id, R"({"title":"x"})",
                    {{"If-Match", if_match}});
      expect_no_5xx(verb::delete_, "/api/v1/events/" + id, "", {{"If-Match", if_match}});
    }
  }
  CHECK(sent > 900);
}
