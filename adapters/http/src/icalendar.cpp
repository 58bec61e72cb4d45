#include "marketing_events/http/icalendar.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>

namespace marketing_events::http {
namespace {

constexpr std::size_t max_line_octets = 75;
// Part of the entity tag: a change to what the renderer writes must change every tag.
constexpr std::string_view renderer_revision = "ics-2";

bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

// `value` (0 <= value < 10^width) in decimal, zero-padded, at `out`.
void put_padded(char* out, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10U);  // NOLINT(*-pointer-arithmetic)
    value /= 10U;
  }
}

// 20260301T090000Z: 16 characters, written in place (feeds format thousands of them).
using BasicUtc = std::array<char, 16>;
BasicUtc basic_utc(Instant instant) {
  const auto day = std::chrono::floor<std::chrono::days>(instant);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss time{std::chrono::floor<std::chrono::seconds>(instant - day)};
  BasicUtc text{};
  put_padded(text.data(), static_cast<unsigned>(static_cast<int>(date.year())), 4);
  put_padded(text.data() + 4, static_cast<unsigned>(date.month()),
             2);  // NOLINT(*-pointer-arithmetic)
  put_padded(text.data() + 6, static_cast<unsigned>(date.day()),
             2);  // NOLINT(*-pointer-arithmetic)
  text[8] = 'T';
  put_padded(text.data() + 9, static_cast<unsigned>(time.hours().count()),
             2);  // NOLINT(*-pointer-arithmetic)
  put_padded(text.data() + 11, static_cast<unsigned>(time.minutes().count()),
             2);  // NOLINT(*-pointer-arithmetic)
  put_padded(text.data() + 13, static_cast<unsigned>(time.seconds().count()),
             2);  // NOLINT(*-pointer-arithmetic)
  text[15] = 'Z';
  return text;
}

std::string_view view(const BasicUtc& text) {
  return {text.data(), text.size()};
}

bool needs_escape(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20U || byte == 0x7FU || c == '\\' || c == ';' || c == ',';
}

const char* status_name(CalendarEntryStatus status) {
  switch (status) {
    case CalendarEntryStatus::tentative:
      return "TENTATIVE";
    case CalendarEntryStatus::cancelled:
      return "CANCELLED";
    case CalendarEntryStatus::confirmed:
      break;
  }
  return "CONFIRMED";
}

// NAME:value, folded. Most lines fit in one: they are appended as they are.
void property(std::string& out, std::string_view name, std::string_view value) {
  if (name.size() + 1 + value.size() <= max_line_octets) {
    out.append(name).append(1, ':').append(value).append("\r\n");
    return;
  }
  std::string line;
  line.reserve(name.size() + 1 + value.size());
  line.append(name).append(1, ':').append(value);
  append_folded(out, line);
}

// A TEXT property: escaped only when the value needs it.
void text_property(std::string& out, std::string_view name, std::string_view value) {
  if (std::any_of(value.begin(), value.end(),
                  [](char c) { return needs_escape(c) && c != '\t'; })) {
    property(out, name, escape_text(value));
  } else {
    property(out, name, value);
  }
}

void render_entry(std::string& out, const CalendarEntry& entry) {
  out += "BEGIN:VEVENT\r\n";
  std::array<char, 36 + 18> uid{};
  entry.uid.to_string().copy(uid.data(), 36);
  std::string_view{"@marketing-events"}.copy(uid.data() + 36, 17);  // NOLINT(*-pointer-arithmetic)
  property(out, "UID", {uid.data(), 36 + 17});
  const auto modified = basic_utc(entry.last_modified);
  property(out, "DTSTAMP", view(modified));
  property(out, "DTSTART", view(basic_utc(entry.starts_at)));
  // DTEND must be later than DTSTART; an event without one ends when it starts.
  if (entry.ends_at > entry.starts_at) {
    property(out, "DTEND", view(basic_utc(entry.ends_at)));
  }
  text_property(out, "SUMMARY", entry.summary);
  if (!entry.description.empty()) {
    text_property(out, "DESCRIPTION", entry.description);
  }
  property(out, "SEQUENCE", std::to_string(entry.sequence));
  property(out, "CREATED", view(basic_utc(entry.created_at)));
  property(out, "LAST-MODIFIED", view(modified));
  property(out, "STATUS", status_name(entry.status));
  out += "END:VEVENT\r\n";
}

