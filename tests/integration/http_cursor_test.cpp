#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "marketing_events/http/listing_cursor.hpp"
#include "marketing_events/jwt/signing_key.hpp"
#include "marketing_events/testing/running_server.hpp"

using namespace marketing_events;
namespace bhttp = boost::beast::http;

using testing::bearer;
using testing::body_of;
using testing::Client;
using testing::RunningServer;

namespace {

std::string event_titled(const std::string& title, const std::string& status, int day) {
  const auto date = "2026-04-" + std::string(day < 10 ? "0" : "") + std::to_string(day);
  return R"({"title":")" + title + R"(","starts_at":")" + date + R"(T09:00:00Z","ends_at":")" +
         date + R"(T10:00:00Z","status":")" + status + R"("})";
}

struct Listing {
  unsigned status = 0;
  std::vector<std::string> titles;
  boost::json::object pagination;
  std::string link;
  boost::json::object body;
};

Listing list(Client& client, const std::string& token, const std::string& query) {
  const auto response =
      client.send(bhttp::verb::get, "/api/v1/events?" + query, {}, {{"Authorization", token}});
  Listing listing;
  listing.status = response.result_int();
  listing.body = body_of(response);
  listing.link = std::string(response[bhttp::field::link]);
  if (listing.status == 200) {
    for (const auto& item : listing.body.at("items").as_array()) {
      listing.titles.emplace_back(item.at("title").as_string());
    }
    listing.pagination = listing.body.at("pagination").as_object();
  }
  return listing;
}

std::string next_cursor(const Listing& listing) {
  const auto& next = listing.pagination.at("next_cursor");
  return next.is_null() ? std::string{} : std::string(next.as_string());
}

std::string named_field(const Listing& listing) {
  return std::string(listing.body.at("errors").as_array().at(0).at("field").as_string());
}

}  // namespace

TEST_CASE("http: a cursor walk returns every item once, in order, and is bound to its listing") {
  RunningServer running;
  Client client{running.server->port()};
  const auto ana = bearer(client);
  const auto ben = bearer(client, "ben@example.com");
  const std::vector<std::string> titles{"Gamma",   "alpha", "Beta", "Delta",
                                        "Epsilon", "Zeta",  "Eta"};
  for (std::size_t index = 0; index < titles.size(); ++index) {
    const auto* const status = index % 3 == 0 ? "draft" : "published";
    REQUIRE(client
                .send(bhttp::verb::post, "/api/v1/events",
                      event_titled(titles.at(index), status, static_cast<int>(index) + 1),
                      {{"Authorization", ana}})
                .result_int() == 201);
  }
  const auto everything = list(client, ana, "sort=-title&limit=100");
  REQUIRE(everything.titles.size() == titles.size());
  CHECK(everything.pagination.at("next_cursor").is_null());

  SECTION("from a numbered first page, then by cursor; the size may change on the way") {
    auto page = list(client, ana, "sort=-title&limit=3");
    CHECK(page.pagination.at("total_items") == 7);
    auto walked = page.titles;
    std::size_t limit = 3;
    while (!next_cursor(page).empty()) {
      limit = limit == 3 ? 2 : 3;
      page = list(client, ana,
                  "sort=-title&limit=" + std::to_string(limit) + "&cursor=" + next_cursor(page));
      REQUIRE(page.status == 200);
      CHECK_FALSE(page.pagination.contains("total_items"));
      CHECK_FALSE(page.pagination.contains("page"));
      walked.insert(walked.end(), page.titles.begin(), page.titles.end());
    }
    CHECK(walked == everything.titles);
  }

  SECTION("an empty cursor starts a walk; its links keep the query and carry the cursor") {
    const auto first = list(client, ana, "status=published&sort=starts_at&limit=2&cursor=");
    REQUIRE(first.status == 200);
    CHECK(first.titles == std::vector<std::string>{"alpha", "Beta"});
    CHECK(first.pagination.size() == 2);  // limit and next_cursor
    const auto cursor = next_cursor(first);
    REQUIRE_FALSE(cursor.empty());
    CHECK(first.link ==
          "</api/v1/events?status=published&sort=starts_at&limit=2&cursor=>; rel=\"first\", "
          "</api/v1/events?status=published&sort=starts_at&limit=2&cursor=" +
              cursor + ">; rel=\"next\"");
    // Leaving out the default sort names the same listing.
    const auto second = list(client, ana, "status=published&limit=2&cursor=" + cursor);
    CHECK(second.titles == std::vector<std::string>{"Epsilon", "Zeta"});
    CHECK(second.pagination.at("next_cursor").is_null());  // nothing follows Zeta
    CHECK(second.link.find("rel=\"next\"") == std::string::npos);
  }

  SECTION("a cursor read with another user, sort, filter, or changed in any way is a 400") {
    const auto first = list(client, ana, "status=draft,published&q=a&limit=1");
    const auto cursor = next_cursor(first);
    REQUIRE_FALSE(cursor.empty());
    CHECK(list(client, ana, "status=published,draft&q=a&limit=1&cursor=" + cursor).status == 200);
    std::vector<std::pair<std::string, std::string>> refused{
        {"another user", "status=draft,published&q=a&cursor=" + cursor},
        {"another sort", "status=draft,published&q=a&sort=-starts_at&cursor=" + cursor},
        {"another status", "status=draft&q=a&cursor=" + cursor},
        {"another q", "status=draft,published&q=b&cursor=" + cursor},
        {"a start bound",
         "status=draft,published&q=a&starts_from=2026-01-01T00:00:00Z&cursor=" + cursor},
        {"with a page", "status=draft,published&q=a&page=1&cursor=" + cursor},
        {"garbage", "status=draft,published&q=a&cursor=not%20a%20cursor"},
        {"too long", "status=draft,published&q=a&cursor=" + std::string(4000, 'A')},
    };
    for (std::size_t at = 0; at < cursor.size(); at += 7) {
      auto changed = cursor;
      changed[at] = changed[at] == 'A' ? 'B' : 'A';
      refused.emplace_back("changed at " + std::to_string(at),
                           "status=draft,published&q=a&cursor=" + changed);
    }
    for (const auto& [why, query] : refused) {
      INFO(why);
      const auto listing = list(client, why == "another user" ? ben : ana, query);
      CHECK(listing.status == 400);
      CHECK(named_field(listing) == "cursor");
    }
  }
}

TEST_CASE("http: cursors read back under the same signing key, after a restart") {
  const auto pem = jwt::SigningKey::generate_ed25519().value().private_pem().value();
  const auto cursors_of = [](const std::string& key_pem) {
    const auto key = jwt::SigningKey::from_private_pem(key_pem).value();
    return http::ListingCursors{
        crypto::SealedBox{key.derive_secret("marketing-events listing cursors v1")}};
  };
  const auto before = cursors_of(pem);
  const auto after = cursors_of(pem);  // the same key file, loaded again
  const auto other = cursors_of(jwt::SigningKey::generate_ed25519().value().private_pem().value());
  const auto owner = Uuid::parse("0193a1c2-7d4e-7abc-8def-0123456789ab").value();
  EventQuery query;
  query.sort = {EventSortKey::title, true};
  const EventPosition position{
      {}, "Spring, launch; \\ 🎉", Uuid::parse("0193a1c2-7d4e-7abc-8def-000000000001").value()};
  const auto cursor = before.issue(owner, query, position);
  CHECK(after.read(cursor, owner, query) == position);
  CHECK_FALSE(other.read(cursor, owner, query).has_value());
  query.sort.key = EventSortKey::created_at;
  CHECK_FALSE(after.read(cursor, owner, query).has_value());
}
