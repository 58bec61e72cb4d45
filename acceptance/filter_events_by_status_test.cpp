#include "world.hpp"

using namespace acceptance;

SCENARIO("Filtering events by \"published\" status") {
  World world;
  const auto session = world.authenticated_user();
  GIVEN("there are events with different statuses") {
    world.existing_event(session, "Draft idea", "draft");
    const auto first = world.existing_event(session, "Launch", "published", "2026-03-01T09:00:00Z");
    world.existing_event(session, "Old recap", "archived");
    const auto second =
        world.existing_event(session, "Webinar", "published", "2026-03-05T09:00:00Z");
    AND_GIVEN("I am an authenticated user") {
      WHEN("I send a request to retrieve only events with the status \"published\"") {
        EventListParameters parameters;
        parameters.status = "published";
        const auto query = parse_event_query(parameters);
        REQUIRE(query.has_value());
        const auto page = world.app.events.list(world.caller(session), *query);
        THEN("I receive only the events with that status") {
          REQUIRE(page.has_value());
          REQUIRE(page->items.size() == 2);
          CHECK(page->items[0].id == first.id);
          CHECK(page->items[1].id == second.id);
          CHECK(page->total_items == 2);
          for (const auto& event : page->items) {
            CHECK(event.details.status == EventStatus::published);
          }
        }
      }
    }
  }
}

SCENARIO("Walking through the \"published\" events with a cursor") {
  World world;
  const auto session = world.authenticated_user();
  GIVEN("there are events with different statuses") {
    world.existing_event(session, "Draft idea", "draft", "2026-03-02T09:00:00Z");
    const auto first = world.existing_event(session, "Launch", "published", "2026-03-01T09:00:00Z");
    world.existing_event(session, "Old recap", "archived", "2026-03-03T09:00:00Z");
    const auto second =
        world.existing_event(session, "Webinar", "published", "2026-03-05T09:00:00Z");
    AND_GIVEN("I am an authenticated user") {
      WHEN("I walk the events with the status \"published\" by cursor, one event per page") {
        EventListParameters parameters;
        parameters.status = "published";
        parameters.limit = "1";
        parameters.cursor = "";
        const auto walked = World::items_of(world.walk(session, parameters));
        THEN("I receive only the events with that status, each exactly once") {
          REQUIRE(walked.size() == 2);
          CHECK(walked[0].id == first.id);
          CHECK(walked[1].id == second.id);
        }
      }
    }
  }
}
