#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "marketing_events/http/calendar_cache.hpp"
#include "marketing_events/http/calendar_routes.hpp"
#include "marketing_events/http/icalendar.hpp"
#include "marketing_events/testing/running_server.hpp"

using namespace marketing_events;
namespace bhttp = boost::beast::http;
namespace json = boost::json;

using testing::bearer;
using testing::body_of;
using testing::Client;
using testing::RunningServer;

namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

json::object create_event(Client& client, const std::string& token, const json::object& event) {
  const auto response = client.send(bhttp::verb::post, "/api/v1/events", json::serialize(event),
                                    {{"Authorization", token}});
  REQUIRE(response.result_int() == 201);
  return body_of(response);
}

json::object create_feed(Client& client, const std::string& token, const std::string& body = "{}") {
  const auto response =
      client.send(bhttp::verb::post, "/api/v1/calendar-feeds", body, {{"Authorization", token}});
  REQUIRE(response.result_int() == 201);
  CHECK(response[bhttp::field::cache_control] == "no-store");
  return body_of(response);
}

// The feed's path on this server, from its subscription URL.
std::string path_of(const json::object& feed) {
  const std::string url(feed.at("url").as_string());
  const std::string prefix = "http://127.0.0.1/api/v1/calendar/";
  REQUIRE(url.starts_with(prefix));
  REQUIRE(url.ends_with(".ics"));
  return url.substr(std::string("http://127.0.0.1").size());
}

std::string basic_utc(std::string_view rfc3339) {
  // 2026-03-10T09:00:00Z → 20260310T090000Z
  std::string out;
  for (const char c : rfc3339.substr(0, 19)) {
    if (c != '-' && c != ':') {
      out += c;
    }
  }
  return out + "Z";
}

std::string repeat(const std::string& text, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) {
    out += text;
  }
  return out;
}

}  // namespace

