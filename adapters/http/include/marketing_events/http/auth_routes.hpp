#pragma once

#include <vector>

#include "marketing_events/http/route.hpp"
#include "marketing_events/use_cases/auth_service.hpp"

namespace marketing_events::http {

struct AuthRoutesSettings {
  bool allow_registration = true;  // false: POST /api/v1/auth/register is an unknown route
};

// /api/v1/auth/* and /api/v1/me: registration, login, the refresh-token lifecycle.
[[nodiscard]] std::vector<Route> auth_routes(AuthService& auth, AuthRoutesSettings settings);

}  // namespace marketing_events::http
