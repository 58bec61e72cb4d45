// Feeds arbitrary bytes to the access-token verifier, as an attacker's Authorization header.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "marketing_events/jwt/jwt_access_tokens.hpp"

namespace {

marketing_events::jwt::JwtAccessTokens& verifier() {
  static marketing_events::jwt::JwtAccessTokens tokens{
      marketing_events::jwt::SigningKey::generate_ed25519().value(),
      marketing_events::jwt::JwtSettings{}};
  return tokens;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view token{reinterpret_cast<const char*>(data), size};  // NOLINT
  const marketing_events::Instant now{std::chrono::seconds{1'772'352'000}};
  if (verifier().verify(token, now)) {
    std::abort();  // nothing but our own key's signature may verify
  }
  return 0;
}
