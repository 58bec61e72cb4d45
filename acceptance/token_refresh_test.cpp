#include "world.hpp"

using namespace acceptance;
using namespace std::chrono_literals;

SCENARIO("Successfully refreshing the token") {
  World world;
  GIVEN("I have a valid refresh token") {
    const auto session = world.authenticated_user();
    world.app.clock.advance(14min);  // the access token is nearing expiration
    WHEN("I send a token refresh request with my refresh token") {
      const auto renewed = world.app.auth.refresh(session.tokens.refresh_token);
      THEN("I receive a new valid JWT token") {
        REQUIRE(renewed.has_value());
        CHECK(renewed->access_token != session.tokens.access_token);
        CHECK(renewed->refresh_token != session.tokens.refresh_token);
        const auto claims =
            world.app.access_tokens.verify(renewed->access_token, world.app.clock.now() + 10min);
        REQUIRE(claims.has_value());
        CHECK(claims->subject == session.user.id);
      }
    }
  }
}
