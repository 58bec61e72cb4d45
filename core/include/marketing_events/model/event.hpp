#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marketing_events/model/instant.hpp"
#include "marketing_events/model/user.hpp"
#include "marketing_events/model/uuid.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events {

using EventId = Uuid;

// Increases by one on every change; adapters derive entity tags from it.
using EventVersion = std::int64_t;

// What a conditional write requires of the stored version: nothing, or one of a few versions
// (a client may accept several). An empty list can never be satisfied.
class VersionCondition {
 public:
  VersionCondition() = default;  // unconditional
  // Implicit on purpose: "expect version 3" and "no expectation" read naturally at call sites.
  VersionCondition(std::nullopt_t /*none*/) {}  // NOLINT(google-explicit-constructor)
  VersionCondition(EventVersion version)        // NOLINT(google-explicit-constructor)
      : versions_(std::vector<EventVersion>{version}) {}
  VersionCondition(std::optional<EventVersion> version) {  // NOLINT(google-explicit-constructor)
    if (version) {
      versions_ = std::vector<EventVersion>{*version};
    }
  }
  [[nodiscard]] static VersionCondition one_of(std::vector<EventVersion> versions) {
    VersionCondition condition;
    condition.versions_ = std::move(versions);
    return condition;
  }

  [[nodiscard]] bool is_unconditional() const noexcept { return !versions_.has_value(); }
  // The accepted versions; nullopt when any version is accepted.
  [[nodiscard]] const std::optional<std::vector<EventVersion>>& versions() const noexcept {
    return versions_;
  }
  [[nodiscard]] bool allows(EventVersion version) const noexcept;

 private:
  std::optional<std::vector<EventVersion>> versions_;
};

enum class EventStatus { draft, published, archived };

[[nodiscard]] const char* to_string(EventStatus status) noexcept;
[[nodiscard]] std::optional<EventStatus> parse_event_status(std::string_view text) noexcept;

inline constexpr std::size_t max_title_length = 200;
inline constexpr std::size_t max_description_length = 10'000;

// The fields a user edits, after validation.
struct EventDetails {
  std::string title;  // trimmed, 1..200 code points
  std::string description;
  Instant starts_at;
  Instant ends_at;  // never before starts_at
  EventStatus status = EventStatus::draft;

  friend bool operator==(const EventDetails&, const EventDetails&) = default;
};

struct Event {
  EventId id;
  UserId owner_id;
  EventDetails details;
  Instant created_at;
  Instant updated_at;
  EventVersion version = 1;

  friend bool operator==(const Event&, const Event&) = default;
};

// The fields as a client sent them, before any rule is applied. Absent is nullopt; for
// `description`, absent and null both mean "", and for `status`, absent means draft.
struct EventInput {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> starts_at;  // RFC 3339, offset required
  std::optional<std::string> ends_at;
  std::optional<std::string> status;
};

// Checks every rule and names every broken field at once (ErrorCode::invalid_fields).
[[nodiscard]] Result<EventDetails> validate_event(const EventInput& input);

// One member of an RFC 7396 merge patch: leave it, remove it (JSON null), or set it.
class FieldPatch {
 public:
  enum class Kind { keep, remove, set };

  FieldPatch() = default;
  [[nodiscard]] static FieldPatch removed() { return FieldPatch{Kind::remove, {}}; }
  [[nodiscard]] static FieldPatch set_to(std::string value) {
    return FieldPatch{Kind::set, std::move(value)};
  }

  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  [[nodiscard]] const std::string& value() const noexcept { return value_; }

 private:
  FieldPatch(Kind kind, std::string value) : kind_(kind), value_(std::move(value)) {}

  Kind kind_ = Kind::keep;
  std::string value_;
};

struct EventPatch {
  FieldPatch title;
  FieldPatch description;
  FieldPatch starts_at;
  FieldPatch ends_at;
  FieldPatch status;
};

// The input that describes `current` exactly (instants in RFC 3339).
[[nodiscard]] EventInput to_input(const EventDetails& current);

// RFC 7396 applied to the current fields; the result is validated like a replacement.
[[nodiscard]] EventInput apply_patch(const EventDetails& current, const EventPatch& patch);

}  // namespace marketing_events
