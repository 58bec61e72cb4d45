#include "marketing_events/http/trusted_proxies.hpp"

#include <catch2/catch.hpp>

using marketing_events::http::TrustedProxies;

namespace {

boost::asio::ip::address address(const char* text) {
  return boost::asio::ip::make_address(text);
}

TrustedProxies trusting(const char* list) {
  auto proxies = TrustedProxies::parse(list);
  REQUIRE(proxies.has_value());
  return *proxies;
}

}  // namespace

TEST_CASE("trusted proxies are addresses and CIDR networks of both families") {
  const auto proxies = trusting(" 10.0.0.0/8, 192.168.1.7 ,fd00::/8,::1");
  CHECK(proxies.contains(address("10.255.0.1")));
  CHECK_FALSE(proxies.contains(address("11.0.0.1")));
  CHECK(proxies.contains(address("192.168.1.7")));
  CHECK_FALSE(proxies.contains(address("192.168.1.8")));
  CHECK(proxies.contains(address("fd12:3456::1")));
  CHECK_FALSE(proxies.contains(address("fe80::1")));
  CHECK(proxies.contains(address("::1")));
  CHECK(proxies.contains(address("::ffff:10.1.1.1")));  // an IPv4 peer on a dual-stack socket
  CHECK(trusting("0.0.0.0/0").contains(address("203.0.113.9")));
  CHECK_FALSE(trusting("0.0.0.0/0").contains(address("2001:db8::1")));
  CHECK_FALSE(TrustedProxies{}.contains(address("127.0.0.1")));
}

TEST_CASE("a bad trusted-proxy entry is refused and named") {
  for (const auto* bad : {"localhost", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/8x", "::/129",
                          "10.0.0.0/-1", "1.2.3.4.5"}) {
    CAPTURE(bad);
    const auto parsed = TrustedProxies::parse(bad);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().fields.at(0).field == "TRUSTED_PROXIES");
  }
  CHECK(TrustedProxies::parse("").has_value());
  CHECK(TrustedProxies::parse(" , ").has_value());
}

TEST_CASE("the client is the peer unless the peer is a trusted proxy") {
  const auto proxies = trusting("10.0.0.0/8");
  // An untrusted peer cannot choose its address by sending the header.
  CHECK(proxies.client_address(address("203.0.113.5"), "198.51.100.1") == "203.0.113.5");
  CHECK(proxies.client_address(address("10.0.0.2"), "198.51.100.1") == "198.51.100.1");
  CHECK(proxies.client_address(address("10.0.0.2"), "") == "10.0.0.2");
  // Right to left past every trusted hop; whatever the client wrote further left is ignored.
  CHECK(proxies.client_address(address("10.0.0.2"), "1.1.1.1, 198.51.100.1, 10.0.0.9") ==
        "198.51.100.1");
  // A malformed hop stops the walk at the last good address.
  CHECK(proxies.client_address(address("10.0.0.2"), "198.51.100.1, garbage") == "10.0.0.2");
  CHECK(proxies.client_address(address("10.0.0.2"), "unknown, 10.0.0.3") == "10.0.0.3");
  // Every hop trusted: the leftmost is the best we know.
  CHECK(proxies.client_address(address("10.0.0.2"), "10.0.0.4,10.0.0.3") == "10.0.0.4");
  CHECK(proxies.client_address(address("::ffff:10.0.0.2"), "2001:db8::7") == "2001:db8::7");
  CHECK(TrustedProxies{}.client_address(address("10.0.0.2"), "198.51.100.1") == "10.0.0.2");
}

TEST_CASE("clients are throttled by address, IPv6 ones by their /64") {
  using marketing_events::http::throttle_identity;
  CHECK(throttle_identity("198.51.100.7") == "198.51.100.7");
  CHECK(throttle_identity("::ffff:198.51.100.7") == "198.51.100.7");
  CHECK(throttle_identity("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64");
  CHECK(throttle_identity("2001:db8:1:2:ffff::1") == "2001:db8:1:2::/64");
  CHECK(throttle_identity("") == "unknown");
  CHECK(throttle_identity("not an address") == "unknown");
}
