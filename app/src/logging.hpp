#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <memory>
#include <string_view>

#include "config.hpp"
#include "marketing_events/http/server.hpp"

#include "line_writer.hpp"

namespace spdlog {
class logger;
}  // namespace spdlog

namespace events_api {

// One line per event on stdout: JSON (timestamp, level, message, fields) or plain text.
// Callers pass only what may be logged: never a password, a token or an Authorization header.
// The caller formats the line; a LineWriter writes it from its own thread in batches, so a
// request never waits for stdout, nor wakes a thread per line. The buffer between them holds
// `buffer_bytes`; when the writer cannot keep up, new lines are dropped and counted
// (dropped_lines), never the request delayed. Destroying the Log writes every line buffered.
class Log {
 public:
  explicit Log(const LogSettings& settings, std::size_t buffer_bytes = std::size_t{4} << 20U,
               LineWriter::Write destination = write_to(1));  // default: stdout
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
  void request_fields(const marketing_events::http::CompletedExchange& completed, int level) const;

  LogFormat format_;
  LineWriter writer_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace events_api
