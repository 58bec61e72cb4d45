#include <catch2/catch.hpp>

#include "marketing_events/password/argon2id_password_hasher.hpp"

using namespace marketing_events;
using password::Argon2idPasswordHasher;

TEST_CASE("passwords hash to Argon2id strings with OWASP's cost") {
  Argon2idPasswordHasher hasher;
  const auto hash = hasher.hash("correct horse battery");
  REQUIRE(hash.has_value());
  CHECK(hash->starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
  CHECK(hash->find("correct horse battery") == std::string::npos);
  CHECK_FALSE(hasher.needs_rehash(*hash));
}

TEST_CASE("only the right password verifies") {
  Argon2idPasswordHasher hasher;
  const auto hash = hasher.hash("correct horse battery").value();
  CHECK(hasher.verify("correct horse battery", hash));
  CHECK_FALSE(hasher.verify("correct horse batterY", hash));
  CHECK_FALSE(hasher.verify("", hash));
}

TEST_CASE("the same password hashes differently each time (random salt)") {
  Argon2idPasswordHasher hasher;
  const auto first = hasher.hash("correct horse battery").value();
  const auto second = hasher.hash("correct horse battery").value();
  CHECK(first != second);
  CHECK(hasher.verify("correct horse battery", second));
}

TEST_CASE("malformed stored hashes never verify") {
  Argon2idPasswordHasher hasher;
  for (const auto& hash : {std::string{}, std::string{"plain text"}, std::string(500, '$'),
                           std::string{"$argon2id$v=19$m=19456,t=2,p=1$"}}) {
    CHECK_FALSE(hasher.verify("correct horse battery", hash));
  }
}

TEST_CASE("a hash made with another cost asks to be redone") {
  Argon2idPasswordHasher cheap{password::Argon2idCost{1, 8U << 20U}};
  Argon2idPasswordHasher standard;
  const auto hash = cheap.hash("correct horse battery").value();
  CHECK(standard.verify("correct horse battery", hash));
  CHECK(standard.needs_rehash(hash));
  CHECK(standard.needs_rehash("garbage"));
}
