#include "metrics.hpp"

#include <prometheus/text_serializer.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

namespace events_api {
namespace {

const prometheus::Histogram::BucketBoundaries& latency_buckets() {
  static const prometheus::Histogram::BucketBoundaries buckets{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return buckets;
}

// The method as a label: one of the methods HTTP defines, or "other". A label made of whatever
// a client sends would let anyone grow the series (and every scrape) without bound.
std::string_view method_label(const marketing_events::http::Request* request) {
  if (request == nullptr) {
    return "unknown";
  }
  using boost::beast::http::verb;
  switch (request->method()) {
    case verb::get:
    case verb::head:
    case verb::post:
    case verb::put:
    case verb::patch:
    case verb::delete_:
    case verb::options:
    case verb::trace:
    case verb::connect: {
      const auto name = boost::beast::http::to_string(request->method());  // static text
      return {name.data(), name.size()};
    }
    default:
      return "other";
  }
}

std::string login_result(int status) {
  if (status == 200) {
    return "success";
  }
  if (status == 429) {
    return "throttled";
  }
  return status == 401 ? "failure" : "error";
}

}  // namespace

Metrics::Metrics(const marketing_events::postgres::ConnectionPool& pool,
                 std::function<std::size_t()> dropped_log_lines)
    : pool_(pool),
      requests_(prometheus::BuildCounter()
                    .Name("http_requests_total")
                    .Help("HTTP requests by route template, method and status")
                    .Register(*registry_)),
      durations_(prometheus::BuildHistogram()
                     .Name("http_request_duration_seconds")
                     .Help("Time from a request's headers to its response, by route and method")
                     .Register(*registry_)),
      exceptions_(prometheus::BuildCounter()
                      .Name("http_handler_exceptions_total")
                      .Help("Requests whose handler threw (answered 500): each one is a bug")
                      .Register(*registry_)
                      .Add({})),
      faults_(prometheus::BuildCounter()
                  .Name("server_faults_total")
                  .Help("Faults outside any one request, by kind (accept, connection, scheduling)")
                  .Register(*registry_)),
      logins_(prometheus::BuildCounter()
                  .Name("auth_logins_total")
                  .Help("Login attempts by result: success, failure, throttled, error")
                  .Register(*registry_)),
      pool_connections_(prometheus::BuildGauge()
                            .Name("db_pool_connections")
                            .Help("Database pool connections by state (in_use, idle)")
                            .Register(*registry_)),
      pool_waiting_(prometheus::BuildGauge()
                        .Name("db_pool_waiting")
                        .Help("Callers waiting for a database connection")
                        .Register(*registry_)
                        .Add({})),
      pool_max_(prometheus::BuildGauge()
                    .Name("db_pool_max_connections")
                    .Help("The pool's maximum size")
                    .Register(*registry_)
                    .Add({})),
      resident_memory_(prometheus::BuildGauge()
                           .Name("process_resident_memory_bytes")
                           .Help("Resident memory size in bytes")
                           .Register(*registry_)
                           .Add({})),
      cpu_seconds_(prometheus::BuildCounter()
                       .Name("process_cpu_seconds_total")
                       .Help("User and system CPU time spent, in seconds")
                       .Register(*registry_)
                       .Add({})),
      open_fds_(prometheus::BuildGauge()
                    .Name("process_open_fds")
                    .Help("Open file descriptors")
                    .Register(*registry_)
                    .Add({})),
      start_time_(prometheus::BuildGauge()
                      .Name("process_start_time_seconds")
                      .Help("Start time of the process since the Unix epoch, in seconds")
                      .Register(*registry_)
                      .Add({})),
      dropped_log_lines_(std::move(dropped_log_lines)),
      log_lines_dropped_(prometheus::BuildCounter()
                             .Name("log_lines_dropped_total")
                             .Help("Log lines dropped because the writer could not keep up")
                             .Register(*registry_)
                             .Add({})) {
  start_time_.Set(
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count());
  pool_max_.Set(static_cast<double>(pool_.settings().max_connections));
}

std::size_t Metrics::KeyHash::operator()(const Key& key) const noexcept {
  return std::hash<std::string_view>{}(key.route) ^
         (std::hash<std::string_view>{}(key.method) << 1U) ^
         (static_cast<std::size_t>(key.status) << 2U);
}

Metrics::Instruments Metrics::instruments(const Key& key) {
  {
    const std::shared_lock lock(instruments_mutex_);
    if (const auto found = instruments_.find(key); found != instruments_.end()) {
      return found->second;
    }
  }
  const std::string route(key.route);
  const std::string method(key.method);
  const Instruments made{
      &requests_.Add(
          {{"route", route}, {"method", method}, {"status", std::to_string(key.status)}}),
      &durations_.Add({{"route", route}, {"method", method}}, latency_buckets())};
  const std::unique_lock lock(instruments_mutex_);
  instruments_.emplace(key, made);
  return made;
}

void Metrics::observe(const marketing_events::http::CompletedExchange& exchange) {
  const auto route = exchange.exchange->route;
  // The labels are the route table's templates, HTTP's method names and statuses: static text
  // and a bounded set, so their instruments are found once and kept.
  const auto found = instruments({route, method_label(exchange.request), exchange.status});
  found.requests->Increment();
  found.duration->Observe(std::chrono::duration<double>(exchange.duration).count());
  if (exchange.exchange->unexpected_failure) {
    exceptions_.Increment();
  }
  if (route == "/api/v1/auth/login") {
    logins_.Add({{"result", login_result(exchange.status)}}).Increment();
  }
}

void Metrics::fault(std::string_view what) {
  // `what` comes from the server's fixed vocabulary, never from a client.
  faults_.Add({{"kind", std::string(what)}}).Increment();
}

void Metrics::update_process_figures() {
  // /proc/self/stat fields 14 and 15 are user and system time in clock ticks; 24 is RSS pages.
  std::ifstream stat("/proc/self/stat");
  std::string content((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto after_name = content.rfind(')');
  if (after_name != std::string::npos) {
    std::istringstream fields(content.substr(after_name + 2));
    std::string field;
    double user_ticks = 0;
    double system_ticks = 0;
    double rss_pages = 0;
    for (int index = 3; fields >> field; ++index) {
      if (index == 14) {
        user_ticks = std::stod(field);
      } else if (index == 15) {
        system_ticks = std::stod(field);
      } else if (index == 24) {
        rss_pages = std::stod(field);
        break;
      }
    }
    const auto ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    const auto page = static_cast<double>(sysconf(_SC_PAGESIZE));
    const double cpu_seconds = (user_ticks + system_ticks) / ticks;
    if (cpu_seconds > last_cpu_seconds_) {
      cpu_seconds_.Increment(cpu_seconds - last_cpu_seconds_);
      last_cpu_seconds_ = cpu_seconds;
    }
    resident_memory_.Set(rss_pages * page);
  }
  std::error_code error;
  const auto fds = std::distance(std::filesystem::directory_iterator("/proc/self/fd", error),
                                 std::filesystem::directory_iterator{});
  open_fds_.Set(static_cast<double>(fds));
}

std::string Metrics::scrape() {
  const std::scoped_lock lock(scrape_mutex_);
  // A scrape costs a walk of /proc/self/fd and a serialisation; asked again within a second,
  // the last one is the answer, so scraping in a loop cannot hold the I/O thread.
  const auto now = std::chrono::steady_clock::now();
  if (!last_scrape_.empty() && now - last_scrape_at_ < std::chrono::seconds{1}) {
    return last_scrape_;
  }
  last_scrape_at_ = now;
  const auto usage = pool_.usage();
  pool_connections_.Add({{"state", "in_use"}}).Set(static_cast<double>(usage.in_use));
  pool_connections_.Add({{"state", "idle"}}).Set(static_cast<double>(usage.idle));
  pool_waiting_.Set(static_cast<double>(usage.waiting));
  update_process_figures();
  if (const auto dropped = dropped_log_lines_(); dropped > last_dropped_) {
    log_lines_dropped_.Increment(static_cast<double>(dropped - last_dropped_));
    last_dropped_ = dropped;
  }
  last_scrape_ = prometheus::TextSerializer().Serialize(registry_->Collect());
  return last_scrape_;
}

}  // namespace events_api
