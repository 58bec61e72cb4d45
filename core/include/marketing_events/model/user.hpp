#pragma once

#include <string>
#include <string_view>

#include "marketing_events/model/instant.hpp"
#include "marketing_events/model/uuid.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events {

using UserId = Uuid;

struct User {
  UserId id;
  std::string email;          // normalised: trimmed, lower-case
  std::string password_hash;  // opaque to the core; produced by the PasswordHasher port
  Instant created_at;

  friend bool operator==(const User&, const User&) = default;
};

inline constexpr std::size_t max_email_length = 254;
inline constexpr std::size_t min_password_length = 8;
inline constexpr std::size_t max_password_length = 128;

// Trimmed and lower-cased, so that one address is one account however it is typed.
[[nodiscard]] std::string normalize_email(std::string_view raw);

struct Credentials {
  std::string email;  // normalised
  std::string password;
};

// Checks a registration's e-mail and password, naming every broken field at once.
[[nodiscard]] Result<Credentials> validate_credentials(std::string_view email,
                                                       std::string_view password);

// Checks a login's input before anything is looked up: the same e-mail rules, and a password
// of 1 to 128 characters without NUL. Only the shape is judged; a wrong password is the use
// case's to say.
[[nodiscard]] Result<Credentials> validate_login(std::string_view email, std::string_view password);

}  // namespace marketing_events
