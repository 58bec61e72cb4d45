#include "marketing_events/model/event_query.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

#include "marketing_events/model/text.hpp"

namespace marketing_events {
namespace {

struct SortName {
  std::string_view name;
  EventSort sort;
};

constexpr std::array<SortName, 6> sort_names{{
    {"starts_at", {EventSortKey::starts_at, false}},
    {"-starts_at", {EventSortKey::starts_at, true}},
    {"created_at", {EventSortKey::created_at, false}},
    {"-created_at", {EventSortKey::created_at, true}},
    {"title", {EventSortKey::title, false}},
    {"-title", {EventSortKey::title, true}},
}};

// A positive decimal integer within [minimum, maximum]; no sign, no spaces.
std::optional<std::int64_t> parse_bounded(std::string_view text, std::int64_t minimum,
                                          std::int64_t maximum) {
  constexpr std::size_t max_digits = 18;  // keeps the arithmetic below from overflowing
  if (text.empty() || text.size() > max_digits) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  for (const char digit : text) {
    if (digit < '0' || digit > '9') {
      return std::nullopt;
    }
    value = value * 10 + (digit - '0');
  }
  if (value < minimum || value > maximum) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::vector<EventStatus>> parse_statuses(std::string_view text) {
  std::vector<EventStatus> statuses;
  std::size_t start = 0;
  while (true) {
    const auto comma = text.find(',', start);
    const auto item = text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    const auto status = parse_event_status(item);
    if (!status) {
      return std::nullopt;
    }
    if (std::find(statuses.begin(), statuses.end(), *status) == statuses.end()) {
      statuses.push_back(*status);
    }
    if (comma == std::string_view::npos) {
      return statuses;
    }
    start = comma + 1;
  }
}

void check_bounds(const EventQuery& query, std::vector<FieldError>& errors) {
  if (query.page < 1 || query.page > max_page_number) {
    errors.push_back({"page", "must be an integer from 1 to 2147483647"});
  }
  if (query.limit < 1 || query.limit > max_page_size) {
    errors.push_back({"limit", "must be an integer from 1 to 100"});
  }
  if (query.paging == Paging::keyset && query.page != 1) {
    errors.push_back({"page", "cannot be combined with a cursor"});
  }
  if (query.paging == Paging::numbered && query.after) {
    errors.push_back({"after", "applies to keyset paging only"});
  }
  if (query.starts_from && query.starts_to && *query.starts_to < *query.starts_from) {
    errors.push_back({"starts_to", "must not be before starts_from"});
  }
  if (!text::code_point_count(query.title_contains) || text::contains_nul(query.title_contains)) {
    errors.push_back({"q", "must be valid UTF-8 without NUL characters"});
  } else if (text::code_point_count(query.title_contains).value_or(0) > max_title_length) {
    errors.push_back({"q", "must be at most 200 characters"});
  }
}

}  // namespace

Result<EventQuery> parse_event_query(const EventListParameters& parameters) {
  std::vector<FieldError> errors;
  EventQuery query;
  if (parameters.status) {
    if (auto statuses = parse_statuses(*parameters.status)) {
      query.statuses = std::move(*statuses);
    } else {
      errors.push_back(
          {"status", "must be one or more of draft, published, archived, separated by commas"});
    }
  }
  if (parameters.cursor) {
    query.paging = Paging::keyset;
    if (parameters.page) {
      errors.push_back({"cursor", "cannot be combined with page: use one or the other"});
    }
  } else if (parameters.page) {
    query.page = parse_bounded(*parameters.page, 1, max_page_number).value_or(0);
  }
  if (parameters.limit) {
    query.limit = parse_bounded(*parameters.limit, 1, max_page_size).value_or(0);
  }
  if (parameters.sort) {
    const auto* found = std::find_if(sort_names.begin(), sort_names.end(),
                                     [&](const SortName& s) { return s.name == *parameters.sort; });
    if (found == sort_names.end()) {
      errors.push_back({"sort",
                        "must be one of starts_at, -starts_at, created_at, -created_at, title, "
                        "-title"});
    } else {
      query.sort = found->sort;
    }
  }
  const auto parse_bound = [&](const std::optional<std::string>& value, const char* name,
                               std::optional<Instant>& out) {
    if (value) {
      out = parse_instant(*value);
      if (!out) {
        errors.push_back({name, "must be an RFC 3339 date-time with an offset"});
      }
    }
  };
  parse_bound(parameters.starts_from, "starts_from", query.starts_from);
  parse_bound(parameters.starts_to, "starts_to", query.starts_to);
  if (parameters.q) {
    query.title_contains = *parameters.q;
  }
  check_bounds(query, errors);
  if (!errors.empty()) {
    return Error::invalid(ErrorCode::invalid_parameters, std::move(errors));
  }
  return query;
}

Result<void> check_event_query(const EventQuery& query) {
  std::vector<FieldError> errors;
  check_bounds(query, errors);
  if (!errors.empty()) {
    return Error::invalid(ErrorCode::invalid_parameters, std::move(errors));
  }
  return {};
}

EventListParameters to_parameters(const EventQuery& query) {
  EventListParameters parameters;
  if (!query.statuses.empty()) {
    std::string statuses;
    for (const auto status : query.statuses) {
      statuses += statuses.empty() ? "" : ",";
      statuses += to_string(status);
    }
    parameters.status = std::move(statuses);
  }
  if (query.paging == Paging::numbered) {
    parameters.page = std::to_string(query.page);
  }
  parameters.limit = std::to_string(query.limit);
  for (const auto& [name, sort] : sort_names) {
    if (sort.key == query.sort.key && sort.descending == query.sort.descending) {
      parameters.sort = std::string(name);
    }
  }
  if (query.starts_from) {
    parameters.starts_from = format_instant(*query.starts_from);
  }
  if (query.starts_to) {
    parameters.starts_to = format_instant(*query.starts_to);
  }
  if (!query.title_contains.empty()) {
    parameters.q = query.title_contains;
  }
  return parameters;
}

EventPosition position_of(const Event& event, EventSortKey key) {
  switch (key) {
    case EventSortKey::created_at:
      return {event.created_at, {}, event.id};
    case EventSortKey::title:
      return {{}, event.details.title, event.id};
    case EventSortKey::starts_at:
      break;
  }
  return {event.details.starts_at, {}, event.id};
}

std::int64_t count_pages(std::int64_t total_items, std::int64_t limit) noexcept {
  if (total_items <= 0 || limit <= 0) {
    return 0;
  }
  return (total_items + limit - 1) / limit;
}

}  // namespace marketing_events
