#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace events_api {

// Lines written in batches by a background thread: a caller appends its line to a bounded
// buffer and returns, without waking anyone; the thread wakes every `interval` (sooner when
// the buffer passes a quarter of its size) and writes what has gathered. So a request never
// waits for stdout, and writing costs a few system calls a second, not one wake-up per line.
// A line that finds the buffer full is dropped and counted. Destroying the writer writes
// everything still buffered.
//
// The buffer is split in shards, one per appending thread (threads are numbered as they
// first append, and share shards beyond `shards`), each with its own lock and written as one
// batch; the bound is one counter for all, changed without a lock. With one lock for the
// whole buffer, requests on different cores met on it, and a meeting cost a futex call.
// Each thread's lines keep their order; lines of different threads may be written up to one
// batch out of order.
class LineWriter {
 public:
  using Write = std::function<void(std::string_view batch)>;

  // `max_bytes` bounds all the shards together. `shards`: 0 for twice the cores, at least 8.
  LineWriter(Write write, std::size_t max_bytes,
             std::chrono::milliseconds interval = std::chrono::milliseconds{20},
             std::size_t shards = 0);
  LineWriter(const LineWriter&) = delete;
  LineWriter& operator=(const LineWriter&) = delete;
  LineWriter(LineWriter&&) = delete;
  LineWriter& operator=(LineWriter&&) = delete;
  ~LineWriter();

  // Appends `line` and a line break.
  void append(std::string_view line);
  [[nodiscard]] std::size_t dropped() const;

 private:
  // On a cache line of its own, so that threads appending to neighbours do not share one.
  struct alignas(64) Shard {
    mutable std::mutex mutex;
    std::string pending;
    std::string writing;  // the last batch taken from `pending`: the writing thread's only
    std::size_t dropped = 0;
  };

  Shard& shard_of_this_thread();
  void write_pending();  // writes each shard's lines, one batch per shard
  void run(const std::stop_token& stop);

  Write write_;
  std::chrono::milliseconds interval_;
  std::vector<std::unique_ptr<Shard>> shards_;  // fixed at construction
  std::size_t max_bytes_;
  std::atomic<std::size_t> buffered_{0};  // in all shards, and in the batch being written
  std::mutex wake_mutex_;
  std::condition_variable_any wake_;
  bool wake_wanted_ = false;  // a shard passed a quarter of its size (under wake_mutex_)
  std::jthread thread_;       // last: started once everything it uses exists
};

// Writes a batch to a file descriptor (stdout), retrying short writes.
[[nodiscard]] LineWriter::Write write_to(int descriptor);

}  // namespace events_api
