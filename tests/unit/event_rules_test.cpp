#include <catch2/catch.hpp>
#include <string>

#include "marketing_events/model/event.hpp"
#include "marketing_events/testing/field_names.hpp"

using namespace marketing_events;
using marketing_events::testing::field_names;
using namespace std::string_literals;

namespace {

EventInput valid_input() {
  return EventInput{"Spring launch", "Kick-off", "2026-03-01T09:00:00Z", "2026-03-01T18:00:00Z",
                    "published"};
}

std::string repeat(std::string_view unit, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) {
    out += unit;
  }
  return out;
}

}  // namespace

TEST_CASE("a valid event is accepted with its title trimmed") {
  auto input = valid_input();
  input.title = "  Spring launch\u00A0\n";
  const auto details = validate_event(input);
  REQUIRE(details.has_value());
  CHECK(details->title == "Spring launch");
  CHECK(details->description == "Kick-off");
  CHECK(details->status == EventStatus::published);
  CHECK(details->ends_at - details->starts_at == std::chrono::hours{9});
}

TEST_CASE("description and status are optional, defaulting to empty and draft") {
  auto input = valid_input();
  input.description.reset();
  input.status.reset();
  const auto details = validate_event(input);
  REQUIRE(details.has_value());
  CHECK(details->description.empty());
  CHECK(details->status == EventStatus::draft);
}

TEST_CASE("every broken field is reported at once, in field order") {
  const EventInput input{"   ", std::string(10'001, 'x'), std::nullopt, "tomorrow", "live"};
  const auto details = validate_event(input);
  REQUIRE_FALSE(details.has_value());
  CHECK(details.error().code == ErrorCode::invalid_fields);
  CHECK(field_names(details.error()) ==
        std::vector<std::string>{"title", "description", "starts_at", "ends_at", "status"});
}

TEST_CASE("titles are limited to 200 code points, whatever their bytes") {
  auto input = valid_input();
  input.title = repeat("é", 200);
  CHECK(validate_event(input).has_value());
  input.title = repeat("é", 201);
  const auto too_long = validate_event(input);
  REQUIRE_FALSE(too_long.has_value());
  CHECK(too_long.error().fields.at(0) == FieldError{"title", "must be at most 200 characters"});
  input.title = "  " + repeat("a", 200) + "  ";
  CHECK(validate_event(input).has_value());
}

TEST_CASE("descriptions are limited to 10 000 code points") {
  auto input = valid_input();
  input.description = repeat("日", 10'000);
  CHECK(validate_event(input).has_value());
  input.description = repeat("日", 10'001);
  CHECK(field_names(validate_event(input).error()) == std::vector<std::string>{"description"});
}

TEST_CASE("an event may end when it starts but not before") {
  auto input = valid_input();
  input.ends_at = input.starts_at;
  CHECK(validate_event(input).has_value());
  input.ends_at = "2026-03-01T08:59:59.999999Z";
  const auto details = validate_event(input);
  REQUIRE_FALSE(details.has_value());
  CHECK(details.error().fields ==
        std::vector<FieldError>{{"ends_at", "must not be before starts_at"}});
  // Offsets count: 10:00+02:00 is 08:00Z, before 09:00Z.
  input.ends_at = "2026-03-01T10:00:00+02:00";
  CHECK_FALSE(validate_event(input).has_value());
}

TEST_CASE("NUL characters and invalid UTF-8 are rejected in every text field") {
  auto input = valid_input();
  input.title = "Spring\0launch"s;
  input.description = "\xC3\x28"s;
  const auto details = validate_event(input);
  REQUIRE_FALSE(details.has_value());
  CHECK(details.error().fields ==
        std::vector<FieldError>{{"title", "must not contain NUL characters"},
                                {"description", "must be valid UTF-8"}});
}

TEST_CASE("statuses are exactly draft, published or archived") {
  CHECK(parse_event_status("draft") == EventStatus::draft);
  CHECK(parse_event_status("published") == EventStatus::published);
  CHECK(parse_event_status("archived") == EventStatus::archived);
  CHECK_FALSE(parse_event_status("Published").has_value());
  CHECK_FALSE(parse_event_status("").has_value());
  CHECK(std::string(to_string(EventStatus::archived)) == "archived");
}

TEST_CASE("a merge patch keeps, removes or sets each field") {
  const auto current = validate_event(valid_input()).value();

  EventPatch keep_all;
  CHECK(validate_event(apply_patch(current, keep_all)).value() == current);

  EventPatch retitle;
  retitle.title = FieldPatch::set_to(" Summer launch ");
  retitle.description = FieldPatch::removed();
  retitle.status = FieldPatch::removed();
  const auto patched = validate_event(apply_patch(current, retitle)).value();
  CHECK(patched.title == "Summer launch");
  CHECK(patched.description.empty());
  CHECK(patched.status == EventStatus::draft);
  CHECK(patched.starts_at == current.starts_at);

  EventPatch drop_title;
  drop_title.title = FieldPatch::removed();
  CHECK(validate_event(apply_patch(current, drop_title)).error().fields ==
        std::vector<FieldError>{{"title", "is required"}});

  EventPatch move_end_before_start;
  move_end_before_start.ends_at = FieldPatch::set_to("2026-02-28T00:00:00Z");
  CHECK(field_names(validate_event(apply_patch(current, move_end_before_start)).error()) ==
        std::vector<std::string>{"ends_at"});
}
