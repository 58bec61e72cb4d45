#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace events_api {

// Lines written in batches by a background thread: a caller appends its line to a bounded
// buffer and returns, without waking anyone; the thread wakes every `interval` (sooner when
// the buffer passes a quarter of its size) and writes what has gathered in one go. So a
// request never waits for stdout, and writing costs a few system calls a second, not one
// wake-up per line. A line that finds the buffer full is dropped and counted. Destroying the
// writer writes everything still buffered.
class LineWriter {
 public:
  using Write = std::function<void(std::string_view batch)>;

  LineWriter(Write write, std::size_t max_bytes,
             std::chrono::milliseconds interval = std::chrono::milliseconds{20});
  LineWriter(const LineWriter&) = delete;
  LineWriter& operator=(const LineWriter&) = delete;
  LineWriter(LineWriter&&) = delete;
  LineWriter& operator=(LineWriter&&) = delete;
  ~LineWriter();

  // Appends `line` and a line break.
  void append(std::string_view line);
  [[nodiscard]] std::size_t dropped() const;

 private:
  void run(const std::stop_token& stop);

  Write write_;
  std::size_t max_bytes_;
  std::chrono::milliseconds interval_;
  mutable std::mutex mutex_;
  std::condition_variable_any wake_;
  std::string pending_;
  std::size_t dropped_ = 0;
  std::jthread thread_;  // last: started once everything it uses exists
};

// Writes a batch to a file descriptor (stdout), retrying short writes.
[[nodiscard]] LineWriter::Write write_to(int descriptor);

}  // namespace events_api
