#include "marketing_events/testing/fake_password_hasher.hpp"

#include <array>
#include <thread>

#include "marketing_events/crypto/encoding.hpp"

namespace marketing_events::testing {
namespace {

constexpr std::string_view prefix = "fake-sha256$";
constexpr std::size_t salt_length = 32;  // hex characters

std::string digest_of(std::string_view salt, std::string_view password) {
  return crypto::to_hex(crypto::sha256(std::string(salt) + ":" + std::string(password)));
}

}  // namespace

void FakePasswordHasher::wait() const {
  if (const auto delay = delay_.load(); delay.count() > 0) {
    std::this_thread::sleep_for(delay);
  }
}

Result<std::string> FakePasswordHasher::hash(std::string_view password) {
  wait();
  std::array<std::uint8_t, salt_length / 2> salt_bytes{};
  random_.fill(salt_bytes);
  const auto salt = crypto::to_hex(salt_bytes);
  return std::string(prefix) + salt + "$" + digest_of(salt, password);
}

bool FakePasswordHasher::verify(std::string_view password, std::string_view hash) {
  ++verifications_;
  wait();
  if (!hash.starts_with(prefix) || hash.size() < prefix.size() + salt_length + 1) {
    return false;
  }
  const auto salt = hash.substr(prefix.size(), salt_length);
  return hash.substr(prefix.size() + salt_length + 1) == digest_of(salt, password);
}

}  // namespace marketing_events::testing
