#include "marketing_events/postgres/statement.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <limits>

#include <utility>
#include "marketing_events/fiber/fiber.hpp"
#include "pipeline.hpp"

namespace marketing_events::postgres {
namespace {

// The error of a failed command, or of a connection that dropped under it.
Error failure(PGconn* handle, const PGresult* rows) {
  const char* sqlstate = rows == nullptr ? nullptr : PQresultErrorField(rows, PG_DIAG_SQLSTATE);
  if (sqlstate == nullptr || PQstatus(handle) != CONNECTION_OK) {
    return Error::of(ErrorCode::unavailable,
                     "database connection lost: " + libpq_message(PQerrorMessage(handle)));
  }
  return Error::of(error_code_for(sqlstate), std::string("SQLSTATE ") + sqlstate + ": " +
                                                 libpq_message(PQresultErrorMessage(rows)));
}

bool succeeded(const PGresult* rows) {
  const auto status = PQresultStatus(rows);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

// The result columns' types that Columns reads in binary (pg_type's fixed OIDs).
namespace type_oid {
constexpr Oid boolean = 16;
constexpr Oid int8 = 20;
constexpr Oid int2 = 21;
constexpr Oid int4 = 23;
constexpr Oid text = 25;
constexpr Oid varchar = 1043;
constexpr Oid timestamptz = 1184;
constexpr Oid uuid = 2950;
}  // namespace type_oid

// Binary timestamps count microseconds from 2000-01-01T00:00:00Z.
constexpr std::int64_t postgres_epoch_micros = 946'684'800'000'000;

// A binary int2, int4 or int8 (or timestamptz: an int8): big-endian two's complement.
template <typename Field>
std::optional<std::int64_t> binary_integer(const Field& field) {
  const auto size = field.bytes.size();
  const bool fits = field.type == type_oid::int8 || field.type == type_oid::timestamptz
                        ? size == 8
                        : (field.type == type_oid::int4 && size == 4) ||
                              (field.type == type_oid::int2 && size == 2);
  if (!fits) {
    return std::nullopt;
  }
  std::uint64_t bits = 0;
  for (const char byte : field.bytes) {
    bits = (bits << 8U) | static_cast<unsigned char>(byte);
  }
  if (size < 8 && (bits >> (size * 8 - 1)) != 0) {
    bits |= ~std::uint64_t{0} << (size * 8);  // sign-extend a negative int2 or int4
  }
  return static_cast<std::int64_t>(bits);
}

// --- On a fiber: send, then suspend until the reply is in ------------------------------------

// The statement's own timeout is the server's; this one also catches a server gone silent.
constexpr std::chrono::seconds reply_grace{1};

Error reply_timed_out() {
  // The query is still outstanding, so the lease drops the connection (it is not idle).
  return Error::of(ErrorCode::unavailable, "database reply timed out");
}

// Waits for the whole reply to what was sent: the first failure if any, else the last result.
Result<Rows> await_reply(PooledConnection& connection) {
  PGconn* handle = connection.handle.get();
  auto& socket = *connection.socket;
  const auto deadline =
      std::chrono::steady_clock::now() + connection.statement_timeout + reply_grace;
  for (int flushed = PQflush(handle); flushed != 0; flushed = PQflush(handle)) {
    if (flushed < 0 || !fiber::wait(socket, fiber::Readiness::writable, deadline)) {
      return flushed < 0 ? failure(handle, nullptr) : reply_timed_out();
    }
  }
  Rows chosen{nullptr, &PQclear};
  while (true) {
    while (PQisBusy(handle) == 1) {
      if (!fiber::wait(socket, fiber::Readiness::readable, deadline)) {
        return reply_timed_out();
      }
      if (PQconsumeInput(handle) == 0) {
        return failure(handle, nullptr);
      }
    }
    Rows next{PQgetResult(handle), &PQclear};
    if (!next) {
      break;
    }
    if (!chosen || succeeded(chosen.get())) {
      chosen = std::move(next);  // a later result replaces a success; a failure stays
    }
  }
  if (!chosen || !succeeded(chosen.get())) {
    return failure(handle, chosen.get());
  }
  return chosen;
}

Result<Rows> execute_on_fiber(PooledConnection& connection, const std::string& name,
                              const Statement& statement, const std::vector<const char*>& values) {
  PGconn* handle = connection.handle.get();
  if (!statement.generic_plan) {
    // Unnamed: parsed and planned for these values every time.
    const std::string sql(statement.sql);
    if (PQsendQueryParams(handle, sql.c_str(), static_cast<int>(values.size()), nullptr,
                          values.data(), nullptr, nullptr, binary_results) == 0) {
      return failure(handle, nullptr);
    }
    return await_reply(connection);
  }
  if (!connection.prepared.contains(name)) {
    const std::string sql(statement.sql);
    if (PQsendPrepare(handle, name.c_str(), sql.c_str(), 0, nullptr) == 0) {
      return failure(handle, nullptr);
    }
    if (auto prepared = await_reply(connection); !prepared) {
      return prepared;
    }
    connection.prepared.insert(name);
  }
  if (PQsendQueryPrepared(handle, name.c_str(), static_cast<int>(values.size()), values.data(),
                          nullptr, nullptr, binary_results) == 0) {
    return failure(handle, nullptr);
  }
  return await_reply(connection);
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
  std::vector<const char*> values;
  values.reserve(parameters.size());
  for (const auto& parameter : parameters) {
    values.push_back(parameter ? parameter->c_str() : nullptr);
  }
  if (connection.socket) {
    return execute_on_fiber(connection, name, statement, values);
  }
  if (!statement.generic_plan) {
    // Unnamed: parsed and planned for these values every time.
    const std::string sql(statement.sql);
    Rows rows{PQexecParams(handle, sql.c_str(), static_cast<int>(values.size()), nullptr,
                           values.data(), nullptr, nullptr, binary_results),
              &PQclear};
    if (!rows || !succeeded(rows.get())) {
      return failure(handle, rows.get());
    }
    return rows;
  }
  if (!connection.prepared.contains(name)) {
    const std::string sql(statement.sql);
    const Rows prepared{PQprepare(handle, name.c_str(), sql.c_str(), 0, nullptr), &PQclear};
    if (!prepared || !succeeded(prepared.get())) {
      return failure(handle, prepared.get());
    }
    connection.prepared.insert(name);
  }
  Rows rows{PQexecPrepared(handle, name.c_str(), static_cast<int>(values.size()), values.data(),
                           nullptr, nullptr, binary_results),
            &PQclear};
  if (!rows || !succeeded(rows.get())) {
    return failure(handle, rows.get());
  }
  return rows;
}

Result<Rows> execute(ConnectionPool& pool, const Statement& statement,
                     const std::vector<Parameter>& parameters) {
  if (auto* pipeline = pool.pipeline(); pipeline != nullptr && statement.generic_plan) {
    std::vector<const char*> values;
    values.reserve(parameters.size());
    for (const auto& parameter : parameters) {
      values.push_back(parameter ? parameter->c_str() : nullptr);
    }
    if (auto outcome = pipeline->try_execute(statement, values)) {
      return std::move(*outcome);
    }
  }
  auto lease = pool.acquire();
  if (!lease) {
    return std::move(lease).error();
  }
  return execute(lease->connection(), statement, parameters);
}

Result<std::int64_t> affected_rows(Result<Rows> rows) {
  if (!rows) {
    return std::move(rows).error();
  }
  const std::string_view count{PQcmdTuples(rows->get())};
  std::int64_t changed = 0;
  std::from_chars(count.data(), count.data() + count.size(),
                  changed);  // NOLINT(*-pointer-arithmetic)
  return changed;
}

Result<void> execute_script(PooledConnection& connection, std::string_view sql) {
  PGconn* handle = connection.handle.get();
  const std::string text(sql);
  if (connection.socket) {
    if (PQsendQuery(handle, text.c_str()) == 0) {
      return failure(handle, nullptr);
    }
    auto reply = await_reply(connection);
    if (!reply) {
      return std::move(reply).error();
    }
    return {};
  }
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

Parameter array_literal(const std::vector<std::string>& elements) {
  std::string literal = "{";
  for (const auto& element : elements) {
    literal += literal.size() > 1 ? "," : "";
    literal += element;
  }
  return literal + "}";
}

Columns::Field Columns::next() {
  const int column = column_++;
  if (PQgetisnull(rows_, row_, column) == 1) {
    fail("is NULL");
    return {};
  }
  return {
      {PQgetvalue(rows_, row_, column), static_cast<std::size_t>(PQgetlength(rows_, row_, column))},
      PQftype(rows_, column),
      PQfformat(rows_, column) == 1};
}

void Columns::fail(std::string_view what) {
  if (failure_.empty()) {
    const char* name = PQfname(rows_, column_ - 1);
    failure_ = "unexpected value in column " + std::string(name == nullptr ? "?" : name) + ": " +
               std::string(what);
  }
}

std::string Columns::text() {
  const auto field = next();
  if (field.binary && field.type != type_oid::text && field.type != type_oid::varchar) {
    fail("not text");
    return {};
  }
  return std::string(field.bytes);
}

std::int64_t Columns::int64() {
  const auto field = next();
  if (field.binary) {
    const auto value = binary_integer(field);
    if (!value) {
      fail("not an integer");
    }
    return value.value_or(0);
  }
  std::int64_t value = 0;
  const auto* end = field.bytes.data() + field.bytes.size();  // NOLINT(*-pointer-arithmetic)
  const auto [stop, error] = std::from_chars(field.bytes.data(), end, value);
  if (error != std::errc{} || stop != end) {
    fail("not a 64-bit integer");
  }
  return value;
}

bool Columns::boolean() {
  const auto field = next();
  if (field.binary ? field.type == type_oid::boolean && field.bytes.size() == 1
                   : field.bytes == "t" || field.bytes == "f") {
    return field.binary ? field.bytes.front() != 0 : field.bytes == "t";
  }
  fail("not a boolean");
  return false;
}

Uuid Columns::uuid() {
  const auto field = next();
  if (field.binary) {
    Uuid::Bytes bytes{};
    if (field.type != type_oid::uuid || field.bytes.size() != bytes.size()) {
      fail("not a UUID");
      return Uuid{};
    }
    std::copy(field.bytes.begin(), field.bytes.end(), bytes.begin());
    return Uuid{bytes};
  }
  const auto parsed = Uuid::parse(field.bytes);
  if (!parsed) {
    fail("not a UUID");
    return Uuid{};
  }
  return *parsed;
}

Instant Columns::micros() {
  const int column = column_;
  const auto field = next();
  Instant instant;
  if (!field.binary || field.type != type_oid::timestamptz) {
    column_ = column;  // read again as microseconds
    instant = Instant{std::chrono::microseconds{int64()}};
  } else {
    const auto since_2000 = binary_integer(field);
    // ±infinity are the extremes; past year 294,000 the shift to 1970 would overflow.
    if (!since_2000 || *since_2000 == std::numeric_limits<std::int64_t>::min() ||
        *since_2000 > std::numeric_limits<std::int64_t>::max() - postgres_epoch_micros) {
      fail("not a finite timestamp");
      return Instant{};
    }
    instant = Instant{std::chrono::microseconds{*since_2000 + postgres_epoch_micros}};
  }
  // The API only stores instants it can write back; a row written around it may hold others.
  if (instant < earliest_instant || instant > latest_instant) {
    fail("a timestamp outside years 0001..9999 (written around the API?)");
    return Instant{};
  }
  return instant;
}

Result<Transaction> Transaction::begin(PooledConnection& connection) {
  if (auto begun = execute_script(connection, "BEGIN"); !begun) {
    return std::move(begun).error();
  }
  return Transaction{connection};
}

Transaction::Transaction(Transaction&& other) noexcept
    : connection_(other.connection_), open_(std::exchange(other.open_, false)) {}

Transaction::~Transaction() {
  if (open_) {
    try {
      (void)execute_script(*connection_, "ROLLBACK");
    } catch (...) {  // NOLINT(bugprone-empty-catch): the lease then drops the connection
    }
  }
}

Result<void> Transaction::commit() {
  open_ = false;
  return execute_script(*connection_, "COMMIT");
}

}  // namespace marketing_events::postgres
