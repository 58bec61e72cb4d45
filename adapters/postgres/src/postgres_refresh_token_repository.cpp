#include "marketing_events/postgres/postgres_repositories.hpp"
#include "marketing_events/postgres/statement.hpp"

namespace marketing_events::postgres {
namespace {

constexpr Statement insert_token{
    "refresh_insert",
    "INSERT INTO refresh_tokens (digest, family_id, user_id, issued_at, expires_at)"
    " VALUES ($1, $2::uuid, $3::uuid, $4::timestamptz, $5::timestamptz)"};

// One statement marks the token used only if it was unused and its family not revoked; of
// concurrent callers, the row lock lets exactly one see a row come back.
constexpr Statement consume_token{
    "refresh_consume",
    "UPDATE refresh_tokens SET used_at = $2::timestamptz"
    " WHERE digest = $1 AND used_at IS NULL AND NOT EXISTS"
    " (SELECT 1 FROM revoked_refresh_families r WHERE r.family_id = refresh_tokens.family_id)"
    " RETURNING digest, family_id, user_id, issued_at,"
    " expires_at"};

constexpr Statement token_by_digest{"refresh_find",
                                    "SELECT digest, family_id, user_id, issued_at,"
                                    " expires_at FROM refresh_tokens WHERE digest = $1"};

constexpr Statement revoke{
    "refresh_revoke_family",
    "INSERT INTO revoked_refresh_families (family_id, revoked_at)"
    " VALUES ($1::uuid, $2::timestamptz) ON CONFLICT (family_id) DO NOTHING"};

// Keeps the family's newest used tokens; a session refreshing often cannot grow the table.
constexpr Statement trim_used{
    "refresh_trim_family",
    "DELETE FROM refresh_tokens WHERE family_id = $1::uuid AND used_at IS NOT NULL"
    " AND digest NOT IN (SELECT digest FROM refresh_tokens WHERE family_id = $1::uuid"
    " AND used_at IS NOT NULL ORDER BY used_at DESC LIMIT $2::int8)"};

// Ends the user's least recently refreshed sessions beyond the newest $2.
constexpr Statement trim_sessions{
    "refresh_trim_user",
    "DELETE FROM refresh_tokens WHERE user_id = $1::uuid AND family_id IN"
    " (SELECT family_id FROM refresh_tokens WHERE user_id = $1::uuid GROUP BY family_id"
    " ORDER BY max(issued_at) DESC OFFSET $2::int8)"};

// Housekeeping, each in bounded batches: expired tokens, tokens of revoked families, and
// revocations whose family has no token left (they can no longer refuse anything).
constexpr Statement remove_expired{
    "refresh_remove_expired",
    "DELETE FROM refresh_tokens WHERE digest IN (SELECT digest FROM refresh_tokens"
    " WHERE expires_at <= $1::timestamptz LIMIT $2::int8)"};
constexpr Statement remove_revoked{
    "refresh_remove_revoked",
    "DELETE FROM refresh_tokens WHERE digest IN (SELECT t.digest FROM refresh_tokens t"
    " JOIN revoked_refresh_families r ON r.family_id = t.family_id LIMIT $1::int8)"};
constexpr Statement remove_empty_revocations{
    "refresh_remove_empty_revocations",
    "DELETE FROM revoked_refresh_families WHERE family_id IN (SELECT r.family_id"
    " FROM revoked_refresh_families r WHERE NOT EXISTS"
    " (SELECT 1 FROM refresh_tokens t WHERE t.family_id = r.family_id) LIMIT $1::int8)"};

constexpr Statement family_exists{
    "refresh_family_exists", "SELECT 1 FROM refresh_tokens WHERE family_id = $1::uuid LIMIT 1"};

Result<std::optional<RefreshTokenRecord>> first_record(const PGresult* rows) {
  if (PQntuples(rows) == 0) {
    return std::optional<RefreshTokenRecord>{};
  }
  Columns columns{rows, 0};
  return columns.finish(std::optional<RefreshTokenRecord>{RefreshTokenRecord{
      columns.text(), columns.uuid(), columns.uuid(), columns.micros(), columns.micros()}});
}

}  // namespace

Result<void> PostgresRefreshTokenRepository::add(const RefreshTokenRecord& record) {
  auto rows = execute(pool_, insert_token,
                      {text(record.digest), text(record.family_id), text(record.user_id),
                       text(record.issued_at), text(record.expires_at)});
  if (!rows) {
    return std::move(rows).error();
  }
  return {};
}

Result<std::optional<ConsumedRefreshToken>> PostgresRefreshTokenRepository::consume(
    std::string_view digest, Instant now) {
  auto consumed = execute(pool_, consume_token, {text(digest), text(now)});
  if (!consumed) {
    return std::move(consumed).error();
  }
  auto record = first_record(consumed->get());
  if (!record) {
    return std::move(record).error();
  }
  if (record.value()) {
    return std::optional<ConsumedRefreshToken>{
        ConsumedRefreshToken{std::move(*record.value()), true}};
  }
  auto found = find(digest);
  if (!found) {
    return std::move(found).error();
  }
  if (!found.value()) {
    return std::optional<ConsumedRefreshToken>{};
  }
  return std::optional<ConsumedRefreshToken>{
      ConsumedRefreshToken{std::move(*found.value()), false}};
}

Result<std::optional<RefreshTokenRecord>> PostgresRefreshTokenRepository::find(
    std::string_view digest) {
  auto rows = execute(pool_, token_by_digest, {text(digest)});
  if (!rows) {
    return std::move(rows).error();
  }
  return first_record(rows->get());
}

Result<void> PostgresRefreshTokenRepository::revoke_family(const Uuid& family_id, Instant now) {
  auto rows = execute(pool_, revoke, {text(family_id), text(now)});
  if (!rows) {
    return std::move(rows).error();
  }
  return {};
}

Result<bool> PostgresRefreshTokenRepository::has_family(const Uuid& family_id) {
  auto rows = execute(pool_, family_exists, {text(family_id)});
  if (!rows) {
    return std::move(rows).error();
  }
  return PQntuples(rows->get()) > 0;
}

Result<void> PostgresRefreshTokenRepository::trim_family(const Uuid& family_id, std::size_t keep) {
  auto rows = execute(pool_, trim_used, {text(family_id), text(static_cast<std::int64_t>(keep))});
  if (!rows) {
    return std::move(rows).error();
  }
  return {};
}

Result<void> PostgresRefreshTokenRepository::trim_user(const UserId& user_id, std::size_t keep) {
  auto rows = execute(pool_, trim_sessions, {text(user_id), text(static_cast<std::int64_t>(keep))});
  if (!rows) {
    return std::move(rows).error();
  }
  return {};
}

Result<std::int64_t> PostgresRefreshTokenRepository::remove_stale(Instant now,
                                                                  std::int64_t at_most) {
  const std::vector<std::pair<Statement, std::vector<Parameter>>> batches{
      {remove_expired, {text(now), text(at_most)}},
      {remove_revoked, {text(at_most)}},
      {remove_empty_revocations, {text(at_most)}}};
  std::int64_t removed = 0;
  for (const auto& [statement, parameters] : batches) {
    auto count = affected_rows(execute(pool_, statement, parameters));
    if (!count) {
      return std::move(count).error();
    }
    removed += *count;
  }
  return removed;
}

}  // namespace marketing_events::postgres
