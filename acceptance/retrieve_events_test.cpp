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

SCENARIO("Retrieving every event I created by following cursors, newest first") {
  World world;
  GIVEN("I am an authenticated user") {
    const auto session = world.authenticated_user();
    AND_GIVEN("there are existing events I previously created") {
      const auto teaser =
          world.existing_event(session, "Teaser", "published", "2026-02-20T12:00:00Z");
      const auto launch = world.existing_event(session, "Launch", "draft", "2026-03-01T09:00:00Z");
      const auto recap = world.existing_event(session, "Recap", "archived", "2026-03-10T09:00:00Z");
      const auto stranger = world.authenticated_user("bob@example.com");
      world.existing_event(stranger, "Bob's event", "draft", "2026-03-05T09:00:00Z");
      WHEN("I walk the list of events by cursor, sorted by start from the latest, two at a time") {
        EventListParameters parameters;
        parameters.sort = "-starts_at";
        parameters.limit = "2";
        parameters.cursor = "";
        const auto pages = world.walk(session, parameters);
        THEN("I receive the events I created and no one else's, each once, latest first") {
          CHECK(pages.size() == 2);  // 2 + 1
          const auto walked = World::items_of(pages);
          REQUIRE(walked.size() == 3);
          CHECK(walked[0] == recap);
          CHECK(walked[1] == launch);
          CHECK(walked[2] == teaser);
        }
      }
    }
  }
}
