#include "event_listing_sql.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "event_columns.hpp"

namespace marketing_events::postgres {
namespace {

struct SortColumn {
  std::string_view name;        // in statement names
  std::string_view expression;  // as the owner's indexes for this key have it
  std::string_view value_type;  // of a keyset position's value
};

constexpr std::array<SortColumn, 3> sort_columns{{
    {"starts_at", "starts_at", "::timestamptz"},
    {"created_at", "created_at", "::timestamptz"},
    {"title", "title COLLATE \"C\"", "::text COLLATE \"C\""},
}};
constexpr std::size_t sort_count = sort_columns.size() * 2;  // two directions each

// A single status is an equality, so a plan can walk the (owner, status, key, id) index in
// order; several are a filter on the (owner, key, id) one; all three are no filter.
enum class StatusFilter : std::size_t { none, one, several };
constexpr std::size_t status_filter_count = 3;

StatusFilter status_filter_of(const EventQuery& query) {
  // Distinct statuses: a query built in code may repeat one.
  std::array<bool, 3> listed{};
  for (const auto status : query.statuses) {
    listed.at(static_cast<std::size_t>(status)) = true;
  }
  const auto distinct = std::count(listed.begin(), listed.end(), true);
  if (distinct == 0 || distinct == static_cast<std::ptrdiff_t>(listed.size())) {
    return StatusFilter::none;
  }
  return distinct == 1 ? StatusFilter::one : StatusFilter::several;
}

// What a statement does besides filtering and ordering.
enum class Shape : std::size_t {
  walk_start,          // keyset paging from the first item; no count
  walk_after,          // keyset paging after a position; no count
  numbered_by_status,  // numbered, status filter only: the total from event_counts
  numbered_counting,   // numbered, any filter: the total by a window count of the matches
};
constexpr std::size_t shape_count = 4;

// Parameters are numbered in the order listing_parameters gives them: owner, [status(es)],
// [[from, to], title pattern], [position value, position id], limit, [offset].
class SqlBuilder {
 public:
  explicit SqlBuilder(std::string sql) : sql_(std::move(sql)) {}

  // Appends text; appending only (GCC 12 at -O3 misreads `"$" + std::to_string(n)`).
  SqlBuilder& operator<<(std::string_view text) {
    sql_ += text;
    return *this;
  }
  // Appends the next parameter's placeholder, followed by `cast`.
  SqlBuilder& parameter(std::string_view cast = {}) {
    last_.clear();
    last_.push_back('$');
    last_ += std::to_string(next_++);
    sql_ += last_;
    sql_ += cast;
    return *this;
  }
  // The placeholder parameter() appended last, again.
  SqlBuilder& again(std::string_view cast = {}) {
    sql_ += last_;
    sql_ += cast;
    return *this;
  }
  [[nodiscard]] std::string take() { return std::move(sql_); }

