#include "marketing_events/model/instant.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace marketing_events {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// Reads exactly `count` decimal digits at `pos`; advances `pos` on success.
std::optional<int> read_digits(std::string_view text, std::size_t& pos, std::size_t count) {
  if (pos + count > text.size()) {
    return std::nullopt;
  }
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char digit = text[pos + i];
    if (digit < '0' || digit > '9') {
      return std::nullopt;
    }
    value = value * 10 + (digit - '0');
  }
  pos += count;
  return value;
}

bool expect(std::string_view text, std::size_t& pos, char wanted) {
  if (pos < text.size() && text[pos] == wanted) {
    ++pos;
    return true;
  }
  return false;
}

bool is_any_of(std::string_view text, std::size_t pos, std::string_view choices) {
  return pos < text.size() && choices.find(text[pos]) != std::string_view::npos;
}

// The longest text: 2026-11-30T23:59:13.123456Z.
constexpr std::size_t longest_instant_text = 27;

// "00" "01" … "99": each pair of digits written with one copy.
constexpr auto digit_pairs = [] {
  std::array<char, 200> pairs{};
  for (std::size_t i = 0; i < 100; ++i) {
    pairs[2 * i] = static_cast<char>('0' + i / 10);
    pairs[2 * i + 1] = static_cast<char>('0' + i % 10);
  }
  return pairs;
}();

// Writes `value` (below 100) as two digits at `text[at]`, returning where the next one goes.
std::size_t put_two(std::array<char, longest_instant_text>& text, std::size_t at,
                    std::size_t value) {
  std::memcpy(&text[at], &digit_pairs[2 * value], 2);
  return at + 2;
}

struct CivilDate {
  std::uint32_t year;
  std::uint32_t month;
  std::uint32_t day;
};

// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's civil_from_days, for
// days from 0001-01-01 on: no negative eras). A few multiplications, where converting through
// std::chrono::year_month_day cost more than the rest of the formatting.
CivilDate civil_from_days(std::int64_t days_since_epoch) {
  const auto shifted = static_cast<std::uint64_t>(days_since_epoch + 719'468);  // from 0000-03-01
  const auto era = shifted / 146'097;
  const auto day_of_era = shifted - era * 146'097;
  const auto year_of_era =
      (day_of_era - day_of_era / 1'460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;
  const auto day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const auto march_month = (5 * day_of_year + 2) / 153;  // 0: March … 11: February
  const auto day = day_of_year - (153 * march_month + 2) / 5 + 1;
  const auto month = march_month < 10 ? march_month + 3 : march_month - 9;
  const auto year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return {static_cast<std::uint32_t>(year), static_cast<std::uint32_t>(month),
          static_cast<std::uint32_t>(day)};
}

}  // namespace

std::optional<Instant> parse_instant(std::string_view text) {
  std::size_t pos = 0;
  const auto year = read_digits(text, pos, 4);
  if (!year || !expect(text, pos, '-')) {
    return std::nullopt;
  }
  const auto month = read_digits(text, pos, 2);
  if (!month || !expect(text, pos, '-')) {
    return std::nullopt;
  }
  const auto day = read_digits(text, pos, 2);
  if (!day || !is_any_of(text, pos, "Tt")) {
    return std::nullopt;
  }
  ++pos;
  const auto hour = read_digits(text, pos, 2);
  if (!hour || !expect(text, pos, ':')) {
    return std::nullopt;
  }
  const auto minute = read_digits(text, pos, 2);
  if (!minute || !expect(text, pos, ':')) {
    return std::nullopt;
  }
  const auto second = read_digits(text, pos, 2);
  if (!second) {
    return std::nullopt;
  }
  std::int64_t micros = 0;
  if (expect(text, pos, '.')) {
    std::size_t fraction_digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (fraction_digits < 6) {
        micros = micros * 10 + (text[pos] - '0');
      }
      ++fraction_digits;
      ++pos;
    }
    if (fraction_digits == 0) {
      return std::nullopt;
    }
    for (std::size_t i = fraction_digits; i < 6; ++i) {
      micros *= 10;
    }
  }
  int offset_minutes = 0;
  if (is_any_of(text, pos, "Zz")) {
    ++pos;
  } else if (is_any_of(text, pos, "+-")) {
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    const auto offset_hours = read_digits(text, pos, 2);
    if (!offset_hours || !expect(text, pos, ':')) {
      return std::nullopt;
    }
    const auto offset_mins = read_digits(text, pos, 2);
    if (!offset_mins || *offset_hours > 23 || *offset_mins > 59) {
      return std::nullopt;
    }
    offset_minutes = sign * (*offset_hours * 60 + *offset_mins);
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) {
    return std::nullopt;
  }

  const std::chrono::year_month_day date{std::chrono::year{*year},
                                         std::chrono::month{static_cast<unsigned>(*month)},
                                         std::chrono::day{static_cast<unsigned>(*day)}};
  // Leap seconds (60) cannot be represented by the clock, so they are rejected.
  if (*year < 1 || !date.ok() || *hour > 23 || *minute > 59 || *second > 59) {
    return std::nullopt;
  }
  const auto local = std::chrono::sys_days{date} + hours{*hour} + minutes{*minute} +
                     seconds{*second} + microseconds{micros};
  // The offset may carry a date out of the years 0001..9999 (0001-01-01T00:00:00+01:00 is in
  // year 0): such an instant cannot be written back in this format, nor stored.
  const Instant instant{local - minutes{offset_minutes}};
  if (instant < earliest_instant || instant > latest_instant) {
    return std::nullopt;
  }
  return instant;
}

