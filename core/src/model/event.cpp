#include "marketing_events/model/event.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "marketing_events/model/text.hpp"

namespace marketing_events {
namespace {

constexpr std::array<std::string_view, 3> status_names{"draft", "published", "archived"};

// Checks the encoding-level rules every string field shares; returns false if one broke.
bool check_text(std::string_view field, std::string_view value, std::vector<FieldError>& errors) {
  if (!text::code_point_count(value)) {
    errors.push_back({std::string(field), "must be valid UTF-8"});
    return false;
  }
  if (text::contains_nul(value)) {
    errors.push_back({std::string(field), "must not contain NUL characters"});
    return false;
  }
  return true;
}

std::optional<Instant> check_instant(std::string_view field,
                                     const std::optional<std::string>& value,
                                     std::vector<FieldError>& errors) {
  if (!value) {
    errors.push_back({std::string(field), "is required"});
    return std::nullopt;
  }
  auto instant = parse_instant(*value);
  if (!instant) {
    errors.push_back({std::string(field),
                      "must be an RFC 3339 date-time with an offset, like 2026-03-01T09:00:00Z"});
  }
  return instant;
}

std::optional<std::string> patched(const std::optional<std::string>& current,
                                   const FieldPatch& patch) {
  switch (patch.kind()) {
    case FieldPatch::Kind::keep:
      return current;
    case FieldPatch::Kind::remove:
      return std::nullopt;
    case FieldPatch::Kind::set:
      return patch.value();
  }
  return current;
}

}  // namespace

const char* to_string(EventStatus status) noexcept {
  return status_names.at(static_cast<std::size_t>(status)).data();
}

std::optional<EventStatus> parse_event_status(std::string_view text) noexcept {
  for (std::size_t i = 0; i < status_names.size(); ++i) {
    if (status_names.at(i) == text) {
      return static_cast<EventStatus>(i);
    }
  }
  return std::nullopt;
}

Result<EventDetails> validate_event(const EventInput& input) {
  std::vector<FieldError> errors;
  EventDetails details;

  if (!input.title) {
    errors.push_back({"title", "is required"});
  } else if (check_text("title", *input.title, errors)) {
    const auto trimmed = text::trim(*input.title);
    const auto length = text::code_point_count(trimmed).value_or(0);
    if (length == 0) {
      errors.push_back({"title", "must not be blank"});
    } else if (length > max_title_length) {
      errors.push_back({"title", "must be at most 200 characters"});
    } else {
      details.title = std::string(trimmed);
    }
  }

  if (input.description && check_text("description", *input.description, errors)) {
    if (text::code_point_count(*input.description).value_or(0) > max_description_length) {
      errors.push_back({"description", "must be at most 10000 characters"});
    } else {
      details.description = *input.description;
    }
  }

  const auto starts_at = check_instant("starts_at", input.starts_at, errors);
  const auto ends_at = check_instant("ends_at", input.ends_at, errors);
  if (starts_at && ends_at) {
    if (*ends_at < *starts_at) {
      errors.push_back({"ends_at", "must not be before starts_at"});
    }
    details.starts_at = *starts_at;
    details.ends_at = *ends_at;
  }

  if (input.status) {
    const auto status = parse_event_status(*input.status);
    if (!status) {
      errors.push_back({"status", "must be one of draft, published, archived"});
    } else {
      details.status = *status;
    }
  }

  if (!errors.empty()) {
    return Error::invalid(ErrorCode::invalid_fields, std::move(errors));
  }
  return details;
}

EventInput to_input(const EventDetails& current) {
  return EventInput{current.title, current.description, format_instant(current.starts_at),
                    format_instant(current.ends_at), std::string(to_string(current.status))};
}

EventInput apply_patch(const EventDetails& current, const EventPatch& patch) {
  const auto base = to_input(current);
  return EventInput{patched(base.title, patch.title), patched(base.description, patch.description),
                    patched(base.starts_at, patch.starts_at), patched(base.ends_at, patch.ends_at),
                    patched(base.status, patch.status)};
}

bool VersionCondition::allows(EventVersion version) const noexcept {
  return !versions_ || std::find(versions_->begin(), versions_->end(), version) != versions_->end();
}

}  // namespace marketing_events
