#include <boost/beast/http/write.hpp>
#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <catch2/catch.hpp>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "marketing_events/http/event_json.hpp"
#include "marketing_events/http/headers.hpp"
#include "marketing_events/http/json_text.hpp"
#include "marketing_events/http/listing.hpp"
#include "marketing_events/http/message.hpp"
#include "marketing_events/http/problem.hpp"
#include "marketing_events/http/route.hpp"
#include "marketing_events/testing/field_names.hpp"

using namespace marketing_events;
using namespace marketing_events::http;
using marketing_events::testing::field_names;

namespace {

boost::json::object object_of(std::string_view body) {
  auto parsed = parse_json_object(body);
  REQUIRE(parsed.object.has_value());
  return std::move(*parsed.object);
}

}  // namespace

TEST_CASE("only well-formed JSON objects are bodies") {
  CHECK(parse_json_object(R"({"title":"x"})").object.has_value());
  for (const auto* body : {"", "{", "[]", "\"text\"", "42", "null", R"({"a":1,})",
                           "{\"a\":\"\xC3\x28\"}", R"({"a":1} trailing)"}) {
    INFO(body);
    const auto parsed = parse_json_object(body);
    CHECK_FALSE(parsed.object.has_value());
    CHECK_FALSE(parsed.why_not.empty());
  }
  std::string deep(20, '[');
  deep = R"({"a":)" + deep + std::string(20, ']') + "}";
  CHECK_FALSE(parse_json_object(deep).object.has_value());
}

TEST_CASE("a well-typed body becomes the core's input untouched") {
  const auto input = event_input_from_json(
      object_of(R"({"title":" Launch ","description":null,"starts_at":"2026-03-01T09:00:00+01:00",)"
                R"("ends_at":"2026-03-01T18:00:00Z"})"));
  REQUIRE(input.has_value());
  CHECK(input->title == " Launch ");
  CHECK_FALSE(input->description.has_value());
  CHECK(input->starts_at == "2026-03-01T09:00:00+01:00");
  CHECK_FALSE(input->status.has_value());
}

TEST_CASE("wrong types, unknown and read-only fields and broken rules are named together") {
  const auto input = event_input_from_json(
      object_of(R"({"id":"x","title":42,"colour":"red","starts_at":"2026-03-01T09:00:00Z",)"
                R"("ends_at":"2026-02-01T00:00:00Z","status":"live","created_at":"now"})"));
  REQUIRE_FALSE(input.has_value());
  CHECK(input.error().code == ErrorCode::invalid_fields);
  CHECK(field_names(input.error()) ==
        std::vector<std::string>{"title", "ends_at", "status", "id", "colour", "created_at"});
  CHECK(input.error().fields[0].message == "must be a string");
  CHECK(input.error().fields[3].message == "is set by the service and cannot be sent");
  CHECK(input.error().fields[4].message == "is not a field of an event");
}

TEST_CASE("a merge patch keeps absent fields, removes nulls and sets strings") {
  const auto patch = event_patch_from_json(object_of(R"({"title":"New","description":null})"));
  REQUIRE(patch.has_value());
  CHECK(patch->title.kind() == FieldPatch::Kind::set);
  CHECK(patch->title.value() == "New");
  CHECK(patch->description.kind() == FieldPatch::Kind::remove);
  CHECK(patch->status.kind() == FieldPatch::Kind::keep);

  const auto bad = event_patch_from_json(object_of(R"({"title":["x"],"updated_at":"now"})"));
  REQUIRE_FALSE(bad.has_value());
  CHECK(field_names(bad.error()) == std::vector<std::string>{"updated_at", "title"});
}

