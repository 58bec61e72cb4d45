// Feeds arbitrary bytes to the whole server, as a client's connection: request line, headers,
// bodies, chunking, trailers, pipelining. The server runs on a loopback port in this process;
// each input is one connection. Any crash, sanitizer report or 5xx answer (but 501, the answer
// to an unknown transfer coding) is a finding.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>

#include "marketing_events/crypto/random_secret_tokens.hpp"
#include "marketing_events/http/api.hpp"
#include "marketing_events/http/server.hpp"
#include "marketing_events/jwt/jwt_access_tokens.hpp"
#include "marketing_events/memory/in_memory_calendar_feed_repository.hpp"
#include "marketing_events/memory/in_memory_event_repository.hpp"
#include "marketing_events/memory/in_memory_refresh_token_repository.hpp"
#include "marketing_events/memory/in_memory_throttle_store.hpp"
#include "marketing_events/memory/in_memory_user_repository.hpp"
#include "marketing_events/password/argon2id_password_hasher.hpp"
#include "marketing_events/system/system_clock.hpp"
#include "marketing_events/system/system_random.hpp"
#include "marketing_events/system/uuid_v7.hpp"

namespace {

namespace me = marketing_events;

// The service over in-memory stores, with a cheap Argon2id cost so logins stay fast.
struct Target {
  Target() {
    (void)auth.register_user("ana@example.com", "correct horse battery");
    me::http::ServerSettings settings;
    settings.address = "127.0.0.1";
    settings.port = 0;
    settings.header_timeout = std::chrono::seconds{2};
    settings.body_timeout = std::chrono::seconds{2};
    settings.hashing_queue = 10'000;
    server = std::make_unique<me::http::Server>(
        settings, api, [](const me::http::CompletedExchange& completed) {
          // 501 is the deliberate answer to an unknown transfer coding; every other 5xx is a bug
          // (there is no database to be unavailable).
          if (completed.status >= 500 && completed.status != 501) {
            std::fprintf(stderr, "5xx answer: %d %s\n", completed.status,
                         completed.exchange->problem_detail.c_str());
            std::abort();
          }
        });
    server->listen();
    thread = std::thread([this] { server->run(); });
  }

  me::system::SystemClock clock;
  me::system::SystemRandom random;
  me::system::UuidV7Generator ids{clock, random};
  me::crypto::RandomSecretTokens secrets;
  me::memory::InMemoryUserRepository users;
  me::memory::InMemoryEventRepository events_store;
  me::memory::InMemoryRefreshTokenRepository refresh_tokens;
  me::memory::InMemoryThrottleStore throttle;
  me::password::Argon2idPasswordHasher passwords{me::password::Argon2idCost{1, 8192}};
  me::jwt::JwtAccessTokens tokens{me::jwt::SigningKey::generate_ed25519().value(), {}};
  me::AuthService auth{
      me::AuthPorts{users, refresh_tokens, throttle, passwords, tokens, clock, ids, secrets}};
  me::Authenticator authenticator{me::AuthenticatorPorts{tokens, users, clock}};
  me::EventService events{me::EventPorts{events_store, clock, ids}};
  me::memory::InMemoryCalendarFeedRepository feeds;
  me::CalendarService calendar{me::CalendarPorts{feeds, events_store, secrets, clock, ids}, {}};
  me::http::Api api{
      me::http::contract_routes(
          events, auth, calendar, {},
          me::http::Operations{
              [] { return true; }, [] { return std::string("up 1\n"); }, "{}", tokens.jwks(), {}}),
      authenticator};
  std::unique_ptr<me::http::Server> server;
  std::thread thread;  // serves until the process ends
};

Target& target() {
  static auto* const running = new Target();  // never destroyed: the server runs to the end
  return *running;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto port = target().server->port();
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    std::abort();
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {  // NOLINT
    std::abort();
  }
  const timeval timeout{3, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  std::size_t sent = 0;
  while (sent < size) {
    const auto written = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);  // NOLINT
    if (written <= 0) {
      break;  // the server may answer and close before it has read everything
    }
    sent += static_cast<std::size_t>(written);
  }
  ::shutdown(fd, SHUT_WR);
  std::array<char, 4096> answer{};
  while (::recv(fd, answer.data(), answer.size(), 0) > 0) {
  }
  ::close(fd);
  return 0;
}
