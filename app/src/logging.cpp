#include "logging.hpp"

#include <algorithm>

#include <spdlog/details/null_mutex.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "marketing_events/http/json_text.hpp"
#include "marketing_events/model/instant.hpp"

namespace events_api {
namespace {

namespace json = boost::json;

marketing_events::Instant now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

// Any token is a method to HTTP; a client's 16 KB one is cut, not copied into every line.
std::string_view logged_method(const marketing_events::http::Request& request) {
  constexpr std::size_t longest_method = 32;
  const auto method = request.method_string();
  return {method.data(), std::min(method.size(), longest_method)};
}

// spdlog's end of the pipe: each line goes to the LineWriter's buffer (which has its own locks).
class BufferSink final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
 public:
  explicit BufferSink(LineWriter& writer) : writer_(writer) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    writer_.append({message.payload.data(), message.payload.size()});
  }
  void flush_() override {}

 private:
  LineWriter& writer_;
};

}  // namespace

Log::Log(const LogSettings& settings, std::size_t buffer_bytes, LineWriter::Write destination)
    : format_(settings.format),
      writer_(std::move(destination), buffer_bytes),
      logger_(
          std::make_shared<spdlog::logger>("events-api", std::make_shared<BufferSink>(writer_))) {
  logger_->set_level(spdlog::level::from_str(settings.level));
}

Log::~Log() = default;  // the writer writes what is buffered, then stops

std::size_t Log::dropped_lines() const {
  return writer_.dropped();
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
    // A string that could end the line or blur where the next field starts is written as a
    // JSON string (logfmt's quoting): one event stays one line, whatever a value holds.
    const auto& value = field.value();
    const bool bare =
        value.is_string() && !value.get_string().empty() &&
        std::none_of(value.get_string().begin(), value.get_string().end(), [](char c) {
          const auto byte = static_cast<unsigned char>(c);
          return byte <= ' ' || byte == '"' || byte == '=' || byte == 0x7f;
        });
    text += bare ? std::string(value.get_string()) : json::serialize(value);
  }
  logger_->log(spd_level, "{}", text);
}

void Log::request(const marketing_events::http::CompletedExchange& completed) const {
  const auto level = completed.status >= 500 ? spdlog::level::err : spdlog::level::info;
  if (!logger_->should_log(level)) {
    return;
  }
  if (format_ == LogFormat::json) {
    // Every request makes one: written straight into one string, in the order write() uses.
    const auto& exchange = *completed.exchange;
    const auto level_name = spdlog::level::to_string_view(level);
    std::string line;
    line.reserve(384);
    line += R"({"ts":")";
    marketing_events::append_instant(line, now());
    line += R"(","level":")";
    line.append(level_name.data(), level_name.size());
    line += R"(","msg":"request","request_id":)";
    marketing_events::http::append_json_string(line, exchange.request_id);
    line += R"(,"route":)";
    marketing_events::http::append_json_string(line, exchange.route);
    line += R"(,"status":)";
    line += std::to_string(completed.status);
    line += R"(,"duration_us":)";
    line += std::to_string(
        std::chrono::duration_cast<std::chrono::microseconds>(completed.duration).count());
    if (completed.request != nullptr) {
      line += R"(,"method":)";
      marketing_events::http::append_json_string(line, logged_method(*completed.request));
    }
    if (exchange.user) {
      line += R"(,"user_id":")";
      exchange.user->append_to(line);
      line += '"';
    }
    if (exchange.calendar_feed) {
      line += R"(,"calendar_feed":")";
      exchange.calendar_feed->append_to(line);
      line += '"';
    }
    if (!exchange.client.empty()) {
      line += R"(,"client":)";
      marketing_events::http::append_json_string(line, exchange.client);
    }
    if (!exchange.problem_detail.empty()) {
      line += R"(,"problem":)";  // the core's detail: for operators only
      marketing_events::http::append_json_string(line, exchange.problem_detail);
    }
    line += '}';
    logger_->log(level, spdlog::string_view_t{line.data(), line.size()});
    return;
  }
  request_fields(completed, level);
}

void Log::request_fields(const marketing_events::http::CompletedExchange& completed,
                         int level) const {
  const auto& exchange = *completed.exchange;
  json::object fields{
      {"request_id", exchange.request_id},
      {"route", exchange.route},
      {"status", completed.status},
      {"duration_us",
       std::chrono::duration_cast<std::chrono::microseconds>(completed.duration).count()},
  };
  if (completed.request != nullptr) {
    fields["method"] = logged_method(*completed.request);
  }
  if (exchange.user) {
    fields["user_id"] = exchange.user->to_string();
  }
  if (exchange.calendar_feed) {
    fields["calendar_feed"] = exchange.calendar_feed->to_string();
  }
  if (!exchange.client.empty()) {
    fields["client"] = exchange.client;
  }
  if (!exchange.problem_detail.empty()) {
    fields["problem"] = exchange.problem_detail;  // the core's detail: for operators only
  }
  write(level, "request", std::move(fields));
}

}  // namespace events_api
