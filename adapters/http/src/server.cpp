#include "marketing_events/http/server.hpp"

#include <sched.h>

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/context/pooled_fixedsize_stack.hpp>
#include <boost/range/iterator_range.hpp>
#include <exception>
#include <thread>
#include <utility>

#include "deadline.hpp"
#include "marketing_events/fiber/fiber.hpp"
#include "marketing_events/http/headers.hpp"
#include "marketing_events/http/problem.hpp"
#include "marketing_events/http/syntax.hpp"
#include "request_parser.hpp"

namespace marketing_events::http {
namespace {

// Runs `action` when destroyed by an exception thrown after it was made.
template <typename Action>
class OnThrow {
 public:
  explicit OnThrow(Action action) : action_{std::move(action)} {}
  OnThrow(const OnThrow&) = delete;
  OnThrow& operator=(const OnThrow&) = delete;
  OnThrow(OnThrow&&) = delete;
  OnThrow& operator=(OnThrow&&) = delete;
  ~OnThrow() {
    if (std::uncaught_exceptions() > exceptions_) {
      action_();
    }
  }

 private:
  Action action_;
  int exceptions_ = std::uncaught_exceptions();
};

// Gives the calling thread its scheduling policy back when destroyed (if `wanted`).
class SchedulingRestorer {
 public:
  explicit SchedulingRestorer(bool wanted)
      : policy_{wanted ? ::sched_getscheduler(0) : -1},
        known_{policy_ >= 0 && ::sched_getparam(0, &priority_) == 0} {}
  SchedulingRestorer(const SchedulingRestorer&) = delete;
  SchedulingRestorer& operator=(const SchedulingRestorer&) = delete;
  SchedulingRestorer(SchedulingRestorer&&) = delete;
  SchedulingRestorer& operator=(SchedulingRestorer&&) = delete;
  ~SchedulingRestorer() {
    if (known_) {
      (void)::sched_setscheduler(0, policy_, &priority_);
    }
  }

 private:
  sched_param priority_{};
  int policy_;
  bool known_;
};

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::awaitable;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using Parser = RequestParser;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

// Room in the read buffer beyond the header limit, for the start of a pipelined request.
constexpr std::size_t buffer_slack = std::size_t{8} * 1024;
// A response header this large (a long Location or ETag list) is not kept between responses.
constexpr std::size_t max_kept_header_text = std::size_t{4} * 1024;
// How long the accept loop rests when the process is out of descriptors.
constexpr std::chrono::milliseconds descriptor_backoff{100};
// A request's stackful coroutine: the use case, the adapters and libpq below it. Pages are
// only resident once touched; stacks are kept and reused per loop.
#if defined(__SANITIZE_ADDRESS__) || defined(BOOST_USE_ASAN)
constexpr std::size_t fiber_stack_bytes = std::size_t{1024} * 1024;  // ASan's frames are larger
#else
constexpr std::size_t fiber_stack_bytes = std::size_t{256} * 1024;
#endif

std::string new_request_id() {
  // Unique enough to find one request in the logs; not a secret.
  static std::atomic<std::uint64_t> counter{0};
  const auto now = std::chrono::system_clock::now().time_since_epoch().count();
  return std::to_string(now) + "-" + std::to_string(counter.fetch_add(1));
}

// Errors after which the client is gone or silent (a deadline closed the socket, under a
// pending operation or before the next): nothing to answer.
bool client_went_away(const beast::error_code& error) {
  return error == bhttp::error::end_of_stream || error == asio::error::operation_aborted ||
         error == asio::error::connection_reset || error == asio::error::bad_descriptor;
}

// How often a connection's deadline timer may wake (see Deadline): for the shortest limit
// it is given, but at most once a second (shorter limits are kept by re-arming it).
std::chrono::milliseconds deadline_horizon(const ServerSettings& settings) {
  return std::max(std::min({settings.header_timeout, settings.idle_timeout, settings.body_timeout,
                            settings.write_timeout}),
                  std::chrono::milliseconds{1000});
}

bool out_of_descriptors(const beast::error_code& error) {
  return error == asio::error::no_descriptors || error == asio::error::no_buffer_space ||
         error == asio::error::no_memory || error.value() == ENFILE;
}

std::string exception_text(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& error) {
    return error.what();
  } catch (...) {
    return "an exception not derived from std::exception";
  }
}

// A problem the server answers itself, before or instead of the Api.
Problem refusal(int status, std::string title, std::string detail) {
  auto problem = malformed_body(std::move(detail));
  problem.status = status;
  problem.title = std::move(title);
  if (status == 413) {
    problem = payload_too_large();
  }
  return problem;
}

// RFC 9112 section 6.1: the only transfer coding understood is a final, lone "chunked"
// (Beast itself refuses "chunked" twice and "chunked" with a Content-Length).
bool has_unsupported_transfer_coding(const Request& request) {
  const auto lines = request.equal_range(bhttp::field::transfer_encoding);
  if (lines.first == lines.second) {
    return false;
  }
  std::string codings;  // an empty one too is a coding we do not understand
  for (const auto& line : boost::make_iterator_range(lines)) {
    codings.append(codings.empty() ? "" : ",").append(line.value().data(), line.value().size());
  }
  const auto list = split_list(codings);
  return list.size() != 1 || !iequals(list.front(), "chunked");
}

// RFC 9112 section 3.2: an HTTP/1.1 request has exactly one Host.
bool lacks_one_host(const Request& request) {
  const auto hosts = request.count(bhttp::field::host);
  return request.version() >= 11 ? hosts != 1 : hosts > 1;
}

}  // namespace

