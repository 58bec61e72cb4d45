// A trivial HTTP/1.1 server answering every request with a fixed 200: the ceiling of what
// Boost.Beast and Asio serve on this machine, measured beside events-api's /healthz.
// The real server's shape: an io_context per I/O thread, the listener handing connections to
// them in turn, one coroutine per connection, keep-alive.
//   bench_hello_server PORT [THREADS]   (THREADS: 1 by default; bench/run gives the core count)
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <cstddef>
#include <exception>
#include <iostream>
#include <memory>
#include <span>
#include <string_view>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

asio::awaitable<void> serve(tcp::socket socket) {
  beast::tcp_stream stream{std::move(socket)};
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> request;
    auto [read_error, read] = co_await http::async_read(stream, buffer, request, tuple_awaitable);
    if (read_error) {
      co_return;
    }
    http::response<http::string_body> response{http::status::ok, request.version()};
    response.set(http::field::content_type, "text/plain");
    response.keep_alive(request.keep_alive());
    response.body() = "ok\n";
    response.prepare_payload();
    auto [write_error, written] = co_await http::async_write(stream, response, tuple_awaitable);
    if (write_error || !response.keep_alive()) {
      co_return;
    }
  }
}

using Loops = std::vector<std::unique_ptr<asio::io_context>>;

asio::awaitable<void> accept(tcp::acceptor& acceptor, Loops& loops) {
  for (std::size_t next = 0;; next = (next + 1) % loops.size()) {
    auto& loop = *loops[next];
    auto [error, socket] =
        co_await acceptor.async_accept(asio::any_io_executor{loop.get_executor()}, tuple_awaitable);
    if (error) {
      co_return;
    }
    socket.set_option(tcp::no_delay(true));
    asio::co_spawn(loop, serve(std::move(socket)), asio::detached);
  }
}

bool parse(std::string_view text, auto& number) {
  return std::from_chars(text.data(), text.data() + text.size(), number).ec == std::errc{};
}

}  // namespace

int main(int argc, char** argv) {
  unsigned short port = 0;
  unsigned threads = 1;
  const std::span arguments{argv, static_cast<std::size_t>(argc)};
  if (arguments.size() < 2 || arguments.size() > 3 || !parse(arguments[1], port) ||
      (arguments.size() == 3 && !parse(arguments[2], threads)) || threads < 1 || threads > 64) {
    std::cerr << "usage: bench_hello_server PORT [THREADS]   (THREADS: 1 to 64)\n";
    return 2;
  }
  try {
    Loops loops;
    for (unsigned index = 0; index < threads; ++index) {
      loops.push_back(std::make_unique<asio::io_context>(1));
    }
    // Every loop waits for work until a signal stops them all.
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> busy;
    for (const auto& loop : loops) {
      busy.push_back(asio::make_work_guard(*loop));
    }
    auto& first = *loops.front();
    tcp::acceptor acceptor{first, {asio::ip::make_address("127.0.0.1"), port}};
    asio::signal_set signals{first, SIGINT, SIGTERM};
    signals.async_wait([&](auto, auto) {
      for (const auto& loop : loops) {
        loop->stop();
      }
    });
    asio::co_spawn(first, accept(acceptor, loops), asio::detached);
    std::vector<std::jthread> others;
    for (unsigned index = 1; index < threads; ++index) {
      others.emplace_back([&loop = *loops[index]] { loop.run(); });
    }
    first.run();
  } catch (const std::exception& error) {
    std::cerr << "bench_hello_server: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
