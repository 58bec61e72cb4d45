#include "marketing_events/http/worker_threads.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace marketing_events::http {

WorkerThreads::WorkerThreads(std::size_t count, int niceness)
    : work_(boost::asio::make_work_guard(context_)) {
  threads_.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    threads_.emplace_back([this, niceness] {
      if (niceness > 0) {
        // Raising one's own nice value needs no privilege; if it fails, run at normal priority.
        const auto thread_id = static_cast<id_t>(::syscall(SYS_gettid));
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
