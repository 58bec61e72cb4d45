#include "marketing_events/model/calendar_feed.hpp"

#include <chrono>

#include "marketing_events/model/text.hpp"

namespace marketing_events {
namespace {

Instant whole_seconds(Instant instant) {
  return std::chrono::floor<std::chrono::seconds>(instant);
}

CalendarEntryStatus entry_status(EventStatus status) {
  switch (status) {
    case EventStatus::draft:
      return CalendarEntryStatus::tentative;
    case EventStatus::archived:
      return CalendarEntryStatus::cancelled;
    case EventStatus::published:
      break;
  }
  return CalendarEntryStatus::confirmed;
}

}  // namespace

Result<CalendarFeedSettings> validate_calendar_feed(const CalendarFeedInput& input) {
  CalendarFeedSettings settings{default_feed_name, EventStatus::published};
  std::vector<FieldError> errors;
  if (input.name) {
    const auto length = text::code_point_count(*input.name);
    if (!length || text::contains_nul(*input.name)) {
      errors.push_back({"name", "must be valid UTF-8 text without NUL characters"});
    } else {
      const auto trimmed = text::trim(*input.name);
      const auto trimmed_length = text::code_point_count(trimmed).value_or(0);
      if (trimmed_length == 0 || trimmed_length > max_feed_name_length) {
        errors.push_back({"name", "must be 1 to 100 characters after trimming white space"});
      } else {
        settings.name = std::string(trimmed);
      }
    }
  }
  if (input.status) {
    if (const auto status = parse_event_status(*input.status)) {
      settings.status = *status;
    } else {
      errors.push_back({"status", "must be one of draft, published, archived"});
    }
  }
  if (!errors.empty()) {
    return Error::invalid(ErrorCode::invalid_fields, std::move(errors));
  }
  return settings;
}

CalendarEntry calendar_entry(Event&& event) {
  return CalendarEntry{event.id,
                       std::move(event.details.title),
                       std::move(event.details.description),
                       whole_seconds(event.details.starts_at),
                       whole_seconds(event.details.ends_at),
                       whole_seconds(event.created_at),
                       whole_seconds(event.updated_at),
                       event.version - 1,
                       entry_status(event.details.status)};
}

}  // namespace marketing_events
