#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "marketing_events/http/server.hpp"
#include "marketing_events/postgres/connection_pool.hpp"

namespace events_api {

// The service's own Prometheus metrics: requests by route template and status, latency
// histograms by route, database pool usage, logins by result, and process figures.
class Metrics {
 public:
  // `dropped_log_lines`: how many log lines the logger has dropped so far.
  Metrics(const marketing_events::postgres::ConnectionPool& pool,
          std::function<std::size_t()> dropped_log_lines);

  void observe(const marketing_events::http::CompletedExchange& exchange);
  void fault(std::string_view what);

  // Text exposition format 0.0.4.
  [[nodiscard]] std::string scrape();

 private:
  // A request's labels: views of static text (route templates, method names), and a status.
  struct Key {
    std::string_view route;
    std::string_view method;
    int status;
    friend bool operator==(const Key&, const Key&) = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& key) const noexcept;
  };
  struct Instruments {
    prometheus::Counter* requests;
    prometheus::Histogram* duration;
  };
  [[nodiscard]] Instruments instruments(const Key& key);
  void update_process_figures();

  const marketing_events::postgres::ConnectionPool& pool_;
  std::shared_ptr<prometheus::Registry> registry_ = std::make_shared<prometheus::Registry>();
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& durations_;
  prometheus::Counter& exceptions_;
  prometheus::Family<prometheus::Counter>& faults_;
  prometheus::Family<prometheus::Counter>& logins_;
  prometheus::Family<prometheus::Gauge>& pool_connections_;
  prometheus::Gauge& pool_waiting_;
  prometheus::Gauge& pool_max_;
  prometheus::Gauge& resident_memory_;
  prometheus::Counter& cpu_seconds_;
  double last_cpu_seconds_ = 0;
  std::shared_mutex instruments_mutex_;
  std::unordered_map<Key, Instruments, KeyHash> instruments_;
  std::mutex scrape_mutex_;
  std::string last_scrape_;
  std::chrono::steady_clock::time_point last_scrape_at_;
  prometheus::Gauge& open_fds_;
  prometheus::Gauge& start_time_;
  std::function<std::size_t()> dropped_log_lines_;
  prometheus::Counter& log_lines_dropped_;
  std::size_t last_dropped_ = 0;
};

}  // namespace events_api
