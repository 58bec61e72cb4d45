#include "marketing_events/http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/range/iterator_range.hpp>
#include <optional>

#include "marketing_events/http/headers.hpp"
#include "marketing_events/http/problem.hpp"

namespace marketing_events::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::awaitable;
using asio::ip::tcp;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

std::string new_request_id() {
  // Unique enough to find one request in the logs; not a secret.
  static std::atomic<std::uint64_t> counter{0};
  const auto now = std::chrono::system_clock::now().time_since_epoch().count();
  return std::to_string(now) + "-" + std::to_string(counter.fetch_add(1));
}

}  // namespace

class Server::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Server& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {}

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
    beast::flat_buffer buffer;
    std::string client;  // the TCP peer, until a request says otherwise through a proxy
    boost::asio::ip::address peer;
    {
      beast::error_code error;
      const auto endpoint = stream_.socket().remote_endpoint(error);
      peer = endpoint.address();
      client = error ? "" : peer.to_string();
    }
    for (std::size_t served = 0; served < server_.settings_.max_requests_per_connection; ++served) {
      if (server_.draining_) {
        break;
      }
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(server_.settings_.header_limit));
      // The body limit is checked against Content-Length once the header is complete (below):
      // Beast's own check fires mid-header, before the length can be read back.
      parser.body_limit(boost::none);

      idle_ = true;
      stream_.expires_after(served == 0 ? server_.settings_.header_timeout
                                        : server_.settings_.idle_timeout);
      auto [header_error, header_bytes] =
          co_await bhttp::async_read_header(stream_, buffer, parser, tuple_awaitable);
      idle_ = false;
      const auto started = std::chrono::steady_clock::now();
      if (header_error == bhttp::error::header_limit) {
        co_await refuse(431, "Request Header Fields Too Large", started, client);
        break;
      }
      if (!header_error && parser.content_length() &&
          *parser.content_length() > server_.settings_.body_limit) {
        // Content-Length says too much: answer, and keep the connection if the rest is small.
        const bool keep = co_await discard_body(parser, buffer);
        co_await refuse(413, {}, started, client, keep);
        if (!keep) {
          break;
        }
        continue;
      }
      if (header_error) {
        if (header_error != bhttp::error::end_of_stream && header_error != beast::error::timeout &&
            header_error != asio::error::operation_aborted &&
            header_error != asio::error::connection_reset && buffer.size() > 0) {
          co_await refuse(400, "Bad Request", started, client);
        }
        break;
      }

      parser.body_limit(server_.settings_.body_limit);  // what a chunked body may add up to
      stream_.expires_after(server_.settings_.body_timeout);
      auto [body_error, body_bytes] =
          co_await bhttp::async_read(stream_, buffer, parser, tuple_awaitable);
      if (body_error == bhttp::error::body_limit) {
        co_await refuse(413, {}, started, client, false);  // chunked: we cannot resync
        break;
      }
      if (body_error) {
        break;
      }

      auto request = parser.release();
      Exchange exchange;
      const auto incoming_id = request["X-Request-Id"];
      exchange.request_id = is_acceptable_request_id({incoming_id.data(), incoming_id.size()})
                                ? std::string(incoming_id)
                                : new_request_id();
      exchange.client = client.empty() ? client : forwarded_client(peer, request);

      Response response;
      // Routes that never block are answered here, so they work while every worker waits.
      if (server_.api_.never_blocks(request)) {
        response = server_.api_.handle(request, exchange);
      } else {
        response = co_await asio::co_spawn(
            server_.workers_,
            [&]() -> awaitable<Response> { co_return server_.api_.handle(request, exchange); },
            asio::use_awaitable);
      }
      response.set("X-Request-Id", exchange.request_id);
      if (request.method() == bhttp::verb::head) {
        // A response to HEAD has no body, or the client would read it as the next response.
        response.body().clear();
        response.prepare_payload();
      }
      const bool keep_alive = request.keep_alive() && !server_.draining_ &&
                              served + 1 < server_.settings_.max_requests_per_connection;
      response.keep_alive(keep_alive);

      stream_.expires_after(server_.settings_.write_timeout);
      auto [write_error, written] = co_await bhttp::async_write(stream_, response, tuple_awaitable);
      server_.observer_(CompletedExchange{&request, static_cast<int>(response.result_int()),
                                          std::chrono::steady_clock::now() - started, &exchange});
      if (write_error || !keep_alive) {
        break;
      }
    }
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

 private:
  // X-Forwarded-For may come as several header lines; together they are one list.
  std::string forwarded_client(const boost::asio::ip::address& peer, const Request& request) const {
    std::string forwarded_for;
    for (const auto& field : boost::make_iterator_range(request.equal_range("X-Forwarded-For"))) {
      forwarded_for += forwarded_for.empty() ? "" : ",";
      forwarded_for.append(field.value().data(), field.value().size());
    }
    return server_.settings_.trusted_proxies.client_address(peer, forwarded_for);
  }

  // Reads and drops a too-large body when it is small enough to stay in step with the client.
  awaitable<bool> discard_body(bhttp::request_parser<bhttp::string_body>& parser,
                               beast::flat_buffer& buffer) {
    const auto length = parser.content_length();
    if (!length || *length > server_.settings_.max_discarded_body) {
      co_return false;
    }
    std::size_t remaining = *length;
    const auto buffered = std::min(buffer.size(), remaining);
    buffer.consume(buffered);
    remaining -= buffered;
    std::array<char, 8192> chunk{};
    stream_.expires_after(server_.settings_.body_timeout);
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
  awaitable<void> refuse(int status, std::string_view title,
                         std::chrono::steady_clock::time_point started, const std::string& client,
                         bool keep_alive = false) {
    Problem problem = status == 413 ? payload_too_large() : malformed_body("");
    problem.status = status;
    if (!title.empty()) {
      problem.title = std::string(title);
    }
    Response response{static_cast<bhttp::status>(status), 11};
    response.set(bhttp::field::content_type, "application/problem+json");
    Exchange exchange;
    exchange.request_id = new_request_id();
    exchange.client = client;
    exchange.route = "unmatched";
    response.set("X-Request-Id", exchange.request_id);
    response.body() = to_json(problem);
    response.keep_alive(keep_alive);
    response.prepare_payload();
    stream_.expires_after(server_.settings_.write_timeout);
    co_await bhttp::async_write(stream_, response, tuple_awaitable);
    server_.observer_(
        CompletedExchange{nullptr, status, std::chrono::steady_clock::now() - started, &exchange});
  }

  Server& server_;
  beast::tcp_stream stream_;
  bool idle_ = true;
};

