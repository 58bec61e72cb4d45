#include <catch2/catch.hpp>
#include <memory>

#include "marketing_events/testing/concurrently.hpp"
#include "marketing_events/testing/in_memory_services.hpp"
#include "marketing_events/testing/keyset_walk_property.hpp"

using namespace marketing_events;
using namespace std::chrono_literals;
using testing::InMemoryServices;

namespace {

EventInput input(std::string title, std::string starts_at, std::string status = "draft") {
  return EventInput{std::move(title), std::nullopt, starts_at, starts_at, std::move(status)};
}

std::vector<std::string> titles(const EventPage& page) {
  std::vector<std::string> out;
  for (const auto& event : page.items) {
    out.push_back(event.details.title);
  }
  return out;
}

}  // namespace

TEST_CASE("an event is created with an id, timestamps and version 1") {
  InMemoryServices app;
  const auto owner = app.ids.next();
  const auto event = app.events.create(owner, input("Launch", "2026-03-01T09:00:00Z"));
  REQUIRE(event.has_value());
  CHECK(event->id.version() == 7);
  CHECK(event->owner_id == owner);
  CHECK(event->version == 1);
  CHECK(event->created_at == app.clock.now());
  CHECK(event->updated_at == event->created_at);
  CHECK(app.events.get(owner, event->id).value() == event.value());
}

TEST_CASE("another owner's event does not exist for them") {
  InMemoryServices app;
  const auto ana = app.ids.next();
  const auto bob = app.ids.next();
  const auto event = app.events.create(ana, input("Launch", "2026-03-01T09:00:00Z")).value();
  CHECK(app.events.get(bob, event.id).error().code == ErrorCode::not_found);
  CHECK(app.events.replace(bob, event.id, input("Mine", "2026-03-01T09:00:00Z")).error().code ==
        ErrorCode::not_found);
  CHECK(app.events.patch(bob, event.id, {}).error().code == ErrorCode::not_found);
  CHECK(app.events.remove(bob, event.id).error().code == ErrorCode::not_found);
  CHECK(app.events.list(bob, {}).value().total_items == 0);
  CHECK(app.events.get(ana, event.id).has_value());
}

TEST_CASE("each change bumps the version and updated_at, and stale versions are refused") {
  InMemoryServices app;
  const auto owner = app.ids.next();
  const auto created = app.events.create(owner, input("Launch", "2026-03-01T09:00:00Z")).value();
  app.clock.advance(5s);
  const auto replaced =
      app.events.replace(owner, created.id, input("Relaunch", "2026-04-01T09:00:00Z"), 1);
  REQUIRE(replaced.has_value());
  CHECK(replaced->version == 2);
  CHECK(replaced->created_at == created.created_at);
  CHECK(replaced->updated_at == created.created_at + 5s);

  const auto stale =
      app.events.replace(owner, created.id, input("Lost", "2026-04-01T09:00:00Z"), 1);
  REQUIRE_FALSE(stale.has_value());
  CHECK(stale.error().code == ErrorCode::version_mismatch);
  EventPatch patch;
  patch.status = FieldPatch::set_to("published");
  CHECK(app.events.patch(owner, created.id, patch, 1).error().code == ErrorCode::version_mismatch);
  CHECK(app.events.remove(owner, created.id, 1).error().code == ErrorCode::version_mismatch);
  CHECK(app.events.get(owner, created.id)->details.title == "Relaunch");

  const auto patched = app.events.patch(owner, created.id, patch, 2);
  REQUIRE(patched.has_value());
  CHECK(patched->version == 3);
  CHECK(patched->details.status == EventStatus::published);
  CHECK(patched->details.title == "Relaunch");
  CHECK(app.events.remove(owner, created.id, 3).has_value());
  CHECK(app.events.get(owner, created.id).error().code == ErrorCode::not_found);
  CHECK(app.events.remove(owner, created.id).error().code == ErrorCode::not_found);
}

TEST_CASE("an invalid replacement or patch changes nothing") {
  InMemoryServices app;
  const auto owner = app.ids.next();
  const auto created = app.events.create(owner, input("Launch", "2026-03-01T09:00:00Z")).value();
  CHECK(app.events.replace(owner, created.id, input("", "soon")).error().code ==
        ErrorCode::invalid_fields);
  EventPatch patch;
  patch.ends_at = FieldPatch::set_to("2020-01-01T00:00:00Z");
  CHECK(app.events.patch(owner, created.id, patch).error().code == ErrorCode::invalid_fields);
  CHECK(app.events.get(owner, created.id).value() == created);
}

TEST_CASE("patches without a precondition all apply, however many writers race") {
  InMemoryServices app;
  const auto owner = app.ids.next();
  const auto created = app.events.create(owner, input("Launch", "2026-03-01T09:00:00Z")).value();
  constexpr int writers = 16;
  std::atomic<int> failures{0};
  testing::run_concurrently(writers, [&](int writer) {
    EventPatch patch;
    // Half change the title, half the description: each sees the others' changes, none fails.
    (writer % 2 == 0 ? patch.title : patch.description) =
        FieldPatch::set_to("by writer " + std::to_string(writer));
    if (!app.events.patch(owner, created.id, patch)) {
      ++failures;
    }
  });
  CHECK(failures.load() == 0);
  const auto final = app.events.get(owner, created.id).value();
  CHECK(final.version == 1 + writers);
  CHECK(final.details.title.starts_with("by writer "));
  CHECK(final.details.description.starts_with("by writer "));
}

