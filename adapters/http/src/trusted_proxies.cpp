#include "marketing_events/http/trusted_proxies.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include "marketing_events/http/syntax.hpp"

namespace marketing_events::http {
namespace {

namespace ip = boost::asio::ip;

// Every address as 16 bytes, IPv4 as ::ffff:a.b.c.d, so one comparison serves both families.
std::array<unsigned char, 16> as_v6_bytes(const ip::address& address) {
  if (address.is_v4()) {
    return ip::make_address_v6(ip::v4_mapped, address.to_v4()).to_bytes();
  }
  return address.to_v6().to_bytes();
}

// Built by appending: GCC 12 reports a false -Wrestrict on `"literal" + std::string` at -O2.
Error bad_entry(std::string_view entry, std::string_view why) {
  std::string message = "\"";
  message.append(entry).append("\" ").append(why);
  return Error::invalid(ErrorCode::invalid_parameters, {{"TRUSTED_PROXIES", std::move(message)}});
}

}  // namespace

std::optional<ip::address> parse_ip_address(std::string_view text) {
  boost::system::error_code error;
  auto address = ip::make_address(std::string(text), error);
  if (error) {
    return std::nullopt;
  }
  return address;
}

std::string throttle_identity(std::string_view client_address) {
  const auto address = parse_ip_address(client_address);
  if (!address) {
    return "unknown";
  }
  if (address->is_v4() || address->to_v6().is_v4_mapped()) {
    return address->is_v4() ? address->to_string()
                            : ip::make_address_v4(ip::v4_mapped, address->to_v6()).to_string();
  }
  auto bytes = address->to_v6().to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return ip::address_v6(bytes).to_string() + "/64";
}

std::string TrustedProxies::to_string() const {
  return text_;
}

Result<TrustedProxies> TrustedProxies::parse(std::string_view list) {
  TrustedProxies proxies;
  for (const auto entry : split_list(list)) {
    const auto slash = entry.find('/');
    const auto address = parse_ip_address(entry.substr(0, slash));
    if (!address) {
      return bad_entry(entry, "is not an address");
    }
    const unsigned family_bits = address->is_v4() ? 32 : 128;
    unsigned bits = family_bits;
    if (slash != std::string_view::npos) {
      const auto digits = entry.substr(slash + 1);
      const auto* end = digits.data() + digits.size();  // NOLINT(*-pointer-arithmetic): range
      const auto [ptr, error] = std::from_chars(digits.data(), end, bits);
      if (digits.empty() || error != std::errc{} || ptr != end || bits > family_bits) {
        return bad_entry(entry, "has a bad prefix length");
      }
    }
    proxies.networks_.push_back({as_v6_bytes(*address), bits + (128 - family_bits)});
    proxies.text_.append(proxies.text_.empty() ? "" : ",").append(entry);
  }
  return proxies;
}

bool TrustedProxies::contains(const ip::address& address) const {
  const auto bytes = as_v6_bytes(address);
  return std::any_of(networks_.begin(), networks_.end(), [&bytes](const Network& network) {
    unsigned bits = network.prefix_bits;
    for (std::size_t i = 0; i < bytes.size() && bits > 0; ++i, bits -= std::min(bits, 8U)) {
      const auto mask = static_cast<unsigned char>(0xFFU << (8 - std::min(bits, 8U)));
      if ((bytes.at(i) & mask) != (network.bytes.at(i) & mask)) {
        return false;
      }
    }
    return true;
  });
}

std::string TrustedProxies::client_address(const ip::address& peer,
                                           std::string_view forwarded_for) const {
  auto client = peer;
  if (peer.is_v6() && peer.to_v6().is_v4_mapped()) {
    client = ip::make_address_v4(ip::v4_mapped, peer.to_v6());
  }
  while (contains(client) && !forwarded_for.empty()) {
    const auto comma = forwarded_for.rfind(',');
    const auto hop = trim_whitespace(
        comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for =
        comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
    const auto address = parse_ip_address(hop);
    if (!address) {
      break;
    }
    client = *address;
  }
  return client.to_string();
}

}  // namespace marketing_events::http
