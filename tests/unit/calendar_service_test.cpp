#include <catch2/catch.hpp>

#include "marketing_events/testing/concurrently.hpp"
#include "marketing_events/testing/in_memory_services.hpp"

using namespace marketing_events;
using namespace std::chrono_literals;
using testing::InMemoryServices;

namespace {

Event add_event(InMemoryServices& app, const UserId& owner, const std::string& title,
                const std::string& starts_at, const std::string& status = "published") {
  return app.events.create(owner, EventInput{title, "", starts_at, starts_at, status}).value();
}

std::vector<std::string> summaries(const Calendar& calendar) {
  std::vector<std::string> out;
  for (const auto& entry : calendar.entries) {
    out.push_back(entry.summary);
  }
  return out;
}

}  // namespace

TEST_CASE("a feed is named and filtered by status, published by default") {
  CHECK(validate_calendar_feed({}).value().name == "Marketing events");
  CHECK(validate_calendar_feed({}).value().status == EventStatus::published);
  const auto named = validate_calendar_feed({"  Spring campaigns  ", "draft"}).value();
  CHECK(named.name == "Spring campaigns");
  CHECK(named.status == EventStatus::draft);
  const auto bad = validate_calendar_feed({"   ", "live"});
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == ErrorCode::invalid_fields);
  REQUIRE(bad.error().fields.size() == 2);
  CHECK(bad.error().fields[0].field == "name");
  CHECK(bad.error().fields[1].field == "status");
  CHECK_FALSE(validate_calendar_feed({std::string(101, 'a'), std::nullopt}).has_value());
  CHECK(validate_calendar_feed({std::string(100, 'a'), std::nullopt}).has_value());
  CHECK_FALSE(validate_calendar_feed({std::string("a\0b", 3), std::nullopt}).has_value());
  CHECK_FALSE(validate_calendar_feed({"\xff", std::nullopt}).has_value());
}

TEST_CASE("an event becomes a calendar entry: status, revision and whole seconds") {
  Event event;
  event.id = Uuid::parse("0190b5a8-8d2e-7c3a-9b1e-5f6a7b8c9d0e").value();
  event.details =
      EventDetails{"Launch", "Hall 2", parse_instant("2026-03-01T09:00:00.750Z").value(),
                   parse_instant("2026-03-01T10:00:00Z").value(), EventStatus::archived};
  event.created_at = parse_instant("2026-02-01T08:00:00.123456Z").value();
  event.updated_at = parse_instant("2026-02-02T08:00:00Z").value();
  event.version = 4;
  const auto entry = calendar_entry(Event{event});
  CHECK(entry.uid == event.id);
  CHECK(entry.summary == "Launch");
  CHECK(entry.description == "Hall 2");
  CHECK(format_instant(entry.starts_at) == "2026-03-01T09:00:00Z");
  CHECK(format_instant(entry.created_at) == "2026-02-01T08:00:00Z");
  CHECK(entry.sequence == 3);
  CHECK(entry.status == CalendarEntryStatus::cancelled);
  event.details.status = EventStatus::draft;
  CHECK(calendar_entry(Event{event}).status == CalendarEntryStatus::tentative);
  event.details.status = EventStatus::published;
  CHECK(calendar_entry(Event{event}).status == CalendarEntryStatus::confirmed);
}

TEST_CASE("a feed's secret reads the owner's events of its status, and nothing once revoked") {
  InMemoryServices app;
  const auto ana = app.ids.next();
  const auto bob = app.ids.next();
  add_event(app, ana, "Launch", "2026-03-10T09:00:00Z");
  add_event(app, ana, "Plan", "2026-03-11T09:00:00Z", "draft");
  add_event(app, bob, "Not Ana's", "2026-03-10T09:00:00Z");
  const auto created = app.calendar.create(ana, {"Ana", std::nullopt}).value();
  CHECK(created.secret.size() >= 43);  // 256 bits
  CHECK(created.feed.owner_id == ana);
  const auto calendar = app.calendar.read(created.secret);
  REQUIRE(calendar.has_value());
  CHECK(calendar->feed == created.feed);
  CHECK(summaries(*calendar) == std::vector<std::string>{"Launch"});
  CHECK_FALSE(calendar->truncated);

  const auto drafts = app.calendar.create(ana, {std::nullopt, "draft"}).value();
  CHECK(summaries(app.calendar.read(drafts.secret).value()) == std::vector<std::string>{"Plan"});

  CHECK(app.calendar.list(ana).value() == std::vector<CalendarFeed>{created.feed, drafts.feed});
  CHECK(app.calendar.list(bob).value().empty());
  CHECK(app.calendar.revoke(bob, created.feed.id).error().code == ErrorCode::not_found);
  REQUIRE(app.calendar.revoke(ana, created.feed.id).has_value());
  CHECK(app.calendar.read(created.secret).error().code == ErrorCode::not_found);
  CHECK(app.calendar.revoke(ana, created.feed.id).error().code == ErrorCode::not_found);
  CHECK(app.calendar.read(drafts.secret).has_value());
}

