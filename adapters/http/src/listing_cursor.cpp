#include "marketing_events/http/listing_cursor.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <span>

#include "marketing_events/crypto/encoding.hpp"

namespace marketing_events::http {
namespace {

constexpr std::string_view payload_version = "1:";
constexpr std::size_t uuid_length = 36;

// The listing a cursor belongs to, one field per line; the free text (the title filter) comes
// last with its length, so no two listings share a context.
std::string context(const UserId& owner, const EventQuery& query) {
  std::string text = "events-list-cursor\n";
  text += owner.to_string();
  text += '\n';
  text += std::to_string(static_cast<int>(query.sort.key));
  text += query.sort.descending ? "-\n" : "+\n";
  for (const auto status : {EventStatus::draft, EventStatus::published, EventStatus::archived}) {
    const bool listed =
        query.statuses.empty() ||
        std::find(query.statuses.begin(), query.statuses.end(), status) != query.statuses.end();
    text += listed ? '1' : '0';
  }
  text += '\n';
  const auto bound = [&text](const std::optional<Instant>& instant) {
    text += instant ? std::to_string(instant->time_since_epoch().count()) : "-";
    text += '\n';
  };
  bound(query.starts_from);
  bound(query.starts_to);
  text += std::to_string(query.title_contains.size());
  text += ':';
  text += query.title_contains;
  text += '\n';
  return text;
}

// What the cursor carries: the version, the position's id, then its sort value (decimal
// microseconds, or the title as it is).
std::string payload(const EventPosition& position, EventSortKey key) {
  std::string text(payload_version);
  text += position.id.to_string();
  text += ':';
  if (key == EventSortKey::title) {
    text += position.title;
  } else {
    text += std::to_string(position.instant.time_since_epoch().count());
  }
  return text;
}

std::optional<EventPosition> parse_payload(std::string_view text, EventSortKey key) {
  if (!text.starts_with(payload_version)) {
    return std::nullopt;
  }
  text.remove_prefix(payload_version.size());
  if (text.size() <= uuid_length || text[uuid_length] != ':') {
    return std::nullopt;
  }
  const auto id = Uuid::parse(text.substr(0, uuid_length));
  if (!id) {
    return std::nullopt;
  }
  const auto value = text.substr(uuid_length + 1);
  EventPosition position{{}, {}, *id};
  if (key == EventSortKey::title) {
    position.title = std::string(value);
    return position;
  }
  std::int64_t micros = 0;
  const auto* end = std::next(value.data(), static_cast<std::ptrdiff_t>(value.size()));
  const auto [stop, error] = std::from_chars(value.data(), end, micros);
  if (error != std::errc{} || stop != end) {
    return std::nullopt;
  }
  position.instant = Instant{std::chrono::microseconds{micros}};
  return position;
}

std::span<const std::uint8_t> bytes_of(std::string_view text) {
  // NOLINTNEXTLINE(*-reinterpret-cast): the same bytes, seen unsigned
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

std::string ListingCursors::issue(const UserId& owner, const EventQuery& query,
                                  const EventPosition& position) const {
  return crypto::base64url_encode(
      bytes_of(box_.seal(payload(position, query.sort.key), context(owner, query))));
}

std::optional<EventPosition> ListingCursors::read(std::string_view cursor, const UserId& owner,
                                                  const EventQuery& query) const {
  if (cursor.size() > max_length) {
    return std::nullopt;
  }
  const auto bytes = crypto::base64url_decode(cursor);
  if (!bytes) {
    return std::nullopt;
  }
  // NOLINTNEXTLINE(*-reinterpret-cast): the same bytes, seen as characters
  const std::string_view sealed{reinterpret_cast<const char*>(bytes->data()), bytes->size()};
  const auto carried = box_.open(sealed, context(owner, query));
  if (!carried) {
    return std::nullopt;
  }
  return parse_payload(*carried, query.sort.key);
}

}  // namespace marketing_events::http
