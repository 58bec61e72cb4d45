#pragma once

#include <atomic>
#include <thread>
#include <vector>

namespace marketing_events::testing {

// Runs `work(i)` for i in [0, count) on as many threads, released at once so they really
// race, and returns when all are done.
template <typename Work>
void run_concurrently(int count, Work work) {
  std::atomic<bool> go{false};
  std::vector<std::jthread> threads;
  threads.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) {
        std::this_thread::yield();
      }
      work(i);
    });
  }
  go.store(true);
}

}  // namespace marketing_events::testing
