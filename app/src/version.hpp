#pragma once

#include <string_view>

namespace events_api {

// The project version (CMakeLists.txt) and the source revision it was built from (`git
// describe`, or MARKETING_EVENTS_REVISION where the build has no .git; "unknown" otherwise).
[[nodiscard]] std::string_view version();
[[nodiscard]] std::string_view revision();

}  // namespace events_api
