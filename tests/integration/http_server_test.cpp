#include <sched.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <mutex>
#include <set>
#include <thread>

#include "marketing_events/testing/running_server.hpp"

using namespace marketing_events;
using namespace std::chrono_literals;
namespace bhttp = boost::beast::http;

using testing::bearer;
using testing::body_of;
using testing::Client;
using testing::event_body;
using testing::RunningServer;

TEST_CASE("http: register, log in, and the event lifecycle over a real socket") {
  RunningServer running;
  Client client{running.server->port()};
  const auto registered =
      client.send(bhttp::verb::post, "/api/v1/auth/register",
                  R"({"email":" Ana@Example.com","password":"correct horse battery"})");
  CHECK(registered.result_int() == 201);
  CHECK(registered[bhttp::field::location] == "/api/v1/me");
  CHECK(body_of(registered).at("email") == "ana@example.com");
  const auto token = bearer(client);

  const auto created =
      client.send(bhttp::verb::post, "/api/v1/events", event_body, {{"Authorization", token}});
  REQUIRE(created.result_int() == 201);
  const auto id = std::string(body_of(created).at("id").as_string());
  CHECK(created[bhttp::field::location] == "/api/v1/events/" + id);
  CHECK(created[bhttp::field::etag] == "\"v1\"");
  CHECK(body_of(created).at("starts_at") == "2026-03-01T08:00:00Z");

  const auto fetched =
      client.send(bhttp::verb::get, "/api/v1/events/" + id, {}, {{"Authorization", token}});
  CHECK(fetched.result_int() == 200);
  CHECK(fetched.body() == created.body());

  const auto patched = client.send(
      bhttp::verb::patch, "/api/v1/events/" + id, R"({"status":"published"})",
      {{"Authorization", token}, {"If-Match", "\"v1\""}}, "application/merge-patch+json");
  CHECK(patched.result_int() == 200);
  CHECK(patched[bhttp::field::etag] == "\"v2\"");
  const auto stale = client.send(bhttp::verb::put, "/api/v1/events/" + id, event_body,
                                 {{"Authorization", token}, {"If-Match", "\"v1\""}});
  CHECK(stale.result_int() == 412);

  const auto listed = client.send(bhttp::verb::get, "/api/v1/events?status=published&limit=1", {},
                                  {{"Authorization", token}});
  CHECK(listed.result_int() == 200);
  CHECK(body_of(listed).at("pagination").at("total_items") == 1);
  CHECK(listed[bhttp::field::link] ==
        R"(</api/v1/events?status=published&sort=starts_at&limit=1&page=1>; rel="first", )"
        R"(</api/v1/events?status=published&sort=starts_at&limit=1&page=1>; rel="last")");

  CHECK(client.send(bhttp::verb::delete_, "/api/v1/events/" + id, {}, {{"Authorization", token}})
            .result_int() == 204);
  CHECK(client.send(bhttp::verb::get, "/api/v1/events/" + id, {}, {{"Authorization", token}})
            .result_int() == 404);
  CHECK(client.send(bhttp::verb::get, "/api/v1/me", {}, {{"Authorization", token}}).result_int() ==
        200);
}

