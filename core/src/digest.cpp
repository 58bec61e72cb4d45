#include "marketing_events/digest.hpp"

#include <bit>

namespace marketing_events {
namespace {

constexpr std::array<std::uint32_t, 64> round_constants{
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

using Block = std::array<std::uint8_t, 64>;
using State = std::array<std::uint32_t, 8>;

void compress(State& state, const Block& block) {
  std::array<std::uint32_t, 64> schedule{};
  for (std::size_t i = 0; i < 16; ++i) {
    schedule.at(i) = (std::uint32_t{block.at(4 * i)} << 24U) |
                     (std::uint32_t{block.at(4 * i + 1)} << 16U) |
                     (std::uint32_t{block.at(4 * i + 2)} << 8U) | block.at(4 * i + 3);
  }
  for (std::size_t i = 16; i < 64; ++i) {
    const auto w15 = schedule.at(i - 15);
    const auto w2 = schedule.at(i - 2);
    const auto s0 = std::rotr(w15, 7) ^ std::rotr(w15, 18) ^ (w15 >> 3U);
    const auto s1 = std::rotr(w2, 17) ^ std::rotr(w2, 19) ^ (w2 >> 10U);
    schedule.at(i) = schedule.at(i - 16) + s0 + schedule.at(i - 7) + s1;
  }
  auto [a, b, c, d, e, f, g, h] = state;
  for (std::size_t i = 0; i < 64; ++i) {
    const auto sum1 = std::rotr(e, 6) ^ std::rotr(e, 11) ^ std::rotr(e, 25);
    const auto choice = (e & f) ^ (~e & g);
    const auto temp1 = h + sum1 + choice + round_constants.at(i) + schedule.at(i);
    const auto sum0 = std::rotr(a, 2) ^ std::rotr(a, 13) ^ std::rotr(a, 22);
    const auto majority = (a & b) ^ (a & c) ^ (b & c);
    const auto temp2 = sum0 + majority;
    h = g;
    g = f;
    f = e;
    e = d + temp1;
    d = c;
    c = b;
    b = a;
    a = temp1 + temp2;
  }
  const State next{a, b, c, d, e, f, g, h};
  for (std::size_t i = 0; i < state.size(); ++i) {
    state.at(i) += next.at(i);
  }
}

}  // namespace

Sha256Digest sha256(std::string_view message) {
  State state{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
              0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  Block block{};
  std::size_t filled = 0;
  for (const char c : message) {
    block.at(filled++) = static_cast<std::uint8_t>(c);
    if (filled == block.size()) {
      compress(state, block);
      filled = 0;
    }
  }
  // Padding: 0x80, zeros, then the message length in bits as a big-endian 64-bit number.
  block.at(filled++) = 0x80;
  if (filled > 56) {
    std::fill(block.begin() + static_cast<std::ptrdiff_t>(filled), block.end(), 0);
    compress(state, block);
    filled = 0;
  }
  std::fill(block.begin() + static_cast<std::ptrdiff_t>(filled), block.begin() + 56, 0);
  const std::uint64_t bit_length = static_cast<std::uint64_t>(message.size()) * 8U;
  for (std::size_t i = 0; i < 8; ++i) {
    block.at(63 - i) = static_cast<std::uint8_t>(bit_length >> (8U * i));
  }
  compress(state, block);

  Sha256Digest digest{};
  for (std::size_t i = 0; i < state.size(); ++i) {
    for (std::size_t j = 0; j < 4; ++j) {
      digest.at(4 * i + j) = static_cast<std::uint8_t>(state.at(i) >> (24U - 8U * j));
    }
  }
  return digest;
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr std::string_view digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const auto byte : bytes) {
    out += digits[byte >> 4U];
    out += digits[byte & 0x0FU];
  }
  return out;
}

std::string base64url_encode(std::span<const std::uint8_t> bytes) {
  static constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t triple =
        (std::uint32_t{bytes[i]} << 16U) | (std::uint32_t{bytes[i + 1]} << 8U) | bytes[i + 2];
    out += alphabet[(triple >> 18U) & 0x3FU];
    out += alphabet[(triple >> 12U) & 0x3FU];
    out += alphabet[(triple >> 6U) & 0x3FU];
    out += alphabet[triple & 0x3FU];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const std::uint32_t single = std::uint32_t{bytes[i]} << 16U;
    out += alphabet[(single >> 18U) & 0x3FU];
    out += alphabet[(single >> 12U) & 0x3FU];
  } else if (rest == 2) {
    const std::uint32_t pair =
        (std::uint32_t{bytes[i]} << 16U) | (std::uint32_t{bytes[i + 1]} << 8U);
    out += alphabet[(pair >> 18U) & 0x3FU];
    out += alphabet[(pair >> 12U) & 0x3FU];
    out += alphabet[(pair >> 6U) & 0x3FU];
  }
  return out;
}

std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text) {
  constexpr std::uint32_t invalid = 0xFF;
  const auto value_of = [](char c) -> std::uint32_t {
    if (c >= 'A' && c <= 'Z') {
      return static_cast<std::uint32_t>(c - 'A');
    }
    if (c >= 'a' && c <= 'z') {
      return static_cast<std::uint32_t>(c - 'a' + 26);
    }
    if (c >= '0' && c <= '9') {
      return static_cast<std::uint32_t>(c - '0' + 52);
    }
    if (c == '-') {
      return 62;
    }
    return c == '_' ? 63 : invalid;
  };
  if (text.size() % 4 == 1) {
    return std::nullopt;
  }
  std::vector<std::uint8_t> out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t buffer = 0;
  std::uint32_t bits = 0;
  for (const char c : text) {
    const auto value = value_of(c);
    if (value == invalid) {
      return std::nullopt;
    }
    buffer = (buffer << 6U) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(buffer >> bits));
      buffer &= (1U << bits) - 1U;
    }
  }
  if (buffer != 0) {
    return std::nullopt;
  }
  return out;
}

}  // namespace marketing_events
