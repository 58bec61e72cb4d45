#include "marketing_events/http/listing.hpp"

#include <algorithm>
#include <array>
#include <boost/url/pct_string_view.hpp>
#include <utility>

namespace marketing_events::http {
namespace {

namespace urls = boost::urls;

using Slot = std::optional<std::string> EventListParameters::*;

constexpr std::array<std::pair<std::string_view, Slot>, 8> parameter_slots{{
    {"status", &EventListParameters::status},
    {"sort", &EventListParameters::sort},
    {"starts_from", &EventListParameters::starts_from},
    {"starts_to", &EventListParameters::starts_to},
    {"q", &EventListParameters::q},
    {"limit", &EventListParameters::limit},
    {"page", &EventListParameters::page},
    {"cursor", &EventListParameters::cursor},
}};

bool unreserved(unsigned char byte) {  // RFC 3986 2.3
  return (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
         (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' || byte == '_' || byte == '~';
}

// Every byte but the unreserved ones as %XX, as boost::urls::encode(value, unreserved_chars)
// writes it, straight into `out`: building a urls::url per link cost a tenth of a list request.
void append_percent_encoded(std::string& out, std::string_view value) {
  static constexpr std::string_view hex = "0123456789ABCDEF";
  for (const char character : value) {
    const auto byte = static_cast<unsigned char>(character);
    if (unreserved(byte)) {
      out += character;
    } else {
      const std::array<char, 3> escaped{'%', hex[byte >> 4U], hex[byte & 0x0FU]};
      out.append(escaped.data(), escaped.size());
    }
  }
}

// One RFC 8288 link: `path` (a route's own path, written as it is) with `parameters` (only
// unreserved characters left as they are, so '+' never reads back as a space).
void append_link(std::string& links, std::string_view path, const EventListParameters& parameters,
                 std::string_view relation) {
  links += links.empty() ? "<" : ", <";
  links += path;
  char separator = '?';
  for (const auto& [name, slot] : parameter_slots) {
    if (const auto& value = parameters.*slot) {
      links += separator;
      links += name;  // the names are unreserved characters
      links += '=';
      append_percent_encoded(links, *value);
      separator = '&';
    }
  }
  links += ">; rel=\"";
  links += relation;
  links += '"';
}

// application/x-www-form-urlencoded text; nullopt on a broken %-escape.
std::optional<std::string> form_decode(std::string_view encoded) {
  const auto checked = urls::make_pct_string_view({encoded.data(), encoded.size()});
  if (!checked) {
    return std::nullopt;
  }
  urls::encoding_opts form;
  form.space_as_plus = true;
  return checked->decode(form);
}

}  // namespace

Result<EventListParameters> list_parameters_from_query(std::string_view query) {
  EventListParameters parameters;
  std::vector<FieldError> errors;
  while (!query.empty()) {
    const auto ampersand = query.find('&');
    const auto pair = query.substr(0, ampersand);
    query = ampersand == std::string_view::npos ? std::string_view{} : query.substr(ampersand + 1);
    const auto equals = pair.find('=');
    const auto name = form_decode(pair.substr(0, equals));
    const auto* slot = std::find_if(parameter_slots.begin(), parameter_slots.end(),
                                    [&](const auto& known) { return name == known.first; });
    if (slot == parameter_slots.end()) {
      continue;
    }
    auto& target = parameters.*(slot->second);
    auto value = form_decode(equals == std::string_view::npos ? "" : pair.substr(equals + 1));
    if (!value) {
      errors.push_back({std::string(slot->first), "is not correctly percent-encoded"});
    } else if (target) {
      errors.push_back({std::string(slot->first), "must be given at most once"});
    } else {
      target = std::move(value);
    }
  }
  if (!errors.empty()) {
    return Error::invalid(ErrorCode::invalid_parameters, std::move(errors));
  }
  return parameters;
}

std::string page_links(std::string_view path, const EventQuery& query, std::int64_t total_pages) {
  const auto last = std::max<std::int64_t>(total_pages, 1);
  auto parameters = to_parameters(query);
  std::string links;
  const auto link = [&](std::int64_t page, std::string_view relation) {
    parameters.page = std::to_string(page);
    append_link(links, path, parameters, relation);
  };
  link(1, "first");
  if (query.page > 1) {
    link(std::min(query.page - 1, last), "prev");
  }
  if (query.page < last) {
    link(query.page + 1, "next");
  }
  link(last, "last");
  return links;
}

std::string walk_links(std::string_view path, const EventQuery& query,
                       const std::optional<std::string>& next_cursor) {
  auto parameters = to_parameters(query);
  parameters.page.reset();
  std::string links;
  parameters.cursor = "";
  append_link(links, path, parameters, "first");
  if (next_cursor) {
    parameters.cursor = *next_cursor;
    append_link(links, path, parameters, "next");
  }
  return links;
}

}  // namespace marketing_events::http
