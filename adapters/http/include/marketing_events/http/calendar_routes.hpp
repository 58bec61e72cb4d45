#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "marketing_events/http/route.hpp"
#include "marketing_events/use_cases/calendar_service.hpp"

namespace marketing_events::http {

struct CalendarRoutesSettings {
  // Where clients reach the service ("https://events.example.com"), for the subscription URLs
  // handed out. Empty: "http://" and the request's Host, which is right only without a proxy.
  std::string public_url;
  // How long a rendered feed is reused (edits show after at most this long; a revocation at
  // once), and how many bytes of rendered feeds are kept. Zero: every read renders.
  std::chrono::milliseconds cache_ttl{std::chrono::seconds{60}};
  std::size_t cache_bytes = std::size_t{16} << 20U;
  // Feeds rendered at once; a read beyond it gets 503 with Retry-After (each render holds the
  // feed's events and text, up to CALENDAR_MAX_EVENTS of them).
  int concurrent_renders = 4;
};

// /api/v1/calendar-feeds (the signed-in user's feeds) and /api/v1/calendar/{secret}.ics (a
// feed, for calendar clients, which cannot send a token: the secret address is the credential).
[[nodiscard]] std::vector<Route> calendar_routes(CalendarService& calendar,
                                                 const CalendarRoutesSettings& settings);

// The If-None-Match rule of RFC 9110 13.1.2: true when `header` is "*" or lists `tag` (weak
// comparison, so W/"x" matches "x").
[[nodiscard]] bool none_match_fails(std::string_view header, std::string_view tag);

}  // namespace marketing_events::http
