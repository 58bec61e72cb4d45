#include "marketing_events/http/route.hpp"

#include <array>
#include <optional>

namespace marketing_events::http {
namespace {

// Up to this many segments; no route has more, so a longer path matches nothing.
constexpr std::size_t max_segments = 8;

// A path's segments without an allocation: "/a/b/c" → {"a", "b", "c"}; "/" → {""}.
struct Segments {
  std::array<std::string_view, max_segments> items{};
  std::size_t count = 0;
  bool too_many = false;

  [[nodiscard]] std::size_t size() const noexcept { return count; }
  [[nodiscard]] std::string_view operator[](std::size_t index) const { return items.at(index); }
};

// A target without a leading '/' splits into nothing that a template can match.
Segments split_path(std::string_view path) {
  Segments segments;
  if (path.empty() || path.front() != '/') {
    return segments;
  }
  path.remove_prefix(1);
  while (true) {
    if (segments.count == max_segments) {
      segments.too_many = true;
      return segments;
    }
    const auto slash = path.find('/');
    segments.items.at(segments.count++) = path.substr(0, slash);
    if (slash == std::string_view::npos) {
      return segments;
    }
    path.remove_prefix(slash + 1);
  }
}

// A template segment "{name}" or "{name}suffix": the literal suffix after the closing brace
// ("" for none), or nullopt for a literal segment.
std::optional<std::string_view> capture_suffix(std::string_view segment) {
  const auto close = segment.find('}');
  if (segment.size() < 3 || segment.front() != '{' || close == std::string_view::npos ||
      close < 2) {
    return std::nullopt;
  }
  return segment.substr(close + 1);
}

template <typename Pattern>
bool matches(const Pattern& pattern, const Segments& segments,
             std::vector<std::string_view>& captures) {
  if (segments.too_many || pattern.size() != segments.size()) {
    return false;
  }
  captures.clear();
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const auto segment = segments[i];
    if (const auto suffix = capture_suffix(pattern[i])) {
      if (segment.size() <= suffix->size() || !segment.ends_with(*suffix)) {
        return false;
      }
      captures.push_back(segment.substr(0, segment.size() - suffix->size()));
    } else if (pattern[i] != segment) {
      return false;
    }
  }
  return true;
}

}  // namespace

RouteTable::RouteTable(std::vector<Route> routes) : routes_(std::move(routes)) {
  for (const auto& route : routes_) {
    const auto split = split_path(route.path);
    segments_.emplace_back(split.items.begin(),
                           split.items.begin() + static_cast<std::ptrdiff_t>(split.count));
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
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const auto& route = routes_[i];
    if (!matches(segments_[i], segments, dispatch.captures)) {
      continue;
    }
    dispatch.route_template = route.path;
    dispatch.path_known = true;
    if (route.method == method) {
      dispatch.route = &route;
      return dispatch;
    }
  }
  dispatch.captures.clear();
  return dispatch;
}

std::string RouteTable::allowed(std::string_view target) const {
  const auto segments = split_path(target.substr(0, target.find('?')));
  std::string methods;
  std::vector<std::string_view> captures;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    if (matches(segments_[i], segments, captures)) {
      const auto name = boost::beast::http::to_string(routes_[i].method);
      methods.append(methods.empty() ? "" : ", ").append(name.data(), name.size());
    }
  }
  return methods;
}

}  // namespace marketing_events::http
