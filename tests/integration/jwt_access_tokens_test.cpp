#include <catch2/catch.hpp>

#include "marketing_events/crypto/encoding.hpp"
#include "marketing_events/jwt/jwt_access_tokens.hpp"

using namespace marketing_events;
using namespace marketing_events::jwt;
using namespace marketing_events::crypto;
using namespace std::chrono_literals;

namespace {

constexpr Instant now{std::chrono::sys_days{std::chrono::year{2026} / 3 / 1}};
const auto subject = Uuid::parse("0193a1c2-7d4e-7abc-8def-0123456789ab").value();
const auto token_id = Uuid::parse("0193a1c2-7d4e-7abc-8def-0123456789ac").value();

std::string text_part(std::string_view json) {
  return base64url_encode(
      std::span{reinterpret_cast<const std::uint8_t*>(json.data()), json.size()});  // NOLINT
}

// A token signed with `key` over any header and claims: what a forger with the key could make.
std::string forge(const SigningKey& key, std::string_view header, std::string_view claims) {
  const auto input = text_part(header) + "." + text_part(claims);
  return input + "." + base64url_encode(key.sign(input).value());
}

std::string claims_json(std::int64_t iat, std::int64_t exp, std::string_view extra = "") {
  return R"({"iss":"marketing-events","aud":"marketing-events-api","sub":")" + subject.to_string() +
         R"(","jti":")" + token_id.to_string() + R"(","iat":)" + std::to_string(iat) +
         R"(,"exp":)" + std::to_string(exp) + std::string(extra) + "}";
}

std::int64_t seconds(Instant instant) {
  return std::chrono::duration_cast<std::chrono::seconds>(instant.time_since_epoch()).count();
}

struct Fixture {
  SigningKey key = SigningKey::generate_ed25519().value();
  JwtAccessTokens tokens{key, JwtSettings{}};
  std::string header = R"({"alg":"EdDSA","typ":"JWT","kid":")" + tokens.key_id() + "\"}";

  [[nodiscard]] Result<AccessTokenClaims> verify_forged(std::string_view claims) const {
    return tokens.verify(forge(key, header, claims), now);
  }
};

}  // namespace

TEST_CASE("an issued token verifies to the same claims") {
  for (const auto& key :
       {SigningKey::generate_ed25519().value(),
        SigningKey::hs256_from_secret(std::vector<std::uint8_t>(32, 9)).value()}) {
    JwtAccessTokens tokens{key, JwtSettings{}};
    const AccessTokenClaims claims{subject, token_id, now, now + 900s};
    const auto token = tokens.issue(claims);
    REQUIRE(token.has_value());
    const auto verified = tokens.verify(*token, now + 60s);
    REQUIRE(verified.has_value());
    CHECK(verified.value() == claims);
  }
}

TEST_CASE("the header names the algorithm, the type and the key id") {
  Fixture fixture;
  const auto token = fixture.tokens.issue({subject, token_id, now, now + 900s}).value();
  const auto header = base64url_decode(token.substr(0, token.find('.'))).value();
  CHECK(std::string(header.begin(), header.end()) == fixture.header);
  CHECK(fixture.tokens.key_id() == fixture.key.thumbprint());
}

TEST_CASE("expiry, not-before and issued-at are checked with a small leeway") {
  Fixture fixture;
  const auto iat = seconds(now) - 900;
  CHECK(fixture.verify_forged(claims_json(iat, seconds(now) - 29)).has_value());
  CHECK(fixture.verify_forged(claims_json(iat, seconds(now) - 30)).error().detail == "expired");
  CHECK(fixture.verify_forged(claims_json(seconds(now) + 29, seconds(now) + 900)).has_value());
  CHECK(fixture.verify_forged(claims_json(seconds(now) + 31, seconds(now) + 900)).error().detail ==
        "issued in the future");
  CHECK(fixture
            .verify_forged(claims_json(iat, seconds(now) + 900,
                                       R"(,"nbf":)" + std::to_string(seconds(now) + 60)))
            .error()
            .detail == "not yet valid");
}

