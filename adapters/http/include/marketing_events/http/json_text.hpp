#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace marketing_events::http {

// JSON text written straight into a response body, for the responses served most (an event, a
// page of events): a 20-event page took 21-24 us as a Boost.JSON tree serialised, 7-10 us
// written directly. Strings are escaped exactly as boost::json::serialize escapes them.
void append_json_string(std::string& out, std::string_view text);
void append_json_integer(std::string& out, std::int64_t value);

}  // namespace marketing_events::http
