#pragma once

#include <span>
#include <string_view>

#include "marketing_events/postgres/connection_pool.hpp"
#include "marketing_events/result.hpp"

namespace marketing_events::postgres {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// The schema's history, oldest first, compiled into the binary.
[[nodiscard]] std::span<const Migration> migrations() noexcept;

// Applies every migration not yet recorded in schema_migrations, each in its own transaction,
// under a session advisory lock: several concurrent runs apply each migration once.
// Returns how many it applied.
[[nodiscard]] Result<int> migrate(ConnectionPool& pool);

// Whether every known migration is applied (what readiness asks).
[[nodiscard]] Result<bool> schema_is_current(ConnectionPool& pool);

}  // namespace marketing_events::postgres
