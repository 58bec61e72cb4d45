#!/usr/bin/python3
"""Reads a calendar feed with an independent parser (Debian's python3-icalendar) and compares
it with the events it should carry.

    check-icalendar.py FEED.ics EXPECTED.json

EXPECTED.json: {"name": ..., "events": [{"uid", "summary", "description", "start", "end",
"sequence", "status", "last_modified"}, ...]} in feed order, instants as YYYYMMDDTHHMMSSZ.
Also checks the framing icalendar forgives: CRLF line ends, lines of at most 75 octets, and
no UTF-8 sequence split across a fold. Exits 1 naming every difference."""
import json
import sys

try:
    import icalendar
except ImportError:
    sys.exit("check-icalendar: python3-icalendar is missing; run: apt-get install python3-icalendar")


def utc(value):
    return value.strftime("%Y%m%dT%H%M%SZ")


def main(feed_path, expected_path):
    raw = open(feed_path, "rb").read()
    expected = json.load(open(expected_path, encoding="utf-8"))
    problems = []
    if not raw.endswith(b"\r\n"):
        problems.append("the feed does not end with CRLF")
    for number, line in enumerate(raw.split(b"\r\n")[:-1], start=1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {number}: a bare CR or LF")
        if len(line) > 75:
            problems.append(f"line {number}: {len(line)} octets (at most 75)")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {number}: a UTF-8 sequence split by a fold")
    calendar = icalendar.Calendar.from_ical(raw)
    if str(calendar.get("version")) != "2.0" or not calendar.get("prodid"):
        problems.append("VERSION 2.0 and PRODID are required")
    if str(calendar.get("x-wr-calname")) != expected["name"]:
        problems.append(f"calendar name {calendar.get('x-wr-calname')!r} != {expected['name']!r}")
    events = list(calendar.walk("VEVENT"))
    if len(events) != len(expected["events"]):
        problems.append(f"{len(events)} events, expected {len(expected['events'])}")
    for event, want in zip(events, expected["events"]):
        got = {
            "uid": str(event.get("uid")),
            "summary": str(event.get("summary")),
            "description": str(event.get("description", "")),
            "start": utc(event.decoded("dtstart")),
            "end": utc(event.decoded("dtend")) if "dtend" in event else utc(event.decoded("dtstart")),
            "sequence": int(event.get("sequence")),
            "status": str(event.get("status")),
            "last_modified": utc(event.decoded("last-modified")),
            "dtstamp": utc(event.decoded("dtstamp")),
        }
        want = dict(want, dtstamp=want["last_modified"])
        for key, value in want.items():
            if got[key] != value:
                problems.append(f"{want['uid']} {key}: {got[key]!r} != {value!r}")
    for problem in problems:
        print("check-icalendar:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
