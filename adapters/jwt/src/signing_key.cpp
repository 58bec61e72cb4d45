#include "marketing_events/jwt/signing_key.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <array>
#include <cstdlib>
#include <iterator>
#include <memory>

#include "marketing_events/crypto/encoding.hpp"

namespace marketing_events::jwt {
namespace {

using crypto::base64url_encode;
using crypto::sha256;

constexpr int min_rsa_bits = 2048;
constexpr std::size_t min_hmac_secret_bytes = 32;
constexpr std::size_t ed25519_seed_bytes = 32;

using DigestContext = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
using BigNumber = std::unique_ptr<BIGNUM, decltype(&BN_free)>;

Error key_error(std::string detail) {
  return Error::of(ErrorCode::internal, std::move(detail));
}

const EVP_MD* digest_for(JwsAlgorithm algorithm) {
  // Ed25519 hashes internally and takes no digest.
  return algorithm == JwsAlgorithm::rs256 ? EVP_sha256() : nullptr;
}

std::string bytes_as_text(std::span<const std::uint8_t> bytes) {
  return base64url_encode(bytes);
}

std::optional<std::string> rsa_member(EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) {
    return std::nullopt;
  }
  const BigNumber number{raw, &BN_free};
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(BN_num_bytes(number.get())));
  BN_bn2bin(number.get(), bytes.data());
  return bytes_as_text(bytes);
}

}  // namespace

const char* jws_name(JwsAlgorithm algorithm) noexcept {
  switch (algorithm) {
    case JwsAlgorithm::eddsa:
      return "EdDSA";
    case JwsAlgorithm::rs256:
      return "RS256";
    case JwsAlgorithm::hs256:
      return "HS256";
  }
  return "none";
}

void SigningKey::KeyDeleter::operator()(EVP_PKEY* key) const noexcept {
  EVP_PKEY_free(key);
}

SigningKey::SigningKey(JwsAlgorithm algorithm, KeyHandle key, std::vector<std::uint8_t> secret)
    : algorithm_(algorithm), key_(std::move(key)), secret_(std::move(secret)) {}

Result<SigningKey> SigningKey::generate_ed25519() {
  // OpenSSL declares this one variadic; Ed25519 takes no extra argument.
  EVP_PKEY* raw =
      EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");  // NOLINT(cppcoreguidelines-pro-type-vararg)
  if (raw == nullptr) {
    return key_error("Ed25519 key generation failed");
  }
  return SigningKey{JwsAlgorithm::eddsa, KeyHandle{raw, KeyDeleter{}}, {}};
}

Result<SigningKey> SigningKey::from_private_pem(std::string_view pem) {
  const Bio bio{BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free};
  if (!bio) {
    return key_error("cannot read PEM");
  }
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (raw == nullptr) {
    return key_error("not a PEM private key");
  }
  KeyHandle key{raw, KeyDeleter{}};
  if (EVP_PKEY_is_a(raw, "ED25519") == 1) {
    return SigningKey{JwsAlgorithm::eddsa, std::move(key), {}};
  }
  if (EVP_PKEY_is_a(raw, "RSA") == 1) {
    if (EVP_PKEY_get_bits(raw) < min_rsa_bits) {
      return key_error("RSA keys must have at least 2048 bits");
    }
    return SigningKey{JwsAlgorithm::rs256, std::move(key), {}};
  }
  return key_error("unsupported key type: use Ed25519 or RSA");
}

Result<SigningKey> SigningKey::ed25519_from_seed(std::span<const std::uint8_t> seed) {
  if (seed.size() != ed25519_seed_bytes) {
    return key_error("an Ed25519 seed is 32 bytes");
  }
  EVP_PKEY* raw = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size());
  if (raw == nullptr) {
    return key_error("invalid Ed25519 seed");
  }
  return SigningKey{JwsAlgorithm::eddsa, KeyHandle{raw, KeyDeleter{}}, {}};
}

Result<SigningKey> SigningKey::hs256_from_secret(std::span<const std::uint8_t> secret) {
  if (secret.size() < min_hmac_secret_bytes) {
    return key_error("HS256 secrets must be at least 32 bytes");
  }
  return SigningKey{JwsAlgorithm::hs256, nullptr, {secret.begin(), secret.end()}};
}

