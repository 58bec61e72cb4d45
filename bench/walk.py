#!/usr/bin/env python3
"""Walks GET /api/v1/events by cursor (limit 20, every status, by start) from the first page to
page DEPTH on one keep-alive connection, timing every page. Prints one JSON line: the p50 of the
first 100 pages and of the 100 pages before DEPTH, the pages walked, and the cursor that
continues after page DEPTH (for wrk to request that deep page again and again).
Usage: walk.py BASE_URL TOKEN DEPTH"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse

base, token, depth = sys.argv[1], sys.argv[2], int(sys.argv[3])
address = urllib.parse.urlsplit(base)
connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
headers = {"Authorization": f"Bearer {token}"}
cursor, timings, pages = "", [], 0
while pages < depth:
    started = time.perf_counter()
    connection.request("GET", "/api/v1/events?limit=20&cursor=" + urllib.parse.quote(cursor, safe=""),
                       headers=headers)
    response = connection.getresponse()
    body = response.read()
    timings.append(time.perf_counter() - started)
    if response.status != 200:
        sys.exit(f"walk.py: page {pages + 1}: HTTP {response.status}: {body[:300]!r}")
    pages += 1
    following = json.loads(body)["pagination"]["next_cursor"]
    if following is None:
        break
    cursor = following
window = min(100, max(1, len(timings) // 2))
print(json.dumps({"pages": pages, "cursor": cursor,
                  "first_p50_us": statistics.median(timings[:window]) * 1e6,
                  "deep_p50_us": statistics.median(timings[-window:]) * 1e6}))
