#include "marketing_events/use_cases/calendar_service.hpp"

#include <algorithm>

namespace marketing_events {
namespace {

// Secrets are 43 characters; anything much longer is not one, and is not worth a digest.
constexpr std::size_t max_secret_length = 128;

}  // namespace

Result<NewCalendarFeed> CalendarService::create(const UserId& owner,
                                                const CalendarFeedInput& input) {
  auto settings = validate_calendar_feed(input);
  if (!settings) {
    return std::move(settings).error();
  }
  NewCalendarFeed created{CalendarFeed{ports_.ids.next(), owner, std::move(settings->name),
                                       settings->status, ports_.clock.now()},
                          ports_.secrets.generate()};
  if (auto added = ports_.feeds.add(created.feed, ports_.secrets.digest(created.secret),
                                    policy_.max_feeds_per_user);
      !added) {
    return std::move(added).error();
  }
  return created;
}

Result<std::vector<CalendarFeed>> CalendarService::list(const UserId& owner) {
  return ports_.feeds.list(owner);
}

Result<void> CalendarService::revoke(const UserId& owner, const CalendarFeedId& id) {
  auto removed = ports_.feeds.remove(owner, id);
  if (!removed) {
    return std::move(removed).error();
  }
  if (!*removed) {
    return Error::of(ErrorCode::not_found, "no such calendar feed for this owner");
  }
  return {};
}

Result<CalendarFeed> CalendarService::find(std::string_view secret) {
  if (secret.empty() || secret.size() > max_secret_length) {
    return Error::of(ErrorCode::not_found, "not a calendar feed secret");
  }
  auto found = ports_.feeds.find_by_digest(ports_.secrets.digest(secret));
  if (!found) {
    return std::move(found).error();
  }
  if (!*found) {
    return Error::of(ErrorCode::not_found, "unknown or revoked calendar feed");
  }
  return std::move(**found);
}

Result<Calendar> CalendarService::calendar_of(const CalendarFeed& feed) {
  const auto today = Instant{std::chrono::floor<std::chrono::days>(ports_.clock.now())};
  const auto limit = std::clamp<std::int64_t>(policy_.max_events, 1, max_feed_events_limit);
  EventQuery query;
  query.statuses = {feed.status};
  query.paging = Paging::keyset;
  // The next events first: from today on, earliest first...
  query.sort = EventSort{EventSortKey::starts_at, false};
  query.starts_from = today;
  query.limit = limit;
  auto upcoming = ports_.events.list(feed.owner_id, query);
  if (!upcoming) {
    return std::move(upcoming).error();
  }
  // ...then, with the room left, the window's past ones, most recent first.
  EventSlice past;
  if (const auto room = limit - static_cast<std::int64_t>(upcoming->items.size()); room > 0) {
    query.sort.descending = true;
    query.starts_from = today - policy_.window;
    query.starts_to = today;
    query.limit = room;
    auto found = ports_.events.list(feed.owner_id, query);
    if (!found) {
      return std::move(found).error();
    }
    past = std::move(found).value();
  } else {
    past.more = true;  // not asked: the window may well hold past events
  }
  Calendar calendar{feed, {}, upcoming->more || past.more};
  calendar.entries.reserve(past.items.size() + upcoming->items.size());
  std::reverse(past.items.begin(), past.items.end());  // read most recent first
  for (auto& event : past.items) {
    calendar.entries.push_back(calendar_entry(std::move(event)));
  }
  for (auto& event : upcoming->items) {
    calendar.entries.push_back(calendar_entry(std::move(event)));
  }
  return calendar;
}

Result<Calendar> CalendarService::read(std::string_view secret) {
  auto feed = find(secret);
  if (!feed) {
    return std::move(feed).error();
  }
  return calendar_of(*feed);
}

}  // namespace marketing_events