TEST_CASE("http: every error is problem+json with the contract's status") {
  RunningServer running;
  Client client{running.server->port()};
  const auto token = bearer(client);
  const auto check = [](const http::Response& response, unsigned status) {
    INFO(response.body());
    CHECK(response.result_int() == status);
    CHECK(response[bhttp::field::content_type] == "application/problem+json");
    CHECK(body_of(response).at("status") == status);
    CHECK_FALSE(response["X-Request-Id"].empty());
  };
  check(client.send(bhttp::verb::get, "/nowhere"), 404);
  const auto not_allowed =
      client.send(bhttp::verb::put, "/api/v1/events", event_body, {{"Authorization", token}});
  check(not_allowed, 405);
  CHECK(not_allowed[bhttp::field::allow] == "POST, GET");
  const auto anonymous = client.send(bhttp::verb::get, "/api/v1/events");
  check(anonymous, 401);
  CHECK(anonymous[bhttp::field::www_authenticate] == "Bearer");
  const auto forged =
      client.send(bhttp::verb::get, "/api/v1/events", {}, {{"Authorization", "Bearer a.b.c"}});
  check(forged, 401);
  CHECK(forged[bhttp::field::www_authenticate] == R"(Bearer error="invalid_token")");
  check(client.send(bhttp::verb::post, "/api/v1/events", "{", {{"Authorization", token}}), 400);
  check(client.send(bhttp::verb::post, "/api/v1/events", "[]", {{"Authorization", token}}), 400);
  check(client.send(bhttp::verb::post, "/api/v1/events", event_body, {{"Authorization", token}},
                    "text/plain"),
        415);
  const auto invalid =
      client.send(bhttp::verb::post, "/api/v1/events",
                  R"({"title":"","starts_at":"x","ends_at":"2026-01-01T00:00:00Z","id":"y"})",
                  {{"Authorization", token}});
  check(invalid, 422);
  CHECK(body_of(invalid).at("errors").as_array().size() == 3);
  check(client.send(bhttp::verb::get, "/api/v1/events?limit=0&status=x", {},
                    {{"Authorization", token}}),
        400);
  check(client.send(bhttp::verb::get, "/api/v1/events/not-a-uuid", {}, {{"Authorization", token}}),
        404);
  check(client.send(bhttp::verb::post, "/api/v1/auth/login",
                    R"({"email":"ana@example.com","password":"nope nope"})"),
        401);
  check(client.send(bhttp::verb::post, "/api/v1/auth/register",
                    R"({"email":"ana@example.com","password":"correct horse battery"})"),
        409);
  // The connection survived all of that.
  CHECK(client.send(bhttp::verb::get, "/healthz").result_int() == 200);
}

TEST_CASE("http: a body over the limit is 413 and the connection stays usable") {
  RunningServer running;
  Client client{running.server->port()};
  const auto token = bearer(client);
  const auto huge =
      client.send(bhttp::verb::post, "/api/v1/events", std::string(std::size_t{70} * 1024, 'x'),
                  {{"Authorization", token}});
  CHECK(huge.result_int() == 413);
  CHECK(client.send(bhttp::verb::get, "/healthz").result_int() == 200);
}

TEST_CASE("http: request ids are echoed when valid and made up otherwise") {
  RunningServer running;
  Client client{running.server->port()};
  CHECK(client.send(bhttp::verb::get, "/healthz", {},
                    {{"X-Request-Id", "abc-123"}})["X-Request-Id"] == "abc-123");
  const auto replaced =
      client.send(bhttp::verb::get, "/healthz", {}, {{"X-Request-Id", "bad id\x01"}});
  CHECK(replaced["X-Request-Id"] != "bad id\x01");
  CHECK_FALSE(replaced["X-Request-Id"].empty());
}

TEST_CASE("http: another user's event is 404, never 403") {
  RunningServer running;
  Client client{running.server->port()};
  const auto ana = bearer(client, "ana@example.com");
  const auto bob = bearer(client, "bob@example.com");
  const auto created =
      client.send(bhttp::verb::post, "/api/v1/events", event_body, {{"Authorization", ana}});
  const auto id = std::string(body_of(created).at("id").as_string());
  for (const auto method : {bhttp::verb::get, bhttp::verb::delete_}) {
    CHECK(client.send(method, "/api/v1/events/" + id, {}, {{"Authorization", bob}}).result_int() ==
          404);
  }
  CHECK(client.send(bhttp::verb::put, "/api/v1/events/" + id, event_body, {{"Authorization", bob}})
            .result_int() == 404);
}

