#include "world.hpp"

using namespace acceptance;

SCENARIO("Successfully creating an event") {
  World world;
  GIVEN("I am an authenticated user") {
    const auto session = world.authenticated_user();
    WHEN(
        "I send a request to create an event with a title, description, start date, end date, "
        "and status") {
      const auto created = world.app.events.create(
          world.caller(session),
          EventInput{"Spring launch", "Press and partners", "2026-03-01T09:00:00+01:00",
                     "2026-03-01T18:00:00+01:00", "published"});
      THEN("the event is created") {
        REQUIRE(created.has_value());
        CHECK(world.app.events.get(world.caller(session), created->id).value() == created.value());
        AND_THEN("I receive its details with a unique identifier") {
          CHECK(created->details.title == "Spring launch");
          CHECK(created->details.description == "Press and partners");
          CHECK(format_instant(created->details.starts_at) == "2026-03-01T08:00:00Z");
          CHECK(format_instant(created->details.ends_at) == "2026-03-01T17:00:00Z");
          CHECK(created->details.status == EventStatus::published);
          CHECK(created->id.version() == 7);
          const auto another = world.existing_event(session);
          CHECK(another.id != created->id);
        }
      }
    }
  }
}