Result<std::vector<std::uint8_t>> SigningKey::sign(std::string_view input) const {
  if (algorithm_ == JwsAlgorithm::hs256) {
    std::vector<std::uint8_t> mac(EVP_MAX_MD_SIZE);
    unsigned int length = 0;
    if (HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
             reinterpret_cast<const unsigned char*>(input.data()),  // NOLINT: OpenSSL's bytes
             input.size(), mac.data(), &length) == nullptr) {
      return key_error("HMAC failed");
    }
    mac.resize(length);
    return mac;
  }
  const DigestContext context{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
  std::size_t length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());  // NOLINT
  if (!context ||
      EVP_DigestSignInit(context.get(), nullptr, digest_for(algorithm_), nullptr, key_.get()) !=
          1 ||
      EVP_DigestSign(context.get(), nullptr, &length, data, input.size()) != 1) {
    return key_error("signing failed");
  }
  std::vector<std::uint8_t> signature(length);
  if (EVP_DigestSign(context.get(), signature.data(), &length, data, input.size()) != 1) {
    return key_error("signing failed");
  }
  signature.resize(length);
  return signature;
}

bool SigningKey::verify(std::string_view input, std::span<const std::uint8_t> signature) const {
  if (algorithm_ == JwsAlgorithm::hs256) {
    const auto expected = sign(input);
    return expected && expected->size() == signature.size() &&
           CRYPTO_memcmp(expected->data(), signature.data(), signature.size()) == 0;
  }
  const DigestContext context{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
  return context &&
         EVP_DigestVerifyInit(context.get(), nullptr, digest_for(algorithm_), nullptr,
                              key_.get()) == 1 &&
         EVP_DigestVerify(context.get(), signature.data(), signature.size(),
                          reinterpret_cast<const unsigned char*>(input.data()),  // NOLINT
                          input.size()) == 1;
}

std::optional<std::string> SigningKey::public_jwk_members() const {
  switch (algorithm_) {
    case JwsAlgorithm::eddsa: {
      std::array<std::uint8_t, ed25519_seed_bytes> public_key{};
      std::size_t length = public_key.size();
      if (EVP_PKEY_get_raw_public_key(key_.get(), public_key.data(), &length) != 1) {
        return std::nullopt;
      }
      return R"({"crv":"Ed25519","kty":"OKP","x":")" + bytes_as_text(public_key) + "\"}";
    }
    case JwsAlgorithm::rs256: {
      const auto modulus = rsa_member(key_.get(), OSSL_PKEY_PARAM_RSA_N);
      const auto exponent = rsa_member(key_.get(), OSSL_PKEY_PARAM_RSA_E);
      if (!modulus || !exponent) {
        return std::nullopt;
      }
      return R"({"e":")" + *exponent + R"(","kty":"RSA","n":")" + *modulus + "\"}";
    }
    case JwsAlgorithm::hs256:
      break;
  }
  return std::nullopt;
}

std::optional<std::string> SigningKey::thumbprint() const {
  const auto members = public_jwk_members();
  if (!members) {
    return std::nullopt;
  }
  return bytes_as_text(sha256(*members));
}

std::array<std::uint8_t, 32> SigningKey::derive_secret(std::string_view purpose) const {
  std::vector<std::uint8_t> material = secret_;
  if (key_) {
    unsigned char* der = nullptr;
    const int length = i2d_PrivateKey(key_.get(), &der);
    if (length <= 0) {
      std::abort();  // an EVP_PKEY we loaded ourselves always encodes
    }
    const std::unique_ptr<unsigned char, void (*)(unsigned char*)> owned{
        der, [](unsigned char* bytes) { OPENSSL_free(bytes); }};
    material.assign(der, std::next(der, length));
    OPENSSL_cleanse(der, static_cast<std::size_t>(length));
  }
  std::array<std::uint8_t, 32> secret{};
  unsigned int length = 0;
  const auto* derived =
      HMAC(EVP_sha256(), material.data(), static_cast<int>(material.size()),
           reinterpret_cast<const unsigned char*>(purpose.data()),  // NOLINT: OpenSSL's bytes
           purpose.size(), secret.data(), &length);
  OPENSSL_cleanse(material.data(), material.size());
  if (derived == nullptr || length != secret.size()) {
    std::abort();  // HMAC-SHA-256 of bytes in memory cannot fail
  }
  return secret;
}

Result<std::string> SigningKey::private_pem() const {
  if (!key_) {
    return key_error("an HS256 secret has no PEM form");
  }
  const Bio bio{BIO_new(BIO_s_mem()), &BIO_free};
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return key_error("cannot write PEM");
  }
  char* data = nullptr;
  const auto length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

}  // namespace marketing_events::jwt