TEST_CASE("http: parallel conditional updates, exactly one wins") {
  RunningServer running;
  Client setup{running.server->port()};
  const auto token = bearer(setup);
  const auto created =
      setup.send(bhttp::verb::post, "/api/v1/events", event_body, {{"Authorization", token}});
  const auto id = std::string(body_of(created).at("id").as_string());
  std::atomic<int> ok{0};
  std::atomic<int> precondition_failed{0};
  {
    std::vector<std::jthread> writers;
    writers.reserve(6);
    for (int i = 0; i < 6; ++i) {
      writers.emplace_back([&, i] {
        Client client{running.server->port()};
        const auto response = client.send(bhttp::verb::patch, "/api/v1/events/" + id,
                                          R"({"title":"Writer )" + std::to_string(i) + "\"}",
                                          {{"Authorization", token}, {"If-Match", "\"v1\""}});
        (response.result_int() == 200 ? ok : precondition_failed)++;
      });
    }
  }
  CHECK(ok == 1);
  CHECK(precondition_failed == 5);
}

TEST_CASE("http: stop drains and the server exits") {
  auto running = std::make_unique<RunningServer>();
  Client client{running->server->port()};
  CHECK(client.send(bhttp::verb::get, "/healthz").result_int() == 200);
  const auto started = std::chrono::steady_clock::now();
  running.reset();  // stop() with an idle keep-alive connection open
  CHECK(std::chrono::steady_clock::now() - started < 5s);
}

TEST_CASE("http: invalid UTF-8, expired and unsigned tokens, throttling") {
  RunningServer running;
  Client client{running.server->port()};
  const auto token = bearer(client);

  const auto bad_utf8 = client.send(
      bhttp::verb::post, "/api/v1/events",
      "{\"title\":\"\xC3\x28\",\"starts_at\":\"x\",\"ends_at\":\"y\"}", {{"Authorization", token}});
  CHECK(bad_utf8.result_int() == 400);

  const auto now = running.clock.now();
  const auto user = running.users.find_by_email("ana@example.com").value()->id;
  const auto expired = running.tokens.issue({user, running.ids.next(), now - 2h, now - 1h}).value();
  const auto refused =
      client.send(bhttp::verb::get, "/api/v1/events", {}, {{"Authorization", "Bearer " + expired}});
  CHECK(refused.result_int() == 401);
  CHECK(refused[bhttp::field::www_authenticate] == R"(Bearer error="invalid_token")");

  // alg none, with the real claims: still refused.
  const auto claims = token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1);
  const auto unsigned_token = "eyJhbGciOiJub25lIn0." + claims + ".";
  CHECK(client
            .send(bhttp::verb::get, "/api/v1/events", {},
                  {{"Authorization", "Bearer " + unsigned_token}})
            .result_int() == 401);

  for (int i = 0; i < 5; ++i) {
    CHECK(client
              .send(bhttp::verb::post, "/api/v1/auth/login",
                    R"({"email":"ana@example.com","password":"wrong password"})")
              .result_int() == 401);
  }
  const auto throttled =
      client.send(bhttp::verb::post, "/api/v1/auth/login",
                  R"({"email":"ana@example.com","password":"correct horse battery"})");
  CHECK(throttled.result_int() == 429);
  CHECK(std::stoi(std::string(throttled[bhttp::field::retry_after])) > 0);
}

TEST_CASE("http: auth bodies name unknown and mistyped members, HEAD is not a GET") {
  RunningServer running;
  Client client{running.server->port()};
  const auto unknown =
      client.send(bhttp::verb::post, "/api/v1/auth/register",
                  R"({"email":"ana@example.com","password":"correct horse battery","admin":true})");
  CHECK(unknown.result_int() == 422);
  CHECK(body_of(unknown).at("errors").as_array().at(0).at("field") == "admin");
  const auto mistyped =
      client.send(bhttp::verb::post, "/api/v1/auth/login", R"({"email":42,"password":"x"})");
  CHECK(mistyped.result_int() == 422);
  CHECK(client.send(bhttp::verb::post, "/api/v1/auth/refresh", R"({"refresh_token":["a"]})")
            .result_int() == 422);
  const auto head = client.send(bhttp::verb::head, "/healthz");
  CHECK(head.result_int() == 405);
  CHECK(head[bhttp::field::allow] == "GET");
}

