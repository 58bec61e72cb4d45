#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "marketing_events/crypto/message_authenticator.hpp"
#include "marketing_events/model/event_query.hpp"

namespace marketing_events::http {

// The `cursor` of a keyset walk as clients see it: a position, authenticated together with the
// listing it belongs to (owner, sort, statuses, start bounds, title filter) but not carrying
// it. A cursor read back with any other listing, or changed in any byte, reads as nothing. The
// key is derived from the token-signing key, so cursors survive restarts and work on every
// replica; the page size is not bound, so a client may change `limit` mid-walk.
class ListingCursors {
 public:
  explicit ListingCursors(crypto::MessageAuthenticator authenticator)
      : authenticator_(authenticator) {}

  [[nodiscard]] std::string issue(const UserId& owner, const EventQuery& query,
                                  const EventPosition& position) const;
  [[nodiscard]] std::optional<EventPosition> read(std::string_view cursor, const UserId& owner,
                                                  const EventQuery& query) const;

  // The longest cursor read() considers (a title position of 200 four-byte characters fits).
  static constexpr std::size_t max_length = 1536;

 private:
  crypto::MessageAuthenticator authenticator_;
};

}  // namespace marketing_events::http
