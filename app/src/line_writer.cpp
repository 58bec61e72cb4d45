#include "line_writer.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace events_api {

namespace {

// Threads are numbered as they first append; a thread's number picks its shard in every
// writer, so its lines stay in one shard, in order.
std::size_t this_threads_number() {
  static std::atomic<std::size_t> threads_seen{0};
  thread_local const std::size_t number = threads_seen.fetch_add(1);
  return number;
}

std::size_t shard_count(std::size_t asked) {
  return asked != 0
             ? asked
             : std::max<std::size_t>(8, std::size_t{2} * std::thread::hardware_concurrency());
}

}  // namespace

LineWriter::LineWriter(Write write, std::size_t max_bytes, std::chrono::milliseconds interval,
                       std::size_t shards)
    : write_(std::move(write)),
      interval_(interval),
      shards_([count = shard_count(shards)] {
        std::vector<std::unique_ptr<Shard>> made;
        for (std::size_t index = 0; index < count; ++index) {
          made.push_back(std::make_unique<Shard>());
        }
        return made;
      }()),
      max_bytes_(max_bytes),
      thread_([this](const std::stop_token& stop) { run(stop); }) {}

LineWriter::~LineWriter() {
  thread_.request_stop();
  thread_.join();
  write_pending();  // what came in after the last batch
}

LineWriter::Shard& LineWriter::shard_of_this_thread() {
  return *shards_[this_threads_number() % shards_.size()];
}

void LineWriter::append(std::string_view line) {
  // The bound is for all shards together: one counter, changed once a line (no lock).
  const auto size = line.size() + 1;
  const auto before = buffered_.fetch_add(size, std::memory_order_relaxed);
  auto& shard = shard_of_this_thread();
  if (before + size > max_bytes_) {
    buffered_.fetch_sub(size, std::memory_order_relaxed);
    const std::scoped_lock lock(shard.mutex);
    ++shard.dropped;
    return;
  }
  {
    const std::scoped_lock lock(shard.mutex);
    shard.pending.append(line);
    shard.pending += '\n';
  }
  if (before <= max_bytes_ / 4 && before + size > max_bytes_ / 4) {
    {
      const std::scoped_lock lock(wake_mutex_);
      wake_wanted_ = true;
    }
    wake_.notify_one();
  }
}

std::size_t LineWriter::dropped() const {
  std::size_t total = 0;
  for (const auto& shard : shards_) {
    const std::scoped_lock lock(shard->mutex);
    total += shard->dropped;
  }
  return total;
}

void LineWriter::write_pending() {
  // A shard's strings may grow to the whole bound in a burst; beyond their share of it, they
  // are not kept afterwards.
  const auto kept_capacity = max_bytes_ / shards_.size();
  for (const auto& shard : shards_) {
    {
      // Only swapped under the lock: appending to this shard waits for no copy, nor for stdout.
      const std::scoped_lock lock(shard->mutex);
      shard->pending.swap(shard->writing);
    }
    if (!shard->writing.empty()) {
      write_(shard->writing);
      buffered_.fetch_sub(shard->writing.size(), std::memory_order_relaxed);
      shard->writing.clear();  // keeps its capacity: no allocation while the rate holds
    }
    if (shard->writing.capacity() > kept_capacity) {
      shard->writing.shrink_to_fit();
    }
  }
}

void LineWriter::run(const std::stop_token& stop) {
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(wake_mutex_);
      wake_.wait_for(lock, stop, interval_, [this] { return wake_wanted_; });
      wake_wanted_ = false;
    }
    write_pending();
  }
}

LineWriter::Write write_to(int descriptor) {
  return [descriptor](std::string_view batch) {
    while (!batch.empty()) {
      const auto written = ::write(descriptor, batch.data(), batch.size());
      if (written < 0 && errno == EINTR) {
        continue;
      }
      if (written <= 0) {
        return;  // nowhere to write (closed stdout): the lines are lost, the service goes on
      }
      batch.remove_prefix(static_cast<std::size_t>(written));
    }
  };
}

}  // namespace events_api
