#include "world.hpp"

using namespace acceptance;

namespace {

Calendar read_feed(World& world, const std::string& secret) {
  auto calendar = world.app.calendar.read(secret);
  REQUIRE(calendar.has_value());
  return std::move(calendar).value();
}

NewCalendarFeed feed_of(World& world, const Session& session, const CalendarFeedInput& input = {}) {
  auto feed = world.app.calendar.create(world.caller(session), input);
  REQUIRE(feed.has_value());
  return std::move(feed).value();
}

}  // namespace

SCENARIO("Subscribing to my published events") {
  World world;
  GIVEN("I am an authenticated user") {
    const auto session = world.authenticated_user();
    WHEN("I create a calendar feed") {
      const auto created = feed_of(world, session, {"Campaigns", std::nullopt});
      THEN("I receive a private subscription address, shown only once") {
        CHECK(created.secret.size() >= 43);  // 256 random bits
        CHECK(created.feed.name == "Campaigns");
        CHECK(created.feed.status == EventStatus::published);
        AND_THEN("my feeds are listed without their addresses") {
          const auto feeds = world.app.calendar.list(world.caller(session));
          REQUIRE(feeds.has_value());
          CHECK(feeds.value() == std::vector<CalendarFeed>{created.feed});
        }
      }
    }
  }
}

SCENARIO("A published event appears in my calendar") {
  World world;
  GIVEN("I am an authenticated user") {
    const auto session = world.authenticated_user();
    AND_GIVEN("a published event I previously created") {
      const auto event = world.existing_event(session, "Spring launch", "published");
      AND_GIVEN("a calendar feed of mine") {
        const auto feed = feed_of(world, session);
        WHEN("my calendar application reads the feed") {
          const auto calendar = read_feed(world, feed.secret);
          THEN("it shows the event with its title, description, start and end, as confirmed") {
            REQUIRE(calendar.entries.size() == 1);
            const auto& entry = calendar.entries.front();
            CHECK(entry.uid == event.id);
            CHECK(entry.summary == "Spring launch");
            CHECK(entry.description == "Press and partners");
            CHECK(entry.starts_at == event.details.starts_at);
            CHECK(entry.ends_at == event.details.ends_at);
            CHECK(entry.status == CalendarEntryStatus::confirmed);
          }
        }
      }
    }
  }
}

SCENARIO("Revoking a calendar feed") {
  World world;
  GIVEN("I am an authenticated user") {
    const auto session = world.authenticated_user();
    AND_GIVEN("a calendar feed of mine") {
      const auto feed = feed_of(world, session);
      WHEN("I revoke the feed") {
        REQUIRE(world.app.calendar.revoke(world.caller(session), feed.feed.id).has_value());
        THEN("its address reads nothing any more") {
          CHECK(world.app.calendar.read(feed.secret).error().code == ErrorCode::not_found);
          CHECK(world.app.calendar.list(world.caller(session)).value().empty());
        }
      }
    }
  }
}

SCENARIO("A draft does not appear in a feed by default") {
  World world;
  GIVEN("I am an authenticated user") {
    const auto session = world.authenticated_user();
    AND_GIVEN("a draft event and a published event I previously created") {
      world.existing_event(session, "Not ready yet", "draft");
      const auto published = world.existing_event(session, "Spring launch", "published");
      AND_GIVEN("a calendar feed created without a status") {
        const auto feed = feed_of(world, session);
        WHEN("my calendar application reads the feed") {
          const auto calendar = read_feed(world, feed.secret);
          THEN("the published event is in it and the draft is not") {
            REQUIRE(calendar.entries.size() == 1);
            CHECK(calendar.entries.front().uid == published.id);
          }
        }
      }
    }
  }
}

SCENARIO("An edit makes calendars replace the event") {
  World world;
  GIVEN("I am an authenticated user") {
    const auto session = world.authenticated_user();
    AND_GIVEN("a published event I previously created") {
      const auto event = world.existing_event(session, "Spring launch", "published");
      AND_GIVEN("a calendar feed of mine") {
        const auto feed = feed_of(world, session);
        const auto before = read_feed(world, feed.secret).entries.at(0);
        WHEN("I edit the event") {
          EventPatch moved;
          moved.title = FieldPatch::set_to("Spring launch (moved)");
          REQUIRE(world.app.events.patch(world.caller(session), event.id, moved).has_value());
          THEN("the feed shows the new details with a higher sequence number") {
            const auto after = read_feed(world, feed.secret).entries.at(0);
            CHECK(after.uid == before.uid);
            CHECK(after.summary == "Spring launch (moved)");
            CHECK(after.sequence > before.sequence);
          }
        }
      }
    }
  }
}
