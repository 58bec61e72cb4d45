#include "marketing_events/http/calendar_routes.hpp"

#include <algorithm>
#include <atomic>
#include <boost/beast/http/field.hpp>
#include <boost/json.hpp>
#include <memory>

#include "marketing_events/http/calendar_cache.hpp"
#include "marketing_events/http/icalendar.hpp"
#include "marketing_events/http/request_body.hpp"
#include "marketing_events/http/syntax.hpp"

namespace marketing_events::http {
namespace {

namespace json = boost::json;
using boost::beast::http::field;
using boost::beast::http::verb;

constexpr std::string_view feeds_path = "/api/v1/calendar-feeds";
constexpr std::string_view calendar_path = "/api/v1/calendar/";
// Pollers may reuse a feed for five minutes, then revalidate with its ETag; only the
// subscriber may keep it (the address is a secret).
constexpr std::string_view calendar_cache_control = "private, max-age=300";
constexpr std::size_t max_host_length = 255;

json::object feed_to_json(const CalendarFeed& feed) {
  return json::object{{"id", feed.id.to_string()},
                      {"name", feed.name},
                      {"status", to_string(feed.status)},
                      {"created_at", format_instant(feed.created_at)}};
}

Result<CalendarFeedInput> feed_input_from_json(const json::object& body) {
  std::vector<FieldError> errors;
  CalendarFeedInput input;
  for (const auto& member : body) {
    const std::string_view name{member.key().data(), member.key().size()};
    std::optional<std::string>* slot = name == "name"     ? &input.name
                                       : name == "status" ? &input.status
                                                          : nullptr;
    if (slot == nullptr) {
      errors.push_back({std::string(name), "is not a field of a calendar feed (name, status)"});
    } else if (!member.value().is_string()) {
      errors.push_back({std::string(name), "must be a string"});
    } else {
      const auto& value = member.value().get_string();
      *slot = std::string(value.data(), value.size());
    }
  }
  if (!errors.empty()) {
    return Error::invalid(ErrorCode::invalid_fields, std::move(errors));
  }
  return input;
}

bool is_host_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == ':' || c == '[' || c == ']';
}

// The base of the subscription URL: the configured one, else from the Host header (a
// malformed Host gives a relative URL rather than a link anywhere else).
std::string base_url(const CalendarRoutesSettings& settings, const Request& request) {
  if (!settings.public_url.empty()) {
    return settings.public_url;
  }
  const auto host = header(request, field::host);
  if (host.empty() || host.size() > max_host_length ||
      !std::all_of(host.begin(), host.end(), is_host_character)) {
    return {};
  }
  return "http://" + std::string(host);
}

Reply create(CalendarService& calendar, const CalendarRoutesSettings& settings, const Call& call) {
  auto input = read_body(call.request, feed_input_from_json);
  if (!input) {
    return std::move(input).error();
  }
  auto created = calendar.create(call.user(), *input);
  if (!created) {
    auto problem = problem_for(created.error());
    if (created.error().code == ErrorCode::conflict) {
      problem.detail = "You already have " + std::to_string(calendar.policy().max_feeds_per_user) +
                       " calendar feeds, the most allowed. Delete one you no longer use "
                       "(DELETE /api/v1/calendar-feeds/{id}) and try again.";
    }
    return problem;
  }
  auto body = feed_to_json(created->feed);
  body["url"] =
      base_url(settings, call.request) + std::string(calendar_path) + created->secret + ".ics";
  auto response = respond(call.request, Status::created, json::serialize(body));
  response.set(field::location, std::string(feeds_path) + "/" + created->feed.id.to_string());
  response.set(field::cache_control, "no-store");  // the secret is shown once
  return response;
}

Reply list(CalendarService& calendar, const Call& call) {
  auto feeds = calendar.list(call.user());
  if (!feeds) {
    return problem_for(feeds.error());
  }
  json::array items;
  items.reserve(feeds->size());
  for (const auto& feed : *feeds) {
    items.emplace_back(feed_to_json(feed));
  }
  return respond(call.request, Status::ok, json::serialize(json::object{{"items", items}}));
}

Reply revoke(CalendarService& calendar, const Call& call) {
  const auto id = Uuid::parse(call.captures.at(0));
  if (!id) {
    return unknown_route("malformed calendar feed id");
  }
  if (auto revoked = calendar.revoke(call.user(), *id); !revoked) {
    auto problem = problem_for(revoked.error());
    if (revoked.error().code == ErrorCode::not_found) {
      problem.detail =
          "You have no calendar feed with this id; GET /api/v1/calendar-feeds lists yours.";
    }
    return problem;
  }
  return respond(call.request, Status::no_content);
}

// What the feed reads share: the rendered feeds and the count of renders under way.
struct FeedReads {
  explicit FeedReads(const CalendarRoutesSettings& settings)
      : cache(settings.cache_ttl, settings.cache_bytes),
        concurrent_renders(settings.concurrent_renders) {}

