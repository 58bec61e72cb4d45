#include <catch2/catch.hpp>

#include "marketing_events/model/text.hpp"

using namespace marketing_events;
using namespace std::string_view_literals;

TEST_CASE("lengths count code points, not bytes") {
  CHECK(text::code_point_count("") == 0U);
  CHECK(text::code_point_count("abc") == 3U);
  CHECK(text::code_point_count("Café") == 4U);
  CHECK(text::code_point_count("日本語") == 3U);
  CHECK(text::code_point_count("🎉🎉") == 2U);
}

TEST_CASE("invalid UTF-8 is detected") {
  for (const auto bytes : {"\xC3"sv, "\xC0\xAF"sv, "\xE0\x80\xAF"sv, "\xED\xA0\x80"sv,
                           "\xF4\x90\x80\x80"sv, "\xFF"sv, "a\x80"sv, "\xF0\x9F\x8E"sv}) {
    CHECK_FALSE(text::code_point_count(bytes).has_value());
  }
}

TEST_CASE("trim removes Unicode white space at both ends only") {
  CHECK(text::trim("  Spring launch \t\n") == "Spring launch");
  CHECK(text::trim("\u00A0\u3000Launch\u2003") == "Launch");
  CHECK(text::trim("a  b") == "a  b");
  CHECK(text::trim(" \t ").empty());
  CHECK(text::trim("").empty());
}

TEST_CASE("NUL characters are found anywhere") {
  CHECK(text::contains_nul("a\0b"sv));
  CHECK_FALSE(text::contains_nul("ab"sv));
}
