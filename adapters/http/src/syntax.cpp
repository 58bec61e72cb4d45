#include "marketing_events/http/syntax.hpp"

#include <algorithm>

#include "marketing_events/model/text.hpp"

namespace marketing_events::http {

std::string_view trim_whitespace(std::string_view text) noexcept {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return lower(x) == lower(y); });
}

std::vector<std::string_view> split_list(std::string_view list) {
  std::vector<std::string_view> elements;
  while (true) {
    const auto comma = list.find(',');
    const auto element = trim_whitespace(list.substr(0, comma));
    if (!element.empty()) {
      elements.push_back(element);
    }
    if (comma == std::string_view::npos) {
      return elements;
    }
    list.remove_prefix(comma + 1);
  }
}

}  // namespace marketing_events::http