  CalendarCache cache;
  int concurrent_renders;
  std::atomic<int> rendering{0};
};

// Holds one of the render slots while it lives, if one was free.
class RenderSlot {
 public:
  explicit RenderSlot(FeedReads& reads)
      : reads_(reads), held_(reads.rendering.fetch_add(1) < reads.concurrent_renders) {
    if (!held_) {
      reads_.rendering.fetch_sub(1);
    }
  }
  RenderSlot(const RenderSlot&) = delete;
  RenderSlot& operator=(const RenderSlot&) = delete;
  RenderSlot(RenderSlot&&) = delete;
  RenderSlot& operator=(RenderSlot&&) = delete;
  ~RenderSlot() {
    if (held_) {
      reads_.rendering.fetch_sub(1);
    }
  }
  [[nodiscard]] bool held() const noexcept { return held_; }

 private:
  FeedReads& reads_;
  bool held_;
};

Problem busy() {
  auto problem = problem_for(Error::of(ErrorCode::unavailable, "every calendar render slot taken"));
  problem.detail = "Too many calendar feeds are being prepared at once; try again in a second.";
  problem.retry_after = std::chrono::seconds{1};
  return problem;
}

Reply read(CalendarService& calendar, FeedReads& reads, const Call& call) {
  auto feed = calendar.find(call.captures.at(0));
  if (!feed) {
    auto problem = problem_for(feed.error());
    if (feed.error().code == ErrorCode::not_found) {
      problem.detail =
          "No calendar feed has this address: it was revoked, or the address is incomplete. "
          "Its owner can create a new feed (POST /api/v1/calendar-feeds) and subscribe to that.";
    }
    return problem;
  }
  call.calendar_feed = feed->id;
  const auto now = std::chrono::steady_clock::now();
  auto rendered = reads.cache.find(feed->id, now);
  if (!rendered) {
    const RenderSlot slot{reads};
    if (!slot.held()) {
      return busy();
    }
    auto found = calendar.calendar_of(*feed);
    if (!found) {
      return problem_for(found.error());
    }
    rendered = CalendarCache::Rendered{
        std::make_shared<const std::string>(render_icalendar(*found)), calendar_entity_tag(*found)};
    reads.cache.store(feed->id, *rendered, now);
  }
  const auto if_none_match = header(call.request, field::if_none_match);
  auto response =
      none_match_fails(if_none_match, rendered->tag)
          ? respond(call.request, Status::not_modified)
          : respond(call.request, Status::ok, *rendered->body, "text/calendar; charset=utf-8");
  response.set(field::etag, rendered->tag);
  response.set(field::cache_control, calendar_cache_control);
  return response;
}

}  // namespace

bool none_match_fails(std::string_view header, std::string_view tag) {
  const auto opaque = [](std::string_view text) {
    return text.starts_with("W/") ? text.substr(2) : text;
  };
  if (trim_whitespace(header) == "*") {
    return true;
  }
  const auto tags = split_list(header);
  return std::any_of(tags.begin(), tags.end(),
                     [&](std::string_view listed) { return opaque(listed) == opaque(tag); });
}

std::vector<Route> calendar_routes(CalendarService& calendar,
                                   const CalendarRoutesSettings& settings) {
  const std::string feeds{feeds_path};
  return {
      {verb::post, feeds, Access::signed_in, Runs::fiber,
       [&calendar, settings](const Call& call) { return create(calendar, settings, call); }},
      {verb::get, feeds, Access::signed_in, Runs::fiber,
       [&calendar](const Call& call) { return list(calendar, call); }},
      {verb::delete_, feeds + "/{id}", Access::signed_in, Runs::fiber,
       [&calendar](const Call& call) { return revoke(calendar, call); }},
      {verb::get, std::string(calendar_path) + "{secret}.ics", Access::anyone, Runs::fiber,
       [&calendar, reads = std::make_shared<FeedReads>(settings)](const Call& call) {
         return read(calendar, *reads, call);
       }},
  };
}

}  // namespace marketing_events::http
