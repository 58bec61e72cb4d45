#!/usr/bin/env python3
"""Loads benchmark data straight into PostgreSQL with COPY: USERS-1 more users (sharing the
bench user's real Argon2id hash, so any of them could log in), EVENTS events owned by the bench
user, and 10 events for each other user, with a realistic spread: 20 % draft, 60 % published,
20 % archived; starts over two years; 1 to 72 hour durations; titles from a campaign
vocabulary. Then ANALYZE. The bench user must exist (events-api user create).
Usage: generate-data.py PSQL_CONNINFO BENCH_EMAIL USERS EVENTS"""
import io
import random
import subprocess
import sys
import uuid
from datetime import datetime, timedelta, timezone

conninfo, email, users, events = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
random.seed(20261124)  # the same data on every run


def psql(sql, stdin=None):
    return subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", conninfo, "-c", sql],
                          input=stdin, capture_output=True, text=True, check=True).stdout.strip()


owner, password_hash = psql(f"SELECT id, password_hash FROM users WHERE email = '{email}'").split("|")

ADJECTIVES = ["Spring", "Summer", "Autumn", "Winter", "Global", "Regional", "Flash", "Annual",
              "Partner", "Product", "Holiday", "Loyalty", "Launch", "Brand", "Retail", "Digital"]
NOUNS = ["launch", "webinar", "roadshow", "sale", "campaign", "summit", "meetup", "newsletter",
         "promotion", "conference", "workshop", "giveaway", "showcase", "tour", "livestream"]
STATUSES = ["draft"] * 2 + ["published"] * 6 + ["archived"] * 2
START = datetime(2026, 1, 1, tzinfo=timezone.utc)
NOW = datetime(2026, 11, 24, tzinfo=timezone.utc)


def copy(table, columns, rows):
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(row) + "\n")
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", conninfo, "-c",
                    f"\\copy {table} ({columns}) FROM STDIN"],
                   input=buffer.getvalue(), text=True, check=True)


def event_rows(owner_id, count):
    for _ in range(count):
        starts = START + timedelta(minutes=random.randrange(2 * 365 * 24 * 60))
        ends = starts + timedelta(hours=random.randint(1, 72))
        created = NOW - timedelta(minutes=random.randrange(365 * 24 * 60))
        title = f"{random.choice(ADJECTIVES)} {random.choice(NOUNS)} {starts:%Y-%m}"
        yield (str(uuid.UUID(int=random.getrandbits(128), version=4)), owner_id, title,
               f"Planned by the benchmark generator ({random.randint(1, 9999)})",
               starts.isoformat(), ends.isoformat(), random.choice(STATUSES),
               created.isoformat(), created.isoformat(), "1")


others = [str(uuid.UUID(int=random.getrandbits(128), version=4)) for _ in range(users - 1)]
copy("users", "id, email, password_hash, created_at",
     ((user, f"user{index}@bench.example.com", password_hash, NOW.isoformat())
      for index, user in enumerate(others)))
columns = "id, owner_id, title, description, starts_at, ends_at, status, created_at, updated_at, version"
# The per-row count triggers would update one owner's counter a million times in one
# transaction (each update walking the versions before it): off for the load, then the counts
# are computed once, as migration 2 does.
psql("ALTER TABLE events DISABLE TRIGGER USER")
copy("events", columns, event_rows(owner, events))
copy("events", columns, (row for user in others for row in event_rows(user, 10)))
psql("INSERT INTO event_counts (owner_id, status, total)"
     " SELECT owner_id, status, count(*) FROM events GROUP BY owner_id, status"
     " ON CONFLICT (owner_id, status) DO UPDATE SET total = EXCLUDED.total")
psql("ALTER TABLE events ENABLE TRIGGER USER")
psql("ANALYZE")
print(owner)
