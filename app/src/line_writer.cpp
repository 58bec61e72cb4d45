#include "line_writer.hpp"

#include <unistd.h>

#include <cerrno>

namespace events_api {

LineWriter::LineWriter(Write write, std::size_t max_bytes, std::chrono::milliseconds interval)
    : write_(std::move(write)),
      max_bytes_(max_bytes),
      interval_(interval),
      thread_([this](const std::stop_token& stop) { run(stop); }) {}

LineWriter::~LineWriter() {
  thread_.request_stop();
  thread_.join();
  write_(pending_);  // what came in after the last batch
}

void LineWriter::append(std::string_view line) {
  bool large = false;
  {
    const std::scoped_lock lock(mutex_);
    if (pending_.size() + line.size() + 1 > max_bytes_) {
      ++dropped_;
      return;
    }
    pending_.append(line);
    pending_ += '\n';
    large = pending_.size() > max_bytes_ / 4;
  }
  if (large) {
    wake_.notify_one();
  }
}

std::size_t LineWriter::dropped() const {
  const std::scoped_lock lock(mutex_);
  return dropped_;
}

void LineWriter::run(const std::stop_token& stop) {
  std::string batch;
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, stop, interval_, [this] { return pending_.size() > max_bytes_ / 4; });
      batch.swap(pending_);
    }
    if (!batch.empty()) {
      write_(batch);
      batch.clear();
    }
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