// One event loop and what lives on it; touched by its own thread only (but for posts).
struct Server::Loop {
  explicit Loop(std::size_t loop_index) : index(loop_index) {}

  std::size_t index;
  bool drained = false;
  // Declared before io: sessions pending when io is destroyed take themselves off this list.
  std::list<Session*> sessions;
  boost::asio::io_context io{1};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work{
      io.get_executor()};
  boost::context::pooled_fixedsize_stack stacks{fiber_stack_bytes};
};

class Server::Session {
 public:
  Session(Server& server, Loop& loop, tcp::socket socket, std::string peer_key)
      : server_(server),
        loop_(loop),
        socket_(std::move(socket)),
        deadline_(socket_.get_executor(), deadline_horizon(server.settings_), [this] { cut(); }),
        buffer_(server.settings_.header_limit + buffer_slack),
        peer_key_(std::move(peer_key)),
        position_(loop.sessions.insert(loop.sessions.end(), this)) {
    remember_peer();
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  Session(Session&&) = delete;
  Session& operator=(Session&&) = delete;
  ~Session() {
    server_.release_connection(peer_key_);
    server_.session_ended(loop_, position_);
  }

  // Cuts an idle connection (between requests) at once; a busy one finishes its request.
  void close_if_idle() {
    if (idle_) {
      socket_.cancel();
    }
  }
  void cut() {
    beast::error_code ignored;
    socket_.close(ignored);
  }
  [[nodiscard]] bool idle() const noexcept { return idle_; }
  [[nodiscard]] Clock::time_point idle_since() const noexcept { return idle_since_; }

  awaitable<void> run() {
    for (std::size_t served = 0;
         served < settings().max_requests_per_connection && !server_.draining_; ++served) {
      Parser parser{settings().max_header_fields, settings().body_limit};
      const auto read = co_await read_request(parser, served == 0);
      if (read == Read::refused) {
        continue;  // answered, and the connection is still in step
      }
      if (read == Read::done) {
        break;
      }
      deadline_.clear();  // the server's own time to answer is not the client's
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
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    if (refused_) {
      co_await drain_unread_input();
    }
    socket_.close(ignored);
    co_return;
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
    const auto endpoint = socket_.remote_endpoint(error);
    peer_ = endpoint.address();
    peer_known_ = !error;
  }

  // Reads one request within the header, body and time limits, answering one that breaks
  // them (431, 413, 400, 501).
  awaitable<Read> read_request(Parser& parser, bool first) {
    parser.header_limit(static_cast<std::uint32_t>(settings().header_limit));
    // The body limit is checked against Content-Length once the header is complete (below):
    // Beast's own check fires mid-header, before the length can be read back.
    parser.body_limit(boost::none);
    idle_ = true;
    idle_since_ = Clock::now();
    if (buffer_.size() == 0 && buffer_.capacity() > std::size_t{4} * 1024) {
      buffer_.shrink_to_fit();  // an idle connection holds no large buffer
    }
    deadline_.expires_after(first ? settings().header_timeout : settings().idle_timeout,
                            idle_since_);
    auto [header_error, header_bytes] =
        co_await bhttp::async_read_header(socket_, buffer_, parser, tuple_awaitable);
    idle_ = false;
    started_ = Clock::now();
    if (header_error == bhttp::error::header_limit ||
        header_error == bhttp::error::buffer_overflow) {
      co_await refuse(refusal(431, "Request Header Fields Too Large",
                              "The request line and headers must fit in " +
                                  std::to_string(settings().header_limit) + " bytes and " +
                                  std::to_string(settings().max_header_fields) + " fields."));
      co_return Read::done;
    }
    if (header_error) {
      if (!client_went_away(header_error) && buffer_.size() > 0) {
        co_await refuse(refusal(400, "Bad Request", "The request is not valid HTTP/1.1."));
      }
      co_return Read::done;
    }
    const auto& header = parser.get();
    if (has_unsupported_transfer_coding(header)) {
      co_await refuse(
          refusal(501, "Not Implemented", "The only Transfer-Encoding understood is chunked."));
      co_return Read::done;
    }
    if (lacks_one_host(header)) {
      co_await refuse(refusal(400, "Bad Request", "An HTTP/1.1 request needs one Host header."));
      co_return Read::done;
    }
    if (parser.content_length() && *parser.content_length() > settings().body_limit) {
      // Content-Length says too much: answer, and keep the connection if the rest is small.
      const bool keep = co_await discard_body(*parser.content_length());
      co_await refuse(refusal(413, {}, {}), keep);
      co_return keep ? Read::refused : Read::done;
    }
    if (parser.is_done()) {
      co_return Read::complete;  // no body: Beast's read would only post its completion
    }
    parser.body_limit(settings().body_limit);  // what a chunked body may add up to
    deadline_.expires_after(settings().body_timeout, started_);
    auto [body_error, body_bytes] =
        co_await bhttp::async_read(socket_, buffer_, parser, tuple_awaitable);
    if (body_error == bhttp::error::body_limit) {
      co_await refuse(refusal(413, {}, {}));  // chunked: the rest cannot be skipped in step
      co_return Read::done;
    }
    if (body_error == bhttp::error::buffer_overflow || body_error == bhttp::error::header_limit) {
      co_await refuse(refusal(431, "Request Header Fields Too Large",
                              "A chunk header or the trailer section is too large."));
      co_return Read::done;
    }
    if (body_error && !client_went_away(body_error)) {
      co_await refuse(refusal(400, "Bad Request", "The request body is not valid HTTP/1.1."));
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

  // The Api's response, computed where the route says it runs. An exception from a handler
  // becomes a 500 with the request id; its text goes to the log only.
  awaitable<Response> answer(const Request& request, Exchange& exchange) {
    const auto& api = server_.api_;
    Dispatch dispatch;
    try {
      dispatch = api.dispatch(request);
    } catch (const std::exception& error) {
      co_return unexpected_failure(request, exchange, error.what());
    }
    const auto handle = [&]() -> Response {
      try {
        return api.handle(request, dispatch, exchange);
      } catch (const std::exception& error) {
        return unexpected_failure(request, exchange, error.what());
      } catch (...) {
        return unexpected_failure(request, exchange,
                                  "an exception not derived from std::exception");
      }
    };
    switch (dispatch.runs()) {
      case Runs::io_thread:
        co_return handle();
      case Runs::fiber:
        co_return co_await asio::spawn(
            asio::any_io_executor{loop_.io.get_executor()}, std::allocator_arg, loop_.stacks,
            [&](fiber::Yield yield) -> Response {
              fiber::Context context{std::move(yield), loop_.index};
              const fiber::Scope scope{context};
              return handle();
            },
            asio::use_awaitable);
      case Runs::hashing:
        break;
    }
    const auto admitted = server_.admit_hashing(exchange.client);
    if (!admitted) {
      exchange.route = dispatch.route_template;
      auto busy = problem_for(Error::of(ErrorCode::unavailable, "password hashing at capacity"));
      busy.retry_after = std::chrono::seconds{1};
      exchange.problem_detail = busy.log_detail;
      co_return render(request, busy);
    }
    co_return co_await asio::co_spawn(
        server_.hashing_.executor(), [&]() -> awaitable<Response> { co_return handle(); },
        asio::use_awaitable);
  }

  static Response unexpected_failure(const Request& request, Exchange& exchange,
                                     std::string_view what) {
    exchange.unexpected_failure = true;
    exchange.problem_detail = "unhandled exception: " + std::string(what);
    return render(request, problem_for(Error::of(ErrorCode::internal)));
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
    const auto write_error = co_await write(response);
    server_.observer_(CompletedExchange{&request, static_cast<int>(response.result_int()),
                                        Clock::now() - started_, &exchange});
    co_return !write_error && keep_alive;
  }

  // Header and body leave in one write of two buffers: Beast's serializer would walk a
  // dozen small buffers through its state machine for every response.
  awaitable<beast::error_code> write(Response& response) {
    deadline_.expires_after(settings().write_timeout);
    if (response.chunked()) {
      // The API never makes one; its whole body is here anyway, so it goes out with its length.
      response.chunked(false);
      response.prepare_payload();
    }
    header_text_.clear();
    if (header_text_.capacity() > max_kept_header_text) {
      header_text_.shrink_to_fit();
    }
    append_header_text(header_text_, response);
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(header_text_),
                                                    asio::buffer(response.body())};
    auto [error, written] = co_await asio::async_write(socket_, buffers, tuple_awaitable);
    co_return error;
  }

  // X-Forwarded-For may come as several header lines; together they are one list.
  std::string forwarded_client(const Request& request) const {
    if (settings().trusted_proxies.empty()) {
      return peer_key_;  // the peer, already written out when it connected
    }
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
    deadline_.expires_after(settings().body_timeout);
    while (remaining > 0) {
      auto [error, read] = co_await socket_.async_read_some(
          asio::buffer(chunk.data(), std::min(chunk.size(), remaining)), tuple_awaitable);
      if (error) {
        co_return false;
      }
      remaining -= read;
    }
    co_return true;
  }

  // After refusing a request whose rest was still coming, reads (and drops) what the client
  // still sends, for a bounded time and size, so that closing does not reset the connection
  // before the client has read the refusal (RFC 9112 section 9.6, "lingering close").
  awaitable<void> drain_unread_input() {
    constexpr std::size_t max_drained = std::size_t{1024} * 1024;
    std::array<char, 8192> chunk{};
    std::size_t drained = 0;
    deadline_.expires_after(std::chrono::milliseconds{500});
    while (drained < max_drained) {
      auto [error, read] = co_await socket_.async_read_some(asio::buffer(chunk), tuple_awaitable);
      if (error) {
        break;
      }
      drained += read;
    }
  }

  // Answers a request that never reached the Api (framing errors, limits).
  awaitable<void> refuse(const Problem& problem, bool keep_alive = false) {
    refused_ = !keep_alive;
    Response response{static_cast<bhttp::status>(problem.status), 11};
    response.set(bhttp::field::content_type, "application/problem+json");
    Exchange exchange;
    exchange.request_id = new_request_id();
    exchange.client = peer_known_ ? peer_.to_string() : std::string{};
    exchange.problem_detail = problem.detail;
    response.set("X-Request-Id", exchange.request_id);
    response.body() = to_json(problem);
    response.keep_alive(keep_alive);
    response.prepare_payload();
    co_await write(response);
    server_.observer_(
        CompletedExchange{nullptr, problem.status, Clock::now() - started_, &exchange});
  }

  Server& server_;
  Loop& loop_;
  tcp::socket socket_;
  Deadline deadline_;          // closes socket_ when the client takes too long; declared after it
  beast::flat_buffer buffer_;  // bounded: no header, chunk line or trailer grows past it
  std::string header_text_;    // the response header being written; reused
  std::string peer_key_;       // what the server counts this connection under
  std::list<Session*>::iterator position_;  // in loop_.sessions
  asio::ip::address peer_;
  bool peer_known_ = false;
  bool idle_ = true;
  bool refused_ = false;  // a refusal ends the connection: drain before closing
  Clock::time_point idle_since_ = Clock::now();
  Clock::time_point started_ = Clock::now();  // when the current request's header arrived
};

Server::Server(ServerSettings settings, const Api& api, ExchangeObserver observer,
               FaultObserver faults)
    : settings_(std::move(settings)),
      api_(api),
      observer_(std::move(observer)),
      faults_(std::move(faults)),
      loops_([this] {
        const auto count = settings_.io_threads == 0 ? available_cores() : settings_.io_threads;
        std::vector<std::unique_ptr<Loop>> loops;
        for (std::size_t index = 0; index < count; ++index) {
          loops.push_back(std::make_unique<Loop>(index));
        }
        return loops;
      }()),
      hashing_(settings_.hashing_threads == 0 ? std::min<std::size_t>(2, available_cores())
                                              : settings_.hashing_threads,
               10),
      acceptor_(loops_.front()->io),
      signals_(loops_.front()->io),
      drain_deadline_(loops_.front()->io),
      room_(loops_.front()->io) {}

Server::~Server() {
  destroying_ = true;
}

std::vector<asio::any_io_executor> Server::loop_executors() const {
  std::vector<asio::any_io_executor> executors;
  for (const auto& loop : loops_) {
    executors.emplace_back(loop->io.get_executor());
  }
  return executors;
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

Server::HashingSlot Server::admit_hashing(const std::string& client) {
  const std::scoped_lock lock(admission_mutex_);
  if (hashing_load_ >= hashing_.size() + settings_.hashing_queue) {
    return {};
  }
  auto& mine = hashing_by_client_[client];
  if (mine >= settings_.hashing_per_client) {
    return {};
  }
  ++mine;
  ++hashing_load_;
  return HashingSlot{*this, client};
}

void Server::release_hashing(const std::string& client) noexcept {
  const std::scoped_lock lock(admission_mutex_);
  --hashing_load_;
  if (const auto found = hashing_by_client_.find(client);
      found != hashing_by_client_.end() && --found->second == 0) {
    hashing_by_client_.erase(found);
  }
}

bool Server::admit_connection(const std::string& peer, const asio::ip::address& address) {
  if (settings_.trusted_proxies.contains(address)) {
    return true;
  }
  const std::scoped_lock lock(admission_mutex_);
  auto& held = connections_by_peer_[peer];
  if (held >= settings_.max_connections_per_client) {
    return false;
  }
  ++held;
  return true;
}

void Server::release_connection(const std::string& peer) noexcept {
  const std::scoped_lock lock(admission_mutex_);
  if (const auto found = connections_by_peer_.find(peer);
      found != connections_by_peer_.end() && --found->second == 0) {
    connections_by_peer_.erase(found);
  }
}

void Server::make_room() {
  for (auto& loop : loops_) {
    asio::post(loop->io, [&loop = *loop] {
      // Closes the kept-alive connection that has waited longest for its next request.
      Session* idlest = nullptr;
      for (auto* session : loop.sessions) {
        if (session->idle() &&
            (idlest == nullptr || session->idle_since() < idlest->idle_since())) {
          idlest = session;
        }
      }
      if (idlest != nullptr) {
        idlest->close_if_idle();
      }
    });
  }
}

// At the cap: when someone is waiting to connect, close the idlest connections for them and
// wait until one ends; meanwhile they wait in the listen backlog.
// (Hidden from clang-tidy's analyzer, which reports false null dereferences inside Asio's
// awaitable frame for this wait and for its call.)
awaitable<void> Server::wait_for_room() {
#ifndef __clang_analyzer__
  co_await acceptor_.async_wait(tcp::acceptor::wait_read, tuple_awaitable);
  if (acceptor_.is_open() && connections_.load() >= settings_.max_connections) {
    accept_waiting_ = true;
    make_room();
    room_.expires_after(std::chrono::seconds{1});
    co_await room_.async_wait(tuple_awaitable);
    accept_waiting_ = false;
  }
  co_return;
#else
  accept_waiting_ = false;
  co_return;
#endif
}

void Server::start_accepting() {
  asio::co_spawn(
      acceptor_.get_executor(),
      [this]() -> awaitable<void> {
        auto last_fault = Clock::now() - std::chrono::hours{1};
        while (acceptor_.is_open()) {
#ifndef __clang_analyzer__  // see wait_for_room
          if (connections_.load() >= settings_.max_connections) {
            co_await wait_for_room();
            continue;
          }
#endif
          auto& loop = *loops_[next_loop_++ % loops_.size()];
          auto [error, socket] = co_await acceptor_.async_accept(
              asio::any_io_executor{loop.io.get_executor()}, tuple_awaitable);
          if (error == asio::error::operation_aborted || !acceptor_.is_open()) {
            break;
          }
          if (error) {
            if (Clock::now() - last_fault > std::chrono::seconds{10}) {
              faults_("accept", error.message());  // at most one report per 10 s
              last_fault = Clock::now();
            }
            if (out_of_descriptors(error)) {
              // Retrying at once would spin: the error persists until descriptors free up.
              make_room();
              room_.expires_after(descriptor_backoff);
              co_await room_.async_wait(tuple_awaitable);
            }
            continue;
          }
          beast::error_code ignored;
          auto address = socket.remote_endpoint(ignored).address();
          if (address.is_v6() && address.to_v6().is_v4_mapped()) {
            address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
          }
          auto peer = address.to_string();
          if (!admit_connection(peer, address)) {
            socket.close(ignored);  // this client holds its share of connections already
            continue;
          }
          ++connections_;
          asio::post(loop.io,
                     [this, &loop, socket = std::move(socket), peer = std::move(peer)]() mutable {
                       start_session(loop, std::move(socket), std::move(peer));
                     });
        }
      },
      [this](const std::exception_ptr& failure) {
        if (failure) {
          faults_("accept", exception_text(failure));
        }
      });
}

void Server::start_session(Loop& loop, tcp::socket socket, std::string peer) {
  beast::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  auto session = std::make_shared<Session>(*this, loop, std::move(socket), std::move(peer));
  if (draining_) {
    return;  // accepted just before the drain: the session ends (and is counted out) at once
  }
  asio::co_spawn(
      loop.io, [session]() { return session->run(); },
      [this](const std::exception_ptr& failure) {
        if (failure) {
          faults_("connection", exception_text(failure));
        }
      });
}

void Server::run() {
  std::vector<std::jthread> others;
  // If anything below throws, every loop is stopped first, or joining the others would wait
  // for ever.
  const OnThrow stop_loops{[this] {
    for (const auto& loop : loops_) {
      loop->io.stop();
    }
  }};
  for (std::size_t index = 1; index < loops_.size(); ++index) {
    others.emplace_back([this, &loop = *loops_[index]] {
      prepare_loop_thread();
      loop.io.run();
    });
  }
  // The calling thread runs the first loop, and gets its own policy back afterwards.
  const SchedulingRestorer restorer{settings_.batch_scheduling};
  prepare_loop_thread();
  loops_.front()->io.run();
}  // the policy is restored, the loops stopped if something threw, then the others joined

void Server::prepare_loop_thread() {
  if (!settings_.batch_scheduling) {
    return;
  }
  if (const auto refused = schedule_calling_thread_as_batch(); !refused.empty()) {
    faults_("scheduling", refused);
  }
}

void Server::stop() {
  asio::post(loops_.front()->io, [this] { begin_drain(); });
}

void Server::begin_drain() {
  if (draining_.exchange(true)) {
    return;
  }
  beast::error_code ignored;
  acceptor_.close(ignored);
  signals_.cancel(ignored);
  room_.cancel();
  busy_loops_ = loops_.size();
  // Phase two: whatever has not finished by the deadline is cut.
  drain_deadline_.expires_after(settings_.drain_timeout);
  drain_deadline_.async_wait([this](const beast::error_code& error) {
    if (error) {
      return;  // cancelled: every loop drained in time
    }
    for (auto& loop : loops_) {
      asio::post(loop->io, [&loop = *loop] {
        for (auto* session : loop.sessions) {
          session->cut();
        }
        loop.work.reset();
        loop.io.stop();
      });
    }
  });
  for (auto& loop : loops_) {
    asio::post(loop->io, [this, &loop = *loop] { drain(loop); });
  }
}

void Server::drain(Loop& loop) {
  for (auto* session : loop.sessions) {
    session->close_if_idle();
  }
  if (loop.sessions.empty()) {
    loop_drained(loop);
  }
}

void Server::loop_drained(Loop& loop) {
  if (loop.drained) {
    return;
  }
  loop.drained = true;
  loop.work.reset();  // run() on this loop returns once its last work is done
  if (--busy_loops_ == 0) {
    asio::post(loops_.front()->io, [this] { drain_deadline_.cancel(); });
  }
}

void Server::session_ended(Loop& loop, std::list<Session*>::iterator session) noexcept {
  loop.sessions.erase(session);
  --connections_;
  if (destroying_) {
    return;
  }
  try {
    if (accept_waiting_) {
      asio::post(loops_.front()->io, [this] { room_.cancel(); });
    }
    if (draining_ && loop.sessions.empty()) {
      loop_drained(loop);
    }
  } catch (...) {  // NOLINT(bugprone-empty-catch): the timers then end by themselves
  }
}

}  // namespace marketing_events::http
