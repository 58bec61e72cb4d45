#include "marketing_events/http/headers.hpp"

#include <algorithm>
#include <charconv>

namespace marketing_events::http {
namespace {

constexpr std::size_t max_request_id_length = 128;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

std::string query_with_page(const EventQuery& query, std::int64_t page) {
  auto parameters = to_parameters(query);
  parameters.page = std::to_string(page);
  std::string out;
  const auto add = [&](const char* name, const std::optional<std::string>& value) {
    if (value) {
      out += out.empty() ? "?" : "&";
      out += name;
      out += '=';
      out += percent_encode(*value);
    }
  };
  add("status", parameters.status);
  add("sort", parameters.sort);
  add("starts_from", parameters.starts_from);
  add("starts_to", parameters.starts_to);
  add("q", parameters.q);
  add("limit", parameters.limit);
  add("page", parameters.page);
  return out;
}

}  // namespace

std::optional<std::string_view> bearer_token(std::string_view authorization) {
  authorization = trim_spaces(authorization);
  const auto space = authorization.find(' ');
  if (space == std::string_view::npos || !iequals(authorization.substr(0, space), "bearer")) {
    return std::nullopt;
  }
  const auto token = trim_spaces(authorization.substr(space + 1));
  if (token.empty() || token.find(' ') != std::string_view::npos) {
    return std::nullopt;
  }
  return token;
}

std::string entity_tag(EventVersion version) {
  return "\"v" + std::to_string(version) + "\"";
}

IfMatch parse_if_match(std::string_view header) {
  IfMatch result;
  std::size_t start = 0;
  while (start <= header.size()) {
    const auto comma = std::min(header.find(',', start), header.size());
    const auto tag = trim_spaces(header.substr(start, comma - start));
    if (tag == "*") {
      result.any = true;
    } else if (tag.size() >= 4 && tag.starts_with("\"v") && tag.ends_with('"')) {
      EventVersion version = 0;
      const auto digits = tag.substr(2, tag.size() - 3);
      const auto [end, error] =
          std::from_chars(digits.data(), digits.data() + digits.size(), version);
      if (error == std::errc{} && end == digits.data() + digits.size() && version > 0) {
        result.versions.push_back(version);
      }
    }
    start = comma + 1;
  }
  return result;
}

bool is_acceptable_request_id(std::string_view id) {
  return !id.empty() && id.size() <= max_request_id_length &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == ':' || c == '-';
         });
}

std::string page_links(std::string_view path, const EventQuery& query, std::int64_t total_pages) {
  const auto last = std::max<std::int64_t>(total_pages, 1);
  std::string links;
  const auto link = [&](std::int64_t page, const char* relation) {
    links += links.empty() ? "" : ", ";
    links += '<';
    links += path;
    links += query_with_page(query, page);
    links += ">; rel=\"";
    links += relation;
    links += '"';
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

std::string percent_encode(std::string_view text) {
  static constexpr std::string_view hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += hex[byte >> 4U];
      out += hex[byte & 0x0FU];
    }
  }
  return out;
}

}  // namespace marketing_events::http
