#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <memory>
#include <string_view>

#include "config.hpp"
#include "marketing_events/http/server.hpp"

namespace spdlog {
class logger;
namespace details {
class thread_pool;
}
namespace sinks {
class sink;
}
}  // namespace spdlog

namespace events_api {

// One line per event on stdout: JSON (timestamp, level, message, fields) or plain text.
// Callers pass only what may be logged: never a password, a token or an Authorization header.
// The caller formats the line; one background thread writes it, so a request never waits for
// stdout. The queue between them holds `queue_lines` lines; when a writer cannot keep up, the
// oldest waiting line is dropped and counted (dropped_lines), never the request delayed.
// Destroying the Log writes every line still queued.
class Log {
 public:
  explicit Log(const LogSettings& settings, std::size_t queue_lines = 8192,
               std::shared_ptr<spdlog::sinks::sink> destination = {});  // default: stdout
  Log(const Log&) = delete;
  Log& operator=(const Log&) = delete;
  Log(Log&&) = delete;
  Log& operator=(Log&&) = delete;
  ~Log();

  [[nodiscard]] std::size_t dropped_lines() const;

  void info(std::string_view message, boost::json::object fields = {}) const;
  void warn(std::string_view message, boost::json::object fields = {}) const;
  void error(std::string_view message, boost::json::object fields = {}) const;

  // The request line: id, method, route template, status, duration (µs), user, client.
  void request(const marketing_events::http::CompletedExchange& completed) const;

 private:
  void write(int level, std::string_view message, boost::json::object fields) const;

  LogFormat format_;
  std::shared_ptr<spdlog::details::thread_pool> writer_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace events_api