TEST_CASE("forged and malformed tokens are refused") {
  Fixture fixture;
  const auto valid_claims = claims_json(seconds(now), seconds(now) + 900);
  const auto input = text_part(fixture.header) + "." + text_part(valid_claims);

  const auto reason = [&](const std::string& token) {
    const auto result = fixture.tokens.verify(token, now);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code == ErrorCode::unauthenticated);
    return result.error().detail;
  };

  SECTION("alg none, with or without a signature") {
    const auto unsigned_token = text_part(R"({"alg":"none"})") + "." + text_part(valid_claims);
    CHECK(reason(unsigned_token + ".") == "unexpected algorithm");
    CHECK(reason(unsigned_token) == "not a compact JWS");
  }
  SECTION("HS256 keyed with the public key (algorithm confusion)") {
    const auto public_jwk = fixture.key.public_jwk_members().value();
    const auto confused = SigningKey::hs256_from_secret(
                              std::vector<std::uint8_t>(public_jwk.begin(), public_jwk.end()))
                              .value();
    CHECK(reason(forge(confused, R"({"alg":"HS256"})", valid_claims)) == "unexpected algorithm");
  }
  SECTION("another key, another key id, critical extensions") {
    const auto stranger = SigningKey::generate_ed25519().value();
    CHECK(reason(forge(stranger, fixture.header, valid_claims)) == "bad signature");
    CHECK(reason(forge(fixture.key, R"({"alg":"EdDSA","kid":"other"})", valid_claims)) ==
          "unknown key id");
    CHECK(reason(forge(fixture.key, R"({"alg":"EdDSA","crit":["exp"]})", valid_claims)) ==
          "critical header parameters are not understood");
  }
  SECTION("tampered claims or signature") {
    const auto token = forge(fixture.key, fixture.header, valid_claims);
    const auto other_claims =
        text_part(claims_json(seconds(now), seconds(now) + 9000));  // a longer life
    CHECK(reason(text_part(fixture.header) + "." + other_claims + token.substr(token.rfind('.'))) ==
          "bad signature");
    CHECK(reason(input + "." + std::string(86, 'A')) == "bad signature");
    CHECK(reason(input + ".@@") == "bad signature");
  }
  SECTION("wrong issuer, audience, subject or id") {
    const auto with = [&](const std::string& from, const std::string& to) {
      auto claims = valid_claims;
      claims.replace(claims.find(from), from.size(), to);
      return forge(fixture.key, fixture.header, claims);
    };
    CHECK(reason(with("\"marketing-events\"", "\"evil\"")) == "wrong issuer");
    CHECK(reason(with("\"marketing-events-api\"", "\"other-api\"")) == "wrong audience");
    CHECK(reason(with(subject.to_string(), "admin")) == "sub and jti must be UUIDs");
    CHECK(fixture.tokens
              .verify(with("\"marketing-events-api\"", R"(["other","marketing-events-api"])"), now)
              .has_value());
  }
  SECTION("claims that are missing or of the wrong type") {
    CHECK(reason(forge(fixture.key, fixture.header,
                       R"({"iss":"marketing-events","aud":"marketing-events-api"})")) ==
          "exp and iat are required");
    auto string_exp = valid_claims;
    string_exp.replace(string_exp.find("\"exp\":") + 6, 0, "\"");
    string_exp.insert(string_exp.size() - 1, "\"");
    CHECK(reason(forge(fixture.key, fixture.header, string_exp)) == "exp and iat are required");
  }
  SECTION("structure") {
    CHECK(reason("") == "not a compact JWS");
    CHECK(reason("a.b") == "not a compact JWS");
    CHECK(reason("a.b.c.d") == "not a compact JWS");
    CHECK(reason(text_part("[1]") + ".e30.sig") == "malformed header");
    CHECK(reason(text_part(R"({"alg":"EdDSA")") + ".e30.sig") == "malformed header");
    CHECK(reason(text_part(R"({"a":{"b":{"c":{"d":{"e":1}}}}})") + ".e30.sig") ==
          "malformed header");
    CHECK(reason(forge(fixture.key, fixture.header, "[]")) == "malformed claims");
    CHECK(reason(std::string(5000, 'a')) == "token too long");
  }
}

TEST_CASE("the JWK Set publishes the public key with its id, and nothing for HMAC") {
  Fixture fixture;
  const auto jwks = fixture.tokens.jwks();
  CHECK(jwks.find(R"("kty":"OKP")") != std::string::npos);
  CHECK(jwks.find(R"("kid":")" + fixture.tokens.key_id() + "\"") != std::string::npos);
  CHECK(jwks.find(R"("alg":"EdDSA")") != std::string::npos);
  CHECK(jwks.find(R"("d":)") == std::string::npos);
  const JwtAccessTokens hmac{
      SigningKey::hs256_from_secret(std::vector<std::uint8_t>(32, 1)).value(), JwtSettings{}};
  CHECK(hmac.jwks() == R"({"keys":[]})");
}