TEST_CASE("anything but a live secret reads nothing") {
  InMemoryServices app;
  const auto created = app.calendar.create(app.ids.next(), {}).value();
  for (const auto& guess :
       {std::string(), std::string("x"), created.secret.substr(1), created.secret + "A",
        std::string(4096, 'a'), app.secrets.digest(created.secret)}) {
    CHECK(app.calendar.read(guess).error().code == ErrorCode::not_found);
  }
  CHECK(app.calendar.read(created.secret).has_value());
}

TEST_CASE("a feed carries the next events first, then the window's most recent past ones") {
  InMemoryServices app;  // now: 2026-03-01T00:00:00Z
  const auto feed_of = [&app](std::int64_t max_events) {
    return CalendarService{
        CalendarPorts{app.calendar_feeds, app.event_store, app.secrets, app.clock, app.ids},
        CalendarPolicy{std::chrono::days{30}, max_events, 20}};
  };
  const auto ana = app.ids.next();
  add_event(app, ana, "Before the window", "2026-01-29T23:59:59Z");
  add_event(app, ana, "Window start", "2026-01-30T00:00:00Z");
  add_event(app, ana, "Yesterday", "2026-02-28T23:00:00Z");
  add_event(app, ana, "C", "2026-04-01T00:00:00Z");
  add_event(app, ana, "B today", "2026-03-01T00:00:00Z");
  add_event(app, ana, "D", "2027-01-01T00:00:00Z");
  auto roomy = feed_of(10);
  const auto secret = roomy.create(ana, {}).value().secret;
  const auto all = roomy.read(secret).value();
  CHECK(summaries(all) ==
        std::vector<std::string>{"Window start", "Yesterday", "B today", "C", "D"});
  CHECK_FALSE(all.truncated);
  // Room for 4: every upcoming event, and the most recent past one.
  const auto four = feed_of(4).read(secret).value();
  CHECK(summaries(four) == std::vector<std::string>{"Yesterday", "B today", "C", "D"});
  CHECK(four.truncated);
  // Room for 2: the next two; nothing from the past.
  CHECK(summaries(feed_of(2).read(secret).value()) == std::vector<std::string>{"B today", "C"});
  app.clock.advance(23h);  // the same day: the same window
  CHECK(summaries(feed_of(4).read(secret).value()) ==
        std::vector<std::string>{"Yesterday", "B today", "C", "D"});
  app.clock.advance(1h);  // the next day: the window moves by one day
  const auto next_day = roomy.read(secret).value();
  CHECK(summaries(next_day) == std::vector<std::string>{"Yesterday", "B today", "C", "D"});
  CHECK_FALSE(next_day.truncated);
}

TEST_CASE("an edit bumps the entry's sequence, a status change moves it out of the feed") {
  InMemoryServices app;
  const auto ana = app.ids.next();
  const auto event = add_event(app, ana, "Launch", "2026-03-10T09:00:00Z");
  const auto created = app.calendar.create(ana, {}).value();
  CHECK(app.calendar.read(created.secret).value().entries.at(0).sequence == 0);
  EventPatch retitle;
  retitle.title = FieldPatch::set_to("Launch (moved)");
  REQUIRE(app.events.patch(ana, event.id, retitle).has_value());
  const auto edited = app.calendar.read(created.secret).value().entries.at(0);
  CHECK(edited.sequence == 1);
  CHECK(edited.summary == "Launch (moved)");
  EventPatch archive;
  archive.status = FieldPatch::set_to("archived");
  REQUIRE(app.events.patch(ana, event.id, archive).has_value());
  CHECK(app.calendar.read(created.secret).value().entries.empty());
}

TEST_CASE("a user holds at most max_feeds_per_user feeds, even when adding concurrently") {
  InMemoryServices app;
  CalendarService calendar{
      CalendarPorts{app.calendar_feeds, app.event_store, app.secrets, app.clock, app.ids},
      CalendarPolicy{std::chrono::days{90}, 1000, 5}};
  const auto ana = app.ids.next();
  std::atomic<int> created{0};
  std::atomic<int> refused{0};
  testing::run_concurrently(8, [&](int /*thread*/) {
    for (int i = 0; i < 2; ++i) {
      const auto feed = calendar.create(ana, {});
      if (feed) {
        ++created;
      } else if (feed.error().code == ErrorCode::conflict) {
        ++refused;
      }
    }
  });
  CHECK(created == 5);
  CHECK(refused == 11);
  CHECK(calendar.list(ana).value().size() == 5);
  CHECK(calendar.create(app.ids.next(), {}).has_value());  // the bound is per user
  REQUIRE(calendar.revoke(ana, calendar.list(ana).value().front().id).has_value());
  CHECK(calendar.create(ana, {}).has_value());
}
