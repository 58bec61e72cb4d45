#pragma once

// The steps the scenarios share, written against the use cases. The same scenarios are built
// twice: on the in-memory adapters, and on PostgreSQL (MARKETING_EVENTS_ACCEPTANCE_ON_POSTGRES).

#include <catch2/catch.hpp>
#include <string>

#ifdef MARKETING_EVENTS_ACCEPTANCE_ON_POSTGRES
#include "marketing_events/testing/postgres_services.hpp"
#else
#include "marketing_events/testing/in_memory_services.hpp"
#endif

namespace acceptance {

using namespace marketing_events;

inline constexpr const char* valid_password = "correct horse battery";

struct Session {
  User user;
  TokenPair tokens;
};

#ifdef MARKETING_EVENTS_ACCEPTANCE_ON_POSTGRES
using Services = testing::PostgresServices;
#else
using Services = testing::InMemoryServices;
#endif

class World {
 public:
  Services app;

  // Given I am a registered user with valid credentials
  User registered_user(const std::string& email = "ana@example.com") {
    auto user = app.auth.register_user(email, valid_password);
    REQUIRE(user.has_value());
    return user.value();
  }

  // Given I am an authenticated user: registered, logged in, holding an access token.
  Session authenticated_user(const std::string& email = "ana@example.com") {
    auto user = registered_user(email);
    auto tokens = app.auth.log_in({email, valid_password, "192.0.2.10"});
    REQUIRE(tokens.has_value());
    return Session{std::move(user), std::move(tokens).value()};
  }

  // Who the caller is, as the HTTP adapter asks on every request: the Authenticator use case.
  UserId caller(const Session& session) {
    const auto principal = app.authenticator.authenticate(session.tokens.access_token);
    REQUIRE(principal.has_value());
    return principal->user;
  }

  // Given an existing event I previously created
  Event existing_event(const Session& session, const std::string& title = "Spring launch",
                       const std::string& status = "draft",
                       const std::string& starts_at = "2026-03-01T09:00:00Z") {
    auto event = app.events.create(
        caller(session), EventInput{title, "Press and partners", starts_at, starts_at, status});
    REQUIRE(event.has_value());
    return event.value();
  }
};

}  // namespace acceptance
