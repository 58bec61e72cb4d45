#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace marketing_events::http {

// JSON text written straight into a response body, for the responses served most (an event, a
// page of events): building a Boost.JSON tree and then serialising it was about a fifth of a
// list response's CPU. Strings are escaped exactly as boost::json::serialize escapes them.
void append_json_string(std::string& out, std::string_view text);
void append_json_integer(std::string& out, std::int64_t value);

}  // namespace marketing_events::http
