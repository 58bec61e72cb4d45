#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "marketing_events/crypto/encoding.hpp"

using namespace marketing_events;
using namespace marketing_events::crypto;

namespace {
std::string base64url(std::string_view text) {
  const std::vector<std::uint8_t> bytes(text.begin(), text.end());
  return base64url_encode(bytes);
}
}  // namespace

TEST_CASE("SHA-256 matches the FIPS 180-4 examples") {
  CHECK(to_hex(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(to_hex(sha256("abc")) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(to_hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(to_hex(sha256(std::string(1'000'000, 'a'))) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("SHA-256 pads correctly around the block boundary") {
  // 55, 56 and 64 bytes: the padding fits, just does not fit, and starts a new block.
  CHECK(to_hex(sha256(std::string(55, 'a'))) ==
        "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  CHECK(to_hex(sha256(std::string(56, 'a'))) ==
        "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  CHECK(to_hex(sha256(std::string(64, 'a'))) ==
        "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST_CASE("base64url follows RFC 4648 section 10, without padding") {
  CHECK(base64url("").empty());
  CHECK(base64url("f") == "Zg");
  CHECK(base64url("fo") == "Zm8");
  CHECK(base64url("foo") == "Zm9v");
  CHECK(base64url("foob") == "Zm9vYg");
  CHECK(base64url("fooba") == "Zm9vYmE");
  CHECK(base64url("foobar") == "Zm9vYmFy");
  CHECK(base64url("\xfb\xff") == "-_8");
}

TEST_CASE("base64url decoding inverts encoding and rejects everything else") {
  for (const auto* text : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xfb\xff"}) {
    const std::string_view original{text};
    const auto decoded = base64url_decode(base64url(original));
    REQUIRE(decoded.has_value());
    CHECK(std::string(decoded->begin(), decoded->end()) == original);
  }
  for (const auto* bad : {"Zg==", "Zm9v\n", "Zm+v", "Zm/v", "Z", "Zh", "Zm9", "Zm 9v"}) {
    INFO(bad);
    CHECK_FALSE(base64url_decode(bad).has_value());
  }
}
