-- Users, their events, refresh tokens and login throttling.
CREATE TABLE users (
  id            uuid PRIMARY KEY,
  email         text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL
);

CREATE TABLE events (
  id          uuid PRIMARY KEY,
  owner_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title       text NOT NULL,
  description text NOT NULL,
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL,
  status      text NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  version     bigint NOT NULL CHECK (version >= 1),
  CHECK (ends_at >= starts_at)
);

-- One index per sort key, led by the owner (every query is one owner's) and ending in id
-- (the tie-breaker), so a page is an index range scan; status filters use the status ones.
CREATE INDEX events_owner_starts ON events (owner_id, starts_at, id);
CREATE INDEX events_owner_created ON events (owner_id, created_at, id);
CREATE INDEX events_owner_title ON events (owner_id, (title COLLATE "C"), id);
CREATE INDEX events_owner_status_starts ON events (owner_id, status, starts_at, id);

CREATE TABLE refresh_tokens (
  digest     text PRIMARY KEY,
  family_id  uuid NOT NULL,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  issued_at  timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE revoked_refresh_families (
  family_id  uuid PRIMARY KEY,
  revoked_at timestamptz NOT NULL
);

CREATE TABLE login_failures (
  key       text PRIMARY KEY,
  failures  integer NOT NULL,
  opened_at timestamptz NOT NULL
);
