#include "marketing_events/testing/fake_access_tokens.hpp"

#include <charconv>
#include <vector>

namespace marketing_events::testing {
namespace {

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (auto dot = text.find(separator); dot != std::string_view::npos;
       dot = text.find(separator, start)) {
    parts.push_back(text.substr(start, dot - start));
    start = dot + 1;
  }
  parts.push_back(text.substr(start));
  return parts;
}

std::optional<Instant> parse_micros(std::string_view text) {
  std::int64_t micros = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, error] = std::from_chars(text.data(), end, micros);
  if (error != std::errc{} || ptr != end) {
    return std::nullopt;
  }
  return Instant{std::chrono::microseconds{micros}};
}

}  // namespace

Result<std::string> FakeAccessTokens::issue(const AccessTokenClaims& claims) {
  return "fake." + claims.subject.to_string() + "." + claims.token_id.to_string() + "." +
         std::to_string(claims.issued_at.time_since_epoch().count()) + "." +
         std::to_string(claims.expires_at.time_since_epoch().count());
}

Result<AccessTokenClaims> FakeAccessTokens::verify(std::string_view token, Instant now) const {
  const auto parts = split(token, '.');
  const auto invalid = [](const char* why) { return Error::of(ErrorCode::unauthenticated, why); };
  if (parts.size() != 5 || parts[0] != "fake") {
    return invalid("malformed token");
  }
  const auto subject = Uuid::parse(parts[1]);
  const auto token_id = Uuid::parse(parts[2]);
  const auto issued_at = parse_micros(parts[3]);
  const auto expires_at = parse_micros(parts[4]);
  if (!subject || !token_id || !issued_at || !expires_at) {
    return invalid("malformed token");
  }
  if (*expires_at <= now) {
    return invalid("expired token");
  }
  return AccessTokenClaims{*subject, *token_id, *issued_at, *expires_at};
}

}  // namespace marketing_events::testing
