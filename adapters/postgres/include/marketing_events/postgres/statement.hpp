#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marketing_events/instant.hpp"
#include "marketing_events/postgres/connection_pool.hpp"
#include "marketing_events/result.hpp"
#include "marketing_events/uuid.hpp"

namespace marketing_events::postgres {

// A named SQL statement, prepared once per connection on first use. Values only ever travel
// as $n parameters.
struct Statement {
  std::string_view name;
  std::string_view sql;
};

using Parameter = std::optional<std::string>;  // nullopt is SQL NULL
using Rows = std::unique_ptr<PGresult, decltype(&PQclear)>;

[[nodiscard]] Result<Rows> execute(PooledConnection& connection, const Statement& statement,
                                   const std::vector<Parameter>& parameters);

// Borrows a connection for one statement.
[[nodiscard]] Result<Rows> execute(ConnectionPool& pool, const Statement& statement,
                                   const std::vector<Parameter>& parameters);

// Runs SQL text without parameters (migrations, transaction control).
[[nodiscard]] Result<void> execute_script(PooledConnection& connection, std::string_view sql);

// SQLSTATE to the core's vocabulary: 23505 conflict, 23503 not_found, 40001/40P01, class 08,
// 57P01..57P03 and 57014 unavailable, anything else internal.
[[nodiscard]] ErrorCode error_code_for(std::string_view sqlstate) noexcept;

// Values in and out. Instants go in as RFC 3339 text and come out as microseconds since the
// epoch (selected as such), so neither direction loses precision.
[[nodiscard]] Parameter text(std::string_view value);
[[nodiscard]] Parameter text(const Uuid& value);
[[nodiscard]] Parameter text(Instant value);
[[nodiscard]] Parameter text(std::int64_t value);

[[nodiscard]] std::string_view column_text(const PGresult* rows, int row, int column);
[[nodiscard]] bool column_is_null(const PGresult* rows, int row, int column);
[[nodiscard]] std::int64_t column_int64(const PGresult* rows, int row, int column);
[[nodiscard]] Uuid column_uuid(const PGresult* rows, int row, int column);
[[nodiscard]] Instant column_micros(const PGresult* rows, int row, int column);

}  // namespace marketing_events::postgres
