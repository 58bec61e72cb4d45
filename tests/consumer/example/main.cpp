// Plans a small campaign with the core's use cases and the in-memory store, then uses every
// other adapter the package installs, and checks what comes back. Exits non-zero if anything
// is off.
#include <cstdio>
#include <marketing_events/crypto/random_secret_tokens.hpp>
#include <marketing_events/http/api.hpp>
#include <marketing_events/http/server.hpp>
#include <marketing_events/jwt/jwt_access_tokens.hpp>
#include <marketing_events/password/argon2id_password_hasher.hpp>

#include <marketing_events/memory/in_memory_calendar_feed_repository.hpp>
#include <marketing_events/memory/in_memory_event_repository.hpp>
#include <marketing_events/memory/in_memory_refresh_token_repository.hpp>
#include <marketing_events/memory/in_memory_throttle_store.hpp>
#include <marketing_events/memory/in_memory_user_repository.hpp>
#include <marketing_events/postgres/migrations.hpp>
#include <marketing_events/system/system_clock.hpp>
#include <marketing_events/system/system_random.hpp>
#include <marketing_events/system/uuid_v7.hpp>
#include <marketing_events/use_cases/calendar_service.hpp>
#include <marketing_events/use_cases/event_service.hpp>

namespace me = marketing_events;

namespace {

// One use of each remaining adapter: the package must find and link all of them.
bool adapters_work(me::system::SystemClock& clock,
                   me::IdGenerator& ids) {  // NOLINT(*-function-size)
  me::crypto::RandomSecretTokens secrets;
  const auto secret = secrets.generate();
  if (secret.size() != 43 || secrets.digest(secret).size() != 64) {
    return false;
  }
  me::password::Argon2idPasswordHasher passwords{me::password::Argon2idCost{1, 8192}};
  const auto hash = passwords.hash("correct horse battery");
  if (!hash || !passwords.verify("correct horse battery", *hash)) {
    return false;
  }
  me::jwt::JwtAccessTokens tokens{me::jwt::SigningKey::generate_ed25519().value(), {}};
  const auto now = clock.now();
  const auto token = tokens.issue({ids.next(), ids.next(), now, now + std::chrono::minutes{5}});
  if (!token || !tokens.verify(*token, now)) {
    return false;
  }
  const auto problem = me::http::problem_for(me::Error::of(me::ErrorCode::not_found));
  me::http::ServerSettings settings;
  settings.address = "127.0.0.1";
  settings.port = 0;
  me::memory::InMemoryEventRepository store;
  me::memory::InMemoryUserRepository users;
  me::memory::InMemoryRefreshTokenRepository refresh_tokens;
  me::memory::InMemoryThrottleStore throttle;
  me::EventService events{me::EventPorts{store, clock, ids}};
  me::AuthService auth{
      me::AuthPorts{users, refresh_tokens, throttle, passwords, tokens, clock, ids, secrets}};
  me::Authenticator authenticator{me::AuthenticatorPorts{tokens, users, clock}};
  me::memory::InMemoryCalendarFeedRepository feeds;
  me::CalendarService calendar{me::CalendarPorts{feeds, store, secrets, clock, ids}, {}};
  const me::http::Api api{me::http::contract_routes(events, auth, calendar, {{false}, {}}, {}),
                          authenticator};
  me::http::Server server{settings, api, [](const me::http::CompletedExchange&) {}};
  return problem.status == 404 && api.routes().size() > 10;
}

}  // namespace

int main() {
  me::system::SystemClock clock;
  me::system::SystemRandom random;
  me::system::UuidV7Generator ids{clock, random};
  me::memory::InMemoryEventRepository store;
  me::EventService events{me::EventPorts{store, clock, ids}};

  const auto owner = ids.next();
  const auto launch = events.create(
      owner, me::EventInput{"Spring launch", "Press and partners", "2026-03-01T09:00:00+01:00",
                            "2026-03-01T18:00:00+01:00", "published"});
  const auto teaser =
      events.create(owner, me::EventInput{"Teaser", std::nullopt, "2026-02-20T12:00:00Z",
                                          "2026-02-20T12:30:00Z", std::nullopt});
  const auto invalid =
      events.create(owner, me::EventInput{"", std::nullopt, "soon", std::nullopt, "live"});
  if (!launch || !teaser || invalid || invalid.error().fields.size() != 4) {
    std::puts("unexpected result from create");
    return 1;
  }

  me::EventQuery published;
  published.statuses = {me::EventStatus::published};
  const auto page = events.list(owner, published);
  if (!page || page->total_items != 1 || page->items.at(0).id != launch->id) {
    std::puts("unexpected listing");
    return 1;
  }
  // The PostgreSQL adapter comes from the package too: its migrations are compiled in, and a
  // database that cannot be reached is an error value, not a crash.
  me::postgres::PoolSettings database;
  database.conninfo = "host=/nonexistent/socket/dir dbname=none";
  me::postgres::ConnectionPool pool{database};
  const auto current = me::postgres::schema_is_current(pool);
  if (me::postgres::migrations().empty() || current ||
      current.error().code != me::ErrorCode::unavailable) {
    std::puts("unexpected answer from the PostgreSQL adapter");
    return 1;
  }
  if (!adapters_work(clock, ids)) {
    std::puts("unexpected answer from an adapter");
    return 1;
  }
  std::printf("%s %s starts %s\n", launch->id.to_string().c_str(), launch->details.title.c_str(),
              me::format_instant(launch->details.starts_at).c_str());
  return 0;
}