TEST_CASE("events and pages serialise as the contract shows them") {
  Event event{Uuid::parse("0193a1c2-7d4e-7abc-8def-0123456789ab").value(),
              Uuid{},
              EventDetails{"Launch", "", parse_instant("2026-03-01T09:00:00+01:00").value(),
                           parse_instant("2026-03-01T18:00:00Z").value(), EventStatus::published},
              parse_instant("2026-02-01T00:00:00.5Z").value(),
              parse_instant("2026-02-01T00:00:00.5Z").value(),
              3};
  const std::string event_text =
      R"({"id":"0193a1c2-7d4e-7abc-8def-0123456789ab","title":"Launch","description":"",)"
      R"("starts_at":"2026-03-01T08:00:00Z","ends_at":"2026-03-01T18:00:00Z",)"
      R"("status":"published","created_at":"2026-02-01T00:00:00.500Z",)"
      R"("updated_at":"2026-02-01T00:00:00.500Z"})";
  CHECK(event_json(event) == event_text);
  EventPage page{{event, event}, Paging::numbered, 2, 20, 57, 3, std::nullopt};
  CHECK(page_json(page, std::nullopt) ==
        R"({"items":[)" + event_text + "," + event_text +
            R"(],"pagination":{"page":2,"limit":20,"total_items":57,"total_pages":3,)"
            R"("next_cursor":null}})");
  CHECK(page_json(page, "n\"x") ==
        R"({"items":[)" + event_text + "," + event_text +
            R"(],"pagination":{"page":2,"limit":20,"total_items":57,"total_pages":3,)"
            R"("next_cursor":"n\"x"}})");
  page.paging = Paging::keyset;
  CHECK(page_json(page, "abc") == R"({"items":[)" + event_text + "," + event_text +
                                      R"(],"pagination":{"limit":20,"next_cursor":"abc"}})");
  page.items.clear();
  CHECK(page_json(page, std::nullopt) ==
        R"({"items":[],"pagination":{"limit":20,"next_cursor":null}})");
}

TEST_CASE("event text escapes what Boost.JSON escapes, and parses back to the same strings") {
  // Every byte alone and inside text, quotes, backslashes, controls and multi-byte UTF-8.
  std::vector<std::string> texts{"",
                                 "plain",
                                 R"(say "hi" \ bye)",
                                 "tab\there\nnew\r\f\b",
                                 "caf\xC3\xA9 \xF0\x9F\x8E\x89 \x7F end",
                                 std::string(3, '\0')};
  for (int byte = 0; byte < 256; ++byte) {
    texts.emplace_back(1, static_cast<char>(byte));
    texts.push_back("a" + std::string(1, static_cast<char>(byte)) + "b");
    // At every place of a text longer than two 8-byte words (plain text is skipped a word at
    // a time).
    for (std::size_t at = 0; at < 18; ++at) {
      std::string text = "caf\xC3\xA9 plain text ~!";
      text[at] = static_cast<char>(byte);
      texts.push_back(std::move(text));
    }
  }
  for (const auto& text : texts) {
    INFO(text);
    std::string written;
    append_json_string(written, text);
    CHECK(written == boost::json::serialize(boost::json::string(text)));
  }

  Event event{
      Uuid::parse("0193a1c2-7d4e-7abc-8def-0123456789ab").value(),
      Uuid{},
      EventDetails{"\"Launch\"\n\x01 caf\xC3\xA9", "line 1\nline 2\\",
                   parse_instant("0001-01-01T00:00:00Z").value(),
                   parse_instant("9999-12-31T23:59:59.999999Z").value(), EventStatus::draft},
      parse_instant("1969-12-31T23:59:59.123456Z").value(),
      parse_instant("2026-02-01T00:00:00Z").value(),
      1};
  const auto parsed = boost::json::parse(event_json(event)).as_object();
  CHECK(parsed.at("title").as_string() == "\"Launch\"\n\x01 caf\xC3\xA9");
  CHECK(parsed.at("description").as_string() == "line 1\nline 2\\");
  CHECK(parsed.at("starts_at").as_string() == "0001-01-01T00:00:00Z");
  CHECK(parsed.at("ends_at").as_string() == "9999-12-31T23:59:59.999999Z");
  CHECK(parsed.at("created_at").as_string() == "1969-12-31T23:59:59.123456Z");
  CHECK(parsed.at("status").as_string() == "draft");
  CHECK(parsed.at("id").as_string() == "0193a1c2-7d4e-7abc-8def-0123456789ab");
  CHECK(parsed.at("updated_at").as_string() == "2026-02-01T00:00:00Z");
  CHECK(parsed.size() == 8);

  std::string integers;
  for (const std::int64_t value : {std::int64_t{0}, std::int64_t{-1}, INT64_MIN, INT64_MAX}) {
    integers.clear();
    append_json_integer(integers, value);
    CHECK(integers == boost::json::serialize(boost::json::value(value)));
  }
}

