#pragma once

#include <optional>
#include <string_view>

#include "marketing_events/model/user.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events {

class UserRepository {
 public:
  virtual ~UserRepository() = default;

  // ErrorCode::conflict when the e-mail is taken (checked atomically with the insert).
  [[nodiscard]] virtual Result<void> add(const User& user) = 0;
  [[nodiscard]] virtual Result<std::optional<User>> find_by_email(std::string_view email) = 0;
  [[nodiscard]] virtual Result<std::optional<User>> find_by_id(const UserId& id) = 0;
  // Deletes the user with everything they own (events, sessions); false if there was none.
  [[nodiscard]] virtual Result<bool> remove(const UserId& id) = 0;
};

}  // namespace marketing_events
