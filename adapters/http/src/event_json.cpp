#include "marketing_events/http/event_json.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>

namespace marketing_events::http {
namespace {

namespace json = boost::json;

constexpr std::size_t max_body_depth = 16;
constexpr std::array<std::string_view, 5> editable_fields{"title", "description", "starts_at",
                                                          "ends_at", "status"};
constexpr std::array<std::string_view, 4> read_only_fields{"id", "created_at", "updated_at",
                                                           "owner_id"};

template <std::size_t N>
bool is_one_of(std::string_view name, const std::array<std::string_view, N>& names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::optional<std::string>* slot(EventInput& input, std::string_view name) {
  if (name == "title") {
    return &input.title;
  }
  if (name == "description") {
    return &input.description;
  }
  if (name == "starts_at") {
    return &input.starts_at;
  }
  if (name == "ends_at") {
    return &input.ends_at;
  }
  return name == "status" ? &input.status : nullptr;
}

FieldPatch* slot(EventPatch& patch, std::string_view name) {
  if (name == "title") {
    return &patch.title;
  }
  if (name == "description") {
    return &patch.description;
  }
  if (name == "starts_at") {
    return &patch.starts_at;
  }
  if (name == "ends_at") {
    return &patch.ends_at;
  }
  return name == "status" ? &patch.status : nullptr;
}

// Errors for members that are not editable fields, in the body's order.
void check_names(const json::object& body, std::vector<FieldError>& errors) {
  for (const auto& member : body) {
    const std::string_view name{member.key().data(), member.key().size()};
    if (is_one_of(name, read_only_fields)) {
      errors.push_back({std::string(name), "is set by the service and cannot be sent"});
    } else if (!is_one_of(name, editable_fields)) {
      errors.push_back({std::string(name), "is not a field of an event"});
    }
  }
}

std::string to_std(const json::string& text) {
  return {text.data(), text.size()};
}

int field_rank(const std::string& field) {
  const auto* found = std::find(editable_fields.begin(), editable_fields.end(), field);
  return static_cast<int>(found - editable_fields.begin());
}

}  // namespace

ParsedBody parse_json_object(std::string_view body) {
  json::parse_options options;
  options.max_depth = max_body_depth;
  std::error_code error;
  auto value = json::parse(json::string_view{body.data(), body.size()}, error, {}, options);
  if (error) {
    return ParsedBody{std::nullopt, "The body is not valid JSON: " + error.message() + "."};
  }
  if (!value.is_object()) {
    return ParsedBody{std::nullopt, "The body must be a JSON object."};
  }
  return ParsedBody{std::move(value.as_object()), {}};
}

Result<EventInput> event_input_from_json(const json::object& body) {
  std::vector<FieldError> errors;
  check_names(body, errors);
  EventInput input;
  std::vector<std::string> mistyped;
  for (const auto name : editable_fields) {
    const auto* value = body.if_contains(name);
    if (value == nullptr || (value->is_null() && name == "description")) {
      continue;
    }
    if (!value->is_string()) {
      errors.push_back({std::string(name), "must be a string"});
      mistyped.emplace_back(name);
      continue;
    }
    *slot(input, name) = to_std(value->get_string());
  }
  if (errors.empty()) {
    return input;
  }
  // Add what the rules say about the other fields, so that one answer names every problem.
  if (auto rules = validate_event(input); !rules) {
    for (auto& field_error : std::move(rules).error().fields) {
      if (std::find(mistyped.begin(), mistyped.end(), field_error.field) == mistyped.end()) {
        errors.push_back(std::move(field_error));
      }
    }
  }
  std::stable_sort(errors.begin(), errors.end(), [](const FieldError& a, const FieldError& b) {
    return field_rank(a.field) < field_rank(b.field);
  });
  return Error::invalid(ErrorCode::invalid_fields, std::move(errors));
}

Result<EventPatch> event_patch_from_json(const json::object& body) {
  std::vector<FieldError> errors;
  check_names(body, errors);
  EventPatch patch;
  for (const auto name : editable_fields) {
    const auto* value = body.if_contains(name);
    if (value == nullptr) {
      continue;
    }
    if (value->is_null()) {
      *slot(patch, name) = FieldPatch::removed();
    } else if (value->is_string()) {
      *slot(patch, name) = FieldPatch::set_to(to_std(value->get_string()));
    } else {
      errors.push_back({std::string(name), "must be a string or null"});
    }
  }
  if (!errors.empty()) {
    return Error::invalid(ErrorCode::invalid_fields, std::move(errors));
  }
  return patch;
}

json::object event_to_json(const Event& event, json::storage_ptr storage) {
  const auto& details = event.details;
  return json::object{{{"id", event.id.to_string()},
                       {"title", details.title},
                       {"description", details.description},
                       {"starts_at", format_instant(details.starts_at)},
                       {"ends_at", format_instant(details.ends_at)},
                       {"status", to_string(details.status)},
                       {"created_at", format_instant(event.created_at)},
                       {"updated_at", format_instant(event.updated_at)}},
                      std::move(storage)};
}

json::object page_to_json(const EventPage& page, const std::optional<std::string>& next_cursor,
                          const json::storage_ptr& storage) {
  json::array items(storage);
  items.reserve(page.items.size());
  for (const auto& event : page.items) {
    items.push_back(event_to_json(event, storage));
  }
  json::object pagination(storage);
  if (page.paging == Paging::numbered) {
    pagination = {{"page", page.page},
                  {"limit", page.limit},
                  {"total_items", page.total_items},
                  {"total_pages", page.total_pages}};
  } else {
    pagination = {{"limit", page.limit}};
  }
  pagination["next_cursor"] =
      next_cursor ? json::value(*next_cursor, storage) : json::value(nullptr, storage);
  return json::object{{{"items", std::move(items)}, {"pagination", std::move(pagination)}},
                      storage};
}

}  // namespace marketing_events::http
