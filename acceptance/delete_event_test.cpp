#include "world.hpp"

using namespace acceptance;

SCENARIO("Successfully deleting an event") {
  World world;
  GIVEN("I am an authenticated user") {
    const auto session = world.authenticated_user();
    AND_GIVEN("an existing event I previously created") {
      const auto event = world.existing_event(session);
      const auto kept = world.existing_event(session, "Summer launch");
      WHEN("I send a request to delete this event") {
        const auto deleted = world.app.events.remove(world.caller(session), event.id);
        THEN("the event is no longer available") {
          REQUIRE(deleted.has_value());
          CHECK(world.app.events.get(world.caller(session), event.id).error().code ==
                ErrorCode::not_found);
          CHECK(world.app.events.remove(world.caller(session), event.id).error().code ==
                ErrorCode::not_found);
          const auto listed = world.app.events.list(world.caller(session), {}).value();
          REQUIRE(listed.items.size() == 1);
          CHECK(listed.items[0].id == kept.id);
        }
      }
    }
  }
}
