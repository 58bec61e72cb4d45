#pragma once

#include <map>
#include <shared_mutex>
#include <string>

#include "marketing_events/ports/user_repository.hpp"

namespace marketing_events::memory {

// Thread-safe; for tests and for programs that embed the core without a database.
class InMemoryUserRepository final : public UserRepository {
 public:
  [[nodiscard]] Result<void> add(const User& user) override;
  [[nodiscard]] Result<std::optional<User>> find_by_email(std::string_view email) override;
  [[nodiscard]] Result<std::optional<User>> find_by_id(const UserId& id) override;
  // Removes the user only: the other in-memory stores are not tied to this one.
  [[nodiscard]] Result<bool> remove(const UserId& id) override;

 private:
  std::shared_mutex mutex_;
  std::map<UserId, User> users_;
  std::map<std::string, UserId, std::less<>> ids_by_email_;
};

}  // namespace marketing_events::memory
