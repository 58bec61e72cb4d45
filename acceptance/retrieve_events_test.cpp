#include "world.hpp"

using namespace acceptance;

SCENARIO("Successfully retrieving events") {
  World world;
  GIVEN("I am an authenticated user") {
    const auto session = world.authenticated_user();
    AND_GIVEN("there are existing events I previously created") {
      const auto teaser =
          world.existing_event(session, "Teaser", "published", "2026-02-20T12:00:00Z");
      const auto launch = world.existing_event(session, "Launch", "draft", "2026-03-01T09:00:00Z");
      const auto recap = world.existing_event(session, "Recap", "archived", "2026-03-10T09:00:00Z");
      const auto stranger = world.authenticated_user("bob@example.com");
      world.existing_event(stranger, "Bob's event");
      WHEN("I send a request to retrieve the list of events") {
        const auto page = world.app.events.list(world.caller(session), {});
        THEN("I receive the list of events I created") {
          REQUIRE(page.has_value());
          REQUIRE(page->items.size() == 3);
          CHECK(page->items[0] == teaser);
          CHECK(page->items[1] == launch);
          CHECK(page->items[2] == recap);
          CHECK(page->total_items == 3);
        }
      }
    }
  }
}
