#pragma once

#include <boost/json/object.hpp>
#include <memory>
#include <string_view>

#include "config.hpp"
#include "marketing_events/http/server.hpp"

namespace spdlog {
class logger;
}

namespace events_api {

// One line per event on stdout: JSON (timestamp, level, message, fields) or plain text.
// Callers pass only what may be logged: never a password, a token or an Authorization header.
class Log {
 public:
  explicit Log(const LogSettings& settings);

  void info(std::string_view message, boost::json::object fields = {}) const;
  void warn(std::string_view message, boost::json::object fields = {}) const;
  void error(std::string_view message, boost::json::object fields = {}) const;

  // The request line: id, method, route template, status, duration (µs), user, client.
  void request(const marketing_events::http::CompletedExchange& completed) const;

 private:
  void write(int level, std::string_view message, boost::json::object fields) const;

  LogFormat format_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace events_api
