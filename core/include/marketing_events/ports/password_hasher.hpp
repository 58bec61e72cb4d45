#pragma once

#include <string>
#include <string_view>

#include "marketing_events/result.hpp"

namespace marketing_events {

// A slow, salted one-way function for passwords (Argon2id in production).
class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;

  // A self-describing hash (algorithm, parameters and salt included).
  [[nodiscard]] virtual Result<std::string> hash(std::string_view password) = 0;

  // Whether `password` produced `hash`. Costs the same whether or not it matches.
  [[nodiscard]] virtual bool verify(std::string_view password, std::string_view hash) = 0;
};

}  // namespace marketing_events
