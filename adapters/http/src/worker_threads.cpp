#include "marketing_events/http/worker_threads.hpp"

#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>

namespace marketing_events::http {
namespace {

// The CPU quota of the cgroup, in cores, or 0 when there is none (or it cannot be read).
std::size_t quota_cores() {
  long long quota = -1;
  long long period = 0;
  if (std::ifstream v2{"/sys/fs/cgroup/cpu.max"}) {
    std::string limit;
    v2 >> limit >> period;
    if (limit == "max" ||
        std::from_chars(std::to_address(limit.cbegin()), std::to_address(limit.cend()), quota).ec !=
            std::errc{}) {
      quota = -1;
    }
  } else {
    std::ifstream{"/sys/fs/cgroup/cpu/cpu.cfs_quota_us"} >> quota;
    std::ifstream{"/sys/fs/cgroup/cpu/cpu.cfs_period_us"} >> period;
  }
  if (quota <= 0 || period <= 0) {
    return 0;
  }
  return static_cast<std::size_t>((quota + period - 1) / period);
}

}  // namespace

std::size_t available_cores() {
  std::size_t cores = std::max(1U, std::thread::hardware_concurrency());
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (::sched_getaffinity(0, sizeof allowed, &allowed) == 0) {
    cores = static_cast<std::size_t>(std::max(1, CPU_COUNT(&allowed)));
  }
  if (const auto quota = quota_cores(); quota > 0) {
    cores = std::min(cores, quota);
  }
  return cores;
}

std::string schedule_calling_thread_as_batch() {
  const sched_param priority{};  // SCHED_BATCH has one static priority: 0
  if (::sched_setscheduler(0, SCHED_BATCH, &priority) != 0) {
    return "sched_setscheduler(SCHED_BATCH) refused: " + std::generic_category().message(errno) +
           "; this thread keeps the default policy (switch batch scheduling off to stop trying)";
  }
  return {};
}

WorkerThreads::WorkerThreads(std::size_t count, int niceness)
    : work_(boost::asio::make_work_guard(context_)) {
  threads_.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    threads_.emplace_back([this, niceness] {
      if (niceness > 0) {
        // Raising one's own nice value needs no privilege; if it fails, run at normal priority.
        const auto thread_id = static_cast<id_t>(::gettid());
        (void)::setpriority(PRIO_PROCESS, thread_id, niceness);
      }
      context_.run();
    });
  }
}

WorkerThreads::~WorkerThreads() {
  work_.reset();
  context_.stop();
  threads_.clear();  // joins
}

}  // namespace marketing_events::http
