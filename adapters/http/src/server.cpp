#include "marketing_events/http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/range/iterator_range.hpp>

#include "marketing_events/http/headers.hpp"
#include "marketing_events/http/problem.hpp"

namespace marketing_events::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::awaitable;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using Parser = bhttp::request_parser<bhttp::string_body>;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

std::string new_request_id() {
  // Unique enough to find one request in the logs; not a secret.
  static std::atomic<std::uint64_t> counter{0};
  const auto now = std::chrono::system_clock::now().time_since_epoch().count();
  return std::to_string(now) + "-" + std::to_string(counter.fetch_add(1));
}

// Errors after which the client is gone or silent: nothing to answer.
bool client_went_away(const beast::error_code& error) {
  return error == bhttp::error::end_of_stream || error == beast::error::timeout ||
         error == asio::error::operation_aborted || error == asio::error::connection_reset;
}

}  // namespace

class Server::Session {
 public:
  Session(Server& server, tcp::socket socket)
      : server_(server),
        stream_(std::move(socket)),
        position_(server.sessions_.insert(server.sessions_.end(), this)) {}
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  Session(Session&&) = delete;
  Session& operator=(Session&&) = delete;
  ~Session() { server_.session_ended(position_); }

  // Cuts an idle connection (between requests) at once; a busy one finishes its request.
  void close_if_idle() {
    if (idle_) {
      stream_.socket().cancel();
    }
  }
  void cut() {
    beast::error_code ignored;
    stream_.socket().close(ignored);
  }

