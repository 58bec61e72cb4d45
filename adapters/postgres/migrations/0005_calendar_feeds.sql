-- Calendar feeds (issue 18): a user's subscriptions, read by the digest of their secret. The
-- secret itself is never stored. A user's feeds go with the user.
CREATE TABLE calendar_feeds (
  id            uuid PRIMARY KEY,
  owner_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name          text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  status        text NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
  secret_digest text NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL
);
CREATE INDEX calendar_feeds_owner ON calendar_feeds (owner_id, created_at, id);

-- The number of the owner's feeds, counted after locking the owner's row (FOR NO KEY UPDATE:
-- event inserts, which only take a key share, are not held up). Called by the feed insert, it
-- makes one user's concurrent inserts take turns, and each statement in a volatile function
-- sees what the previous ones committed, so the per-user bound holds under concurrency.
CREATE FUNCTION calendar_feeds_of_locked_owner(owner uuid) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM 1 FROM users WHERE id = owner FOR NO KEY UPDATE;
  RETURN (SELECT count(*) FROM calendar_feeds WHERE owner_id = owner);
END $$;
