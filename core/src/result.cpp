#include "marketing_events/result.hpp"

namespace marketing_events {

const char* to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::invalid_fields:
      return "invalid_fields";
    case ErrorCode::invalid_parameters:
      return "invalid_parameters";
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::conflict:
      return "conflict";
    case ErrorCode::version_mismatch:
      return "version_mismatch";
    case ErrorCode::unauthenticated:
      return "unauthenticated";
    case ErrorCode::too_many_attempts:
      return "too_many_attempts";
    case ErrorCode::unavailable:
      return "unavailable";
    case ErrorCode::internal:
      return "internal";
  }
  return "internal";
}

}  // namespace marketing_events
