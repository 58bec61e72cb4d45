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
