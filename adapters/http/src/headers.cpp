#include "marketing_events/http/headers.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

#include "marketing_events/http/syntax.hpp"

namespace marketing_events::http {
namespace {

constexpr std::size_t max_request_id_length = 128;

// "v<digits>" in quotes, as entity_tag writes it; nullopt for anything else.
std::optional<EventVersion> version_in(std::string_view tag) {
  if (tag.size() < 4 || !tag.starts_with("\"v") || !tag.ends_with('"')) {
    return std::nullopt;
  }
  const auto digits = tag.substr(2, tag.size() - 3);
  EventVersion version = 0;
  const auto* end = digits.data() + digits.size();  // NOLINT(*-pointer-arithmetic): from_chars
  const auto [stop, error] = std::from_chars(digits.data(), end, version);
  if (error != std::errc{} || stop != end || version <= 0) {
    return std::nullopt;
  }
  return version;
}

}  // namespace

std::optional<std::string_view> bearer_token(std::string_view authorization) {
  authorization = trim_whitespace(authorization);
  const auto space = authorization.find(' ');
  if (space == std::string_view::npos || !iequals(authorization.substr(0, space), "bearer")) {
    return std::nullopt;
  }
  const auto token = trim_whitespace(authorization.substr(space + 1));
  if (token.empty() || token.find(' ') != std::string_view::npos) {
    return std::nullopt;
  }
  return token;
}

std::string entity_tag(EventVersion version) {
  return "\"v" + std::to_string(version) + "\"";
}

VersionCondition version_condition(std::optional<std::string_view> if_match) {
  if (!if_match) {
    return {};
  }
  std::vector<EventVersion> versions;
  for (const auto tag : split_list(*if_match)) {
    if (tag == "*") {
      return {};
    }
    if (const auto version = version_in(tag)) {
      versions.push_back(*version);
    }
  }
  return VersionCondition::one_of(std::move(versions));
}

bool is_acceptable_request_id(std::string_view id) {
  return !id.empty() && id.size() <= max_request_id_length &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == ':' || c == '-';
         });
}

}  // namespace marketing_events::http
