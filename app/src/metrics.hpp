#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <mutex>
#include <string>

#include "marketing_events/http/server.hpp"
#include "marketing_events/postgres/connection_pool.hpp"

namespace events_api {

// The service's own Prometheus metrics: requests by route template and status, latency
// histograms by route, database pool usage, logins by result, and process figures.
class Metrics {
 public:
  explicit Metrics(const marketing_events::postgres::ConnectionPool& pool);

  void observe(const marketing_events::http::CompletedExchange& exchange);

  // Text exposition format 0.0.4.
  [[nodiscard]] std::string scrape();

 private:
  void update_process_figures();

  const marketing_events::postgres::ConnectionPool& pool_;
  std::shared_ptr<prometheus::Registry> registry_ = std::make_shared<prometheus::Registry>();
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& durations_;
  prometheus::Family<prometheus::Counter>& logins_;
  prometheus::Family<prometheus::Gauge>& pool_connections_;
  prometheus::Gauge& pool_waiting_;
  prometheus::Gauge& pool_max_;
  prometheus::Gauge& resident_memory_;
  prometheus::Counter& cpu_seconds_;
  double last_cpu_seconds_ = 0;
  std::mutex scrape_mutex_;
  prometheus::Gauge& open_fds_;
  prometheus::Gauge& start_time_;
};

}  // namespace events_api
