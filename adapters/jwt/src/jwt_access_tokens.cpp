#include "marketing_events/jwt/jwt_access_tokens.hpp"

#include <boost/json.hpp>
#include <cmath>

#include "marketing_events/crypto/encoding.hpp"

namespace marketing_events::jwt {
namespace {

namespace json = boost::json;
using crypto::base64url_decode;
using crypto::base64url_encode;

// Far above any token we issue; bounds the work an attacker can make us do.
constexpr std::size_t max_token_length = 4096;
constexpr std::size_t json_max_depth = 4;

Error rejected(std::string why) {
  return Error::of(ErrorCode::unauthenticated, std::move(why));
}

std::string encode_text(std::string_view text) {
  return base64url_encode(
      std::span{reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});  // NOLINT
}

std::optional<json::object> decode_object(std::string_view part) {
  const auto bytes = base64url_decode(part);
  if (!bytes) {
    return std::nullopt;
  }
  json::parse_options options;
  options.max_depth = json_max_depth;
  std::error_code error;
  auto value = json::parse(
      json::string_view{reinterpret_cast<const char*>(bytes->data()), bytes->size()},  // NOLINT
      error, {}, options);
  if (error || !value.is_object()) {
    return std::nullopt;
  }
  // value.as_object() is a member of a local, not a local: without the move it is copied.
  // cppcheck-suppress returnStdMoveLocal
  return std::move(value.as_object());
}

std::optional<std::string_view> string_member(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) {
    return std::nullopt;
  }
  const auto& text = value->get_string();
  return std::string_view{text.data(), text.size()};
}

// RFC 7519 NumericDate: seconds since the epoch, possibly fractional.
std::optional<Instant> date_member(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) {
    return std::nullopt;
  }
  double seconds = 0;
  if (value->is_int64()) {
    seconds = static_cast<double>(value->get_int64());
  } else if (value->is_uint64()) {
    seconds = static_cast<double>(value->get_uint64());
  } else if (value->is_double() && std::isfinite(value->get_double())) {
    seconds = value->get_double();
  } else {
    return std::nullopt;
  }
  constexpr double max_seconds = 253'402'300'799.0;  // 9999-12-31T23:59:59Z
  if (seconds < 0 || seconds > max_seconds) {
    return std::nullopt;
  }
  return Instant{std::chrono::microseconds{static_cast<std::int64_t>(seconds * 1e6)}};
}

bool audience_matches(const json::object& payload, std::string_view audience) {
  const auto* value = payload.if_contains("aud");
  if (value == nullptr) {
    return false;
  }
  if (value->is_string()) {
    return value->get_string() == audience;
  }
  if (value->is_array()) {
    for (const auto& item : value->get_array()) {
      if (item.is_string() && item.get_string() == audience) {
        return true;
      }
    }
  }
  return false;
}

std::int64_t unix_seconds(Instant instant) {
  return std::chrono::duration_cast<std::chrono::seconds>(instant.time_since_epoch()).count();
}

}  // namespace

JwtAccessTokens::JwtAccessTokens(SigningKey key, JwtSettings settings)
    : key_(std::move(key)), settings_(std::move(settings)) {
  if (settings_.key_id.empty()) {
    settings_.key_id = key_.thumbprint().value_or("hs256");
  }
  const json::object header{
      {"alg", jws_name(key_.algorithm())}, {"typ", "JWT"}, {"kid", settings_.key_id}};
  encoded_header_ = encode_text(json::serialize(header));
}

Result<std::string> JwtAccessTokens::issue(const AccessTokenClaims& claims) {
  const json::object payload{
      {"iss", settings_.issuer},
      {"aud", settings_.audience},
      {"sub", claims.subject.to_string()},
      {"jti", claims.token_id.to_string()},
      {"iat", unix_seconds(claims.issued_at)},
      {"nbf", unix_seconds(claims.issued_at)},
      {"exp", unix_seconds(claims.expires_at)},
  };
  auto input = encoded_header_ + "." + encode_text(json::serialize(payload));
  const auto signature = key_.sign(input);
  if (!signature) {
    return signature.error();
  }
  input += ".";
  input += base64url_encode(signature.value());
  return input;
}

Result<AccessTokenClaims> JwtAccessTokens::verify(std::string_view token, Instant now) const {
  if (token.size() > max_token_length) {
    return rejected("token too long");
  }
  const auto first_dot = token.find('.');
  const auto second_dot = token.find('.', first_dot + 1);
  if (first_dot == std::string_view::npos || second_dot == std::string_view::npos ||
      token.find('.', second_dot + 1) != std::string_view::npos) {
    return rejected("not a compact JWS");
  }
  const auto header = decode_object(token.substr(0, first_dot));
  if (!header) {
    return rejected("malformed header");
  }
  // The algorithm is pinned: whatever the header claims, only the key's own is accepted.
  if (string_member(*header, "alg") != std::string_view{jws_name(key_.algorithm())}) {
    return rejected("unexpected algorithm");
  }
  if (header->contains("crit")) {
    return rejected("critical header parameters are not understood");
  }
  if (header->contains("kid") && string_member(*header, "kid") != settings_.key_id) {
    return rejected("unknown key id");
  }
  const auto signature = base64url_decode(token.substr(second_dot + 1));
  if (!signature || !key_.verify(token.substr(0, second_dot), *signature)) {
    return rejected("bad signature");
  }

  const auto payload = decode_object(token.substr(first_dot + 1, second_dot - first_dot - 1));
  if (!payload) {
    return rejected("malformed claims");
  }
  if (string_member(*payload, "iss") != std::string_view{settings_.issuer}) {
    return rejected("wrong issuer");
  }
  if (!audience_matches(*payload, settings_.audience)) {
    return rejected("wrong audience");
  }
  const auto expires_at = date_member(*payload, "exp");
  const auto issued_at = date_member(*payload, "iat");
  if (!expires_at || !issued_at) {
    return rejected("exp and iat are required");
  }
  if (now >= *expires_at + settings_.leeway) {
    return rejected("expired");
  }
  if (*issued_at > now + settings_.leeway) {
    return rejected("issued in the future");
  }
  if (payload->contains("nbf")) {
    const auto not_before = date_member(*payload, "nbf");
    if (!not_before || *not_before > now + settings_.leeway) {
      return rejected("not yet valid");
    }
  }
  const auto subject = string_member(*payload, "sub");
  const auto token_id = string_member(*payload, "jti");
  const auto subject_id = subject ? Uuid::parse(*subject) : std::nullopt;
  const auto token_uuid = token_id ? Uuid::parse(*token_id) : std::nullopt;
  if (!subject_id || !token_uuid) {
    return rejected("sub and jti must be UUIDs");
  }
  return AccessTokenClaims{*subject_id, *token_uuid, *issued_at, *expires_at};
}

std::string JwtAccessTokens::jwks() const {
  const auto members = key_.public_jwk_members();
  if (!members) {
    return R"({"keys":[]})";
  }
  auto key = json::parse(*members).as_object();
  key["kid"] = settings_.key_id;
  key["alg"] = jws_name(key_.algorithm());
  key["use"] = "sig";
  return json::serialize(json::object{{"keys", json::array{std::move(key)}}});
}

}  // namespace marketing_events::jwt
