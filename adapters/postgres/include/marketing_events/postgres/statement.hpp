#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marketing_events/model/instant.hpp"
#include "marketing_events/model/uuid.hpp"
#include "marketing_events/postgres/connection_pool.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events::postgres {

// A named SQL statement, prepared once per connection on first use. Values only ever travel
// as $n parameters.
struct Statement {
  std::string_view name;
  std::string_view sql;
  // Whether its generic plan (made once, for any values) is good for every value: the pipelined
  // connections run every statement on one, since planning some statements costs more than
  // running them. Otherwise it runs unprepared on a leased connection, planned for its values
  // each time (a prepared one could be switched to a generic plan after five executions).
  bool generic_plan = true;
  // Whether it only reads (a SELECT, no FOR UPDATE, calling nothing that writes): the pipeline
  // may then run it in one transaction with other reads, under one Sync. Say so only when
  // sure: an error in a statement there makes PostgreSQL skip the rest of that transaction
  // (they are sent again), and a write there would commit or roll back with the others.
  bool read_only = false;
};

using Parameter = std::optional<std::string>;  // nullopt is SQL NULL

// Statements' results come back in PostgreSQL's binary format, which Columns reads.
inline constexpr int binary_results = 1;
using Rows = std::unique_ptr<PGresult, decltype(&PQclear)>;

[[nodiscard]] Result<Rows> execute(PooledConnection& connection, const Statement& statement,
                                   const std::vector<Parameter>& parameters);

// Borrows a connection for one statement.
[[nodiscard]] Result<Rows> execute(ConnectionPool& pool, const Statement& statement,
                                   const std::vector<Parameter>& parameters);

// How many rows a statement changed (an INSERT, UPDATE or DELETE), or its error.
[[nodiscard]] Result<std::int64_t> affected_rows(Result<Rows> rows);

// Runs SQL text without parameters (migrations, session settings).
[[nodiscard]] Result<void> execute_script(PooledConnection& connection, std::string_view sql);

// SQLSTATE to the core's vocabulary: 23505 conflict, 23503 not_found, 40001/40P01, class 08,
// 57P01..57P03 and 57014 unavailable, anything else internal.
[[nodiscard]] ErrorCode error_code_for(std::string_view sqlstate) noexcept;

// Values in. Instants go in as RFC 3339 text and come out as binary timestamptz (Columns),
// so neither direction loses precision.
[[nodiscard]] Parameter text(std::string_view value);
[[nodiscard]] Parameter text(const Uuid& value);
[[nodiscard]] Parameter text(Instant value);
[[nodiscard]] Parameter text(std::int64_t value);
// A text[] or int8[] literal: {a,b,c}. Elements must not need quoting (statuses, numbers).
[[nodiscard]] Parameter array_literal(const std::vector<std::string>& elements);

// Values out: one row's columns, read left to right. Statements return their columns in
// PostgreSQL's binary format (see execute): the server renders no text and nothing here parses
// any; the text format is still read, for results of other origins. A column that does not
// decode (a NULL, an unexpected type, a number out of range) is remembered, and finish() turns
// the row into an ErrorCode::internal naming it instead of a guessed value.
class Columns {
 public:
  Columns(const PGresult* rows, int row, int first_column = 0)
      : rows_(rows), row_(row), column_(first_column) {}

  [[nodiscard]] std::string text();    // text, varchar
  [[nodiscard]] std::int64_t int64();  // int2, int4, int8
  [[nodiscard]] bool boolean();
  [[nodiscard]] Uuid uuid();
  [[nodiscard]] Instant micros();  // a timestamptz, or int8 microseconds since the epoch

  // `value` when every column read so far decoded, else the first failure.
  template <typename T>
  [[nodiscard]] Result<T> finish(T value) const {
    if (!failure_.empty()) {
      return Error::of(ErrorCode::internal, failure_);
    }
    return value;
  }

 private:
  struct Field {
    std::string_view bytes;
    Oid type = 0;
    bool binary = false;
  };
  [[nodiscard]] Field next();
  void fail(std::string_view what);

  const PGresult* rows_;
  int row_;
  int column_;
  std::string failure_;
};

// A transaction on one leased connection. It rolls back when it goes out of scope without a
// commit; should the rollback fail, the lease drops the connection (it is not idle).
class Transaction {
 public:
  [[nodiscard]] static Result<Transaction> begin(PooledConnection& connection);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  [[nodiscard]] PooledConnection& connection() noexcept { return *connection_; }
  [[nodiscard]] Result<void> commit();

 private:
  explicit Transaction(PooledConnection& connection) : connection_(&connection) {}

  PooledConnection* connection_;
  bool open_ = true;
};

}  // namespace marketing_events::postgres
