#include <catch2/catch.hpp>

#include "marketing_events/model/event_query.hpp"
#include "marketing_events/testing/field_names.hpp"

using namespace marketing_events;
using marketing_events::testing::field_names;

TEST_CASE("an empty query lists the first 20 of every status by start") {
  const auto query = parse_event_query({});
  REQUIRE(query.has_value());
  CHECK(query->statuses.empty());
  CHECK(query->page == 1);
  CHECK(query->limit == 20);
  CHECK(query->sort.key == EventSortKey::starts_at);
  CHECK_FALSE(query->sort.descending);
  CHECK(query->offset() == 0);
}

TEST_CASE("every parameter parses") {
  EventListParameters parameters;
  parameters.status = "draft,published,draft";
  parameters.page = "3";
  parameters.limit = "100";
  parameters.sort = "-created_at";
  parameters.starts_from = "2026-01-01T00:00:00Z";
  parameters.starts_to = "2026-02-01T00:00:00+01:00";
  parameters.q = "Launch";
  const auto query = parse_event_query(parameters);
  REQUIRE(query.has_value());
  CHECK(query->statuses == std::vector<EventStatus>{EventStatus::draft, EventStatus::published});
  CHECK(query->offset() == 200);
  CHECK(query->sort.key == EventSortKey::created_at);
  CHECK(query->sort.descending);
  CHECK(query->title_contains == "Launch");
  CHECK(format_instant(*query->starts_to) == "2026-01-31T23:00:00Z");
}

TEST_CASE("every bad parameter is named at once") {
  EventListParameters parameters;
  parameters.status = "published,";
  parameters.page = "0";
  parameters.limit = "101";
  parameters.sort = "ends_at";
  parameters.starts_from = "yesterday";
  parameters.starts_to = "2026-01-01";
  parameters.q = std::string(201, 'q');
  const auto query = parse_event_query(parameters);
  REQUIRE_FALSE(query.has_value());
  CHECK(query.error().code == ErrorCode::invalid_parameters);
  CHECK(field_names(query.error()) == std::vector<std::string>{"status", "sort", "starts_from",
                                                               "starts_to", "page", "limit", "q"});
}

TEST_CASE("page and limit must be plain positive integers in range") {
  for (const auto* bad : {"", "-1", "+1", "1.0", "1e3", " 1", "abc", "0x10", "2147483648",
                          "99999999999999999999999"}) {
    INFO(bad);
    EventListParameters parameters;
    parameters.page = bad;
    CHECK(field_names(parse_event_query(parameters).error()) == std::vector<std::string>{"page"});
  }
  EventListParameters highest;
  highest.page = "2147483647";
  highest.limit = "100";
  const auto query = parse_event_query(highest);
  REQUIRE(query.has_value());
  CHECK(query->offset() == 214'748'364'600);
}

TEST_CASE("a time window must not end before it starts") {
  EventListParameters parameters;
  parameters.starts_from = "2026-02-01T00:00:00Z";
  parameters.starts_to = "2026-01-01T00:00:00Z";
  CHECK(field_names(parse_event_query(parameters).error()) ==
        std::vector<std::string>{"starts_to"});
}

TEST_CASE("total pages round up and are zero for nothing") {
  CHECK(count_pages(0, 20) == 0);
  CHECK(count_pages(1, 20) == 1);
  CHECK(count_pages(20, 20) == 1);
  CHECK(count_pages(21, 20) == 2);
  CHECK(count_pages(57, 20) == 3);
  CHECK(count_pages(100, 1) == 100);
}

TEST_CASE("a query turns back into the parameters that produce it") {
  EventListParameters parameters;
  parameters.status = "archived,draft";
  parameters.page = "2";
  parameters.limit = "5";
  parameters.sort = "-title";
  parameters.starts_from = "2026-01-01T00:00:00Z";
  parameters.q = "launch";
  const auto query = parse_event_query(parameters).value();
  const auto round_trip = parse_event_query(to_parameters(query)).value();
  CHECK(round_trip.statuses == query.statuses);
  CHECK(round_trip.page == 2);
  CHECK(round_trip.limit == 5);
  CHECK(round_trip.sort.key == EventSortKey::title);
  CHECK(round_trip.sort.descending);
  CHECK(round_trip.starts_from == query.starts_from);
  CHECK_FALSE(round_trip.starts_to.has_value());
  CHECK(round_trip.title_contains == "launch");
}

TEST_CASE("a cursor selects keyset paging, never together with a page number") {
  EventListParameters parameters;
  parameters.cursor = "";
  parameters.limit = "5";
  const auto walk = parse_event_query(parameters);
  REQUIRE(walk.has_value());
  CHECK(walk->paging == Paging::keyset);
  CHECK_FALSE(walk->after.has_value());
  CHECK_FALSE(to_parameters(*walk).page.has_value());
  CHECK(to_parameters(*walk).limit == "5");
  parameters.page = "1";
  CHECK(field_names(parse_event_query(parameters).error()) == std::vector<std::string>{"cursor"});

  EventQuery numbered;
  numbered.after = EventPosition{};
  CHECK(field_names(check_event_query(numbered).error()) == std::vector<std::string>{"after"});
  EventQuery keyset;
  keyset.paging = Paging::keyset;
  keyset.page = 2;
  CHECK(field_names(check_event_query(keyset).error()) == std::vector<std::string>{"page"});
}

TEST_CASE("a position holds the sort key's value and the id") {
  const Event event{Uuid::parse("0193a1c2-7d4e-7abc-8def-0123456789ab").value(),
                    Uuid{},
                    EventDetails{"Launch", "", parse_instant("2026-03-01T08:00:00Z").value(),
                                 parse_instant("2026-03-01T09:00:00Z").value(), EventStatus::draft},
                    parse_instant("2026-02-01T00:00:00Z").value(),
                    parse_instant("2026-02-02T00:00:00Z").value(),
                    1};
  CHECK(position_of(event, EventSortKey::starts_at) ==
        EventPosition{event.details.starts_at, {}, event.id});
  CHECK(position_of(event, EventSortKey::created_at) ==
        EventPosition{event.created_at, {}, event.id});
  CHECK(position_of(event, EventSortKey::title) == EventPosition{{}, "Launch", event.id});
}
