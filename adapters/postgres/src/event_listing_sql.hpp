#pragma once

#include <vector>

#include "marketing_events/model/event_query.hpp"
#include "marketing_events/postgres/statement.hpp"

namespace marketing_events::postgres {

// The statements that list events, one per shape of query (sort order, status filter, paging,
// whether a start range is given), since ORDER BY and the index a plan can use cannot be
// parameters, and most run on a generic plan (Statement::generic_plan says which). Each is a range
// scan of an index led by the owner, in the listing's order; none sorts. Every shape is built once,
// at first use: a bounded set (tests/integration/listing_plans_test.cpp checks their plans).
struct ListingStatement {
  Statement statement;
  std::vector<Parameter> parameters;
  // Numbered paging: the total is the column after the event's, on every row.
  bool counts = false;
};

[[nodiscard]] ListingStatement listing_statement(const UserId& owner, const EventQuery& query);

// A numbered page past the last has no row to carry the total: this counts it alone.
[[nodiscard]] ListingStatement count_statement(const UserId& owner, const EventQuery& query);

}  // namespace marketing_events::postgres
