#include "marketing_events/http/calendar_cache.hpp"

namespace marketing_events::http {

std::size_t CalendarCache::IdHash::operator()(const Uuid& id) const noexcept {
  // UUIDv7: the last eight bytes are random.
  std::size_t hash = 0;
  for (std::size_t i = 8; i < id.bytes().size(); ++i) {
    hash = (hash << 8U) | id.bytes().at(i);
  }
  return hash;
}

std::optional<CalendarCache::Rendered> CalendarCache::find(
    const CalendarFeedId& feed, std::chrono::steady_clock::time_point now) {
  const std::scoped_lock lock(mutex_);
  const auto found = entries_.find(feed);
  if (found == entries_.end()) {
    return std::nullopt;
  }
  if (found->second.expires <= now) {
    erase(found);
    return std::nullopt;
  }
  recency_.splice(recency_.begin(), recency_, found->second.recency);
  return found->second.rendered;
}

void CalendarCache::store(const CalendarFeedId& feed, Rendered rendered,
                          std::chrono::steady_clock::time_point now) {
  const auto size = rendered.body->size() + rendered.tag.size();
  if (ttl_.count() <= 0 || size > max_bytes_ / 4) {
    return;
  }
  const std::scoped_lock lock(mutex_);
  if (const auto found = entries_.find(feed); found != entries_.end()) {
    erase(found);
  }
  while (bytes_ + size > max_bytes_ && !recency_.empty()) {
    erase(entries_.find(recency_.back()));
  }
  recency_.push_front(feed);
  entries_.emplace(feed, Entry{std::move(rendered), now + ttl_, recency_.begin()});
  bytes_ += size;
}

void CalendarCache::erase(std::unordered_map<CalendarFeedId, Entry, IdHash>::iterator entry) {
  bytes_ -= entry->second.rendered.body->size() + entry->second.rendered.tag.size();
  recency_.erase(entry->second.recency);
  entries_.erase(entry);
}

std::size_t CalendarCache::bytes() const {
  const std::scoped_lock lock(mutex_);
  return bytes_;
}

std::size_t CalendarCache::size() const {
  const std::scoped_lock lock(mutex_);
  return entries_.size();
}

}  // namespace marketing_events::http
