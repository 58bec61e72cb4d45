#pragma once

#include <string>
#include <vector>

#include "marketing_events/result.hpp"

namespace marketing_events::testing {

// The names of the fields an error reports, in its order.
inline std::vector<std::string> field_names(const Error& error) {
  std::vector<std::string> names;
  names.reserve(error.fields.size());
  for (const auto& field : error.fields) {
    names.push_back(field.field);
  }
  return names;
}

}  // namespace marketing_events::testing
