#include "event_listing_sql.hpp"

#include <array>
#include <string>
#include <utility>

#include "event_columns.hpp"

namespace marketing_events::postgres {
namespace {

constexpr std::size_t sort_count = 6;  // three keys, two directions

struct SortColumn {
  std::string_view name;        // in statement names
  std::string_view expression;  // as the owner's index for this key has it
  std::string_view value_type;  // of a keyset position's value
};

constexpr std::array<SortColumn, 3> sort_columns{{
    {"starts_at", "starts_at", "::timestamptz"},
    {"created_at", "created_at", "::timestamptz"},
    {"title", "title COLLATE \"C\"", "::text COLLATE \"C\""},
}};

std::size_t sort_index(const EventSort& sort) {
  return static_cast<std::size_t>(sort.key) * 2 + (sort.descending ? 1 : 0);
}

std::string order_by(const SortColumn& column, bool descending) {
  const std::string_view direction = descending ? " DESC" : " ASC";
  return " ORDER BY " + std::string(column.expression) + std::string(direction) + ", id" +
         std::string(direction);
}

// Numbered paging. The filters: $1 owner, $2 statuses; then $3/$4 start bounds, $5 title
// pattern.
constexpr std::string_view status_filter =
    " FROM events WHERE owner_id = $1::uuid"
    " AND ($2::text[] IS NULL OR status = ANY ($2::text[]))";
const std::string& numbered_filters() {
  static const std::string filters =
      std::string(status_filter) +
      " AND ($3::timestamptz IS NULL OR starts_at >= $3::timestamptz)"
      " AND ($4::timestamptz IS NULL OR starts_at < $4::timestamptz)"
      " AND ($5 = '' OR title ILIKE '%' || $5 || '%')";
  return filters;
}

struct OwnedStatement {
  std::string name;
  std::string sql;
  [[nodiscard]] Statement view() const { return {name, sql}; }
};

// A listing filtered by status alone ($1 owner, $2 statuses) takes its total from the
// trigger-kept counts: reading one row per status instead of every matching event.
constexpr std::string_view count_by_status_sql =
    "SELECT coalesce(sum(total), 0)::int8 FROM event_counts WHERE owner_id = $1::uuid"
    " AND ($2::text[] IS NULL OR status = ANY ($2::text[]))";

// Two families per sort order: the general one counts the matches with a window function; the
// status-only one reads the total from event_counts in the same statement.
const OwnedStatement& numbered_statement(const EventSort& sort, bool status_only) {
  static const std::array<OwnedStatement, 2 * sort_count> statements = [] {
    std::array<OwnedStatement, 2 * sort_count> built;
    for (std::size_t key = 0; key < sort_columns.size(); ++key) {
      for (std::size_t descending = 0; descending < 2; ++descending) {
        const auto& column = sort_columns.at(key);
        const std::string suffix = std::string(column.name) + (descending == 1 ? "_desc" : "_asc");
        const auto order = order_by(column, descending == 1);
        auto& general = built.at(key * 2 + descending);
        general.name = "events_list_" + suffix;
        general.sql = with_columns("SELECT ", ", count(*) OVER ()") + numbered_filters() + order +
                      " LIMIT $6::int8 OFFSET $7::int8";
        auto& by_status = built.at(sort_count + key * 2 + descending);
        by_status.name = "events_page_" + suffix;
        by_status.sql = with_columns("SELECT ", ", (" + std::string(count_by_status_sql) + ")") +
                        std::string(status_filter) + order + " LIMIT $3::int8 OFFSET $4::int8";
      }
    }
    return built;
  }();
  return statements.at((status_only ? sort_count : 0) + sort_index(sort));
}

// Keyset paging. A single status is an equality, so a plan can walk the (owner, status, ...)
// index in order; the bounds are always present (open ones as infinities), so they stay index
// conditions in a generic plan; the position is a row comparison on the index's own columns.
enum class StatusFilter : std::size_t { none, one, several };

StatusFilter status_filter_of(const EventQuery& query) {
  constexpr std::size_t every_status = 3;
  if (query.statuses.empty() || query.statuses.size() >= every_status) {
    return StatusFilter::none;
  }
  return query.statuses.size() == 1 ? StatusFilter::one : StatusFilter::several;
}

constexpr std::size_t status_filter_count = 3;

// The SQL of one keyset shape, numbering its parameters in the order keyset_parameters gives
// them: owner, [statuses], from, to, title pattern, [position value, position id], limit.
std::string keyset_sql(const SortColumn& column, bool descending, StatusFilter statuses,
                       bool after) {
  int next = 1;
  const auto parameter = [&next] { return "$" + std::to_string(next++); };
  std::string sql =
      with_columns("SELECT ", " FROM events WHERE owner_id = ") + parameter() + "::uuid";
  if (statuses == StatusFilter::one) {
    sql += " AND status = " + parameter();
  } else if (statuses == StatusFilter::several) {
    sql += " AND status = ANY (" + parameter() + "::text[])";
  }
  sql += " AND starts_at >= coalesce(" + parameter() + "::timestamptz, '-infinity')";
  sql += " AND starts_at < coalesce(" + parameter() + "::timestamptz, 'infinity')";
  const auto pattern = parameter();
  sql += " AND (" + pattern + " = '' OR title ILIKE '%' || " + pattern + " || '%')";
  if (after) {
    const auto value = parameter();
    const auto id = parameter();
    sql += " AND (" + std::string(column.expression) + ", id) " + (descending ? "<" : ">") + " (" +
           value + std::string(column.value_type) + ", " + id + "::uuid)";
  }
  return sql + order_by(column, descending) + " LIMIT " + parameter() + "::int8";
}

const OwnedStatement& keyset_statement(const EventSort& sort, StatusFilter statuses, bool after) {
  constexpr std::size_t shapes = sort_count * status_filter_count * 2;
  static const std::array<OwnedStatement, shapes> statements = [] {
    std::array<OwnedStatement, shapes> built;
    constexpr std::array<std::string_view, status_filter_count> status_names{"", "_status",
                                                                             "_statuses"};
    for (std::size_t order = 0; order < sort_count; ++order) {
      for (std::size_t filter = 0; filter < status_filter_count; ++filter) {
        for (std::size_t continues = 0; continues < 2; ++continues) {
          const auto& column = sort_columns.at(order / 2);
          auto& statement = built.at((order * status_filter_count + filter) * 2 + continues);
          statement.name = "events_walk_" + std::string(column.name) +
                           (order % 2 == 1 ? "_desc" : "_asc") +
                           std::string(status_names.at(filter)) + (continues == 1 ? "_after" : "");
          statement.sql =
              keyset_sql(column, order % 2 == 1, static_cast<StatusFilter>(filter), continues == 1);
        }
      }
    }
    return built;
  }();
  return statements.at(
      (sort_index(sort) * status_filter_count + static_cast<std::size_t>(statuses)) * 2 +
      (after ? 1 : 0));
}

// A LIKE pattern that matches `text` literally (backslash is LIKE's default escape).
std::string literal_like(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    if (c == '\\' || c == '%' || c == '_') {
      escaped += '\\';
    }
    escaped += c;
  }
  return escaped;
}

Parameter status_array(const EventQuery& query) {
  if (query.statuses.empty()) {
    return Parameter{};
  }
  std::vector<std::string> names;
  for (const auto status : query.statuses) {
    names.emplace_back(to_string(status));
  }
  return array_literal(names);
}

Parameter bound(const std::optional<Instant>& instant) {
  return instant ? text(*instant) : Parameter{};
}

bool status_only(const EventQuery& query) {
  return !query.starts_from && !query.starts_to && query.title_contains.empty();
}

std::vector<Parameter> numbered_filter_parameters(const UserId& owner, const EventQuery& query) {
  if (status_only(query)) {
    return {text(owner), status_array(query)};
  }
  return {text(owner), status_array(query), bound(query.starts_from), bound(query.starts_to),
          literal_like(query.title_contains)};
}

ListingStatement keyset_listing(const UserId& owner, const EventQuery& query) {
  const auto statuses = status_filter_of(query);
  std::vector<Parameter> parameters{text(owner)};
  if (statuses == StatusFilter::one) {
    parameters.push_back(text(to_string(query.statuses.front())));
  } else if (statuses == StatusFilter::several) {
    parameters.push_back(status_array(query));
  }
  parameters.push_back(bound(query.starts_from));
  parameters.push_back(bound(query.starts_to));
  parameters.emplace_back(literal_like(query.title_contains));
  if (const auto& after = query.after) {
    parameters.push_back(query.sort.key == EventSortKey::title ? text(after->title)
                                                               : text(after->instant));
    parameters.push_back(text(after->id));
  }
  // One more than the page: whether it comes back says whether the walk goes on.
  parameters.push_back(text(query.limit + 1));
  return {keyset_statement(query.sort, statuses, query.after.has_value()).view(),
          std::move(parameters), false};
}

}  // namespace

ListingStatement listing_statement(const UserId& owner, const EventQuery& query) {
  if (query.paging == Paging::keyset) {
    return keyset_listing(owner, query);
  }
  auto parameters = numbered_filter_parameters(owner, query);
  parameters.push_back(text(query.limit));
  parameters.push_back(text(query.offset()));
  return {numbered_statement(query.sort, status_only(query)).view(), std::move(parameters), true};
}

ListingStatement count_statement(const UserId& owner, const EventQuery& query) {
  static const OwnedStatement count_by_status{"events_count_by_status",
                                              std::string(count_by_status_sql)};
  static const OwnedStatement count_matches{"events_count", "SELECT count(*)" + numbered_filters()};
  return {status_only(query) ? count_by_status.view() : count_matches.view(),
          numbered_filter_parameters(owner, query), true};
}

}  // namespace marketing_events::postgres
