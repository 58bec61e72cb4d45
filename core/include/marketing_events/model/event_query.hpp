#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "marketing_events/model/event.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events {

enum class EventSortKey { starts_at, created_at, title };

struct EventSort {
  EventSortKey key = EventSortKey::starts_at;
  bool descending = false;  // ties are always broken by id, in the same direction
};

inline constexpr std::int64_t default_page_size = 20;
inline constexpr std::int64_t max_page_size = 100;
inline constexpr std::int64_t max_page_number = 2'147'483'647;

// How a listing is cut into pages. Numbered pages count every match (the total and the page
// count) and skip the items before them; a keyset walk continues after a position, so a page
// deep in the list costs what the first one does, and counts nothing.
enum class Paging { numbered, keyset };

// Where a keyset walk stands: the sort key of the last item it returned, and that item's id
// (the tie-breaker). Only the member of the query's sort key is meaningful.
struct EventPosition {
  Instant instant{};  // starts_at or created_at
  std::string title;  // when sorting by title
  EventId id;

  friend bool operator==(const EventPosition&, const EventPosition&) = default;
};

// The position of `event` in a listing sorted by `key`.
[[nodiscard]] EventPosition position_of(const Event& event, EventSortKey key);

// What to list. Pages are numbered from 1.
struct EventQuery {
  std::vector<EventStatus> statuses;  // empty: every status
  EventSort sort;
  std::optional<Instant> starts_from;  // inclusive bound on starts_at
  std::optional<Instant> starts_to;    // exclusive bound on starts_at
  std::string title_contains;          // case-insensitive; empty: no filter
  std::int64_t page = 1;               // numbered paging only
  std::int64_t limit = default_page_size;
  Paging paging = Paging::numbered;
  std::optional<EventPosition> after;  // keyset paging: continue after it; none: from the start

  // Rows to skip before this page.
  [[nodiscard]] std::int64_t offset() const noexcept { return (page - 1) * limit; }
};

// A query as a client spelled it (query-string values), before any rule is applied.
struct EventListParameters {
  std::optional<std::string> status;  // "published" or "draft,published"
  std::optional<std::string> page;
  std::optional<std::string> limit;
  std::optional<std::string> sort;  // starts_at, -starts_at, created_at, ..., -title
  std::optional<std::string> starts_from;
  std::optional<std::string> starts_to;
  std::optional<std::string> q;
  // Keyset paging instead of page numbers: the cursor of a previous page, or empty to start a
  // walk. The core only reads whether it is there; the adapter that issued it decodes it.
  std::optional<std::string> cursor;
};

// Names every bad parameter at once (ErrorCode::invalid_parameters).
[[nodiscard]] Result<EventQuery> parse_event_query(const EventListParameters& parameters);

// The same rules for a query built in code.
[[nodiscard]] Result<void> check_event_query(const EventQuery& query);

// The inverse of parse_event_query for the parameters a query sets (for links to other pages).
[[nodiscard]] EventListParameters to_parameters(const EventQuery& query);

// One page of events, whether items follow it, and (numbered paging only) every match counted.
struct EventSlice {
  std::vector<Event> items;
  std::int64_t total_items = 0;
  bool more = false;
};

struct EventPage {
  std::vector<Event> items;
  Paging paging = Paging::numbered;
  std::int64_t page = 1;  // numbered paging: this page, the total and the page count
  std::int64_t limit = default_page_size;
  std::int64_t total_items = 0;
  std::int64_t total_pages = 0;
  std::optional<EventPosition> next;  // where a keyset walk continues; none on the last page
};

// ceil(total_items / limit); 0 when there is nothing.
[[nodiscard]] std::int64_t count_pages(std::int64_t total_items, std::int64_t limit) noexcept;

}  // namespace marketing_events
