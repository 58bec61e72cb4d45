#include "logging.hpp"

#include <algorithm>

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "marketing_events/model/instant.hpp"

namespace events_api {
namespace {

namespace json = boost::json;

marketing_events::Instant now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

}  // namespace

Log::Log(const LogSettings& settings, std::size_t queue_lines,
         std::shared_ptr<spdlog::sinks::sink> destination)
    : format_(settings.format),
      writer_(std::make_shared<spdlog::details::thread_pool>(queue_lines, 1)),
      logger_(std::make_shared<spdlog::async_logger>(
          "events-api",
          destination ? std::move(destination) : std::make_shared<spdlog::sinks::stdout_sink_mt>(),
          writer_, spdlog::async_overflow_policy::overrun_oldest)) {
  logger_->set_pattern("%v");
  logger_->set_level(spdlog::level::from_str(settings.level));
  // The writer flushes each line: a collector (or an operator after a crash) must not wait
  // for, or lose, a buffered request line.
  logger_->flush_on(spdlog::level::trace);
}

Log::~Log() {
  logger_->flush();  // queued behind every line already logged
  logger_.reset();
  writer_.reset();  // the writer thread finishes its queue, then joins
}

std::size_t Log::dropped_lines() const {
  return writer_->overrun_counter();
}

void Log::info(std::string_view message, json::object fields) const {
  write(spdlog::level::info, message, std::move(fields));
}
void Log::warn(std::string_view message, json::object fields) const {
  write(spdlog::level::warn, message, std::move(fields));
}
void Log::error(std::string_view message, json::object fields) const {
  write(spdlog::level::err, message, std::move(fields));
}

void Log::write(int level, std::string_view message, json::object fields) const {
  const auto spd_level = static_cast<spdlog::level::level_enum>(level);
  if (!logger_->should_log(spd_level)) {
    return;
  }
  const auto level_name = spdlog::level::to_string_view(spd_level);
  const auto timestamp = marketing_events::format_instant(now());
  if (format_ == LogFormat::json) {
    json::object line{{"ts", timestamp},
                      {"level", std::string_view{level_name.data(), level_name.size()}},
                      {"msg", message}};
    for (auto& field : fields) {
      line[field.key()] = std::move(field.value());
    }
    logger_->log(spd_level, "{}", json::serialize(line));
    return;
  }
  std::string text = timestamp + " " + std::string(level_name.data(), level_name.size()) + " " +
                     std::string(message);
  for (const auto& field : fields) {
    text += " ";
    text += std::string_view{field.key().data(), field.key().size()};
    text += "=";
    text += field.value().is_string() ? std::string(field.value().get_string())
                                      : json::serialize(field.value());
  }
  logger_->log(spd_level, "{}", text);
}

void Log::request(const marketing_events::http::CompletedExchange& completed) const {
  const auto& exchange = *completed.exchange;
  json::object fields{
      {"request_id", exchange.request_id},
      {"route", exchange.route},
      {"status", completed.status},
      {"duration_us",
       std::chrono::duration_cast<std::chrono::microseconds>(completed.duration).count()},
  };
  if (completed.request != nullptr) {
    // Any token is a method to HTTP; a client's 16 KB one is cut, not copied into every line.
    constexpr std::size_t longest_method = 32;
    const auto method = completed.request->method_string();
    fields["method"] = std::string_view{method.data(), std::min(method.size(), longest_method)};
  }
  if (exchange.user) {
    fields["user_id"] = exchange.user->to_string();
  }
  if (!exchange.client.empty()) {
    fields["client"] = exchange.client;
  }
  if (!exchange.problem_detail.empty()) {
    fields["problem"] = exchange.problem_detail;  // the core's detail: for operators only
  }
  write(completed.status >= 500 ? spdlog::level::err : spdlog::level::info, "request",
        std::move(fields));
}

}  // namespace events_api
