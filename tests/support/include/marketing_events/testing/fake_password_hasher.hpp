#pragma once

#include <atomic>
#include <chrono>

#include "marketing_events/ports/password_hasher.hpp"
#include "marketing_events/ports/secure_random.hpp"

namespace marketing_events::testing {

// Salted SHA-256: fast, so tests can register many users. Not for production (not slow).
// Counts verifications so tests can check that unknown e-mails cost one too.
class FakePasswordHasher final : public PasswordHasher {
 public:
  explicit FakePasswordHasher(SecureRandom& random) : random_(random) {}

  [[nodiscard]] Result<std::string> hash(std::string_view password) override;
  [[nodiscard]] bool verify(std::string_view password, std::string_view hash) override;

  [[nodiscard]] int verifications() const noexcept { return verifications_.load(); }

  // Makes every hash and verification take this long, as a real one does (Argon2id: ~35 ms),
  // for tests of what happens while hashing runs.
  void take(std::chrono::milliseconds each) { delay_.store(each); }

 private:
  void wait() const;

  SecureRandom& random_;
  std::atomic<int> verifications_{0};
  std::atomic<std::chrono::milliseconds> delay_{std::chrono::milliseconds{0}};
};

}  // namespace marketing_events::testing
