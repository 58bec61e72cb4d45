#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "marketing_events/crypto/sealed_box.hpp"
#include "marketing_events/model/event_query.hpp"

namespace marketing_events::http {

// The `cursor` of a keyset walk as clients see it: a position, encrypted and authenticated
// together with the listing it belongs to (owner, sort, statuses, start bounds, title filter),
// which it does not carry. A client can read nothing from it (no title, no id), and a cursor
// read back with any other listing, or changed in any byte, reads as nothing. The key is
// derived from the token-signing key, so cursors survive restarts and work on every replica;
// the page size is not bound, so a client may change `limit` mid-walk.
class ListingCursors {
 public:
  explicit ListingCursors(const crypto::SealedBox& box) : box_(box) {}

  [[nodiscard]] std::string issue(const UserId& owner, const EventQuery& query,
                                  const EventPosition& position) const;
  [[nodiscard]] std::optional<EventPosition> read(std::string_view cursor, const UserId& owner,
                                                  const EventQuery& query) const;

  // The longest cursor read() considers (a title position of 200 four-byte characters fits).
  static constexpr std::size_t max_length = 1536;

 private:
  crypto::SealedBox box_;
};

}  // namespace marketing_events::http
