#include "world.hpp"

using namespace acceptance;

SCENARIO("Successfully retrieving paginated events") {
  World world;
  const auto session = world.authenticated_user();
  GIVEN("there are multiple events") {
    std::vector<Event> created;
    for (int day = 1; day <= 25; ++day) {
      const auto starts_at =
          "2026-03-" + std::string(day < 10 ? "0" : "") + std::to_string(day) + "T09:00:00Z";
      created.push_back(
          world.existing_event(session, "Day " + std::to_string(day), "draft", starts_at));
    }
    AND_GIVEN("I am an authenticated user") {
      WHEN("I send a request to retrieve a specific page with a defined limit of events") {
        EventListParameters parameters;
        parameters.page = "2";
        parameters.limit = "10";
        const auto page =
            world.app.events.list(world.caller(session), parse_event_query(parameters).value());
        THEN("I receive only the requested number of events") {
          REQUIRE(page.has_value());
          REQUIRE(page->items.size() == 10);
          CHECK(page->items.front().id == created[10].id);
          CHECK(page->items.back().id == created[19].id);
          AND_THEN("I receive pagination metadata") {
            CHECK(page->page == 2);
            CHECK(page->limit == 10);
            CHECK(page->total_items == 25);
            CHECK(page->total_pages == 3);
          }
        }
      }
    }
  }
}

SCENARIO("Walking through every page of events with a cursor") {
  World world;
  const auto session = world.authenticated_user();
  GIVEN("there are multiple events") {
    std::vector<Event> created;
    for (int day = 1; day <= 25; ++day) {
      const auto starts_at =
          "2026-03-" + std::string(day < 10 ? "0" : "") + std::to_string(day) + "T09:00:00Z";
      created.push_back(
          world.existing_event(session, "Day " + std::to_string(day), "draft", starts_at));
    }
    AND_GIVEN("I am an authenticated user") {
      WHEN("I retrieve the first page and then follow each next cursor with a defined limit") {
        EventListParameters parameters;
        parameters.limit = "10";
        parameters.cursor = "";  // an empty cursor starts a walk
        auto query = parse_event_query(parameters).value();
        std::vector<Result<EventPage>> pages;
        pages.push_back(world.app.events.list(world.caller(session), query));
        while (pages.back().has_value() && pages.back()->next) {
          query.after = pages.back()->next;
          pages.push_back(world.app.events.list(world.caller(session), query));
        }
        THEN("I receive every event exactly once, in order, at most the limit at a time") {
          std::vector<EventId> walked;
          for (const auto& page : pages) {
            REQUIRE(page.has_value());
            CHECK(page->items.size() <= 10);
            for (const auto& event : page->items) {
              walked.push_back(event.id);
            }
          }
          CHECK(pages.size() == 3);
          REQUIRE(walked.size() == created.size());
          for (std::size_t at = 0; at < created.size(); ++at) {
            CHECK(walked[at] == created[at].id);
          }
          AND_THEN("the last page says there is no next cursor") {
            CHECK_FALSE(pages.back()->next.has_value());
            CHECK(pages.back()->items.size() == 5);
          }
        }
      }
    }
  }
}
