#include <catch2/catch.hpp>
#include <string>

#include "marketing_events/model/user.hpp"

using namespace marketing_events;
using namespace std::string_literals;

TEST_CASE("e-mail addresses are trimmed and lower-cased") {
  CHECK(normalize_email("  Ana@Example.COM \n") == "ana@example.com");
  const auto credentials = validate_credentials(" Ana@Example.com", "correct horse battery");
  REQUIRE(credentials.has_value());
  CHECK(credentials->email == "ana@example.com");
  CHECK(credentials->password == "correct horse battery");
}

TEST_CASE("things that are not e-mail addresses are refused") {
  for (const auto* email :
       {"", "   ", "ana", "ana@", "@example.com", "ana@example", "ana@@example.com",
        "ana@exa mple.com", "a na@example.com", "ana@.example.com", "ana@example..com",
        "ana@-example.com", "ana@example.com."}) {
    INFO(email);
    const auto result = validate_credentials(email, "correct horse battery");
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().fields.at(0).field == "email");
  }
}

TEST_CASE("e-mail addresses are at most 254 characters") {
  const auto domain = "@" + std::string(60, 'd') + "." + std::string(60, 'e') + "." +
                      std::string(60, 'f') + ".com";  // 187 characters
  const auto local_ok = std::string(64, 'a');
  CHECK(validate_credentials(local_ok + domain, "correct horse battery").has_value());
  const auto long_domain = "@" + std::string(63, 'd') + "." + std::string(63, 'e') + "." +
                           std::string(63, 'f') + "." + std::string(60, 'g') + ".com";
  const auto too_long = validate_credentials("a" + long_domain, "correct horse battery");
  REQUIRE_FALSE(too_long.has_value());
  CHECK(too_long.error().fields.at(0).message == "must be at most 254 characters");
}

TEST_CASE("passwords are 8 to 128 characters, counted in code points") {
  CHECK(validate_credentials("ana@example.com", std::string(8, 'p')).has_value());
  CHECK(validate_credentials("ana@example.com", std::string(128, 'p')).has_value());
  CHECK_FALSE(validate_credentials("ana@example.com", std::string(7, 'p')).has_value());
  CHECK_FALSE(validate_credentials("ana@example.com", std::string(129, 'p')).has_value());
  // Eight two-byte characters are eight characters.
  CHECK(validate_credentials("ana@example.com", "éééééééé").has_value());
  CHECK_FALSE(validate_credentials("ana@example.com", "pass\0word"s).has_value());
}

TEST_CASE("a bad e-mail and a bad password are reported together") {
  const auto result = validate_credentials("nope", "short");
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().code == ErrorCode::invalid_fields);
  REQUIRE(result.error().fields.size() == 2);
  CHECK(result.error().fields[0].field == "email");
  CHECK(result.error().fields[1] == FieldError{"password", "must be 8 to 128 characters"});
}

TEST_CASE("a login's input is checked for shape before anything is looked up") {
  CHECK(validate_login(" Ana@Example.com ", "x")->email == "ana@example.com");
  const auto missing = validate_login("", "");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().fields ==
        std::vector<FieldError>{{"email", "is required"}, {"password", "is required"}});
  // What a store would choke on never reaches it: a NUL (libpq would cut the text there), a
  // 3,000-character address (too large for an index row), invalid UTF-8.
  CHECK(validate_login("ana@example.com\0evil"s, "x").error().fields.at(0) ==
        FieldError{"email", "must not contain NUL characters"});
  CHECK(validate_login(std::string(3000, 'a') + "@example.com", "x").error().fields.at(0) ==
        FieldError{"email", "must be at most 254 characters"});
  CHECK(validate_login("\xC3\x28@example.com", "x").error().fields.at(0).field == "email");
  CHECK(validate_login("ana@example.com", std::string(129, 'p')).error().fields.at(0) ==
        FieldError{"password", "must be at most 128 characters"});
  CHECK(validate_login("ana@example.com", "pass\0word"s).error().fields.at(0).message ==
        "must not contain NUL characters");
}
