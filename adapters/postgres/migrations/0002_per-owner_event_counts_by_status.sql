-- How many events each owner has in each status, kept by triggers in the same transaction as
-- the change, so a listing filtered by status alone counts its total without scanning the
-- owner's whole history (bench/RESULTS.md: the window count grew with every event).
CREATE TABLE event_counts (
  owner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  status   text NOT NULL,
  total    bigint NOT NULL CHECK (total >= 0),
  PRIMARY KEY (owner_id, status)
);

INSERT INTO event_counts (owner_id, status, total)
  SELECT owner_id, status, count(*) FROM events GROUP BY owner_id, status;

-- A decrement never inserts: the CHECK applies to a proposed row before ON CONFLICT does.
CREATE FUNCTION event_counts_add(owner uuid, event_status text, delta bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF delta > 0 THEN
    INSERT INTO event_counts (owner_id, status, total) VALUES (owner, event_status, delta)
    ON CONFLICT (owner_id, status) DO UPDATE SET total = event_counts.total + delta;
  ELSE
    UPDATE event_counts SET total = total + delta
    WHERE owner_id = owner AND status = event_status;
  END IF;
END
$$;

CREATE FUNCTION event_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM event_counts_add(NEW.owner_id, NEW.status, 1);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM event_counts_add(OLD.owner_id, OLD.status, -1);
  -- A status change touches two counters: always in the same order (by key), so two
  -- opposite changes of one owner's events cannot deadlock.
  ELSIF (OLD.owner_id, OLD.status) < (NEW.owner_id, NEW.status) THEN
    PERFORM event_counts_add(OLD.owner_id, OLD.status, -1);
    PERFORM event_counts_add(NEW.owner_id, NEW.status, 1);
  ELSE
    PERFORM event_counts_add(NEW.owner_id, NEW.status, 1);
    PERFORM event_counts_add(OLD.owner_id, OLD.status, -1);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER events_counted_on_insert_or_delete AFTER INSERT OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION event_counts_track();
CREATE TRIGGER events_counted_on_status_change AFTER UPDATE OF owner_id, status ON events
  FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.owner_id IS DISTINCT FROM NEW.owner_id)
  EXECUTE FUNCTION event_counts_track();
