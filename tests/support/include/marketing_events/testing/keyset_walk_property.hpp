#pragma once

// A property of keyset paging, checked on any composition of the core (in memory, PostgreSQL):
// for random events, filters, sorts and page sizes, walking every page by position returns the
// whole ordered result exactly once; with events created and deleted between pages, it still
// never repeats an item, never breaks the order, and never skips one that existed throughout.

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "marketing_events/model/event_query.hpp"

namespace marketing_events::testing {

namespace keyset_walk {

inline auto key_of(const Event& event, EventSortKey key) {
  const auto position = position_of(event, key);
  return std::tuple{position.instant, position.title, position.id};
}

inline bool in_order(const Event& left, const Event& right, const EventSort& sort) {
  return sort.descending ? key_of(right, sort.key) < key_of(left, sort.key)
                         : key_of(left, sort.key) < key_of(right, sort.key);
}

inline std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

inline bool matches(const Event& event, const EventQuery& query) {
  const auto& details = event.details;
  if (!query.statuses.empty() && std::find(query.statuses.begin(), query.statuses.end(),
                                           details.status) == query.statuses.end()) {
    return false;
  }
  if ((query.starts_from && details.starts_at < *query.starts_from) ||
      (query.starts_to && details.starts_at >= *query.starts_to)) {
    return false;
  }
  return lower(details.title).find(lower(query.title_contains)) != std::string::npos;
}

// Few distinct values, so that sort keys tie often and the id has to break the ties.
template <typename Random>
EventInput random_input(Random& random) {
  // Bytes above ASCII too: both stores order titles by byte ("C" collation).
  static const std::vector<std::string> titles{"alpha",
                                               "Alpha",
                                               "beta launch",
                                               "Beta",
                                               "gamma",
                                               "ALPHA launch",
                                               "delta_%",
                                               "zeta",
                                               "\xc3\x89mile launch",
                                               "zo\xc3\xab \xf0\x9f\x8e\x89"};
  static const std::vector<std::string> statuses{"draft", "published", "archived"};
  const auto pick = [&random](std::size_t count) {
    return std::uniform_int_distribution<std::size_t>{0, count - 1}(random);
  };
  const auto day = "2026-04-0" + std::to_string(1 + pick(5)) + "T09:00:00Z";
  return EventInput{titles.at(pick(titles.size())), "", day, day, statuses.at(pick(3))};
}

template <typename Random>
EventQuery random_query(Random& random) {
  const auto chance = [&random](int percent) {
    return std::uniform_int_distribution<int>{0, 99}(random) < percent;
  };
  EventQuery query;
  query.paging = Paging::keyset;
  for (const auto status : {EventStatus::draft, EventStatus::published, EventStatus::archived}) {
    if (chance(40)) {
      query.statuses.push_back(status);
    }
  }
  const auto sort = std::uniform_int_distribution<int>{0, 5}(random);
  query.sort = {static_cast<EventSortKey>(sort / 2), sort % 2 == 1};
  if (chance(30)) {
    query.starts_from = parse_instant("2026-04-02T09:00:00Z");
  }
  if (chance(30)) {
    query.starts_to = parse_instant("2026-04-05T00:00:00Z");
  }
  static const std::vector<std::string> needles{"a", "LAUNCH", "alpha", "_%", "zz"};
  if (chance(30)) {
    query.title_contains = needles.at(std::uniform_int_distribution<std::size_t>{0, 4}(random));
  }
  query.limit = std::uniform_int_distribution<std::int64_t>{1, 7}(random);
  return query;
}

}  // namespace keyset_walk

// `make_services()` returns a fresh composition (a unique_ptr) with `auth`, `events` and a
// FixedClock `clock`.
template <typename MakeServices>
void check_keyset_walks(MakeServices make_services, std::uint32_t seed, int rounds) {
  using namespace keyset_walk;
  std::mt19937 random{seed};
  for (int round = 0; round < rounds; ++round) {
    INFO("seed " << seed << ", round " << round);
    auto services = make_services();
    auto& app = *services;
    const auto owner = app.auth.register_user("owner@example.com", "correct horse battery");
    const auto other = app.auth.register_user("other@example.com", "correct horse battery");
    REQUIRE(owner.has_value());
    REQUIRE(other.has_value());
    const auto create = [&](const UserId& user) {
      app.clock.advance(std::chrono::microseconds{
          std::uniform_int_distribution<int>{0, 1}(random)});  // created_at ties, too
      auto event = app.events.create(user, random_input(random));
      REQUIRE(event.has_value());
      return event.value();
    };
    std::vector<Event> initial;
    const auto count = std::uniform_int_distribution<int>{0, 40}(random);
    for (int index = 0; index < count; ++index) {
      initial.push_back(create(owner->id));
      create(other->id);
    }
    const auto query = random_query(random);
    const bool changes = std::uniform_int_distribution<int>{0, 1}(random) == 1;
    std::vector<Event> inserted;
    std::set<EventId> deleted;
    std::vector<Event> walked;
    auto page_query = query;
    for (int pages = 0;; ++pages) {
      REQUIRE(pages <= 200);
      auto page = app.events.list(owner->id, page_query);
      REQUIRE(page.has_value());
      CHECK(static_cast<std::int64_t>(page->items.size()) <= query.limit);
      walked.insert(walked.end(), page->items.begin(), page->items.end());
      if (!page->next) {
        break;
      }
      page_query.after = page->next;
      if (changes && std::uniform_int_distribution<int>{0, 2}(random) == 0) {
        inserted.push_back(create(owner->id));
      }
      if (changes && !initial.empty() && std::uniform_int_distribution<int>{0, 2}(random) == 0) {
        const auto& victim =
            initial.at(std::uniform_int_distribution<std::size_t>{0, initial.size() - 1}(random));
        if (deleted.insert(victim.id).second) {
          REQUIRE(app.events.remove(owner->id, victim.id).has_value());
        }
      }
    }
    // In order, without repeats; only the owner's matching events, old or new.
    for (std::size_t at = 1; at < walked.size(); ++at) {
      CHECK(in_order(walked.at(at - 1), walked.at(at), query.sort));
    }
    std::set<EventId> known;
    for (const auto& event : initial) {
      known.insert(event.id);
    }
    for (const auto& event : inserted) {
      known.insert(event.id);
    }
    for (const auto& event : walked) {
      CHECK(known.contains(event.id));
      CHECK(matches(event, query));
    }
    // Every matching event that existed throughout was seen.
    std::vector<Event> expected;
    std::copy_if(
        initial.begin(), initial.end(), std::back_inserter(expected),
        [&](const Event& event) { return matches(event, query) && !deleted.contains(event.id); });
    std::sort(expected.begin(), expected.end(), [&](const Event& left, const Event& right) {
      return in_order(left, right, query.sort);
    });
    std::set<EventId> seen;
    for (const auto& event : walked) {
      seen.insert(event.id);
    }
    for (const auto& event : expected) {
      CHECK(seen.contains(event.id));
    }
    if (inserted.empty() && deleted.empty()) {
      REQUIRE(walked.size() == expected.size());
      for (std::size_t at = 0; at < walked.size(); ++at) {
        CHECK(walked.at(at).id == expected.at(at).id);
      }
      // Numbered pages of the same listing: the same items, and a next position exactly when a
      // page follows.
      auto numbered = query;
      numbered.paging = Paging::numbered;
      numbered.after.reset();
      const auto total = static_cast<std::int64_t>(expected.size());
      for (numbered.page = 1; numbered.page <= total / query.limit + 2; ++numbered.page) {
        const auto page = app.events.list(owner->id, numbered);
        REQUIRE(page.has_value());
        CHECK(page->total_items == total);
        CHECK(page->next.has_value() == (numbered.page * query.limit < total));
        for (std::size_t at = 0; at < page->items.size(); ++at) {
          const auto index = static_cast<std::size_t>(numbered.offset()) + at;
          REQUIRE(index < expected.size());
          CHECK(page->items.at(at).id == expected.at(index).id);
        }
      }
    }
  }
}

}  // namespace marketing_events::testing
