#include "world.hpp"

using namespace acceptance;
using namespace std::chrono_literals;

SCENARIO("Successfully updating an event") {
  World world;
  GIVEN("I am an authenticated user") {
    const auto session = world.authenticated_user();
    AND_GIVEN("an existing event I previously created") {
      const auto original = world.existing_event(session);
      world.app.clock.advance(10min);
      WHEN("I send a request to update this event with new details") {
        const auto updated = world.app.events.replace(
            world.caller(session), original.id,
            EventInput{"Spring launch (moved)", "New venue", "2026-03-08T09:00:00Z",
                       "2026-03-08T18:00:00Z", "published"},
            original.version);
        THEN("the event is updated") {
          REQUIRE(updated.has_value());
          CHECK(world.app.events.get(world.caller(session), original.id).value() ==
                updated.value());
          AND_THEN("I receive the updated event details") {
            CHECK(updated->id == original.id);
            CHECK(updated->details.title == "Spring launch (moved)");
            CHECK(updated->details.description == "New venue");
            CHECK(format_instant(updated->details.starts_at) == "2026-03-08T09:00:00Z");
            CHECK(updated->details.status == EventStatus::published);
            CHECK(updated->created_at == original.created_at);
            CHECK(updated->updated_at == original.created_at + 10min);
            CHECK(updated->version == original.version + 1);
          }
        }
      }
    }
  }
}
