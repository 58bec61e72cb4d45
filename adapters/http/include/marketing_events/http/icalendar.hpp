#pragma once

#include <string>
#include <string_view>

#include "marketing_events/model/calendar_feed.hpp"

namespace marketing_events::http {

// A calendar as RFC 5545 text: one VEVENT per entry, instants in UTC, TEXT values escaped,
// lines folded at 75 octets (never inside a UTF-8 sequence), CRLF line ends. DTSTAMP is the
// entry's last modification (a published calendar has no METHOD), so the same calendar always
// renders to the same bytes.
[[nodiscard]] std::string render_icalendar(const Calendar& calendar);

// A strong entity tag for the bytes render_icalendar() makes of `calendar`, computed from
// what determines them (the feed's name and each entry's id and revision), not from the text.
[[nodiscard]] std::string calendar_entity_tag(const Calendar& calendar);

// An RFC 5545 TEXT value: backslash, semicolon and comma escaped, every line break as \n,
// other control characters dropped.
[[nodiscard]] std::string escape_text(std::string_view text);

// Appends `line` folded at 75 octets, each piece ending in CRLF.
void append_folded(std::string& out, std::string_view line);

}  // namespace marketing_events::http
