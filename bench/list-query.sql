-- The service's own first-page list query for GET /api/v1/events?status=published&limit=20
-- (adapters/postgres/src/event_listing_sql.cpp, events_page_starts_at_asc_status: a status-only
-- listing, its total read from event_counts), for pgbench -M prepared -D owner=UUID
-- -D status=published, run as the service runs it: every value a parameter, on a generic plan
-- (PGOPTIONS in bench/run). pgbench reads text results; the service reads binary ones.
\set limit 20
\set offset 0
SELECT id, owner_id, title, description, starts_at, ends_at, status, created_at, updated_at, version, (SELECT coalesce(sum(total), 0)::int8 FROM event_counts WHERE owner_id = :owner::uuid AND status = :status) FROM events WHERE owner_id = :owner::uuid AND status = :status ORDER BY starts_at ASC, id ASC LIMIT :limit::int8 OFFSET :offset::int8;
