#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

namespace marketing_events::http {

// Threads that run the handlers posted to their executor. `niceness` above 0 lowers their
// scheduling priority (Linux's per-thread nice value), so that the threads serving requests
// win the CPU over them — for password hashing, which would otherwise take both cores.
class WorkerThreads {
 public:
  WorkerThreads(std::size_t count, int niceness);
  WorkerThreads(const WorkerThreads&) = delete;
  WorkerThreads& operator=(const WorkerThreads&) = delete;
  WorkerThreads(WorkerThreads&&) = delete;
  WorkerThreads& operator=(WorkerThreads&&) = delete;
  ~WorkerThreads();  // finishes nothing more: stops and joins

  [[nodiscard]] boost::asio::io_context::executor_type executor() noexcept {
    return context_.get_executor();
  }
  [[nodiscard]] std::size_t size() const noexcept { return threads_.size(); }

 private:
  boost::asio::io_context context_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::jthread> threads_;
};

// The cores this process may use: its CPU affinity, and in a container its CPU quota (cgroup v2
// cpu.max or v1 cfs quota), rounded up; at least 1. hardware_concurrency() would count every
// core of the host.
[[nodiscard]] std::size_t available_cores();

// Puts the calling thread under Linux's SCHED_BATCH policy (same priority, no privilege
// needed): once woken, it waits for the running thread's turn to end instead of preempting it.
// An empty string when done, else why not.
[[nodiscard]] std::string schedule_calling_thread_as_batch();

}  // namespace marketing_events::http
