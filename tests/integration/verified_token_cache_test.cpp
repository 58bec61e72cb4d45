#include "marketing_events/jwt/verified_token_cache.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "marketing_events/jwt/jwt_access_tokens.hpp"
#include "marketing_events/model/uuid.hpp"

using namespace marketing_events;
using namespace std::chrono_literals;

namespace {

// The real verifier, counting how often it is asked.
class CountingVerifier final : public AccessTokenVerifier {
 public:
  explicit CountingVerifier(const AccessTokenVerifier& inner) : inner_(inner) {}
  Result<AccessTokenClaims> verify(std::string_view token, Instant now) const override {
    ++calls;
    return inner_.verify(token, now);
  }
  mutable std::atomic<int> calls{0};

 private:
  const AccessTokenVerifier& inner_;
};

const Instant now{std::chrono::sys_days{std::chrono::year{2026} / 11 / 24} + 9h};

struct Tokens {
  jwt::JwtAccessTokens real{jwt::SigningKey::generate_ed25519().value(), jwt::JwtSettings{}};
  CountingVerifier counting{real};
  jwt::VerifiedTokenCache cache{counting, jwt::JwtSettings{}.leeway, 3};

  std::string issue(Instant issued, std::chrono::seconds lifetime = 900s) {
    return real
        .issue({*Uuid::parse("0193a1c2-0000-7000-8000-000000000001"),
                *Uuid::parse("0193a1c2-0000-7000-8000-" +
                             std::to_string(100000000000 + ++issued_count)),
                issued, issued + lifetime})
        .value();
  }
  int issued_count = 0;
};

}  // namespace

TEST_CASE("a token verified once is not verified again while it is valid") {
  Tokens tokens;
  const auto token = tokens.issue(now);
  const auto first = tokens.cache.verify(token, now);
  const auto second = tokens.cache.verify(token, now + 60s);
  REQUIRE(first.has_value());
  REQUIRE(second.has_value());
  CHECK(*first == *second);
  CHECK(tokens.counting.calls == 1);
}

TEST_CASE("a remembered token still expires, at the inner verifier's leeway") {
  Tokens tokens;
  const auto token = tokens.issue(now, 900s);
  REQUIRE(tokens.cache.verify(token, now).has_value());
  CHECK(tokens.cache.verify(token, now + 900s + 29s).has_value());  // within the leeway
  CHECK(tokens.counting.calls == 1);
  const auto expired = tokens.cache.verify(token, now + 900s + 30s);
  REQUIRE_FALSE(expired.has_value());
  CHECK(expired.error().code == ErrorCode::unauthenticated);
  CHECK(tokens.counting.calls == 2);  // asked again, and it said no
}

TEST_CASE("only an exact copy hits, rejections are never remembered") {
  Tokens tokens;
  const auto token = tokens.issue(now);
  REQUIRE(tokens.cache.verify(token, now).has_value());
  auto tampered = token;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  CHECK_FALSE(tokens.cache.verify(tampered, now).has_value());
  CHECK_FALSE(tokens.cache.verify(tampered, now).has_value());
  CHECK_FALSE(tokens.cache.verify(token + " ", now).has_value());
  CHECK(tokens.counting.calls == 4);
  CHECK(tokens.cache.size() == 1);
}

TEST_CASE("the cache stays within its capacity") {
  Tokens tokens;  // capacity 3
  for (int i = 0; i < 10; ++i) {
    REQUIRE(tokens.cache.verify(tokens.issue(now), now).has_value());
    CHECK(tokens.cache.size() <= 3);
  }
}

TEST_CASE("many threads share the cache") {
  Tokens tokens;
  std::vector<std::string> issued;
  issued.reserve(3);
  for (int i = 0; i < 3; ++i) {
    issued.push_back(tokens.issue(now));
  }
  std::atomic<int> accepted{0};
  {
    std::vector<std::jthread> threads;
    threads.reserve(4);
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 300; ++i) {
          if (tokens.cache.verify(issued[static_cast<std::size_t>(i % 3)], now).has_value()) {
            ++accepted;
          }
        }
      });
    }
  }
  CHECK(accepted == 1200);
  CHECK(tokens.counting.calls < 1200);
}
