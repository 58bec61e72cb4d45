#pragma once

#include <array>
#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marketing_events/result.hpp"

namespace marketing_events::http {

// The reverse proxies whose X-Forwarded-For is believed. Behind nginx or an ingress every
// connection comes from the proxy; without this, per-client login throttling would count all
// users as one client.
class TrustedProxies {
 public:
  TrustedProxies() = default;  // trusts nobody: the client is always the TCP peer

  // A comma-separated list of addresses or CIDR networks, IPv4 or IPv6:
  // "10.0.0.0/8, 127.0.0.1, fd00::/8". A bad entry is ErrorCode::invalid_parameters.
  [[nodiscard]] static Result<TrustedProxies> parse(std::string_view list);

  [[nodiscard]] bool contains(const boost::asio::ip::address& address) const;
  [[nodiscard]] bool empty() const noexcept { return networks_.empty(); }

  // The list as parse() read it, normalised ("" when nobody is trusted).
  [[nodiscard]] std::string to_string() const;

  // The client's address: the TCP peer, unless the peer is a trusted proxy; then the nearest
  // X-Forwarded-For hop (right to left) that is not itself trusted. A malformed hop ends the
  // walk at the last good one, so a client cannot forge its way past the proxies.
  [[nodiscard]] std::string client_address(const boost::asio::ip::address& peer,
                                           std::string_view forwarded_for) const;

 private:
  struct Network {
    std::array<unsigned char, 16> bytes{};  // IPv4 as IPv4-mapped IPv6
    unsigned prefix_bits = 0;
  };
  std::vector<Network> networks_;
  std::string text_;
};

// Who a client is for throttling: an IPv4 address as it is, an IPv6 address by its /64 (one
// subscriber usually holds a whole /64, and would otherwise have 2^64 identities), and an
// unknown address as one shared identity rather than none.
[[nodiscard]] std::string throttle_identity(std::string_view client_address);

// An IPv4 or IPv6 address in its usual text form, or nullopt.
[[nodiscard]] std::optional<boost::asio::ip::address> parse_ip_address(std::string_view text);

}  // namespace marketing_events::http