std::string format_instant(Instant instant) {
  std::string out;
  out.reserve(longest_instant_text);
  append_instant(out, instant);
  return out;
}

void append_instant(std::string& out, Instant instant) {
  // The format has four digits for the year, and the calculation below is for years
  // 0001..9999: beyond them, the nearest instant within.
  instant = std::clamp(instant, earliest_instant, latest_instant);
  constexpr std::int64_t micros_a_day = 86'400'000'000;
  const auto since_epoch = instant.time_since_epoch().count();
  auto day_number = since_epoch / micros_a_day;
  auto micros_of_day = since_epoch % micros_a_day;
  if (micros_of_day < 0) {  // before 1970: division truncates toward zero
    --day_number;
    micros_of_day += micros_a_day;
  }
  const auto date = civil_from_days(day_number);
  const auto seconds_of_day = static_cast<std::uint32_t>(micros_of_day / 1'000'000);
  const auto micros = static_cast<std::uint32_t>(micros_of_day % 1'000'000);

  // Written into a buffer and appended once: appending character by character cost more
  // than the arithmetic.
  std::array<char, longest_instant_text> text{};
  std::size_t at = put_two(text, 0, date.year / 100);
  at = put_two(text, at, date.year % 100);
  text[at++] = '-';
  at = put_two(text, at, date.month);
  text[at++] = '-';
  at = put_two(text, at, date.day);
  text[at++] = 'T';
  at = put_two(text, at, seconds_of_day / 3600);
  text[at++] = ':';
  at = put_two(text, at, seconds_of_day / 60 % 60);
  text[at++] = ':';
  at = put_two(text, at, seconds_of_day % 60);
  if (micros != 0) {
    text[at++] = '.';
    const auto millis = micros / 1000;
    at = put_two(text, at, millis / 10);
    text[at++] = static_cast<char>('0' + millis % 10);
    if (const auto rest = micros % 1000; rest != 0) {
      text[at++] = static_cast<char>('0' + rest / 100);
      at = put_two(text, at, rest % 100);
    }
  }
  text[at++] = 'Z';
  out.append(text.data(), at);
}

}  // namespace marketing_events
