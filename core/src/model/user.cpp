#include "marketing_events/model/user.hpp"

#include <algorithm>
#include <vector>

#include "marketing_events/model/text.hpp"

namespace marketing_events {
namespace {

constexpr std::size_t max_local_part_length = 64;
constexpr std::size_t max_domain_label_length = 63;

bool is_control_or_space(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte <= 0x20U || byte == 0x7FU;
}

bool is_valid_domain(std::string_view domain) {
  if (domain.find('.') == std::string_view::npos) {
    return false;
  }
  std::size_t label_start = 0;
  while (label_start <= domain.size()) {
    const auto dot = domain.find('.', label_start);
    const auto label_end = dot == std::string_view::npos ? domain.size() : dot;
    const auto label = domain.substr(label_start, label_end - label_start);
    if (label.empty() || label.size() > max_domain_label_length || label.front() == '-' ||
        label.back() == '-') {
      return false;
    }
    if (dot == std::string_view::npos) {
      break;
    }
    label_start = dot + 1;
  }
  return true;
}

// Deliberately simple: one '@', a plausible local part and a dotted domain. Full RFC 5322
// syntax accepts addresses no mail system delivers to; confirmation mails are the real test.
bool looks_like_address(std::string_view email) {
  const auto at = email.find('@');
  if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const auto local = email.substr(0, at);
  const auto domain = email.substr(at + 1);
  if (local.empty() || local.size() > max_local_part_length ||
      std::any_of(email.begin(), email.end(), is_control_or_space)) {
    return false;
  }
  return is_valid_domain(domain);
}

}  // namespace

std::string normalize_email(std::string_view raw) {
  return text::ascii_lower(text::trim(raw));
}

namespace {

// The e-mail rules of registration and login; returns the normalised address.
std::string check_email(std::string_view email, std::vector<FieldError>& errors) {
  if (!text::code_point_count(email)) {
    errors.push_back({"email", "must be valid UTF-8"});
  } else if (text::contains_nul(email)) {
    errors.push_back({"email", "must not contain NUL characters"});
  } else {
    auto normalized = normalize_email(email);
    if (normalized.empty()) {
      errors.push_back({"email", "is required"});
    } else if (text::code_point_count(normalized).value_or(0) > max_email_length) {
      errors.push_back({"email", "must be at most 254 characters"});
    } else if (!looks_like_address(normalized)) {
      errors.push_back({"email", "must be an e-mail address"});
    } else {
      return normalized;
    }
  }
  return {};
}

// The password's encoding and length, in code points, within [minimum, max_password_length].
void check_password(std::string_view password, std::size_t minimum,
                    std::vector<FieldError>& errors) {
  const auto length = text::code_point_count(password);
  if (!length) {
    errors.push_back({"password", "must be valid UTF-8"});
  } else if (text::contains_nul(password)) {
    errors.push_back({"password", "must not contain NUL characters"});
  } else if (*length == 0) {
    errors.push_back({"password", "is required"});
  } else if (*length < minimum || *length > max_password_length) {
    errors.push_back({"password", minimum > 1 ? "must be 8 to 128 characters"
                                              : "must be at most 128 characters"});
  }
}

}  // namespace

Result<Credentials> validate_credentials(std::string_view email, std::string_view password) {
  std::vector<FieldError> errors;
  auto normalized = check_email(email, errors);
  check_password(password, min_password_length, errors);
  if (!errors.empty()) {
    return Error::invalid(ErrorCode::invalid_fields, std::move(errors));
  }
  return Credentials{std::move(normalized), std::string(password)};
}

Result<Credentials> validate_login(std::string_view email, std::string_view password) {
  std::vector<FieldError> errors;
  auto normalized = check_email(email, errors);
  check_password(password, 1, errors);
  if (!errors.empty()) {
    return Error::invalid(ErrorCode::invalid_fields, std::move(errors));
  }
  return Credentials{std::move(normalized), std::string(password)};
}

}  // namespace marketing_events
