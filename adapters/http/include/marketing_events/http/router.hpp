#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace marketing_events::http {

// Routes by method and path template ("/api/v1/events/{id}"). A template segment in braces
// matches one non-empty path segment and is captured.
template <typename Handler>
class Router {
 public:
  struct Match {
    const Handler* handler = nullptr;  // null: no route for this method (see allowed)
    std::string route;                 // the template, for logs and metrics
    std::vector<std::string_view> captures;
    std::string allowed;  // for 405: the methods the path does have, comma-separated
  };

  void add(std::string method, std::string path_template, Handler handler) {
    std::vector<std::string> segments;
    for (const auto segment : split(path_template)) {
      segments.emplace_back(segment);
    }
    routes_.push_back(Route{std::move(method), std::move(segments), std::move(path_template),
                            std::move(handler)});
  }

  // nullopt: no route has this path (404). A match without a handler: wrong method (405).
  [[nodiscard]] std::optional<Match> match(std::string_view method, std::string_view path) const {
    const auto segments = split(path);
    std::optional<Match> found;
    for (const auto& route : routes_) {
      std::vector<std::string_view> captures;
      if (!matches(route.segments, segments, captures)) {
        continue;
      }
      if (!found) {
        found = Match{nullptr, route.path_template, {}, {}};
      }
      found->allowed += found->allowed.empty() ? "" : ", ";
      found->allowed += route.method;
      if (route.method == method && found->handler == nullptr) {
        found->handler = &route.handler;
        found->captures = std::move(captures);
      }
    }
    return found;
  }

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    std::string path_template;
    Handler handler;
  };

  static std::vector<std::string_view> split(std::string_view path) {
    std::vector<std::string_view> segments;
    std::size_t start = 1;  // paths start with '/'
    while (start <= path.size()) {
      const auto slash = path.find('/', start);
      const auto end = slash == std::string_view::npos ? path.size() : slash;
      segments.push_back(path.substr(start, end - start));
      start = end + 1;
    }
    return segments;
  }

  static bool matches(const std::vector<std::string>& pattern,
                      const std::vector<std::string_view>& segments,
                      std::vector<std::string_view>& captures) {
    if (pattern.size() != segments.size()) {
      return false;
    }
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      const bool is_capture =
          pattern[i].size() > 2 && pattern[i].front() == '{' && pattern[i].back() == '}';
      if (is_capture && !segments[i].empty()) {
        captures.push_back(segments[i]);
      } else if (pattern[i] != segments[i]) {
        return false;
      }
    }
    return true;
  }

  std::vector<Route> routes_;
};

}  // namespace marketing_events::http