TEST_CASE("a patch sees the stored event, so a change made in between is kept") {
  InMemoryServices app;
  const auto owner = app.ids.next();
  const auto created = app.events.create(owner, input("Launch", "2026-03-01T09:00:00Z")).value();
  EventPatch description;
  description.description = FieldPatch::set_to("written by someone else");
  REQUIRE(app.events.patch(owner, created.id, description));
  EventPatch title;
  title.title = FieldPatch::set_to("Relaunch");
  const auto patched = app.events.patch(owner, created.id, title);
  REQUIRE(patched.has_value());
  CHECK(patched->details.title == "Relaunch");
  CHECK(patched->details.description == "written by someone else");
  CHECK(patched->version == 3);
}

TEST_CASE("a condition may accept several versions") {
  InMemoryServices app;
  const auto owner = app.ids.next();
  const auto created = app.events.create(owner, input("Launch", "2026-03-01T09:00:00Z")).value();
  EventPatch patch;
  patch.title = FieldPatch::set_to("Relaunch");
  CHECK(app.events.patch(owner, created.id, patch, VersionCondition::one_of({4, 5})).error().code ==
        ErrorCode::version_mismatch);
  CHECK(app.events.patch(owner, created.id, patch, VersionCondition::one_of({})).error().code ==
        ErrorCode::version_mismatch);
  CHECK(app.events.patch(owner, created.id, patch, VersionCondition::one_of({7, 1})).has_value());
}

TEST_CASE("listing filters, sorts with ties broken by id, and pages") {
  InMemoryServices app;
  const auto owner = app.ids.next();
  const auto create = [&](const char* title, const char* starts_at, const char* status) {
    app.clock.advance(1s);
    REQUIRE(app.events.create(owner, input(title, starts_at, status)).has_value());
  };
  create("Gamma", "2026-03-02T00:00:00Z", "published");
  create("alpha launch", "2026-03-01T00:00:00Z", "draft");
  create("Beta LAUNCH", "2026-03-01T00:00:00Z", "published");
  create("Delta", "2026-03-04T00:00:00Z", "archived");
  REQUIRE(app.events.create(app.ids.next(), input("Someone else's", "2026-03-01T00:00:00Z"))
              .has_value());

  EventQuery all;
  CHECK(titles(app.events.list(owner, all).value()) ==
        std::vector<std::string>{"alpha launch", "Beta LAUNCH", "Gamma", "Delta"});

  EventQuery newest_first;
  newest_first.sort = {EventSortKey::created_at, true};
  CHECK(titles(app.events.list(owner, newest_first).value()) ==
        std::vector<std::string>{"Delta", "Beta LAUNCH", "alpha launch", "Gamma"});

  EventQuery by_title;
  by_title.sort = {EventSortKey::title, false};
  CHECK(titles(app.events.list(owner, by_title).value()) ==
        std::vector<std::string>{"Beta LAUNCH", "Delta", "Gamma", "alpha launch"});

  EventQuery published;
  published.statuses = {EventStatus::published, EventStatus::archived};
  published.starts_to = parse_instant("2026-03-04T00:00:00Z");
  CHECK(titles(app.events.list(owner, published).value()) ==
        std::vector<std::string>{"Beta LAUNCH", "Gamma"});

  EventQuery search;
  search.title_contains = "LaUnCh";
  search.starts_from = parse_instant("2026-03-01T00:00:00Z");
  CHECK(titles(app.events.list(owner, search).value()) ==
        std::vector<std::string>{"alpha launch", "Beta LAUNCH"});

  EventQuery second_page;
  second_page.limit = 3;
  second_page.page = 2;
  const auto page = app.events.list(owner, second_page).value();
  CHECK(titles(page) == std::vector<std::string>{"Delta"});
  CHECK(page.total_items == 4);
  CHECK(page.total_pages == 2);

  EventQuery past_the_end;
  past_the_end.page = 7;
  const auto empty = app.events.list(owner, past_the_end).value();
  CHECK(empty.items.empty());
  CHECK(empty.total_items == 4);
  CHECK(empty.total_pages == 1);
  CHECK(empty.page == 7);
}

TEST_CASE("a query built in code is checked like a parsed one") {
  InMemoryServices app;
  EventQuery query;
  query.limit = 0;
  query.page = 0;
  const auto page = app.events.list(app.ids.next(), query);
  REQUIRE_FALSE(page.has_value());
  CHECK(page.error().code == ErrorCode::invalid_parameters);
  CHECK(page.error().fields.size() == 2);
}

TEST_CASE("keyset walks return every item once, in order, with changes between pages") {
  testing::check_keyset_walks([] { return std::make_unique<testing::InMemoryServices>(); },
                              20261130, 300);
}
