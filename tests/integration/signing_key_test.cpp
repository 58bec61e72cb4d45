#include <openssl/evp.h>
#include <openssl/pem.h>

#include <catch2/catch.hpp>
#include <memory>

#include "marketing_events/crypto/encoding.hpp"
#include "marketing_events/jwt/signing_key.hpp"

using namespace marketing_events;
using namespace marketing_events::jwt;
using namespace marketing_events::crypto;

namespace {

std::vector<std::uint8_t> decoded(std::string_view text) {
  auto bytes = base64url_decode(text);
  REQUIRE(bytes.has_value());
  return *bytes;
}

// RFC 8037 appendix A.1 and A.4: the Ed25519 key and its JWS of "Example of Ed25519 signing".
constexpr std::string_view rfc8037_d = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
constexpr std::string_view rfc8037_input =
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
constexpr std::string_view rfc8037_signature =
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

std::string pem_of_new_key(const char* type, unsigned bits) {
  EVP_PKEY* raw = bits == 0 ? EVP_PKEY_Q_keygen(nullptr, nullptr, type)
                            : EVP_PKEY_Q_keygen(nullptr, nullptr, type, std::size_t{bits});
  REQUIRE(raw != nullptr);
  const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{raw, &EVP_PKEY_free};
  const std::unique_ptr<BIO, decltype(&BIO_free)> bio{BIO_new(BIO_s_mem()), &BIO_free};
  REQUIRE(PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) ==
          1);
  char* data = nullptr;
  const auto length = BIO_get_mem_data(bio.get(), &data);
  return {data, static_cast<std::size_t>(length)};
}

}  // namespace

TEST_CASE("Ed25519 signs RFC 8037's example exactly") {
  const auto key = SigningKey::ed25519_from_seed(decoded(rfc8037_d));
  REQUIRE(key.has_value());
  CHECK(key->algorithm() == JwsAlgorithm::eddsa);
  CHECK(base64url_encode(key->sign(rfc8037_input).value()) == rfc8037_signature);
  CHECK(key->verify(rfc8037_input, decoded(rfc8037_signature)));
  CHECK_FALSE(key->verify(std::string(rfc8037_input) + "x", decoded(rfc8037_signature)));
}

TEST_CASE("the Ed25519 public JWK and its thumbprint match RFC 8037 appendix A.2 and A.3") {
  const auto key = SigningKey::ed25519_from_seed(decoded(rfc8037_d)).value();
  CHECK(key.public_jwk_members() ==
        R"({"crv":"Ed25519","kty":"OKP","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})");
  CHECK(key.thumbprint() == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
}

TEST_CASE("HS256 reproduces RFC 7515 appendix A.1") {
  const auto key = SigningKey::hs256_from_secret(decoded(
      "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"));
  REQUIRE(key.has_value());
  const std::string_view input =
      "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
      "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVl"
      "fQ";
  const std::string_view signature = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  CHECK(base64url_encode(key->sign(input).value()) == signature);
  CHECK(key->verify(input, decoded(signature)));
  auto tampered = decoded(signature);
  tampered.back() ^= 1U;
  CHECK_FALSE(key->verify(input, tampered));
  CHECK_FALSE(key->public_jwk_members().has_value());
}

TEST_CASE("RSA keys of 2048 bits or more sign RS256, smaller ones are refused") {
  const auto key = SigningKey::from_private_pem(pem_of_new_key("RSA", 2048));
  REQUIRE(key.has_value());
  CHECK(key->algorithm() == JwsAlgorithm::rs256);
  const auto signature = key->sign("header.payload").value();
  CHECK(signature.size() == 256);
  CHECK(key->verify("header.payload", signature));
  CHECK_FALSE(key->verify("header.payloaD", signature));
  CHECK(key->public_jwk_members()->find(R"("e":"AQAB")") != std::string::npos);

  const auto weak = SigningKey::from_private_pem(pem_of_new_key("RSA", 1024));
  REQUIRE_FALSE(weak.has_value());
  CHECK(weak.error().detail == "RSA keys must have at least 2048 bits");
}

TEST_CASE("keys survive a PEM round trip, and garbage or unsupported keys are refused") {
  const auto key = SigningKey::generate_ed25519().value();
  const auto again = SigningKey::from_private_pem(key.private_pem().value());
  REQUIRE(again.has_value());
  CHECK(again->thumbprint() == key.thumbprint());
  CHECK_FALSE(SigningKey::from_private_pem("not a key").has_value());
  CHECK_FALSE(SigningKey::from_private_pem(pem_of_new_key("X25519", 0)).has_value());
  CHECK_FALSE(SigningKey::hs256_from_secret(std::vector<std::uint8_t>(31, 7)).has_value());
  CHECK_FALSE(SigningKey::ed25519_from_seed(std::vector<std::uint8_t>(31, 7)).has_value());
}

TEST_CASE("two generated keys differ") {
  CHECK(SigningKey::generate_ed25519()->thumbprint() !=
        SigningKey::generate_ed25519()->thumbprint());
}
