-- A listing by one status, sorted by creation or title, walks an index in its order instead of
-- filtering the owner's whole index: a rare status (a few archived events among 10^6) would
-- otherwise read most of the owner's events for one page. Starts already have theirs (0001).
CREATE INDEX events_owner_status_created ON events (owner_id, status, created_at, id);
CREATE INDEX events_owner_status_title ON events (owner_id, status, (title COLLATE "C"), id);
