#include "marketing_events/http/route.hpp"

namespace marketing_events::http {
namespace {

// "/a/b/c" → {"a", "b", "c"}; "/" → {""}; a target without a leading '/' splits into nothing
// that a template can match.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path.front() != '/') {
    return segments;
  }
  path.remove_prefix(1);
  while (true) {
    const auto slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) {
      return segments;
    }
    path.remove_prefix(slash + 1);
  }
}

bool is_capture(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool matches(const std::vector<std::string_view>& pattern,
             const std::vector<std::string_view>& segments,
             std::vector<std::string_view>& captures) {
  if (pattern.size() != segments.size()) {
    return false;
  }
  captures.clear();
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (is_capture(pattern[i]) && !segments[i].empty()) {
      captures.push_back(segments[i]);
    } else if (pattern[i] != segments[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

RouteTable::RouteTable(std::vector<Route> routes) : routes_(std::move(routes)) {
  for (const auto& route : routes_) {
    segments_.push_back(split_path(route.path));
  }
}

Dispatch RouteTable::match(boost::beast::http::verb method, std::string_view target) const {
  Dispatch dispatch;
  const auto question = target.find('?');
  const auto path = target.substr(0, question);
  if (question != std::string_view::npos) {
    dispatch.query = target.substr(question + 1);
  }
  const auto segments = split_path(path);
  std::vector<std::string_view> captures;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const auto& route = routes_[i];
    if (!matches(segments_[i], segments, captures)) {
      continue;
    }
    dispatch.route_template = route.path;
    dispatch.allowed += dispatch.allowed.empty() ? "" : ", ";
    const auto name = boost::beast::http::to_string(route.method);
    dispatch.allowed.append(name.data(), name.size());
    if (route.method == method && dispatch.route == nullptr) {
      dispatch.route = &route;
      dispatch.captures = captures;
    }
  }
  return dispatch;
}

}  // namespace marketing_events::http
