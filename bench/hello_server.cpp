// A trivial HTTP/1.1 server answering every request with a fixed 200: the ceiling of what
// Boost.Beast and Asio serve on this machine, measured beside events-api's /healthz.
// The real server's shape on one loop: one I/O thread, one coroutine per connection, keep-alive.
//   bench_hello_server PORT
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <exception>
#include <iostream>
#include <string_view>

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

asio::awaitable<void> accept(tcp::acceptor& acceptor) {
  for (;;) {
    auto [error, socket] = co_await acceptor.async_accept(tuple_awaitable);
    if (error) {
      co_return;
    }
    socket.set_option(tcp::no_delay(true));
    asio::co_spawn(acceptor.get_executor(), serve(std::move(socket)), asio::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  unsigned short port = 0;
  const std::string_view text = argc > 1 ? argv[1] : "";  // NOLINT(*-pointer-arithmetic)
  if (std::from_chars(text.data(), text.data() + text.size(), port).ec != std::errc{}) {
    std::cerr << "usage: bench_hello_server PORT\n";
    return 2;
  }
  try {
    asio::io_context io{1};
    tcp::acceptor acceptor{io, {asio::ip::make_address("127.0.0.1"), port}};
    asio::signal_set signals{io, SIGINT, SIGTERM};
    signals.async_wait([&](auto, auto) { io.stop(); });
    asio::co_spawn(io, accept(acceptor), asio::detached);
    io.run();
  } catch (const std::exception& error) {
    std::cerr << "bench_hello_server: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