// FNV-1a, 64 bits: stable across builds and replicas (std::hash promises neither).
class Fnv1a {
 public:
  void add(std::string_view bytes) {
    for (const char c : bytes) {
      state_ ^= static_cast<unsigned char>(c);
      state_ *= prime;
    }
    add_separator();
  }
  void add(std::int64_t number) { add(std::to_string(number)); }
  void add(const Uuid& id) {
    add(std::string_view{
        reinterpret_cast<const char*>(id.bytes().data()),  // NOLINT(*-reinterpret-cast)
        id.bytes().size()});
  }
  [[nodiscard]] std::uint64_t value() const noexcept { return state_; }

 private:
  void add_separator() {
    state_ ^= 0xFFU;
    state_ *= prime;
  }
  static constexpr std::uint64_t prime = 0x100000001b3ULL;
  std::uint64_t state_ = 0xcbf29ce484222325ULL;
};

}  // namespace

std::string escape_text(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size() + text.size() / 8);
  std::size_t plain = 0;  // where the run of bytes copied as they are starts
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!needs_escape(c) || c == '\t') {  // TEXT allows HTAB, and no other control character
      continue;
    }
    escaped.append(text.substr(plain, i - plain));
    switch (c) {
      case '\\':
        escaped += "\\\\";
        break;
      case ';':
        escaped += "\\;";
        break;
      case ',':
        escaped += "\\,";
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') {
          ++i;  // CRLF is one line break
        }
        escaped += "\\n";
        break;
      case '\n':
        escaped += "\\n";
        break;
      default:
        break;  // another control character: dropped
    }
    plain = i + 1;
  }
  escaped.append(text.substr(plain));
  return escaped;
}

void append_folded(std::string& out, std::string_view line) {
  // The first line holds 75 octets; each continuation starts with a space, so it holds 74 more.
  std::size_t room = max_line_octets;
  while (line.size() > room) {
    std::size_t cut = room;
    while (cut > 0 && is_continuation_byte(line[cut])) {
      --cut;  // never split a UTF-8 sequence
    }
    if (cut == 0) {
      cut = room;  // not UTF-8 at all (the model never stores such text): cut anywhere
    }
    out.append(line.substr(0, cut)).append("\r\n ");
    line.remove_prefix(cut);
    room = max_line_octets - 1;
  }
  out.append(line).append("\r\n");
}

std::string render_icalendar(const Calendar& calendar) {
  std::string out;
  std::size_t text = 0;
  for (const auto& entry : calendar.entries) {
    text += entry.summary.size() + entry.description.size();
  }
  out.reserve(512 + calendar.entries.size() * 320 + text + text / 8);
  out += "BEGIN:VCALENDAR\r\n";
  out += "VERSION:2.0\r\n";
  out += "PRODID:-//Marketing Events API//Calendar feed//EN\r\n";
  out += "CALSCALE:GREGORIAN\r\n";
  const auto name = escape_text(calendar.feed.name);
  property(out, "NAME", name);                        // RFC 7986
  property(out, "X-WR-CALNAME", name);                // what Google Calendar and Outlook read
  out += "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n";  // RFC 7986
  out += "X-PUBLISHED-TTL:PT1H\r\n";
  for (const auto& entry : calendar.entries) {
    render_entry(out, entry);
  }
  out += "END:VCALENDAR\r\n";
  return out;
}

std::string calendar_entity_tag(const Calendar& calendar) {
  Fnv1a hash;
  hash.add(renderer_revision);
  hash.add(calendar.feed.id);
  hash.add(calendar.feed.name);
  for (const auto& entry : calendar.entries) {
    hash.add(entry.uid);
    hash.add(entry.sequence);
  }
  constexpr std::string_view hex_digits = "0123456789abcdef";
  std::string tag(18, '"');
  auto value = hash.value();
  for (std::size_t i = 16; i > 0; --i) {
    tag[i] = hex_digits[value & 0xFU];
    value >>= 4U;
  }
  return tag;
}

}  // namespace marketing_events::http
