#include "marketing_events/memory/in_memory_user_repository.hpp"

#include <mutex>

namespace marketing_events::memory {

Result<void> InMemoryUserRepository::add(const User& user) {
  const std::unique_lock lock(mutex_);
  if (ids_by_email_.contains(user.email)) {
    return Error::of(ErrorCode::conflict, "e-mail already registered");
  }
  if (users_.contains(user.id)) {
    return Error::of(ErrorCode::internal, "duplicate user id");
  }
  users_.emplace(user.id, user);
  ids_by_email_.emplace(user.email, user.id);
  return {};
}

Result<std::optional<User>> InMemoryUserRepository::find_by_email(std::string_view email) {
  const std::shared_lock lock(mutex_);
  const auto found = ids_by_email_.find(email);
  if (found == ids_by_email_.end()) {
    return std::optional<User>{};
  }
  return std::optional<User>{users_.at(found->second)};
}

Result<std::optional<User>> InMemoryUserRepository::find_by_id(const UserId& id) {
  const std::shared_lock lock(mutex_);
  const auto found = users_.find(id);
  if (found == users_.end()) {
    return std::optional<User>{};
  }
  return std::optional<User>{found->second};
}

Result<bool> InMemoryUserRepository::remove(const UserId& id) {
  const std::unique_lock lock(mutex_);
  const auto found = users_.find(id);
  if (found == users_.end()) {
    return false;
  }
  ids_by_email_.erase(found->second.email);
  users_.erase(found);
  return true;
}

}  // namespace marketing_events::memory