TEST_CASE("http: refresh rotates, reuse and logout revoke, operations routes answer") {
  RunningServer running;
  Client client{running.server->port()};
  const auto* const credentials =
      R"({"email":"ana@example.com","password":"correct horse battery"})";
  CHECK(client.send(bhttp::verb::post, "/api/v1/auth/register", credentials).result_int() == 201);
  const auto login = body_of(client.send(bhttp::verb::post, "/api/v1/auth/login", credentials));
  CHECK(login.at("token_type") == "Bearer");
  CHECK(login.at("expires_in") == 900);
  CHECK(login.at("refresh_expires_in") == 2592000);
  const std::string first{login.at("refresh_token").as_string()};
  const auto refresh_body = [](const std::string& token) {
    return R"({"refresh_token":")" + token + "\"}";
  };

  const auto rotated = client.send(bhttp::verb::post, "/api/v1/auth/refresh", refresh_body(first));
  REQUIRE(rotated.result_int() == 200);
  CHECK(rotated[bhttp::field::cache_control] == "no-store");
  const std::string second{body_of(rotated).at("refresh_token").as_string()};
  CHECK(client.send(bhttp::verb::post, "/api/v1/auth/refresh", refresh_body(first)).result_int() ==
        401);
  CHECK(client.send(bhttp::verb::post, "/api/v1/auth/refresh", refresh_body(second)).result_int() ==
        401);

  const auto again = body_of(client.send(bhttp::verb::post, "/api/v1/auth/login", credentials));
  const std::string third{again.at("refresh_token").as_string()};
  CHECK(client.send(bhttp::verb::post, "/api/v1/auth/logout", refresh_body(third)).result_int() ==
        204);
  CHECK(client.send(bhttp::verb::post, "/api/v1/auth/logout", refresh_body(third)).result_int() ==
        204);
  CHECK(client.send(bhttp::verb::post, "/api/v1/auth/refresh", refresh_body(third)).result_int() ==
        401);

  CHECK(client.send(bhttp::verb::get, "/readyz").result_int() == 200);
  const auto openapi = client.send(bhttp::verb::get, "/api/v1/openapi.json");
  CHECK(openapi.result_int() == 200);
  CHECK(body_of(openapi).at("openapi") == "3.1.0");
  const auto jwks = client.send(bhttp::verb::get, "/.well-known/jwks.json");
  CHECK(jwks.result_int() == 200);
  CHECK(body_of(jwks).at("keys").as_array().at(0).at("kid").as_string() ==
        running.tokens.key_id().c_str());
  CHECK(client.send(bhttp::verb::get, "/metrics").body() == "up 1\n");
}

TEST_CASE("http: the reference page and its files are served under a policy that runs only them") {
  RunningServer running;
  Client client{running.server->port()};
  const auto page = client.send(bhttp::verb::get, "/docs");
  CHECK(page.result_int() == 200);
  CHECK(page.body() == "<!doctype html>");
  CHECK(page[bhttp::field::content_type] == "text/html; charset=utf-8");
  const std::string policy{page["Content-Security-Policy"]};
  CHECK(policy.find("default-src 'none'") != std::string::npos);
  CHECK(policy.find("script-src 'self';") != std::string::npos);
  CHECK(policy.find("unsafe") == std::string::npos);
  CHECK(page["X-Content-Type-Options"] == "nosniff");
  const auto script = client.send(bhttp::verb::get, "/docs/docs.js");
  CHECK(script.result_int() == 200);
  CHECK(script[bhttp::field::content_type] == "text/javascript; charset=utf-8");
  CHECK(script["Content-Security-Policy"] == policy);
  // Only the page's own files: no other name, no path around them, not the page under /docs/.
  for (const auto* target : {"/docs/docs.css", "/docs/", "/docs/..%2Fapi%2Fv1%2Fme",
                             "/docs/docs.js/x", "/docs/index.html"}) {
    CAPTURE(target);
    CHECK(client.send(bhttp::verb::get, target).result_int() == 404);
  }
  CHECK(client.send(bhttp::verb::post, "/docs").result_int() == 405);
}