TEST_CASE("query strings are percent-decoded into the listing's parameters") {
  const auto parameters = list_parameters_from_query(
      "status=draft%2Cpublished&page=2&limit=10&sort=-title&q=spring+launch%21&other=1");
  REQUIRE(parameters.has_value());
  CHECK(parameters->status == "draft,published");
  CHECK(parameters->page == "2");
  CHECK(parameters->limit == "10");
  CHECK(parameters->sort == "-title");
  CHECK(parameters->q == "spring launch!");
  CHECK_FALSE(parameters->starts_from.has_value());
  CHECK(list_parameters_from_query("").has_value());
  CHECK(list_parameters_from_query("starts_from=2026-03-01T09%3A00%3A00%2B01%3A00")->starts_from ==
        "2026-03-01T09:00:00+01:00");

  const auto bad = list_parameters_from_query("page=1&page=2&q=%zz&limit=%4");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == ErrorCode::invalid_parameters);
  CHECK(field_names(bad.error()) == std::vector<std::string>{"page", "q", "limit"});
}

TEST_CASE("every core error has one problem, and 500s say nothing of internals") {
  const std::vector<std::pair<ErrorCode, int>> table{
      {ErrorCode::invalid_fields, 422},    {ErrorCode::invalid_parameters, 400},
      {ErrorCode::not_found, 404},         {ErrorCode::conflict, 409},
      {ErrorCode::version_mismatch, 412},  {ErrorCode::unauthenticated, 401},
      {ErrorCode::too_many_attempts, 429}, {ErrorCode::unavailable, 503},
      {ErrorCode::internal, 500}};
  for (const auto& [code, status] : table) {
    const auto problem = problem_for(Error::of(code, "SQLSTATE 42601: syntax error at \"FROM\""));
    CHECK(problem.status == status);
    CHECK(problem.type.starts_with("https://marketing-events.example/problems/"));
    CHECK_FALSE(problem.title.empty());
    CHECK(to_json(problem).find("SQLSTATE") == std::string::npos);
  }
  const auto invalid = problem_for(Error::invalid(
      ErrorCode::invalid_fields, {{"ends_at", "must not be before starts_at"},
                                  {"status", "must be one of draft, published, archived"}}));
  CHECK(to_json(invalid) ==
        R"({"type":"https://marketing-events.example/problems/validation-error",)"
        R"("title":"Validation failed","status":422,"detail":"2 fields are invalid",)"
        R"("errors":[{"field":"ends_at","message":"must not be before starts_at"},)"
        R"({"field":"status","message":"must be one of draft, published, archived"}]})");
}

TEST_CASE("routes match by method and template, other methods are named for 405") {
  using boost::beast::http::verb;
  const auto handler = [](int number) {
    return [number](const Call& call) -> Reply {
      return respond(call.request, Status::ok, std::to_string(number));
    };
  };
  const RouteTable table{{
      {verb::get, "/api/v1/events", Access::anyone, Runs::fiber, handler(1)},
      {verb::post, "/api/v1/events", Access::anyone, Runs::fiber, handler(2)},
      {verb::get, "/api/v1/events/{id}", Access::anyone, Runs::fiber, handler(3)},
      {verb::delete_, "/api/v1/events/{id}", Access::anyone, Runs::fiber, handler(4)},
      {verb::get, "/healthz", Access::anyone, Runs::io_thread, handler(5)},
  }};

  const auto one = table.match(verb::delete_, "/api/v1/events/0193a1c2?x=1");
  REQUIRE(one.route != nullptr);
  CHECK(one.route->method == verb::delete_);
  CHECK(one.route_template == "/api/v1/events/{id}");
  CHECK(one.captures == std::vector<std::string_view>{"0193a1c2"});
  CHECK(one.query == "x=1");
  CHECK(one.runs() == Runs::fiber);

  const auto wrong_method = table.match(verb::put, "/api/v1/events");
  CHECK(wrong_method.route == nullptr);
  CHECK(wrong_method.route_template == "/api/v1/events");
  CHECK(wrong_method.path_known);
  CHECK(table.allowed("/api/v1/events") == "GET, POST");
  CHECK(table.allowed("/healthz?x") == "GET");
  CHECK(table.match(verb::unknown, "/healthz").path_known);

  CHECK(table.match(verb::get, "/healthz").runs() == Runs::io_thread);
  for (const auto* path : {"/", "/api/v1/events/", "/api/v1/events/a/b", "/healthz/", "/api/v1",
                           "/api/v1/eventsx", "", "healthz", "*"}) {
    INFO(path);
    const auto unmatched = table.match(verb::get, path);
    CHECK(unmatched.route == nullptr);
    CHECK_FALSE(unmatched.path_known);
    CHECK(table.allowed(path).empty());
    CHECK(unmatched.route_template == "unmatched");
  }
}

