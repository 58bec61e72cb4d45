#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "marketing_events/http/api.hpp"
#include "marketing_events/http/trusted_proxies.hpp"
#include "marketing_events/http/worker_threads.hpp"

namespace marketing_events::http {

struct ServerSettings {
  std::string address = "0.0.0.0";
  unsigned short port = 8080;  // 0: any free port (see Server::port)
  std::size_t body_limit = std::size_t{64} * 1024;
  // Bounds the request line and header fields, and also each chunk header and the trailer
  // section of a chunked body (they share the connection's read buffer of about this size).
  std::size_t header_limit = std::size_t{16} * 1024;
  // Header fields per request (each costs memory beyond its bytes on the wire).
  std::size_t max_header_fields = 100;
  // A 413's excess body is read and dropped, keeping the connection, up to this size.
  std::size_t max_discarded_body = std::size_t{1024} * 1024;
  std::chrono::milliseconds header_timeout{10'000};  // to receive a request's headers
  std::chrono::milliseconds idle_timeout{60'000};    // between requests on a kept-alive connection
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds write_timeout{30'000};
  std::size_t max_requests_per_connection = 10'000;
  // Connections served at once. At the cap the idlest kept-alive connection is closed to make
  // room; if none is idle, new ones wait in the listen backlog. Each costs at most about
  // header_limit + body_limit + 8 KiB of buffers while a request is read.
  std::size_t max_connections = 1024;
  // Connections one TCP peer may hold at once (trusted proxies excepted): one client cannot
  // take every place with slow requests.
  std::size_t max_connections_per_client = 128;
  // Threads serving connections, each with its own event loop; requests that wait for the
  // database suspend a stackful coroutine, not the thread. 0: one per available core.
  std::size_t io_threads = 0;
  // The I/O threads run under SCHED_BATCH: a thread woken by a reply or a request does not
  // preempt the one on its core (the database, say), so when the service shares cores it
  // finds several ready when it runs, and pays one wake-up for them. Where a core is idle, it
  // runs at once as before. false: the default policy.
  bool batch_scheduling = true;
  // Password hashing (Runs::hashing) has threads of its own, at a lower priority, so it can
  // never starve database work; 0: as many as the available cores, at most 2 (each Argon2id
  // hash holds 19 MiB). Beyond `hashing_queue` waiting requests, or `hashing_per_client`
  // for one client, more are refused at once with 503 and Retry-After.
  std::size_t hashing_threads = 0;
  std::size_t hashing_queue = 64;
  std::size_t hashing_per_client = 2;
  std::chrono::milliseconds drain_timeout{20'000};
  TrustedProxies trusted_proxies;  // whose X-Forwarded-For names the client
};

// What the server reports about each exchange, for logs and metrics.
struct CompletedExchange {
  const Request* request;  // null when the request could not be parsed
  int status;
  std::chrono::steady_clock::duration duration;
  const Exchange* exchange;
};
using ExchangeObserver = std::function<void(const CompletedExchange&)>;

// Something that went wrong outside any one exchange: a connection that ended by an exception,
// an accept that failed (out of descriptors). `what` is one of a few fixed words.
using FaultObserver = std::function<void(std::string_view what, std::string_view detail)>;

// An HTTP/1.1 server for one Api. Each connection lives on one of io_threads event loops (the
// listener hands them out in turn) as a C++20 coroutine; a request runs where its route says
// (Runs): in line, on a stackful coroutine of the same loop (so a database call suspends it and
// the thread serves others meanwhile), or on the hashing threads, so password hashing never
// takes an I/O thread. Every input has a bound (see ServerSettings); a handler that throws
// gets a 500 with its request id.
class Server {
 public:
  Server(
      ServerSettings settings, const Api& api, ExchangeObserver observer,
      FaultObserver faults = [](std::string_view, std::string_view) {});
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  Server(Server&&) = delete;
  Server& operator=(Server&&) = delete;
  ~Server();

  // Binds and listens; afterwards port() is the real port.
  void listen();
  [[nodiscard]] unsigned short port() const noexcept { return port_.load(); }

  // Drains (as stop() does) when one of `signals` arrives, after calling `on_signal` with it.
  void stop_on_signals(std::initializer_list<int> signals, std::function<void(int)> on_signal);

  // Serves until stop() has drained; call from one thread.
  void run();

  // Thread-safe. Stops accepting, lets in-flight requests finish and closes idle connections;
  // after drain_timeout, whatever is left is cut.
  void stop();

  [[nodiscard]] std::size_t connections() const noexcept { return connections_.load(); }

  // The event loops' executors, by loop index (what fiber::Context::loop() says), for
  // resources bound to a loop (the database pool's shares).
  [[nodiscard]] std::vector<boost::asio::any_io_executor> loop_executors() const;

 private:
  class Session;
  friend class Session;
  struct Loop;

  // A request's place among those hashing or waiting to hash; given back when destroyed.
  class HashingSlot {
   public:
    HashingSlot() = default;  // refused
    HashingSlot(Server& server, std::string client)
        : server_(&server), client_(std::move(client)) {}
    HashingSlot(const HashingSlot&) = delete;
    HashingSlot& operator=(const HashingSlot&) = delete;
    HashingSlot(HashingSlot&& other) noexcept
        : server_(std::exchange(other.server_, nullptr)), client_(std::move(other.client_)) {}
    HashingSlot& operator=(HashingSlot&&) = delete;
    ~HashingSlot() {
      if (server_ != nullptr) {
        server_->release_hashing(client_);
      }
    }
    explicit operator bool() const noexcept { return server_ != nullptr; }

   private:
    Server* server_ = nullptr;
    std::string client_;
  };

  // A place for `client`'s hashing request, if the queue and the client's share allow one.
  [[nodiscard]] HashingSlot admit_hashing(const std::string& client);
  void release_hashing(const std::string& client) noexcept;
  // Counts one more connection of `peer` if it may open one (trusted proxies always may);
  // release_connection gives it back.
  [[nodiscard]] bool admit_connection(const std::string& peer,
                                      const boost::asio::ip::address& address);
  void release_connection(const std::string& peer) noexcept;

  void start_accepting();
  boost::asio::awaitable<void> wait_for_room();
  void start_session(Loop& loop, boost::asio::ip::tcp::socket socket, std::string peer);
  void make_room();  // asks every loop to close its idlest connection
  void begin_drain();
  void prepare_loop_thread();
  void drain(Loop& loop);
  void loop_drained(Loop& loop);
  void session_ended(Loop& loop, std::list<Session*>::iterator session) noexcept;

  ServerSettings settings_;
  const Api& api_;
  ExchangeObserver observer_;
  FaultObserver faults_;
  // Shared by the loops, under one lock: admission counts.
  std::mutex admission_mutex_;
  std::unordered_map<std::string, std::size_t> connections_by_peer_;
  std::unordered_map<std::string, std::size_t> hashing_by_client_;
  std::size_t hashing_load_ = 0;  // hashing requests queued or running
  std::atomic<std::size_t> connections_{0};
  std::atomic<bool> draining_{false};
  std::atomic<bool> destroying_{false};
  std::atomic<bool> accept_waiting_{false};  // the listener waits for room
  std::atomic<std::size_t> busy_loops_{0};   // loops not yet drained
  // Declared before what runs on them; loop 0 also runs the listener and the drain.
  std::vector<std::unique_ptr<Loop>> loops_;
  WorkerThreads hashing_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer drain_deadline_;
  boost::asio::steady_timer room_;  // wakes the listener when a connection ends
  std::size_t next_loop_ = 0;       // the listener's only
  std::atomic<unsigned short> port_{0};
};

}  // namespace marketing_events::http