TEST_CASE("http: behind a trusted proxy the client is taken from X-Forwarded-For") {
  std::mutex mutex;
  std::vector<std::string> clients;
  http::ServerSettings settings;
  settings.trusted_proxies = http::TrustedProxies::parse("127.0.0.0/8").value();
  RunningServer running{settings, [&](const http::CompletedExchange& completed) {
                          const std::scoped_lock lock{mutex};
                          clients.push_back(completed.exchange->client);
                        }};
  Client client{running.server->port()};
  client.send(bhttp::verb::get, "/healthz", {}, {{"X-Forwarded-For", "198.51.100.7"}});
  client.send(bhttp::verb::get, "/healthz", {}, {{"X-Forwarded-For", "1.2.3.4, 203.0.113.9"}});
  client.send(bhttp::verb::get, "/healthz");
  // The observer runs after each response is written: wait for the third report.
  for (int i = 0; i < 200; ++i) {
    if (const std::scoped_lock lock{mutex}; clients.size() == 3) {
      break;
    }
    std::this_thread::sleep_for(10ms);
  }
  const std::scoped_lock lock{mutex};
  CHECK(clients == std::vector<std::string>{"198.51.100.7", "203.0.113.9", "127.0.0.1"});
}

TEST_CASE("http: the headers each answer promises") {
  RunningServer running;
  Client client{running.server->port()};
  const auto token = bearer(client);

  const auto wrong = client.send(bhttp::verb::post, "/api/v1/auth/login",
                                 R"({"email":"ana@example.com","password":"wrong password"})");
  CHECK(wrong.result_int() == 401);
  CHECK(wrong[bhttp::field::www_authenticate] == "Bearer");  // credentials, not a token
  // A detail a person can act on, the same whichever of the two was wrong.
  CHECK(body_of(wrong).at("detail") == "The e-mail address or the password is wrong.");
  const auto unknown = client.send(bhttp::verb::post, "/api/v1/auth/login",
                                   R"({"email":"nobody@example.com","password":"wrong password"})");
  CHECK(unknown.body() == wrong.body());
  const auto no_token = client.send(bhttp::verb::get, "/api/v1/me");
  CHECK(no_token[bhttp::field::www_authenticate] == "Bearer");
  CHECK(std::string(body_of(no_token).at("detail").as_string()).find("Authorization: Bearer") !=
        std::string::npos);
  const auto malformed =
      client.send(bhttp::verb::get, "/api/v1/me", {}, {{"Authorization", "Basic eA=="}});
  CHECK(malformed.result_int() == 401);
  CHECK(malformed[bhttp::field::www_authenticate] == R"(Bearer error="invalid_token")");
  CHECK(std::string(body_of(malformed).at("detail").as_string()).find("Bearer <access_token>") !=
        std::string::npos);
  const auto stale_refresh = client.send(bhttp::verb::post, "/api/v1/auth/refresh",
                                         R"({"refresh_token":"no-such-token"})");
  CHECK(stale_refresh.result_int() == 401);
  CHECK(std::string(body_of(stale_refresh).at("detail").as_string()).find("log in again") !=
        std::string::npos);
  const auto empty_refresh = client.send(bhttp::verb::post, "/api/v1/auth/refresh", "{}");
  CHECK(empty_refresh.result_int() == 422);
  CHECK(body_of(empty_refresh).at("errors").at(0).at("field") == "refresh_token");
  const auto jwks = client.send(bhttp::verb::get, "/.well-known/jwks.json");
  CHECK(jwks[bhttp::field::cache_control] == "public, max-age=300");
  CHECK(jwks[bhttp::field::content_type] == "application/jwk-set+json");
  CHECK(client.send(bhttp::verb::get, "/metrics")[bhttp::field::content_type] ==
        "text/plain; version=0.0.4; charset=utf-8");

  // If-Match may list several tags; *, weak and foreign tags follow RFC 9110.
  const auto created =
      client.send(bhttp::verb::post, "/api/v1/events", event_body, {{"Authorization", token}});
  const auto path = "/api/v1/events/" + std::string(body_of(created).at("id").as_string());
  const auto patch = [&](const std::string& if_match) {
    return client
        .send(bhttp::verb::patch, path, R"({"title":"Relaunch"})",
              {{"Authorization", token}, {"If-Match", if_match}})
        .result_int();
  };
  CHECK(patch(R"(W/"v1")") == 412);
  CHECK(patch(R"("v7", "v9")") == 412);
  CHECK(patch(R"("v7", "v1")") == 200);
  CHECK(patch("*") == 200);
  CHECK(patch(R"("v3")") == 200);
}