TEST_CASE("http: a feed's .ics reads back, through an independent parser, as the events it holds") {
  RunningServer running;
  Client client{running.server->port()};
  const auto token = bearer(client);
  const auto long_title = repeat("\xc3\xa9", 150) + repeat("\xf0\x9f\x9a\x80", 50);  // é, 🚀
  struct Case {
    std::string title;
    std::string description;
    std::string expected_description;
  };
  const std::vector<Case> cases{
      {"Launch, phase 1; part \\ 2", "Hall A, B; C\\D", "Hall A, B; C\\D"},
      {"Spring \xf0\x9f\x8c\xb8 launch \xf0\x9f\x9a\x80", "Line one\nLine two\r\nLine three",
       "Line one\nLine two\nLine three"},
      {long_title, repeat("Long description \xe2\x80\x94 ", 40), ""},
      {"Two\nlines", "A bell\x07 rings", "A bell rings"},
  };
  json::array expected;
  int day = 10;
  for (const auto& item : cases) {
    const auto start = "2026-03-" + std::to_string(day) + "T09:00:00Z";
    const auto end = "2026-03-" + std::to_string(day) + "T10:30:00Z";
    ++day;
    const auto event = create_event(client, token,
                                    {{"title", item.title},
                                     {"description", item.description},
                                     {"starts_at", start},
                                     {"ends_at", end},
                                     {"status", "published"}});
    expected.push_back(json::object{
        {"uid", std::string(event.at("id").as_string()) + "@marketing-events"},
        {"summary", item.title},
        {"description",
         item.expected_description.empty() ? item.description : item.expected_description},
        {"start", basic_utc(start)},
        {"end", basic_utc(end)},
        {"sequence", 0},
        {"status", "CONFIRMED"},
        {"last_modified", basic_utc(std::string(event.at("updated_at").as_string()))}});
  }
  create_event(client, token,
               {{"title", "A draft"},
                {"starts_at", "2026-03-20T09:00:00Z"},
                {"ends_at", "2026-03-20T09:00:00Z"},
                {"status", "draft"}});
  const auto feed = create_feed(client, token, R"({"name":"Ana's, campaigns"})");
  const auto response = client.send(bhttp::verb::get, path_of(feed));
  REQUIRE(response.result_int() == 200);
  CHECK(response[bhttp::field::content_type] == "text/calendar; charset=utf-8");
  CHECK(response[bhttp::field::cache_control] == "private, max-age=300");
  CHECK_FALSE(response[bhttp::field::etag].empty());

  const std::string directory = MARKETING_EVENTS_TEST_OUTPUT;
  {
    std::ofstream(directory + "/feed.ics", std::ios::binary) << response.body();
    std::ofstream(directory + "/feed.json")
        << json::serialize(json::object{{"name", "Ana's, campaigns"}, {"events", expected}});
  }
  const auto command = std::string("/usr/bin/python3 ") + MARKETING_EVENTS_ICALENDAR_CHECK + " " +
                       directory + "/feed.ics " + directory + "/feed.json";
  // NOLINTNEXTLINE(cert-env33-c,concurrency-mt-unsafe): a test runs a checker it names in full
  CHECK(std::system(command.c_str()) == 0);
}

// Feeds rendered on every read: a test sees each change at once.
http::ContractSettings uncached() {
  http::ContractSettings settings;
  settings.calendar.cache_ttl = std::chrono::milliseconds{0};
  return settings;
}

TEST_CASE("http: a feed answers If-None-Match with 304 until an event changes") {
  RunningServer running{{}, [](const http::CompletedExchange&) {}, uncached()};
  Client client{running.server->port()};
  const auto token = bearer(client);
  const auto event = create_event(client, token,
                                  {{"title", "Launch"},
                                   {"starts_at", "2026-03-10T09:00:00Z"},
                                   {"ends_at", "2026-03-10T09:00:00Z"},
                                   {"status", "published"}});
  const auto path = path_of(create_feed(client, token));
  const auto first = client.send(bhttp::verb::get, path);
  REQUIRE(first.result_int() == 200);
  CHECK(first.body().find("DTEND") == std::string::npos);  // it ends when it starts
  CHECK(first.body().find("SEQUENCE:0\r\n") != std::string::npos);
  const std::string tag(first[bhttp::field::etag]);
  for (const auto& header : {tag, "W/" + tag, "\"other\", " + tag, std::string("*")}) {
    const auto again = client.send(bhttp::verb::get, path, {}, {{"If-None-Match", header}});
    CHECK(again.result_int() == 304);
    CHECK(again.body().empty());
    CHECK(again[bhttp::field::etag] == tag);
  }
  CHECK(client.send(bhttp::verb::get, path, {}, {{"If-None-Match", "\"other\""}}).result_int() ==
        200);
  const auto id = std::string(event.at("id").as_string());
  REQUIRE(client
              .send(bhttp::verb::patch, "/api/v1/events/" + id, R"j({"title":"Launch (moved)"})j",
                    {{"Authorization", token}})
              .result_int() == 200);
  const auto changed = client.send(bhttp::verb::get, path, {}, {{"If-None-Match", tag}});
  CHECK(changed.result_int() == 200);
  CHECK(changed[bhttp::field::etag] != tag);
  CHECK(changed.body().find("SEQUENCE:1\r\n") != std::string::npos);
  CHECK(changed.body().find("SUMMARY:Launch (moved)\r\n") != std::string::npos);
}

TEST_CASE("http: a rendered feed is reused for its time to live, and a revocation holds at once") {
  auto settings = uncached();
  settings.calendar.cache_ttl = std::chrono::milliseconds{400};
  RunningServer running{{}, [](const http::CompletedExchange&) {}, settings};
  Client client{running.server->port()};
  const auto token = bearer(client);
  const auto event = create_event(client, token,
                                  {{"title", "Launch"},
                                   {"starts_at", "2026-03-10T09:00:00Z"},
                                   {"ends_at", "2026-03-10T10:00:00Z"},
                                   {"status", "published"}});
  const auto feed = create_feed(client, token);
  const auto path = path_of(feed);
  const auto first = client.send(bhttp::verb::get, path);
  REQUIRE(first.result_int() == 200);
  const auto id = std::string(event.at("id").as_string());
  REQUIRE(client
              .send(bhttp::verb::patch, "/api/v1/events/" + id, R"j({"title":"Renamed"})j",
                    {{"Authorization", token}})
              .result_int() == 200);
  const auto cached = client.send(bhttp::verb::get, path);
  CHECK(cached.body() == first.body());  // within its time to live: the same rendering
  CHECK(cached[bhttp::field::etag] == first[bhttp::field::etag]);
  std::this_thread::sleep_for(std::chrono::milliseconds{500});
  const auto fresh = client.send(bhttp::verb::get, path);
  CHECK(fresh.body().find("SUMMARY:Renamed\r\n") != std::string::npos);
  CHECK(fresh[bhttp::field::etag] != first[bhttp::field::etag]);
  REQUIRE(client
              .send(bhttp::verb::delete_,
                    "/api/v1/calendar-feeds/" + std::string(feed.at("id").as_string()), {},
                    {{"Authorization", token}})
              .result_int() == 204);
  CHECK(client.send(bhttp::verb::get, path).result_int() == 404);  // cached or not
}

TEST_CASE("http: the feed cache stays within its bytes, least recently read out first") {
  http::CalendarCache cache{std::chrono::seconds{60}, 4000};
  const auto now = std::chrono::steady_clock::now();
  const auto body = [](std::size_t size) {
    return http::CalendarCache::Rendered{std::make_shared<const std::string>(size, 'x'), "\"t\""};
  };
  std::vector<Uuid> feeds;
  feeds.reserve(6);
  for (int i = 0; i < 6; ++i) {
    feeds.push_back(Uuid::parse("0190b5a8-8d2e-7c3a-9b1e-00000000000" + std::to_string(i)).value());
  }
  for (int i = 0; i < 4; ++i) {
    cache.store(feeds.at(static_cast<std::size_t>(i)), body(900), now);
  }
  CHECK(cache.size() == 4);
  CHECK(cache.find(feeds.at(0), now).has_value());  // now the most recently read
  cache.store(feeds.at(4), body(900), now);         // 5 x 903 > 4000: the least recent goes
  CHECK(cache.size() == 4);
  CHECK(cache.bytes() <= 4000);
  CHECK(cache.find(feeds.at(0), now).has_value());
  CHECK_FALSE(cache.find(feeds.at(1), now).has_value());
  cache.store(feeds.at(5), body(1001), now);  // over a quarter of the budget: never kept
  CHECK_FALSE(cache.find(feeds.at(5), now).has_value());
  CHECK_FALSE(cache.find(feeds.at(0), now + std::chrono::seconds{61}).has_value());  // too old
  CHECK(cache.size() == 3);  // the expired entry went when it was found too old
}

TEST_CASE("http: feeds are listed without secrets, revoked at once, and private to their owner") {
  std::mutex mutex;
  std::vector<http::Exchange> seen;
  RunningServer running{{}, [&](const http::CompletedExchange& completed) {
                          const std::scoped_lock lock{mutex};
                          seen.push_back(*completed.exchange);
                        }};
  Client client{running.server->port()};
  const auto ana = bearer(client);
  const auto bob = bearer(client, "bob@example.com");
  const auto feed = create_feed(client, ana, R"({"name":"Drafts","status":"draft"})");
  CHECK(feed.at("name") == "Drafts");
  CHECK(feed.at("status") == "draft");
  CHECK(feed.contains("created_at"));
  const std::string id(feed.at("id").as_string());
  const auto path = path_of(feed);
  const auto secret = path.substr(std::string("/api/v1/calendar/").size(), 43);

  const auto listed =
      client.send(bhttp::verb::get, "/api/v1/calendar-feeds", {}, {{"Authorization", ana}});
  REQUIRE(listed.result_int() == 200);
  const auto items = body_of(listed).at("items").as_array();
  REQUIRE(items.size() == 1);
  CHECK(items.at(0).at("id").as_string() == id);
  CHECK_FALSE(items.at(0).as_object().contains("url"));
  CHECK(listed.body().find(secret) == std::string::npos);
  CHECK(
      body_of(client.send(bhttp::verb::get, "/api/v1/calendar-feeds", {}, {{"Authorization", bob}}))
          .at("items")
          .as_array()
          .empty());

  CHECK(client.send(bhttp::verb::get, path).result_int() == 200);
  CHECK(
      client
          .send(bhttp::verb::delete_, "/api/v1/calendar-feeds/" + id, {}, {{"Authorization", bob}})
          .result_int() == 404);
  CHECK(
      client
          .send(bhttp::verb::delete_, "/api/v1/calendar-feeds/" + id, {}, {{"Authorization", ana}})
          .result_int() == 204);
  const auto revoked = client.send(bhttp::verb::get, path);
  CHECK(revoked.result_int() == 404);
  CHECK(std::string(body_of(revoked).at("detail").as_string()).find("revoked") !=
        std::string::npos);
  CHECK(
      client
          .send(bhttp::verb::delete_, "/api/v1/calendar-feeds/" + id, {}, {{"Authorization", ana}})
          .result_int() == 404);
  CHECK(client
            .send(bhttp::verb::delete_, "/api/v1/calendar-feeds/not-an-id", {},
                  {{"Authorization", ana}})
            .result_int() == 404);
  CHECK(client.send(bhttp::verb::get, "/api/v1/calendar-feeds").result_int() == 401);

  // What the log and the metrics get: the route template and the feed's id, never the secret.
  const std::scoped_lock lock{mutex};
  bool logged_feed = false;
  for (const auto& exchange : seen) {
    CHECK(exchange.route.find(secret) == std::string_view::npos);
    CHECK(exchange.problem_detail.find(secret) == std::string::npos);
    if (exchange.route == "/api/v1/calendar/{secret}.ics" && exchange.calendar_feed) {
      CHECK(exchange.calendar_feed->to_string() == id);
      logged_feed = true;
    }
  }
  CHECK(logged_feed);
}

TEST_CASE("http: bad feed requests are named, unknown addresses are 404, the bound is a 409") {
  RunningServer running{{}, [](const http::CompletedExchange&) {}, uncached()};
  Client client{running.server->port()};
  const auto token = bearer(client);
  const auto refused = client.send(bhttp::verb::post, "/api/v1/calendar-feeds",
                                   R"({"name":"","status":"live","colour":"red","x":1})",
                                   {{"Authorization", token}});
  CHECK(refused.result_int() == 422);
  const auto errors = body_of(refused).at("errors").as_array();
  CHECK(errors.size() == 2);  // the unknown members are named first; the rules follow
  CHECK(client
            .send(bhttp::verb::post, "/api/v1/calendar-feeds", R"({"status":"archived"})",
                  {{"Authorization", token}})
            .result_int() == 201);
  CHECK(client.send(bhttp::verb::post, "/api/v1/calendar-feeds", "[]", {{"Authorization", token}})
            .result_int() == 400);
  for (const auto* target :
       {"/api/v1/calendar/.ics", "/api/v1/calendar/abc.ics", "/api/v1/calendar/abc",
        "/api/v1/calendar/abc.ics.ics", "/api/v1/calendar/%00.ics"}) {
    CHECK(client.send(bhttp::verb::get, target).result_int() == 404);
  }
  for (int i = 1; i < 20; ++i) {
    create_feed(client, token);
  }
  const auto full =
      client.send(bhttp::verb::post, "/api/v1/calendar-feeds", "{}", {{"Authorization", token}});
  CHECK(full.result_int() == 409);
  CHECK(std::string(body_of(full).at("detail").as_string()).find("20 calendar feeds") !=
        std::string::npos);
}

TEST_CASE("icalendar: text is escaped, and folded at 75 octets without splitting UTF-8") {
  CHECK(http::escape_text("a,b;c\\d\ne\r\nf\rg\th\x01i") == "a\\,b\\;c\\\\d\\ne\\nf\\ng\thi");
  std::string out;
  http::append_folded(out, std::string(75, 'a'));
  CHECK(out == std::string(75, 'a') + "\r\n");
  out.clear();
  http::append_folded(out, std::string(76, 'a'));
  CHECK(out == std::string(75, 'a') + "\r\n a\r\n");
  for (int prefix = 0; prefix < 8; ++prefix) {
    out.clear();
    const auto line = std::string(static_cast<std::size_t>(prefix), 'x') +
                      repeat("\xf0\x9f\x9a\x80", 60);  // 4-octet code points
    http::append_folded(out, line);
    std::string unfolded;
    std::size_t start = 0;
    while (start < out.size()) {
      const auto end = out.find("\r\n", start);
      REQUIRE(end != std::string::npos);
      const auto physical = std::string_view{out}.substr(start, end - start);
      CHECK(physical.size() <= 75);
      // A physical line never starts inside a UTF-8 sequence (after its fold space).
      const auto content = start == 0 ? physical : physical.substr(1);
      REQUIRE_FALSE(content.empty());
      CHECK((static_cast<unsigned char>(content.front()) & 0xC0U) != 0x80U);
      unfolded += content;
      start = end + 2;
    }
    CHECK(unfolded == line);
  }
  CHECK(http::none_match_fails(R"( "a" , W/"b")", R"("b")"));
  CHECK_FALSE(http::none_match_fails(R"("a")", R"("b")"));
  CHECK_FALSE(http::none_match_fails("", R"("b")"));
}
