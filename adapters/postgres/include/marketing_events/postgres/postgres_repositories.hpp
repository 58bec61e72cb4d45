#pragma once

#include "marketing_events/ports/calendar_feed_repository.hpp"
#include "marketing_events/ports/event_repository.hpp"
#include "marketing_events/ports/refresh_token_repository.hpp"
#include "marketing_events/ports/throttle_store.hpp"
#include "marketing_events/ports/user_repository.hpp"
#include "marketing_events/postgres/connection_pool.hpp"

namespace marketing_events::postgres {

// The repository ports on PostgreSQL. Each call borrows one pooled connection; conditional
// writes are single statements, and a modification holds the row locked, so there is no
// read-then-write race. Thread-safe.

class PostgresUserRepository final : public UserRepository {
 public:
  explicit PostgresUserRepository(ConnectionPool& pool) : pool_(pool) {}
  [[nodiscard]] Result<void> add(const User& user) override;
  [[nodiscard]] Result<std::optional<User>> find_by_email(std::string_view email) override;
  [[nodiscard]] Result<std::optional<User>> find_by_id(const UserId& id) override;
  // Their events, sessions, calendar feeds and counts go with them (ON DELETE CASCADE).
  [[nodiscard]] Result<bool> remove(const UserId& id) override;

 private:
  ConnectionPool& pool_;
};

class PostgresEventRepository final : public EventRepository {
 public:
  explicit PostgresEventRepository(ConnectionPool& pool) : pool_(pool) {}
  [[nodiscard]] Result<void> add(const Event& event) override;
  [[nodiscard]] Result<std::optional<Event>> find(const UserId& owner, const EventId& id) override;
  [[nodiscard]] Result<Event> update(const EventChange& change,
                                     const VersionCondition& condition) override;
  // SELECT ... FOR UPDATE, the modification, UPDATE, in one transaction.
  [[nodiscard]] Result<Event> modify(const UserId& owner, const EventId& id,
                                     const VersionCondition& condition, Instant updated_at,
                                     const EventModification& modification) override;
  [[nodiscard]] Result<void> remove(const UserId& owner, const EventId& id,
                                    const VersionCondition& condition) override;
  [[nodiscard]] Result<EventSlice> list(const UserId& owner, const EventQuery& query) override;

 private:
  ConnectionPool& pool_;
};

class PostgresRefreshTokenRepository final : public RefreshTokenRepository {
 public:
  explicit PostgresRefreshTokenRepository(ConnectionPool& pool) : pool_(pool) {}
  [[nodiscard]] Result<void> add(const RefreshTokenRecord& record) override;
  [[nodiscard]] Result<std::optional<ConsumedRefreshToken>> consume(std::string_view digest,
                                                                    Instant now) override;
  [[nodiscard]] Result<std::optional<RefreshTokenRecord>> find(std::string_view digest) override;
  [[nodiscard]] Result<bool> has_family(const Uuid& family_id) override;
  [[nodiscard]] Result<void> revoke_family(const Uuid& family_id, Instant now) override;
  [[nodiscard]] Result<void> trim_family(const Uuid& family_id, std::size_t keep) override;
  [[nodiscard]] Result<void> trim_user(const UserId& user_id, std::size_t keep) override;
  [[nodiscard]] Result<std::int64_t> remove_stale(Instant now, std::int64_t at_most) override;

 private:
  ConnectionPool& pool_;
};

class PostgresThrottleStore final : public ThrottleStore {
 public:
  explicit PostgresThrottleStore(ConnectionPool& pool) : pool_(pool) {}
  [[nodiscard]] Result<Attempt> attempt(std::string_view key, Instant now,
                                        std::chrono::seconds window, int limit) override;
  [[nodiscard]] Result<void> forgive(std::string_view key) override;
  [[nodiscard]] Result<void> clear(std::string_view key) override;
  [[nodiscard]] Result<std::int64_t> remove_closed(Instant now, std::int64_t at_most) override;

 private:
  ConnectionPool& pool_;
};

// The owner's row is locked while a feed is added, so the per-user bound holds under
// concurrent adds; feeds go with their user (ON DELETE CASCADE).
class PostgresCalendarFeedRepository final : public CalendarFeedRepository {
 public:
  explicit PostgresCalendarFeedRepository(ConnectionPool& pool) : pool_(pool) {}
  [[nodiscard]] Result<void> add(const CalendarFeed& feed, std::string_view secret_digest,
                                 std::size_t at_most) override;
  [[nodiscard]] Result<std::vector<CalendarFeed>> list(const UserId& owner) override;
  [[nodiscard]] Result<bool> remove(const UserId& owner, const CalendarFeedId& id) override;
  [[nodiscard]] Result<std::optional<CalendarFeed>> find_by_digest(
      std::string_view secret_digest) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace marketing_events::postgres
