#include "world.hpp"

using namespace acceptance;

SCENARIO("Successfully retrieving paginated events") {
  World world;
  const auto session = world.authenticated_user();
  GIVEN("there are multiple events") {
    const auto created = world.daily_events(session);
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

SCENARIO("Walking through every page of events with a cursor") {
  World world;
  const auto session = world.authenticated_user();
  GIVEN("there are multiple events") {
    const auto created = world.daily_events(session);
    AND_GIVEN("I am an authenticated user") {
      WHEN("I retrieve the first page and then follow each next cursor with a defined limit") {
        EventListParameters parameters;
        parameters.limit = "10";
        parameters.cursor = "";  // an empty cursor starts a walk
        const auto pages = world.walk(session, parameters);
        THEN("I receive every event exactly once, in order, at most the limit at a time") {
          REQUIRE(pages.size() == 3);
          for (const auto& page : pages) {
            CHECK(page.items.size() <= 10);
          }
          const auto walked = World::items_of(pages);
          REQUIRE(walked.size() == created.size());
          for (std::size_t at = 0; at < created.size(); ++at) {
            CHECK(walked[at].id == created[at].id);
          }
          AND_THEN("the last page says there is no next cursor") {
            CHECK_FALSE(pages.back().next.has_value());
            CHECK(pages.back().items.size() == 5);
          }
        }
      }
    }
  }
}