TEST_CASE("http: a deleted user's token stops working once the user is rechecked") {
  RunningServer running;
  Client client{running.server->port()};
  const auto token = bearer(client);
  CHECK(client.send(bhttp::verb::get, "/api/v1/events", {}, {{"Authorization", token}})
            .result_int() == 200);
  const auto user = running.users.find_by_email("ana@example.com").value().value();
  REQUIRE(running.users.remove(user.id).value());
  running.clock.advance(10s);  // USER_RECHECK_SECONDS' default
  const auto refused =
      client.send(bhttp::verb::get, "/api/v1/events", {}, {{"Authorization", token}});
  CHECK(refused.result_int() == 401);
  CHECK(client.send(bhttp::verb::post, "/api/v1/events", event_body, {{"Authorization", token}})
            .result_int() == 401);
}

TEST_CASE("http: with registration switched off the route does not exist") {
  RunningServer running{http::ServerSettings{}, [](const http::CompletedExchange&) {},
                        http::ContractSettings{http::AuthRoutesSettings{false}, {}}};
  Client client{running.server->port()};
  const auto refused =
      client.send(bhttp::verb::post, "/api/v1/auth/register",
                  R"({"email":"ana@example.com","password":"correct horse battery"})");
  CHECK(refused.result_int() == 404);
}

TEST_CASE("http: the I/O threads run under SCHED_BATCH unless it is switched off") {
  for (const bool batch : {true, false}) {
    INFO("batch_scheduling " << batch);
    std::mutex mutex;
    std::vector<int> policies;  // of the threads that served each exchange
    std::set<std::thread::id> threads;
    http::ServerSettings settings;
    settings.io_threads = 2;
    settings.batch_scheduling = batch;
    RunningServer running{settings, [&](const http::CompletedExchange&) {
                            const std::scoped_lock lock{mutex};
                            policies.push_back(::sched_getscheduler(0));
                            threads.insert(std::this_thread::get_id());
                          }};
    // The listener hands connections to the loops in turn: two connections reach both loops.
    for (int i = 0; i < 2; ++i) {
      Client client{running.server->port()};
      CHECK(client.send(bhttp::verb::get, "/healthz").result_int() == 200);
    }
    for (int i = 0; i < 100; ++i) {
      if (const std::scoped_lock lock{mutex}; policies.size() == 2) {
        break;
      }
      std::this_thread::sleep_for(10ms);
    }
    {
      const std::scoped_lock lock{mutex};
      REQUIRE(policies.size() == 2);
      CHECK(threads.size() == 2);  // both loops
      for (const int policy : policies) {
        CHECK(policy == (batch ? SCHED_BATCH : SCHED_OTHER));
      }
    }
    // The thread that called run() gets its own policy back.
    running.stop();
    CHECK(running.policy_before_run == SCHED_OTHER);
    CHECK(running.policy_after_run == running.policy_before_run);
  }
}
