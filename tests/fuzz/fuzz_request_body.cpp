// Feeds arbitrary bytes to everything that reads a client's request body or query string.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "marketing_events/http/event_json.hpp"
#include "marketing_events/http/listing.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input{reinterpret_cast<const char*>(data), size};  // NOLINT
  namespace http = marketing_events::http;
  (void)http::list_parameters_from_query(input);
  const auto parsed = http::parse_json_object(input);
  if (parsed.object) {
    if (const auto event = http::event_input_from_json(*parsed.object)) {
      (void)marketing_events::validate_event(*event);
    }
    (void)http::event_patch_from_json(*parsed.object);
  }
  return 0;
}
