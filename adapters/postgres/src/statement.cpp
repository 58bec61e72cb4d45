#include "marketing_events/postgres/statement.hpp"

#include <charconv>

namespace marketing_events::postgres {
namespace {

std::string trimmed_message(const char* message) {
  std::string text = message == nullptr ? "" : message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// The error of a failed command, or of a connection that dropped under it.
Error failure(PGconn* handle, const PGresult* rows) {
  const char* sqlstate = rows == nullptr ? nullptr : PQresultErrorField(rows, PG_DIAG_SQLSTATE);
  if (sqlstate == nullptr || PQstatus(handle) != CONNECTION_OK) {
    return Error::of(ErrorCode::unavailable,
                     "database connection lost: " + trimmed_message(PQerrorMessage(handle)));
  }
  return Error::of(error_code_for(sqlstate), std::string("SQLSTATE ") + sqlstate + ": " +
                                                 trimmed_message(PQresultErrorMessage(rows)));
}

bool succeeded(const PGresult* rows) {
  const auto status = PQresultStatus(rows);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

}  // namespace

ErrorCode error_code_for(std::string_view sqlstate) noexcept {
  if (sqlstate == "23505") {
    return ErrorCode::conflict;
  }
  if (sqlstate == "23503") {
    return ErrorCode::not_found;
  }
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "57014" ||
      sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
      sqlstate == "57P03") {
    return ErrorCode::unavailable;
  }
  return ErrorCode::internal;
}

Result<Rows> execute(PooledConnection& connection, const Statement& statement,
                     const std::vector<Parameter>& parameters) {
  PGconn* handle = connection.handle.get();
  const std::string name(statement.name);
  if (!connection.prepared.contains(name)) {
    const std::string sql(statement.sql);
    const Rows prepared{PQprepare(handle, name.c_str(), sql.c_str(), 0, nullptr), &PQclear};
    if (!prepared || !succeeded(prepared.get())) {
      return failure(handle, prepared.get());
    }
    connection.prepared.insert(name);
  }
  std::vector<const char*> values;
  values.reserve(parameters.size());
  for (const auto& parameter : parameters) {
    values.push_back(parameter ? parameter->c_str() : nullptr);
  }
  Rows rows{PQexecPrepared(handle, name.c_str(), static_cast<int>(values.size()), values.data(),
                           nullptr, nullptr, 0),
            &PQclear};
  if (!rows || !succeeded(rows.get())) {
    return failure(handle, rows.get());
  }
  return rows;
}

Result<Rows> execute(ConnectionPool& pool, const Statement& statement,
                     const std::vector<Parameter>& parameters) {
  auto lease = pool.acquire();
  if (!lease) {
    return std::move(lease).error();
  }
  return execute(lease->connection(), statement, parameters);
}

Result<void> execute_script(PooledConnection& connection, std::string_view sql) {
  PGconn* handle = connection.handle.get();
  const std::string text(sql);
  const Rows rows{PQexec(handle, text.c_str()), &PQclear};
  if (!rows || !succeeded(rows.get())) {
    return failure(handle, rows.get());
  }
  return {};
}

Parameter text(std::string_view value) {
  return std::string(value);
}
Parameter text(const Uuid& value) {
  return value.to_string();
}
Parameter text(Instant value) {
  return format_instant(value);
}
Parameter text(std::int64_t value) {
  return std::to_string(value);
}

std::string_view column_text(const PGresult* rows, int row, int column) {
  return {PQgetvalue(rows, row, column), static_cast<std::size_t>(PQgetlength(rows, row, column))};
}

bool column_is_null(const PGresult* rows, int row, int column) {
  return PQgetisnull(rows, row, column) == 1;
}

std::int64_t column_int64(const PGresult* rows, int row, int column) {
  const auto text = column_text(rows, row, column);
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

Uuid column_uuid(const PGresult* rows, int row, int column) {
  return Uuid::parse(column_text(rows, row, column)).value_or(Uuid{});
}

Instant column_micros(const PGresult* rows, int row, int column) {
  return Instant{std::chrono::microseconds{column_int64(rows, row, column)}};
}

}  // namespace marketing_events::postgres
