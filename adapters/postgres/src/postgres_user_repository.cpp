#include "marketing_events/postgres/postgres_repositories.hpp"
#include "marketing_events/postgres/statement.hpp"

namespace marketing_events::postgres {
namespace {

constexpr Statement insert_user{"users_insert",
                                "INSERT INTO users (id, email, password_hash, created_at)"
                                " VALUES ($1::uuid, $2, $3, $4::timestamptz)"};

constexpr Statement user_by_email{"users_by_email",
                                  "SELECT id, email, password_hash, created_at"
                                  " FROM users WHERE email = $1"};
constexpr Statement user_by_id{"users_by_id",
                               "SELECT id, email, password_hash, created_at"
                               " FROM users WHERE id = $1::uuid",
                               true, true};

constexpr Statement delete_user{"users_delete", "DELETE FROM users WHERE id = $1::uuid"};

Result<std::optional<User>> first_user(Result<Rows> rows) {
  if (!rows) {
    return std::move(rows).error();
  }
  const PGresult* result = rows->get();
  if (PQntuples(result) == 0) {
    return std::optional<User>{};
  }
  Columns columns{result, 0};
  return columns.finish(
      std::optional<User>{User{columns.uuid(), columns.text(), columns.text(), columns.micros()}});
}

}  // namespace

Result<void> PostgresUserRepository::add(const User& user) {
  auto rows =
      execute(pool_, insert_user,
              {text(user.id), text(user.email), text(user.password_hash), text(user.created_at)});
  if (!rows) {
    return std::move(rows).error();
  }
  return {};
}

Result<std::optional<User>> PostgresUserRepository::find_by_email(std::string_view email) {
  return first_user(execute(pool_, user_by_email, {text(email)}));
}

Result<std::optional<User>> PostgresUserRepository::find_by_id(const UserId& id) {
  return first_user(execute(pool_, user_by_id, {text(id)}));
}

Result<bool> PostgresUserRepository::remove(const UserId& id) {
  auto removed = affected_rows(execute(pool_, delete_user, {text(id)}));
  if (!removed) {
    return std::move(removed).error();
  }
  return *removed > 0;
}

}  // namespace marketing_events::postgres
