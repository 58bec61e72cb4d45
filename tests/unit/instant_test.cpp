#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <string>

#include "marketing_events/model/instant.hpp"

using namespace marketing_events;
using namespace std::chrono_literals;

namespace {
Instant at(int y, unsigned m, unsigned d) {
  return Instant{
      std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}}};
}
}  // namespace

TEST_CASE("RFC 3339 instants parse with Z or an offset and normalise to UTC") {
  CHECK(parse_instant("2026-03-01T09:00:00Z") == at(2026, 3, 1) + 9h);
  CHECK(parse_instant("2026-03-01t09:00:00z") == at(2026, 3, 1) + 9h);
  CHECK(parse_instant("2026-03-01T10:30:00+01:30") == at(2026, 3, 1) + 9h);
  CHECK(parse_instant("2026-02-28T23:00:00-10:00") == at(2026, 3, 1) + 9h);
  CHECK(parse_instant("2024-02-29T00:00:00Z") == at(2024, 2, 29));
}

TEST_CASE("fractions keep microseconds and truncate anything finer") {
  CHECK(parse_instant("2026-03-01T00:00:00.5Z") == at(2026, 3, 1) + 500ms);
  CHECK(parse_instant("2026-03-01T00:00:00.123456Z") == at(2026, 3, 1) + 123456us);
  CHECK(parse_instant("2026-03-01T00:00:00.1234569Z") == at(2026, 3, 1) + 123456us);
}

TEST_CASE("instants without an offset or with impossible fields are rejected") {
  for (const auto* text :
       {"2026-03-01T09:00:00", "2026-03-01 09:00:00Z", "2026-02-29T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-04-31T00:00:00Z",
        "2026-03-01T24:00:00Z", "2026-03-01T23:60:00Z", "2026-12-31T23:59:60Z",
        "2026-03-01T09:00:00+24:00", "2026-03-01T09:00:00+01", "2026-03-01T09:00:00.Z",
        "0000-01-01T00:00:00Z", "26-03-01T09:00:00Z", "2026-03-01T09:00:00Zjunk", "", "2026-03-01",
        "２０２６-03-01T09:00:00Z"}) {
    INFO(text);
    CHECK_FALSE(parse_instant(text).has_value());
  }
}

TEST_CASE("formatting is UTC with Z and the shortest exact fraction") {
  CHECK(format_instant(at(2026, 3, 1) + 9h) == "2026-03-01T09:00:00Z");
  CHECK(format_instant(at(2026, 3, 1) + 250ms) == "2026-03-01T00:00:00.250Z");
  CHECK(format_instant(at(2026, 3, 1) + 1us) == "2026-03-01T00:00:00.000001Z");
  CHECK(format_instant(at(1, 1, 1)) == "0001-01-01T00:00:00Z");
  CHECK(format_instant(at(1969, 12, 31) + 23h + 59min + 59s) == "1969-12-31T23:59:59Z");
}

TEST_CASE("an instant beyond years 0001..9999 is written as the nearest one within") {
  using std::chrono::years;
  CHECK(format_instant(earliest_instant - years{5}) == "0001-01-01T00:00:00Z");
  CHECK(format_instant(latest_instant + years{5}) == "9999-12-31T23:59:59.999999Z");
  CHECK(format_instant(Instant::min()) == "0001-01-01T00:00:00Z");
  CHECK(format_instant(Instant::max()) == "9999-12-31T23:59:59.999999Z");
}

TEST_CASE("an instant survives a round trip at microsecond precision") {
  const auto instant = at(2031, 7, 19) + 13h + 4min + 5s + 678901us;
  CHECK(parse_instant(format_instant(instant)) == instant);
  CHECK(parse_instant("9999-12-31T23:59:59.999999Z").has_value());
  CHECK(format_instant(*parse_instant("9999-12-31T23:59:59.999999Z")) ==
        "9999-12-31T23:59:59.999999Z");
}

TEST_CASE("an offset that carries an instant out of years 0001..9999 makes it invalid") {
  CHECK_FALSE(parse_instant("0001-01-01T00:00:00+01:00").has_value());
  CHECK_FALSE(parse_instant("9999-12-31T23:59:59-01:00").has_value());
  CHECK_FALSE(parse_instant("9999-12-31T23:30:00-00:31").has_value());
  CHECK(parse_instant("0001-01-01T00:00:00Z") == earliest_instant);
  CHECK(parse_instant("0001-01-01T00:59:00+00:59") == earliest_instant);
  CHECK(parse_instant("9999-12-31T23:59:59.999999Z") == latest_instant);
  CHECK(parse_instant("9999-12-31T22:59:59.999999-01:00") == latest_instant);
  CHECK(format_instant(latest_instant) == "9999-12-31T23:59:59.999999Z");
}

// Every 13th day (13 shares no factor with the weeks, months or leap cycles, so each month,
// day of the month and 29 February is met many times), and each day near the ends.
TEST_CASE("days across years 0001..9999 are written as std::chrono's calendar has them") {
  using std::chrono::days;
  using std::chrono::microseconds;
  constexpr std::int64_t micros_a_day = 86'400'000'000;
  std::string written;
  std::int64_t mismatches = 0;
  for (auto day = std::chrono::floor<days>(earliest_instant);
       day <= std::chrono::floor<days>(latest_instant) && mismatches <= 5;
       day +=
       days{day < earliest_instant + days{800} || day > latest_instant - days{800} ? 1 : 13}) {
    // A different time of day on each day: in whole seconds, milliseconds or microseconds.
    const auto count = day.time_since_epoch().count();
    auto micros = ((count * 7'919'993'731LL) % micros_a_day + micros_a_day) % micros_a_day;
    micros -= micros % std::array<std::int64_t, 3>{1'000'000, 1'000, 1}.at(
                           static_cast<std::size_t>((count % 3 + 3) % 3));
    const std::chrono::year_month_day date{day};
    const std::chrono::hh_mm_ss<microseconds> time{microseconds{micros}};
    std::array<char, 40> expected{};
    const auto length = std::snprintf(
        expected.data(), expected.size(), "%04d-%02u-%02uT%02d:%02d:%02d.%06d", int{date.year()},
        unsigned{date.month()}, unsigned{date.day()}, static_cast<int>(time.hours().count()),
        static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()),
        static_cast<int>(time.subseconds().count()));
    std::string text(expected.data(), static_cast<std::size_t>(length));
    const auto fraction = time.subseconds().count();
    text.resize(fraction == 0 ? 19 : fraction % 1000 == 0 ? 23 : 26);  // the shortest exact one
    text += 'Z';
    written.clear();
    append_instant(written, day + microseconds{micros});
    if (written != text) {
      ++mismatches;
      FAIL_CHECK(written << " should be " << text);
    }
  }
  CHECK(mismatches == 0);
}
