#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "marketing_events/model/calendar_feed.hpp"

namespace marketing_events::http {

// Rendered feeds, kept for a short time so that pollers cost a lookup, not a render: bounded by
// total bytes (least recently used out first) and by age. Thread-safe.
class CalendarCache {
 public:
  struct Rendered {
    std::shared_ptr<const std::string> body;
    std::string tag;
  };

  // `ttl` zero keeps nothing. A body larger than a quarter of `max_bytes` is never kept.
  CalendarCache(std::chrono::milliseconds ttl, std::size_t max_bytes)
      : ttl_(ttl), max_bytes_(max_bytes) {}

  [[nodiscard]] std::optional<Rendered> find(const CalendarFeedId& feed,
                                             std::chrono::steady_clock::time_point now);
  void store(const CalendarFeedId& feed, Rendered rendered,
             std::chrono::steady_clock::time_point now);

  [[nodiscard]] std::size_t bytes() const;
  [[nodiscard]] std::size_t size() const;

 private:
  struct Entry {
    Rendered rendered;
    std::chrono::steady_clock::time_point expires;
    std::list<CalendarFeedId>::iterator recency;
  };
  struct IdHash {
    std::size_t operator()(const Uuid& id) const noexcept;
  };

  void erase(std::unordered_map<CalendarFeedId, Entry, IdHash>::iterator entry);

  std::chrono::milliseconds ttl_;
  std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::unordered_map<CalendarFeedId, Entry, IdHash> entries_;
  std::list<CalendarFeedId> recency_;  // most recently used first
  std::size_t bytes_ = 0;
};

}  // namespace marketing_events::http
