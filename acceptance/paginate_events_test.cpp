#include "world.hpp"

using namespace acceptance;

SCENARIO("Successfully retrieving paginated events") {
  World world;
  const auto session = world.authenticated_user();
  GIVEN("there are multiple events") {
    std::vector<Event> created;
    for (int day = 1; day <= 25; ++day) {
      const auto starts_at =
          "2026-03-" + std::string(day < 10 ? "0" : "") + std::to_string(day) + "T09:00:00Z";
      created.push_back(
          world.existing_event(session, "Day " + std::to_string(day), "draft", starts_at));
    }
    AND_GIVEN("I am an authenticated user") {
      WHEN("I send a request to retrieve a specific page with a defined limit of events") {
        EventListParameters parameters;
        parameters.page = "2";
        parameters.limit = "10";
        const auto page =
            world.app.events.list(world.caller(session), parse_event_query(parameters).value());
        THEN("I receive only the requested number of events") {
          REQUIRE(page.has_value());
          REQUIRE(page->items.size() == 10);
          CHECK(page->items.front().id == created[10].id);
          CHECK(page->items.back().id == created[19].id);
          AND_THEN("I receive pagination metadata") {
            CHECK(page->page == 2);
            CHECK(page->limit == 10);
            CHECK(page->total_items == 25);
            CHECK(page->total_pages == 3);
          }
        }
      }
    }
  }
}