 private:
  std::string sql_;
  std::string last_;
  int next_ = 1;
};

// The status filter on the statuses' parameter, which always follows the owner's ($1).
std::string status_clause(StatusFilter statuses) {
  switch (statuses) {
    case StatusFilter::one:
      return " AND status = $2";
    case StatusFilter::several:
      return " AND status = ANY ($2::text[])";
    case StatusFilter::none:
      break;
  }
  return {};
}

// Appends the owner's condition and the status filter, numbering their parameters.
void append_owner_and_statuses(SqlBuilder& sql, StatusFilter statuses) {
  sql << " WHERE owner_id = ";
  sql.parameter("::uuid");
  if (statuses == StatusFilter::one) {
    sql << " AND status = ";
    sql.parameter();
  } else if (statuses == StatusFilter::several) {
    sql << " AND status = ANY (";
    sql.parameter("::text[])");
  }
}

// A start range appears only in the statements of queries that have one (an open bound as an
// infinity): a generic plan cannot know that a range is open, and it takes one for selective
// enough to read every start in it and sort. The title filter is a plain filter in any plan.
void append_other_filters(SqlBuilder& sql, bool start_range) {
  if (start_range) {
    sql << " AND starts_at >= coalesce(";
    sql.parameter("::timestamptz, '-infinity')");
    sql << " AND starts_at < coalesce(";
    sql.parameter("::timestamptz, 'infinity')");
  }
  sql << " AND (";
  sql.parameter(" = '' OR title ILIKE '%' || ");
  sql.again(" || '%')");
}

std::string listing_sql(const SortColumn& column, bool descending, StatusFilter statuses,
                        Shape shape, bool start_range) {
  SqlBuilder sql{with_columns("SELECT ", "")};
  if (shape == Shape::numbered_by_status) {
    // Reads the same $1 (owner) and $2 (statuses) as the outer query.
    sql << ", (SELECT coalesce(sum(total), 0)::int8 FROM event_counts WHERE owner_id = $1::uuid"
        << status_clause(statuses) << ")";
  } else if (shape == Shape::numbered_counting) {
    sql << ", count(*) OVER ()";
  }
  sql << " FROM events";
  append_owner_and_statuses(sql, statuses);
  if (shape != Shape::numbered_by_status) {
    append_other_filters(sql, start_range);
  }
  if (shape == Shape::walk_after) {
    // A row comparison on the index's own columns: where the range scan starts.
    sql << " AND (" << column.expression << (descending ? ", id) < (" : ", id) > (");
    sql.parameter(column.value_type);
    sql << ", ";
    sql.parameter("::uuid)");
  }
  const std::string_view direction = descending ? " DESC" : " ASC";
  sql << " ORDER BY " << column.expression << direction << ", id" << direction << " LIMIT ";
  sql.parameter("::int8");
  if (shape == Shape::numbered_by_status || shape == Shape::numbered_counting) {
    sql << " OFFSET ";
    sql.parameter("::int8");
  }
  return sql.take();
}

struct OwnedStatement {
  std::string name;
  std::string sql;
  bool generic_plan = true;
  // Listings and counts are plain SELECTs.
  [[nodiscard]] Statement view() const { return {name, sql, generic_plan, true}; }
};

const OwnedStatement& listing_statement_for(const EventSort& sort, StatusFilter statuses,
                                            Shape shape, bool start_range) {
  constexpr std::size_t shapes = sort_count * status_filter_count * shape_count * 2;
  static const std::array<OwnedStatement, shapes> statements = [] {
    constexpr std::array<std::string_view, status_filter_count> status_names{"", "_status",
                                                                             "_statuses"};
    constexpr std::array<std::string_view, shape_count> shape_names{"walk", "walk_after", "page",
                                                                    "page_counted"};
    std::array<OwnedStatement, shapes> built;
    std::size_t at = 0;
    for (std::size_t order = 0; order < sort_count; ++order) {
      for (std::size_t filter = 0; filter < status_filter_count; ++filter) {
        for (std::size_t kind = 0; kind < shape_count; ++kind) {
          for (const bool range : {false, true}) {
            const auto& column = sort_columns.at(order / 2);
            auto& statement = built.at(at++);
            statement.name = "events_";
            statement.name += shape_names.at(kind);
            statement.name += '_';
            statement.name += column.name;
            statement.name += order % 2 == 1 ? "_desc" : "_asc";
            statement.name += status_names.at(filter);
            statement.name += range ? "_range" : "";
            statement.sql = listing_sql(column, order % 2 == 1, static_cast<StatusFilter>(filter),
                                        static_cast<Shape>(kind), range);
            // Ordered by something else than the start, a start range is either a filter on
            // that order's index or a range scan to sort: which one depends on the range.
            statement.generic_plan = !range || column.name == "starts_at";
          }
        }
      }
    }
    return built;
  }();
  const auto order = static_cast<std::size_t>(sort.key) * 2 + (sort.descending ? 1 : 0);
  return statements.at(
      ((order * status_filter_count + static_cast<std::size_t>(statuses)) * shape_count +
       static_cast<std::size_t>(shape)) *
          2 +
      (start_range ? 1 : 0));
}

bool has_start_range(const EventQuery& query) {
  return query.starts_from.has_value() || query.starts_to.has_value();
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

bool status_only(const EventQuery& query) {
  return !query.starts_from && !query.starts_to && query.title_contains.empty();
}

Shape shape_of(const EventQuery& query) {
  if (query.paging == Paging::keyset) {
    return query.after ? Shape::walk_after : Shape::walk_start;
  }
  return status_only(query) ? Shape::numbered_by_status : Shape::numbered_counting;
}

// Owner and statuses, then the other filters unless the shape has none.
std::vector<Parameter> filter_parameters(const UserId& owner, const EventQuery& query,
                                         StatusFilter statuses, bool with_other_filters) {
  std::vector<Parameter> parameters{text(owner)};
  if (statuses == StatusFilter::one) {
    parameters.push_back(text(to_string(query.statuses.front())));
  } else if (statuses == StatusFilter::several) {
    std::vector<std::string> names;
    for (const auto status : query.statuses) {
      names.emplace_back(to_string(status));
    }
    parameters.push_back(array_literal(names));
  }
  if (with_other_filters) {
    if (has_start_range(query)) {
      parameters.push_back(query.starts_from ? text(*query.starts_from) : Parameter{});
      parameters.push_back(query.starts_to ? text(*query.starts_to) : Parameter{});
    }
    parameters.emplace_back(literal_like(query.title_contains));
  }
  return parameters;
}

}  // namespace

ListingStatement listing_statement(const UserId& owner, const EventQuery& query) {
  const auto statuses = status_filter_of(query);
  const auto shape = shape_of(query);
  auto parameters = filter_parameters(owner, query, statuses, shape != Shape::numbered_by_status);
  if (shape == Shape::walk_after) {
    const auto& after = *query.after;
    parameters.push_back(query.sort.key == EventSortKey::title ? text(after.title)
                                                               : text(after.instant));
    parameters.push_back(text(after.id));
  }
  const bool numbered = query.paging == Paging::numbered;
  // A walk reads one more than the page: whether it comes back says whether the walk goes on.
  parameters.push_back(text(numbered ? query.limit : query.limit + 1));
  if (numbered) {
    parameters.push_back(text(query.offset()));
  }
  return {listing_statement_for(query.sort, statuses, shape, has_start_range(query)).view(),
          std::move(parameters), numbered};
}

// Status filters x (from the counters, by counting the matches, by counting in a start range).
constexpr std::size_t count_shapes = status_filter_count * 3;

ListingStatement count_statement(const UserId& owner, const EventQuery& query) {
  static const std::array<OwnedStatement, count_shapes> statements = [] {
    std::array<OwnedStatement, count_shapes> built;
    for (std::size_t filter = 0; filter < status_filter_count; ++filter) {
      const auto statuses = static_cast<StatusFilter>(filter);
      SqlBuilder by_status{"SELECT coalesce(sum(total), 0)::int8 FROM event_counts"};
      append_owner_and_statuses(by_status, statuses);
      SqlBuilder matches{"SELECT count(*) FROM events"};
      append_owner_and_statuses(matches, statuses);
      append_other_filters(matches, false);
      SqlBuilder in_range{"SELECT count(*) FROM events"};
      append_owner_and_statuses(in_range, statuses);
      append_other_filters(in_range, true);
      std::string name = "events_count_by_status_";
      name += std::to_string(filter);
      built.at(filter * 3) = {name, by_status.take()};
      name = "events_count_";
      name += std::to_string(filter);
      built.at(filter * 3 + 1) = {name, matches.take()};
      name += "_range";
      built.at(filter * 3 + 2) = {name, in_range.take()};
    }
    return built;
  }();
  const auto statuses = status_filter_of(query);
  const bool by_status = status_only(query);
  const std::size_t kind = by_status ? 0 : (has_start_range(query) ? 2 : 1);
  return {statements.at(static_cast<std::size_t>(statuses) * 3 + kind).view(),
          filter_parameters(owner, query, statuses, !by_status), true};
}

}  // namespace marketing_events::postgres
