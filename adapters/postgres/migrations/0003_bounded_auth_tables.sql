-- Throttling for every kind of attempt (logins per e-mail and per client, registrations per
-- client, refreshes per session), counted before the expensive work so that parallel attempts
-- cannot slip past a limit; each window knows when it closes, so housekeeping can delete it.
CREATE TABLE throttle_windows (
  key       text PRIMARY KEY,
  attempts  integer NOT NULL CHECK (attempts >= 0),
  closes_at timestamptz NOT NULL
);
CREATE INDEX throttle_windows_closed ON throttle_windows (closes_at);

-- login_failures is no longer written. It is kept until the next migration, so that replicas of
-- the previous version keep working during a rolling update.

-- Housekeeping and the per-user session cap find refresh tokens by expiry and by user.
CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id, issued_at);
CREATE INDEX revoked_refresh_families_age ON revoked_refresh_families (revoked_at);
