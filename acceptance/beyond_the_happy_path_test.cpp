#include "marketing_events/testing/field_names.hpp"
#include "world.hpp"

using namespace acceptance;
using marketing_events::testing::field_names;
using namespace std::chrono_literals;

SCENARIO("Registering twice with the same e-mail") {
  World world;
  GIVEN("I registered as \"ana@example.com\"") {
    world.registered_user("ana@example.com");
    WHEN("I register again as \" ANA@example.com \"") {
      const auto again = world.app.auth.register_user(" ANA@example.com ", "another password");
      THEN("I am told the e-mail is already in use") {
        REQUIRE_FALSE(again.has_value());
        CHECK(again.error().code == ErrorCode::conflict);
      }
    }
  }
}

SCENARIO("Creating an event with invalid details") {
  World world;
  GIVEN("I am an authenticated user") {
    const auto session = world.authenticated_user();
    WHEN(
        "I send a request to create an event with a blank title, an unknown status and an "
        "end before its start") {
      const auto created = world.app.events.create(
          world.caller(session),
          EventInput{" ", std::nullopt, "2026-03-01T09:00:00Z", "2026-03-01T08:00:00Z", "live"});
      THEN("I am told every invalid field at once") {
        REQUIRE_FALSE(created.has_value());
        CHECK(created.error().code == ErrorCode::invalid_fields);
        CHECK(field_names(created.error()) ==
              std::vector<std::string>{"title", "ends_at", "status"});
        AND_THEN("no event is created") {
          CHECK(world.app.events.list(world.caller(session), {})->total_items == 0);
        }
      }
    }
  }
}

SCENARIO("Reaching another user's event") {
  World world;
  GIVEN("another user created an event") {
    const auto owner = world.authenticated_user("bob@example.com");
    const auto event = world.existing_event(owner);
    AND_GIVEN("I am an authenticated user") {
      const auto session = world.authenticated_user("ana@example.com");
      const auto me = world.caller(session);
      WHEN("I try to retrieve, update or delete that event") {
        const auto got = world.app.events.get(me, event.id);
        const auto replaced =
            world.app.events.replace(me, event.id,
                                     EventInput{"Mine now", std::nullopt, "2026-03-01T09:00:00Z",
                                                "2026-03-01T09:00:00Z", std::nullopt});
        EventPatch patch;
        patch.title = FieldPatch::set_to("Mine now");
        const auto patched = world.app.events.patch(me, event.id, patch);
        const auto removed = world.app.events.remove(me, event.id);
        THEN("it is not found for me") {
          CHECK(got.error().code == ErrorCode::not_found);
          CHECK(replaced.error().code == ErrorCode::not_found);
          CHECK(patched.error().code == ErrorCode::not_found);
          CHECK(removed.error().code == ErrorCode::not_found);
          AND_THEN("it is unchanged for its owner") {
            CHECK(world.app.events.get(world.caller(owner), event.id).value() == event);
          }
        }
      }
    }
  }
}

SCENARIO("Updating an event with a stale version") {
  World world;
  GIVEN("I am an authenticated user") {
    const auto session = world.authenticated_user();
    AND_GIVEN("an existing event I previously created and then changed") {
      const auto first_read = world.existing_event(session);
      EventPatch publish;
      publish.status = FieldPatch::set_to("published");
      const auto latest = world.app.events.patch(world.caller(session), first_read.id, publish);
      REQUIRE(latest.has_value());
      WHEN("I send an update that expects the version I first read") {
        EventPatch retitle;
        retitle.title = FieldPatch::set_to("Stale title");
        const auto stale = world.app.events.patch(world.caller(session), first_read.id, retitle,
                                                  first_read.version);
        THEN("I am told the event has changed") {
          REQUIRE_FALSE(stale.has_value());
          CHECK(stale.error().code == ErrorCode::version_mismatch);
          AND_THEN("the event keeps its latest details") {
            CHECK(world.app.events.get(world.caller(session), first_read.id).value() ==
                  latest.value());
          }
        }
      }
    }
  }
}

SCENARIO("Reusing a refresh token") {
  World world;
  GIVEN("I refreshed my token once") {
    const auto session = world.authenticated_user();
    const auto newest = world.app.auth.refresh(session.tokens.refresh_token);
    REQUIRE(newest.has_value());
    WHEN("someone presents the already-used refresh token") {
      const auto replay = world.app.auth.refresh(session.tokens.refresh_token);
      THEN("the request is refused") {
        REQUIRE_FALSE(replay.has_value());
        CHECK(replay.error().code == ErrorCode::unauthenticated);
        AND_THEN("the newest refresh token of that login is refused too") {
          CHECK(world.app.auth.refresh(newest->refresh_token).error().code ==
                ErrorCode::unauthenticated);
        }
      }
    }
  }
}

SCENARIO("Requesting a page past the end") {
  World world;
  const auto session = world.authenticated_user();
  GIVEN("there are multiple events") {
    for (int i = 0; i < 7; ++i) {
      world.existing_event(session, "Event " + std::to_string(i));
    }
    AND_GIVEN("I am an authenticated user") {
      WHEN("I request a page beyond the last one") {
        EventListParameters parameters;
        parameters.page = "5";
        parameters.limit = "3";
        const auto page =
            world.app.events.list(world.caller(session), parse_event_query(parameters).value());
        THEN("I receive no events") {
          REQUIRE(page.has_value());
          CHECK(page->items.empty());
          AND_THEN("the pagination metadata tells the true totals") {
            CHECK(page->page == 5);
            CHECK(page->total_items == 7);
            CHECK(page->total_pages == 3);
          }
        }
      }
    }
  }
}

SCENARIO("Requesting a page with invalid parameters") {
  World world;
  GIVEN("I am an authenticated user") {
    world.authenticated_user();
    WHEN("I request the events with a limit of 101 and an unknown status") {
      EventListParameters parameters;
      parameters.limit = "101";
      parameters.status = "pending";
      const auto query = parse_event_query(parameters);
      THEN("I am told which parameters are invalid") {
        REQUIRE_FALSE(query.has_value());
        CHECK(query.error().code == ErrorCode::invalid_parameters);
        CHECK(field_names(query.error()) == std::vector<std::string>{"status", "limit"});
      }
    }
  }
}

SCENARIO("Logging in too often with a wrong password") {
  World world;
  GIVEN("I am a registered user with valid credentials") {
    world.registered_user("ana@example.com");
    WHEN("I send five login requests with a wrong password") {
      for (int i = 0; i < 5; ++i) {
        REQUIRE(world.app.auth.log_in({"ana@example.com", "guess " + std::to_string(i), ""})
                    .error()
                    .code == ErrorCode::unauthenticated);
      }
      THEN("my next login is refused for a while, even with the right password") {
        const auto refused = world.app.auth.log_in({"ana@example.com", valid_password, ""});
        REQUIRE_FALSE(refused.has_value());
        CHECK(refused.error().code == ErrorCode::too_many_attempts);
        CHECK(refused.error().retry_after > 0s);
        world.app.clock.advance(refused.error().retry_after);
        CHECK(world.app.auth.log_in({"ana@example.com", valid_password, ""}).has_value());
      }
    }
  }
}

SCENARIO("Logging out") {
  World world;
  GIVEN("I am logged in") {
    const auto session = world.authenticated_user();
    WHEN("I log out") {
      REQUIRE(world.app.auth.log_out(session.tokens.refresh_token).has_value());
      THEN("my refresh token no longer works") {
        CHECK(world.app.auth.refresh(session.tokens.refresh_token).error().code ==
              ErrorCode::unauthenticated);
      }
    }
  }
}
