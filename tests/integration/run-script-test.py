#!/usr/bin/env python3
"""scripts/run as a newcomer meets it: it serves on the address its banner prints (loopback by
default), and Ctrl-C (SIGINT to its process group, as a terminal sends it) stops the service and
the private PostgreSQL it started, keeping the data: a second run still knows the user, and
SIGTERM to the script alone (an IDE's stop button) stops it the same way.
Usage: run-script-test.py EVENTS_API   with a binary built already (the test command)
       run-script-test.py --build      scripts/run installs packages and builds first (a fresh
                                       Debian machine: the GitHub job fresh-machine)"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
BINARY = sys.argv[1]
BUILDS = BINARY == "--build"


def fail(message):
    sys.exit(f"run-script-test: {message}")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def post(url, body):
    request = urllib.request.Request(url, json.dumps(body).encode(),
                                     {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def start(environment, log_path):
    log = open(log_path, "w")
    # A session of its own, so SIGINT can go to the whole group, as a terminal's Ctrl-C does.
    process = subprocess.Popen([os.path.join(ROOT, "scripts", "run")], env=environment,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + (3600 if BUILDS else 60)
    while time.monotonic() < deadline:
        text = open(log_path).read()
        match = re.search(r"run: starting on (http://\S+)", text)
        if match and re.search(r" info listening ", text):
            return process, match.group(1), text
        if process.poll() is not None:
            fail(f"scripts/run exited {process.returncode}:\n{text}")
        time.sleep(0.2)
    fail(f"scripts/run did not start:\n{open(log_path).read()}")


def interrupt(process, log_path, whole_group=True):
    if whole_group:
        os.killpg(process.pid, signal.SIGINT)
    else:
        os.kill(process.pid, signal.SIGTERM)
    try:
        status = process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        fail("scripts/run did not stop on SIGINT")
    text = open(log_path).read()
    if status != 0:
        fail(f"scripts/run exited {status} on SIGINT:\n{text}")
    return text


with tempfile.TemporaryDirectory() as work:
    cluster = os.path.join(work, "postgres")
    port = free_port()
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("DATABASE_URL", "LISTEN_ADDRESS")}
    environment.update(RUN_POSTGRES_DIR=cluster, PORT=str(port), LOG_FORMAT="text")
    if not BUILDS:
        environment["EVENTS_API_BINARY"] = BINARY
    try:
        process, base, text = start(environment, os.path.join(work, "first.log"))
        if base != f"http://127.0.0.1:{port}":
            fail(f"the banner says {base}")
        if not re.search(r"listening .*address=127\.0\.0\.1", text):
            fail(f"the service does not listen on loopback only:\n{text}")
        credentials = {"email": "ana@example.com", "password": "correct horse battery"}
        if post(f"{base}/api/v1/auth/register", credentials) != 201:
            fail("registration failed")
        text = interrupt(process, os.path.join(work, "first.log"))
        data = os.path.realpath(os.path.join(cluster, "data"))
        if os.path.exists(os.path.join(data, "postmaster.pid")):
            fail(f"PostgreSQL still runs after Ctrl-C:\n{text}")
        if "private PostgreSQL stopped" not in text:
            fail(f"scripts/run did not say it stopped PostgreSQL:\n{text}")

        process, base, _ = start(environment, os.path.join(work, "second.log"))
        if post(f"{base}/api/v1/auth/login", credentials) != 200:
            fail("the user is gone after a restart: the data was not kept")
        text = interrupt(process, os.path.join(work, "second.log"), whole_group=False)
        if "draining" not in text or os.path.exists(os.path.join(data, "postmaster.pid")):
            fail(f"SIGTERM to scripts/run did not drain the service and stop PostgreSQL:\n{text}")
    finally:
        subprocess.run([os.path.join(ROOT, "scripts", "private-postgres"), "stop", cluster],
                       check=False)
print("run-script-test: passed")
