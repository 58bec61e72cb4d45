// The raw Argon2id verification rate of this machine at the service's cost, in THREADS
// threads for SECONDS: the ceiling that logins per second are compared with.
//   bench_password_hash_rate THREADS SECONDS
#include <atomic>
#include <charconv>
#include <chrono>
#include <iostream>
#include <string_view>
#include <thread>
#include <vector>

#include "marketing_events/password/argon2id_password_hasher.hpp"

namespace {

int argument(const char* text) {
  int value = 0;
  const std::string_view view{text};
  std::from_chars(view.data(), view.data() + view.size(), value);
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: bench_password_hash_rate THREADS SECONDS\n";
    return 2;
  }
  const int threads = argument(argv[1]);  // NOLINT(*-pointer-arithmetic)
  const int seconds = argument(argv[2]);  // NOLINT(*-pointer-arithmetic)
  marketing_events::password::Argon2idPasswordHasher hasher;
  const auto hash = hasher.hash("correct horse battery").value();
  std::atomic<long> verified{0};
  std::atomic<bool> stop{false};
  std::vector<std::jthread> workers;
  workers.reserve(static_cast<std::size_t>(threads));
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < threads; ++i) {
    workers.emplace_back([&] {
      while (!stop.load()) {
        if (hasher.verify("correct horse battery", hash)) {
          ++verified;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  workers.clear();
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  std::cout << "BENCH_JSON {\"verifications\":" << verified.load()
            << ",\"seconds\":" << elapsed.count() << "}\n";
  return 0;
}
