#include <catch2/catch.hpp>

#include "marketing_events/testing/in_memory_services.hpp"

using namespace marketing_events;
using namespace std::chrono_literals;
using testing::InMemoryServices;

namespace {

// The users store, with a switch that makes every user vanish or the store fail.
class ChangingUsers final : public UserRepository {
 public:
  explicit ChangingUsers(UserRepository& inner) : inner_(inner) {}
  Result<void> add(const User& user) override { return inner_.add(user); }
  Result<std::optional<User>> find_by_email(std::string_view email) override {
    return inner_.find_by_email(email);
  }
  Result<std::optional<User>> find_by_id(const UserId& id) override {
    ++lookups;
    if (unavailable) {
      return Error::of(ErrorCode::unavailable, "store down");
    }
    return deleted ? std::optional<User>{} : inner_.find_by_id(id);
  }
  Result<bool> remove(const UserId& id) override { return inner_.remove(id); }

  bool deleted = false;
  bool unavailable = false;
  int lookups = 0;

 private:
  UserRepository& inner_;
};

struct Fixture {
  explicit Fixture(AuthenticationPolicy policy = {})
      : authenticator(AuthenticatorPorts{app.access_tokens, users, app.clock}, policy) {}

  std::string token_for(const std::string& email) {
    REQUIRE(app.auth.register_user(email, "correct horse battery"));
    return app.auth.log_in({email, "correct horse battery", ""}).value().access_token;
  }

  InMemoryServices app;
  ChangingUsers users{app.users};
  Authenticator authenticator;
};

}  // namespace

TEST_CASE("a valid token of an existing user names the caller") {
  Fixture fixture;
  const auto token = fixture.token_for("ana@example.com");
  const auto principal = fixture.authenticator.authenticate(token);
  REQUIRE(principal.has_value());
  CHECK(principal->user == fixture.app.users.find_by_email("ana@example.com").value()->id);
  CHECK(fixture.authenticator.authenticate("fake.garbage").error().code ==
        ErrorCode::unauthenticated);
}

TEST_CASE("a deleted user's token stops working within the recheck interval") {
  Fixture fixture{AuthenticationPolicy{10s, 100}};
  const auto token = fixture.token_for("ana@example.com");
  REQUIRE(fixture.authenticator.authenticate(token));
  CHECK(fixture.users.lookups == 1);
  fixture.users.deleted = true;
  fixture.app.clock.advance(9s);
  CHECK(fixture.authenticator.authenticate(token).has_value());  // still remembered
  CHECK(fixture.users.lookups == 1);
  fixture.app.clock.advance(1s);
  const auto refused = fixture.authenticator.authenticate(token);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::unauthenticated);
  CHECK(fixture.users.lookups == 2);
}

TEST_CASE("with no recheck interval every request asks the store") {
  Fixture fixture{AuthenticationPolicy{0s, 100}};
  const auto token = fixture.token_for("ana@example.com");
  REQUIRE(fixture.authenticator.authenticate(token));
  fixture.users.deleted = true;
  CHECK(fixture.authenticator.authenticate(token).error().code == ErrorCode::unauthenticated);
}

TEST_CASE("a store that cannot answer is unavailable, not a refusal") {
  Fixture fixture;
  const auto token = fixture.token_for("ana@example.com");
  fixture.users.unavailable = true;
  CHECK(fixture.authenticator.authenticate(token).error().code == ErrorCode::unavailable);
}

TEST_CASE("the remembered users never outgrow their bound") {
  Fixture fixture{AuthenticationPolicy{60s, 2}};
  std::vector<std::string> tokens;
  for (const auto* email : {"a@example.com", "b@example.com", "c@example.com"}) {
    tokens.push_back(fixture.token_for(email));
  }
  for (const auto& token : tokens) {
    REQUIRE(fixture.authenticator.authenticate(token));
  }
  CHECK(fixture.users.lookups == 3);
  // The third forgot the first two (all fresh, so all forgotten): asking again looks them up.
  REQUIRE(fixture.authenticator.authenticate(tokens[2]));
  CHECK(fixture.users.lookups == 3);
  REQUIRE(fixture.authenticator.authenticate(tokens[0]));
  CHECK(fixture.users.lookups == 4);
}
