#include "marketing_events/model/instant.hpp"

#include <array>
#include <cstdint>

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

// Writes `value` as `width` digits at `text[at]`, returning where the next character goes.
std::size_t put_padded(std::array<char, longest_instant_text>& text, std::size_t at,
                       std::int64_t value, std::size_t width) {
  for (std::size_t i = width; i > 0; --i) {
    text[at + i - 1] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return at + width;
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
  const auto day_point = std::chrono::floor<days>(instant);
  const std::chrono::year_month_day date{day_point};
  const std::chrono::hh_mm_ss<microseconds> time{instant - day_point};
  const auto micros = time.subseconds().count();

  // Written into a buffer and appended once: appending character by character cost more
  // than the arithmetic.
  std::array<char, longest_instant_text> text{};
  std::size_t at = put_padded(text, 0, static_cast<int>(date.year()), 4);
  text[at++] = '-';
  at = put_padded(text, at, static_cast<unsigned>(date.month()), 2);
  text[at++] = '-';
  at = put_padded(text, at, static_cast<unsigned>(date.day()), 2);
  text[at++] = 'T';
  at = put_padded(text, at, time.hours().count(), 2);
  text[at++] = ':';
  at = put_padded(text, at, time.minutes().count(), 2);
  text[at++] = ':';
  at = put_padded(text, at, time.seconds().count(), 2);
  if (micros != 0) {
    text[at++] = '.';
    at = micros % 1000 == 0 ? put_padded(text, at, micros / 1000, 3)
                            : put_padded(text, at, micros, 6);
  }
  text[at++] = 'Z';
  out.append(text.data(), at);
}

}  // namespace marketing_events
