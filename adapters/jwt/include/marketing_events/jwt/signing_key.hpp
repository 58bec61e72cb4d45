#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/types.h>

#include "marketing_events/result.hpp"

namespace marketing_events::jwt {

// The JWS algorithms we sign with. The verifier accepts exactly the key's algorithm.
enum class JwsAlgorithm { eddsa, rs256, hs256 };

[[nodiscard]] const char* jws_name(JwsAlgorithm algorithm) noexcept;

// A key pinned to one algorithm. Asymmetric keys own an OpenSSL EVP_PKEY; HS256 keys own the
// secret. Thread-safe for concurrent sign/verify (each call makes its own context).
class SigningKey {
 public:
  // A fresh Ed25519 key (for development, or `keygen`).
  [[nodiscard]] static Result<SigningKey> generate_ed25519();
  // A private key in PEM: Ed25519 (EdDSA) or RSA of at least 2048 bits (RS256).
  [[nodiscard]] static Result<SigningKey> from_private_pem(std::string_view pem);
  // An Ed25519 key from its 32-byte seed (RFC 8037's "d").
  [[nodiscard]] static Result<SigningKey> ed25519_from_seed(std::span<const std::uint8_t> seed);
  // An HMAC-SHA256 secret of at least 32 bytes (RFC 7518 section 3.2).
  [[nodiscard]] static Result<SigningKey> hs256_from_secret(std::span<const std::uint8_t> secret);

  [[nodiscard]] JwsAlgorithm algorithm() const noexcept { return algorithm_; }

  [[nodiscard]] Result<std::vector<std::uint8_t>> sign(std::string_view input) const;
  [[nodiscard]] bool verify(std::string_view input, std::span<const std::uint8_t> signature) const;

  // The public key's RFC 7517 members without kid/alg/use (nullopt for HS256, which has no
  // public half), e.g. {"crv":"Ed25519","kty":"OKP","x":"..."}: RFC 7638's canonical form.
  [[nodiscard]] std::optional<std::string> public_jwk_members() const;
  // RFC 7638 SHA-256 thumbprint, base64url; nullopt for HS256.
  [[nodiscard]] std::optional<std::string> thumbprint() const;
  // A 256-bit secret for `purpose`, derived from the private key (HMAC-SHA-256 keyed by its
  // DER encoding, or by the HS256 secret): whatever holds this key can derive the same secret,
  // and nothing else can, so other state can be authenticated across restarts and replicas.
  [[nodiscard]] std::array<std::uint8_t, 32> derive_secret(std::string_view purpose) const;
  // PKCS#8 PEM of the private key (asymmetric keys only).
  [[nodiscard]] Result<std::string> private_pem() const;

 private:
  struct KeyDeleter {
    void operator()(EVP_PKEY* key) const noexcept;
  };
  using KeyHandle = std::shared_ptr<EVP_PKEY>;

  SigningKey(JwsAlgorithm algorithm, KeyHandle key, std::vector<std::uint8_t> secret);

  JwsAlgorithm algorithm_;
  KeyHandle key_;  // shared: the key is immutable, copies are cheap
  std::vector<std::uint8_t> secret_;
};

}  // namespace marketing_events::jwt