Server::Server(ServerSettings settings, const Api& api, ExchangeObserver observer)
    : settings_(std::move(settings)),
      api_(api),
      observer_(std::move(observer)),
      workers_(settings_.worker_threads) {}

Server::~Server() {
  workers_.stop();
  workers_.join();
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
          sessions_.remove_if([](const auto& weak) { return weak.expired(); });
          sessions_.push_back(session);
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
  for (const auto& weak : sessions_) {
    if (auto session = weak.lock()) {
      session->close_if_idle();
    }
  }
  // Phase two: whatever has not finished by the deadline is cut.
  auto deadline = std::make_shared<asio::steady_timer>(io_, settings_.drain_timeout);
  auto poll = std::make_shared<std::function<void()>>();
  *poll = [this, deadline, poll] {
    sessions_.remove_if([](const auto& weak) { return weak.expired(); });
    if (sessions_.empty() || deadline->expiry() <= std::chrono::steady_clock::now()) {
      for (const auto& weak : sessions_) {
        if (auto session = weak.lock()) {
          session->cut();
        }
      }
      io_.stop();
      *poll = nullptr;  // break the self-reference
      return;
    }
    auto tick = std::make_shared<asio::steady_timer>(io_, std::chrono::milliseconds{20});
    tick->async_wait([tick, poll](const beast::error_code&) {
      if (*poll) {
        (*poll)();
      }
    });
  };
  (*poll)();
}

}  // namespace marketing_events::http
