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
      shard_bytes_(max_bytes / shards_.size()),
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
  auto& shard = shard_of_this_thread();
  bool passed_a_quarter = false;
  {
    const std::scoped_lock lock(shard.mutex);
    const auto before = shard.pending.size();
    if (before + line.size() + 1 > shard_bytes_) {
      ++shard.dropped;
      return;
    }
    shard.pending.append(line);
    shard.pending += '\n';
    passed_a_quarter = before <= shard_bytes_ / 4 && shard.pending.size() > shard_bytes_ / 4;
  }
  if (passed_a_quarter) {
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
  for (const auto& shard : shards_) {
    {
      // Only swapped under the lock: appending to this shard waits for no copy, nor for stdout.
      const std::scoped_lock lock(shard->mutex);
      shard->pending.swap(shard->writing);
    }
    if (!shard->writing.empty()) {
      write_(shard->writing);
      shard->writing.clear();  // keeps its capacity: no allocation while the rate holds
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
