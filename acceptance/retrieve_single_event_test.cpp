#include "world.hpp"

using namespace acceptance;

SCENARIO("Successfully retrieving an event by ID") {
  World world;
  GIVEN("I am an authenticated user") {
    const auto session = world.authenticated_user();
    AND_GIVEN("an existing event I previously created") {
      const auto event = world.existing_event(session, "Spring launch", "published");
      WHEN("I send a request to retrieve this event by its ID") {
        const auto id = Uuid::parse(event.id.to_string());
        REQUIRE(id.has_value());
        const auto found = world.app.events.get(world.caller(session), *id);
        THEN("I receive the details of the event") {
          REQUIRE(found.has_value());
          CHECK(found.value() == event);
          CHECK(found->details.title == "Spring launch");
          CHECK(found->details.status == EventStatus::published);
        }
      }
    }
  }
}
