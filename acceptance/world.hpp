#pragma once

// The steps the scenarios share, written against the use cases. The same scenarios are built
// twice: on the in-memory adapters, and on PostgreSQL (MARKETING_EVENTS_ACCEPTANCE_ON_POSTGRES).

#include <catch2/catch.hpp>
#include <string>
#include <vector>

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

  // Given there are multiple events: 25 drafts, one a day from 2026-03-01, in that order.
  std::vector<Event> daily_events(const Session& session) {
    std::vector<Event> created;
    for (int day = 1; day <= 25; ++day) {
      const auto starts_at =
          "2026-03-" + std::string(day < 10 ? "0" : "") + std::to_string(day) + "T09:00:00Z";
      created.push_back(existing_event(session, "Day " + std::to_string(day), "draft", starts_at));
    }
    return created;
  }

  // A keyset walk as a client makes it: the listing `parameters` name (with `cursor` set),
  // then each page's next position, until there is none. The pages, each checked to succeed.
  std::vector<EventPage> walk(const Session& session, const EventListParameters& parameters) {
    auto query = parse_event_query(parameters);
    REQUIRE(query.has_value());
    REQUIRE(query->paging == Paging::keyset);
    std::vector<EventPage> pages;
    for (int bound = 0; bound < 1000; ++bound) {
      auto page = app.events.list(caller(session), *query);
      REQUIRE(page.has_value());
      pages.push_back(std::move(page).value());
      if (!pages.back().next) {
        return pages;
      }
      query->after = pages.back().next;
    }
    FAIL("the walk did not end");
    return pages;
  }

  // The events of `pages`, in order.
  static std::vector<Event> items_of(const std::vector<EventPage>& pages) {
    std::vector<Event> items;
    for (const auto& page : pages) {
      items.insert(items.end(), page.items.begin(), page.items.end());
    }
    return items;
  }
};

}  // namespace acceptance
