#include "world.hpp"

using namespace acceptance;

SCENARIO("Successful login") {
  World world;
  GIVEN("I am a registered user with valid credentials") {
    const auto user = world.registered_user("ana@example.com");
    WHEN("I send a login request with my email and password") {
      const auto tokens = world.app.auth.log_in({"ana@example.com", valid_password, ""});
      THEN("I receive a valid JWT token") {
        REQUIRE(tokens.has_value());
        const auto claims =
            world.app.access_tokens.verify(tokens->access_token, world.app.clock.now());
        REQUIRE(claims.has_value());
        CHECK(claims->subject == user.id);
        CHECK(tokens->expires_in == std::chrono::seconds{900});
        CHECK_FALSE(tokens->refresh_token.empty());
      }
    }
  }
}

SCENARIO("Unsuccessful login with invalid credentials") {
  World world;
  GIVEN("I am a user with invalid credentials") {
    world.registered_user("ana@example.com");
    WHEN("I send a login request with an incorrect email or password") {
      const auto wrong_password = world.app.auth.log_in({"ana@example.com", "not my password", ""});
      const auto wrong_email = world.app.auth.log_in({"anna@example.com", valid_password, ""});
      THEN("I receive an error message indicating invalid credentials") {
        REQUIRE_FALSE(wrong_password.has_value());
        REQUIRE_FALSE(wrong_email.has_value());
        CHECK(wrong_password.error().code == ErrorCode::unauthenticated);
        CHECK(wrong_email.error().code == ErrorCode::unauthenticated);
        // Nothing tells the two apart except the operators' log.
        CHECK(wrong_password.error().fields.empty());
        CHECK(wrong_email.error().fields.empty());
      }
    }
  }
}