TEST_CASE("If-Match lists become the versions a write accepts") {
  CHECK(version_condition(std::nullopt).is_unconditional());
  CHECK(version_condition("*").is_unconditional());
  CHECK(version_condition(R"("v3")").versions() == std::vector<EventVersion>{3});
  CHECK(version_condition(R"("v3", W/"v4" ,"v5",, "x")").versions() ==
        std::vector<EventVersion>{3, 5});
  CHECK(version_condition(R"(W/"v3")").versions() == std::vector<EventVersion>{});
  CHECK(version_condition(R"("v0", "v-1", "v99999999999999999999")").versions() ==
        std::vector<EventVersion>{});
}

TEST_CASE("links to other pages keep the filters and encode them so they read back the same") {
  auto query = parse_event_query(list_parameters_from_query(
                                     "status=published&q=a%2Bb+c%26d&sort=-title&limit=10&page=2")
                                     .value())
                   .value();
  const auto links = page_links("/api/v1/events", query, 3);
  CHECK(links ==
        "</api/v1/events?status=published&sort=-title&q=a%2Bb%20c%26d&limit=10&page=1>; "
        "rel=\"first\", "
        "</api/v1/events?status=published&sort=-title&q=a%2Bb%20c%26d&limit=10&page=1>; "
        "rel=\"prev\", "
        "</api/v1/events?status=published&sort=-title&q=a%2Bb%20c%26d&limit=10&page=3>; "
        "rel=\"next\", "
        "</api/v1/events?status=published&sort=-title&q=a%2Bb%20c%26d&limit=10&page=3>; "
        "rel=\"last\"");
  // Reading a link's query back gives the same parameters.
  const auto target = std::string("status=published&sort=-title&q=a%2Bb%20c%26d&limit=10&page=3");
  CHECK(list_parameters_from_query(target)->q == "a+b c&d");
}

TEST_CASE("a link's parameters are percent-encoded as Boost.URL encodes unreserved text") {
  std::string every_byte;
  for (int byte = 1; byte < 256; ++byte) {
    every_byte += static_cast<char>(byte);
  }
  EventQuery query;
  query.title_contains = every_byte;
  const auto links = page_links("/api/v1/events", query, 1);
  const auto expected =
      "q=" + boost::urls::encode(every_byte, boost::urls::unreserved_chars) + "&limit=";
  CHECK(links.find(expected) != std::string::npos);
  CHECK(links.starts_with("</api/v1/events?"));
  // And the link reads back as the same text.
  const auto start = links.find('?') + 1;
  const auto target = links.substr(start, links.find('>') - start);
  CHECK(list_parameters_from_query(target)->q == every_byte);
}

TEST_CASE("a response's header is written byte for byte as Beast's serializer writes it") {
  const auto beast_bytes = [](const Response& response) {
    std::ostringstream out;
    out << response;
    return out.str();
  };
  const auto our_bytes = [](const Response& response) {
    std::string text = "kept";  // appended to, never replaced
    append_header_text(text, response);
    REQUIRE(text.starts_with("kept"));
    return text.substr(4) + response.body();
  };
  Request get{boost::beast::http::verb::get, "/events", 11};
  Request old_client{boost::beast::http::verb::get, "/events", 10};

  auto created = respond(get, Status::created, R"({"id":"x"})");
  created.set(boost::beast::http::field::location, "/events/x");
  created.set(boost::beast::http::field::etag, "\"1\"");
  created.set("X-Request-Id", "abc");
  created.keep_alive(true);
  auto closing = respond(get, Status::not_found, "{}", "application/problem+json");
  closing.keep_alive(false);
  auto empty = respond(get, Status::no_content);
  auto from_http_1_0 = respond(old_client, Status::ok, "hello", "text/plain");
  from_http_1_0.keep_alive(true);
  auto unknown_code = respond(get, static_cast<Status>(599), "?");
  auto custom_reason = respond(get, Status::too_many_requests);
  custom_reason.reason("Slow Down");
  custom_reason.set(boost::beast::http::field::retry_after, "1");

  for (const auto* response :
       {&created, &closing, &empty, &from_http_1_0, &unknown_code, &custom_reason}) {
    CAPTURE(beast_bytes(*response));
    CHECK(our_bytes(*response) == beast_bytes(*response));
  }
  CHECK(our_bytes(empty).starts_with("HTTP/1.1 204 No Content\r\n"));
  CHECK(our_bytes(from_http_1_0).starts_with("HTTP/1.0 200 OK\r\n"));
  CHECK(our_bytes(custom_reason).starts_with("HTTP/1.1 429 Slow Down\r\n"));
}