  awaitable<void> run() {
    remember_peer();
    for (std::size_t served = 0;
         served < settings().max_requests_per_connection && !server_.draining_; ++served) {
      Parser parser;
      const auto read = co_await read_request(parser, served == 0);
      if (read == Read::refused) {
        continue;  // answered, and the connection is still in step
      }
      if (read == Read::done) {
        break;
      }
      auto request = parser.release();
      auto exchange = describe(request);
      auto response = co_await answer(request, exchange);
      const bool keep_alive = request.keep_alive() && !server_.draining_ &&
                              served + 1 < settings().max_requests_per_connection;
      if (!co_await send(request, response, keep_alive, exchange)) {
        break;
      }
    }
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

 private:
  enum class Read {
    complete,  // a whole request is in the parser
    refused,   // it broke a limit, was answered, and the next request may follow
    done,      // the connection is over (closed, timed out, or answered and to be closed)
  };

  [[nodiscard]] const ServerSettings& settings() const { return server_.settings_; }

  void remember_peer() {
    beast::error_code error;
    const auto endpoint = stream_.socket().remote_endpoint(error);
    peer_ = endpoint.address();
    peer_known_ = !error;
  }

  // Reads one request within the header, body and time limits, answering one that breaks
  // them (431, 413, 400).
  awaitable<Read> read_request(Parser& parser, bool first) {
    parser.header_limit(static_cast<std::uint32_t>(settings().header_limit));
    // The body limit is checked against Content-Length once the header is complete (below):
    // Beast's own check fires mid-header, before the length can be read back.
    parser.body_limit(boost::none);
    idle_ = true;
    stream_.expires_after(first ? settings().header_timeout : settings().idle_timeout);
    auto [header_error, header_bytes] =
        co_await bhttp::async_read_header(stream_, buffer_, parser, tuple_awaitable);
    idle_ = false;
    started_ = Clock::now();
    if (header_error == bhttp::error::header_limit) {
      co_await refuse(431, "Request Header Fields Too Large");
      co_return Read::done;
    }
    if (header_error) {
      if (!client_went_away(header_error) && buffer_.size() > 0) {
        co_await refuse(400, "Bad Request");
      }
      co_return Read::done;
    }
    if (parser.content_length() && *parser.content_length() > settings().body_limit) {
      // Content-Length says too much: answer, and keep the connection if the rest is small.
      const bool keep = co_await discard_body(*parser.content_length());
      co_await refuse(413, {}, keep);
      co_return keep ? Read::refused : Read::done;
    }
    parser.body_limit(settings().body_limit);  // what a chunked body may add up to
    stream_.expires_after(settings().body_timeout);
    auto [body_error, body_bytes] =
        co_await bhttp::async_read(stream_, buffer_, parser, tuple_awaitable);
    if (body_error == bhttp::error::body_limit) {
      co_await refuse(413, {});  // chunked: the rest cannot be skipped in step
      co_return Read::done;
    }
    co_return body_error ? Read::done : Read::complete;
  }

  // The request id (a valid incoming one, else a new one) and the client's address.
  Exchange describe(const Request& request) const {
    Exchange exchange;
    const auto incoming_id = request["X-Request-Id"];
    exchange.request_id = is_acceptable_request_id({incoming_id.data(), incoming_id.size()})
                              ? std::string(incoming_id)
                              : new_request_id();
    if (peer_known_) {
      exchange.client = forwarded_client(request);
    }
    return exchange;
  }

  // The Api's response, computed where the route says it runs.
  awaitable<Response> answer(const Request& request, Exchange& exchange) {
    const auto& api = server_.api_;
    const auto dispatch = api.dispatch(request);
    if (dispatch.runs() == Runs::io_thread) {
      co_return api.handle(request, dispatch, exchange);
    }
    co_return co_await asio::co_spawn(
        server_.workers_,
        [&]() -> awaitable<Response> { co_return api.handle(request, dispatch, exchange); },
        asio::use_awaitable);
  }

  // Writes the response and reports the exchange; false when the connection is to end.
  awaitable<bool> send(const Request& request, Response& response, bool keep_alive,
                       const Exchange& exchange) {
    response.set("X-Request-Id", exchange.request_id);
    if (request.method() == bhttp::verb::head) {
      // A response to HEAD has no body, or the client would read it as the next response.
      response.body().clear();
      response.prepare_payload();
    }
    response.keep_alive(keep_alive);
    stream_.expires_after(settings().write_timeout);
    auto [write_error, written] = co_await bhttp::async_write(stream_, response, tuple_awaitable);
    server_.observer_(CompletedExchange{&request, static_cast<int>(response.result_int()),
                                        Clock::now() - started_, &exchange});
    co_return !write_error && keep_alive;
  }

  // X-Forwarded-For may come as several header lines; together they are one list.
  std::string forwarded_client(const Request& request) const {
    std::string forwarded_for;
    for (const auto& field : boost::make_iterator_range(request.equal_range("X-Forwarded-For"))) {
      forwarded_for += forwarded_for.empty() ? "" : ",";
      forwarded_for.append(field.value().data(), field.value().size());
    }
    return settings().trusted_proxies.client_address(peer_, forwarded_for);
  }

  // Reads and drops a too-large body when it is small enough to stay in step with the client.
  awaitable<bool> discard_body(std::uint64_t length) {
    if (length > settings().max_discarded_body) {
      co_return false;
    }
    auto remaining = static_cast<std::size_t>(length);
    const auto buffered = std::min(buffer_.size(), remaining);
    buffer_.consume(buffered);
    remaining -= buffered;
    std::array<char, 8192> chunk{};
    stream_.expires_after(settings().body_timeout);
    while (remaining > 0) {
      auto [error, read] = co_await stream_.async_read_some(
          asio::buffer(chunk.data(), std::min(chunk.size(), remaining)), tuple_awaitable);
      if (error) {
        co_return false;
      }
      remaining -= read;
    }
    co_return true;
  }

  // Answers a request that never reached the Api (framing errors, limits).
  awaitable<void> refuse(int status, std::string_view title, bool keep_alive = false) {
    Problem problem = status == 413 ? payload_too_large() : malformed_body("");
    problem.status = status;
    if (!title.empty()) {
      problem.title = std::string(title);
    }
    Response response{static_cast<bhttp::status>(status), 11};
    response.set(bhttp::field::content_type, "application/problem+json");
    Exchange exchange;
    exchange.request_id = new_request_id();
    exchange.client = peer_known_ ? peer_.to_string() : std::string{};
    response.set("X-Request-Id", exchange.request_id);
    response.body() = to_json(problem);
    response.keep_alive(keep_alive);
    response.prepare_payload();
    stream_.expires_after(settings().write_timeout);
    co_await bhttp::async_write(stream_, response, tuple_awaitable);
    server_.observer_(CompletedExchange{nullptr, status, Clock::now() - started_, &exchange});
  }

  Server& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::list<Session*>::iterator position_;  // in server_.sessions_
  asio::ip::address peer_;
  bool peer_known_ = false;
  bool idle_ = true;
  Clock::time_point started_ = Clock::now();  // when the current request's header arrived
};

Server::Server(ServerSettings settings, const Api& api, ExchangeObserver observer)
    : settings_(std::move(settings)),
      api_(api),
      observer_(std::move(observer)),
      workers_(settings_.worker_threads) {}

Server::~Server() {
  workers_.stop();
  workers_.join();
  destroying_ = true;
}

void Server::listen() {
  const tcp::endpoint endpoint{asio::ip::make_address(settings_.address), settings_.port};
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_.store(acceptor_.local_endpoint().port());
  start_accepting();
}

void Server::stop_on_signals(std::initializer_list<int> signals,
                             std::function<void(int)> on_signal) {
  for (const int signal : signals) {
    signals_.add(signal);
  }
  signals_.async_wait(
      [this, on_signal = std::move(on_signal)](const beast::error_code& error, int signal) {
        if (!error) {
          on_signal(signal);
          begin_drain();
        }
      });
}

void Server::start_accepting() {
  asio::co_spawn(
      io_,
      [this]() -> awaitable<void> {
        while (acceptor_.is_open()) {
          auto [error, socket] = co_await acceptor_.async_accept(tuple_awaitable);
          if (error) {
            if (error == asio::error::operation_aborted || !acceptor_.is_open()) {
              break;
            }
            continue;  // e.g. too many open files: keep serving the others
          }
          socket.set_option(tcp::no_delay(true));
          auto session = std::make_shared<Session>(*this, std::move(socket));
          asio::co_spawn(
              io_, [session]() { return session->run(); }, asio::detached);
        }
      },
      asio::detached);
}

void Server::run() {
  io_.run();
}

void Server::stop() {
  asio::post(io_, [this] { begin_drain(); });
}

void Server::begin_drain() {
  if (draining_) {
    return;
  }
  draining_ = true;
  beast::error_code ignored;
  acceptor_.close(ignored);
  signals_.cancel(ignored);
  for (auto* session : sessions_) {
    session->close_if_idle();
  }
  // Phase two: whatever has not finished by the deadline is cut.
  drain_deadline_.expires_after(settings_.drain_timeout);
  drain_deadline_.async_wait([this](const beast::error_code& error) {
    if (error) {
      return;  // cancelled: every session ended in time
    }
    for (auto* session : sessions_) {
      session->cut();
    }
    io_.stop();
  });
  if (sessions_.empty()) {
    drain_deadline_.cancel();
  }
}

void Server::session_ended(std::list<Session*>::iterator session) noexcept {
  sessions_.erase(session);
  if (draining_ && sessions_.empty() && !destroying_) {
    try {
      drain_deadline_.cancel();  // nothing left to wait for: run() returns once work runs out
    } catch (...) {  // NOLINT(bugprone-empty-catch): the deadline then ends the drain instead
    }
  }
}

}  // namespace marketing_events::http
