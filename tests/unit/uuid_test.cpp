#include <catch2/catch.hpp>
#include <set>
#include <thread>
#include <vector>

#include "marketing_events/model/uuid.hpp"
#include "marketing_events/system/system_random.hpp"
#include "marketing_events/system/uuid_v7.hpp"
#include "marketing_events/testing/fixed_clock.hpp"

using namespace marketing_events;
using namespace std::chrono_literals;

TEST_CASE("UUIDs parse in either case and print in canonical lower case") {
  const auto id = Uuid::parse("0193A1C2-7D4E-7ABC-8DEF-0123456789AB");
  REQUIRE(id.has_value());
  CHECK(id->to_string() == "0193a1c2-7d4e-7abc-8def-0123456789ab");
  CHECK(id->version() == 7);
  CHECK(Uuid::parse(id->to_string()) == id);
}

TEST_CASE("malformed UUIDs are rejected") {
  for (const auto* text :
       {"", "0193a1c2-7d4e-7abc-8def-0123456789a", "0193a1c2-7d4e-7abc-8def-0123456789abc",
        "0193a1c27d4e7abc8def0123456789ab", "0193a1c2_7d4e-7abc-8def-0123456789ab",
        "0193a1c2-7d4e-7abc-8def-0123456789ag", "{0193a1c2-7d4e-7abc-8def-0123456789a}"}) {
    INFO(text);
    CHECK_FALSE(Uuid::parse(text).has_value());
  }
}

TEST_CASE("UUIDv7 carries the version, the variant and the creation millisecond") {
  testing::FixedClock clock{Instant{std::chrono::milliseconds{0x0193a1c27d4e}}};
  system::SystemRandom random;
  system::UuidV7Generator ids{clock, random};
  const auto id = ids.next();
  CHECK(id.version() == 7);
  CHECK((id.bytes()[8] & 0xC0U) == 0x80U);
  CHECK(id.to_string().starts_with("0193a1c2-7d4e-7"));
}

TEST_CASE("UUIDv7 values strictly increase, even within one millisecond or backwards time") {
  testing::FixedClock clock{testing::FixedClock{Instant{}}.now() + 1'700'000'000'000ms};
  system::SystemRandom random;
  system::UuidV7Generator ids{clock, random};
  std::vector<Uuid> generated;
  generated.reserve(10'101);
  // 10 000 in one millisecond exhausts the 12-bit counter several times over.
  for (int i = 0; i < 10'000; ++i) {
    generated.push_back(ids.next());
  }
  clock.advance(-5s);
  for (int i = 0; i < 100; ++i) {
    generated.push_back(ids.next());
  }
  clock.advance(10s);
  generated.push_back(ids.next());
  for (std::size_t i = 1; i < generated.size(); ++i) {
    INFO(i);
    REQUIRE(generated[i - 1] < generated[i]);
  }
}

TEST_CASE("UUIDv7 generation is safe from several threads and never repeats") {
  testing::FixedClock clock{Instant{} + 1'700'000'000'000ms};
  system::SystemRandom random;
  system::UuidV7Generator ids{clock, random};
  std::vector<std::vector<Uuid>> per_thread(4);
  {
    std::vector<std::jthread> threads;
    threads.reserve(per_thread.size());
    for (auto& out : per_thread) {
      threads.emplace_back([&ids, &out] {
        for (int i = 0; i < 2'000; ++i) {
          out.push_back(ids.next());
        }
      });
    }
  }
  std::set<Uuid> unique;
  for (const auto& out : per_thread) {
    for (std::size_t i = 1; i < out.size(); ++i) {
      REQUIRE(out[i - 1] < out[i]);
    }
    unique.insert(out.begin(), out.end());
  }
  CHECK(unique.size() == 8'000);
}
