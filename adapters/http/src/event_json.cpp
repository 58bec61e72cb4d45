#include "marketing_events/http/event_json.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>

#include "marketing_events/http/json_text.hpp"

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

namespace {

// An event's text without its title and description (at most 264 bytes: four instants of 27,
// "published", the separator), which a body reserves per event; escapes may still grow it.
constexpr std::size_t event_text_bytes = 272;

void append_event(std::string& out, const Event& event) {
  const auto& details = event.details;
  out += R"({"id":")";
  event.id.append_to(out);
  out += R"(","title":)";
  append_json_string(out, details.title);
  out += R"(,"description":)";
  append_json_string(out, details.description);
  out += R"(,"starts_at":")";
  append_instant(out, details.starts_at);
  out += R"(","ends_at":")";
  append_instant(out, details.ends_at);
  out += R"(","status":")";
  out += to_string(details.status);
  out += R"(","created_at":")";
  append_instant(out, event.created_at);
  out += R"(","updated_at":")";
  append_instant(out, event.updated_at);
  out += R"("})";
}

std::size_t text_bytes(const Event& event) {
  return event_text_bytes + event.details.title.size() + event.details.description.size();
}

}  // namespace

std::string event_json(const Event& event) {
  std::string out;
  out.reserve(text_bytes(event));
  append_event(out, event);
  return out;
}

std::string page_json(const EventPage& page, const std::optional<std::string>& next_cursor) {
  std::size_t bytes = event_text_bytes + (next_cursor ? next_cursor->size() : 0);
  for (const auto& event : page.items) {
    bytes += text_bytes(event);
  }
  std::string out;
  out.reserve(bytes);
  out += R"({"items":[)";
  for (std::size_t i = 0; i < page.items.size(); ++i) {
    if (i != 0) {
      out += ',';
    }
    append_event(out, page.items[i]);
  }
  out += R"(],"pagination":{)";
  if (page.paging == Paging::numbered) {
    out += R"("page":)";
    append_json_integer(out, page.page);
    out += R"(,"limit":)";
    append_json_integer(out, page.limit);
    out += R"(,"total_items":)";
    append_json_integer(out, page.total_items);
    out += R"(,"total_pages":)";
    append_json_integer(out, page.total_pages);
  } else {
    out += R"("limit":)";
    append_json_integer(out, page.limit);
  }
  out += R"(,"next_cursor":)";
  if (next_cursor) {
    append_json_string(out, *next_cursor);
  } else {
    out += "null";
  }
  out += "}}";
  return out;
}

}  // namespace marketing_events::http
