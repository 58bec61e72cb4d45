#!/usr/bin/env python3
"""The API reference page (/docs) in a real browser: the real events-api on a fresh database of
the private cluster, Debian's headless Chromium driven over the DevTools protocol (on a pipe, so
no extra package). Checks that the page lists every operation of the OpenAPI document and no
other, that its style sheet applied, that "try it" works as a user would use it (log in, then
create, read and list an event with the page's own example body, a 404 shown as such, a secured
call without a token explained, an edit and a delete with the ETag the page filled in, a stale
one refused), that no script error or policy violation was logged, and saves
a screenshot under the build tree.
Usage: docs-page-test.py EVENTS_API CLUSTER_DIR SCREENSHOT_PNG"""
import base64
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

binary, cluster, screenshot_path = sys.argv[1:4]
work = tempfile.mkdtemp(prefix="docs-page-test.")
processes = []


def fail(message):
    print(f"docs-page-test: {message}", file=sys.stderr)
    for name in ("server.log", "chromium.log"):  # both go with the work directory
        path = os.path.join(work, name)
        if os.path.exists(path):
            with open(path, errors="replace") as log:
                print(f"--- last lines of {name}:\n" + "".join(log.readlines()[-15:]), file=sys.stderr)
    sys.exit(1)


def postgres_bin(tool):
    root = os.environ.get("MARKETING_EVENTS_POSTGRES_BIN") or sorted(
        (f"/usr/lib/postgresql/{v}/bin" for v in os.listdir("/usr/lib/postgresql")),
        key=lambda p: int(p.split("/")[4]))[-1]
    return os.path.join(root, tool)


def start_service():
    subprocess.run([postgres_bin("dropdb"), "--if-exists", "-h", cluster, "-U", "postgres", "docs"], check=True)
    subprocess.run([postgres_bin("createdb"), "-h", cluster, "-U", "postgres", "docs"], check=True)
    env = dict(os.environ, DATABASE_URL=f"host={cluster} user=postgres dbname=docs", LOG_FORMAT="json",
               PORT="0", LISTEN_ADDRESS="127.0.0.1")
    subprocess.run([binary, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([binary, "user", "create", "--email", "docs@example.com"], env=env, check=True,
                   input=b"docs horse battery\n", stdout=subprocess.DEVNULL)
    log = open(os.path.join(work, "server.log"), "w+")
    server = subprocess.Popen([binary, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    processes.append(server)
    for _ in range(100):
        log.seek(0)
        found = re.search(r'"msg":"listening","port":(\d+)', log.read())
        if found:
            return f"http://127.0.0.1:{found.group(1)}"
        time.sleep(0.1)
    log.seek(0)
    fail(f"events-api did not start:\n{log.read()}")


class Browser:
    """Chromium with --remote-debugging-pipe: JSON messages ending in NUL, on fds 3 and 4."""

    def __init__(self):
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if not chromium:
            fail("no chromium on the PATH: install Debian's package (.ci/install-packages build)")
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()
        arguments = ["--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--no-default-browser-check", "--disable-extensions", "--disable-breakpad",
                     "--disable-background-networking", "--disable-sync", "--mute-audio",
                     f"--user-data-dir={work}/profile", "--remote-debugging-pipe", "about:blank"]
        if os.geteuid() == 0:
            arguments.insert(0, "--no-sandbox")  # Chromium refuses its sandbox as root
        # The shell puts the two pipe ends on the descriptors Chromium expects, 3 and 4.
        self.process = subprocess.Popen(
            ["bash", "-c", f'exec "$0" "$@" 3<&{to_browser_read} 4>&{from_browser_write}', chromium, *arguments],
            pass_fds=(to_browser_read, from_browser_write), env=dict(os.environ, HOME=work),
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "chromium.log"), "w"))
        processes.append(self.process)
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def call(self, method, params=None, timeout=20, session=True, tolerant=False):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            for reply in self.messages(deadline, method):
                if reply.get("id") == self.next_id:
                    if "error" in reply:
                        if tolerant:
                            return None
                        fail(f"{method}: {reply['error']}")
                    return reply.get("result", {})
                self.events.append(reply)

    def messages(self, deadline, waiting_for):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.from_browser], [], [], left)[0]:
                fail(f"Chromium did not answer {waiting_for} in time (see {work}/chromium.log)")
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                fail(f"Chromium closed the pipe while answering {waiting_for}")
            self.buffer += chunk
        *complete, self.buffer = self.buffer.split(b"\0")
        return [json.loads(part) for part in complete]

    def evaluate(self, expression, tolerant=False):
        """The expression's value in the page; with `tolerant`, None where it cannot be had yet
        (no document during a navigation, an element not there yet)."""
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, tolerant=tolerant)
        if tolerant and (result is None or "exceptionDetails" in result):
            return None
        if "exceptionDetails" in result:
            fail(f"the page's script failed on {expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression, what, timeout=20, then="document.body.innerText.slice(0, 2000)"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression, tolerant=True)
            if value:
                return value
            time.sleep(0.1)
        fail(f"timed out waiting for {what}; the page shows:\n{self.evaluate(then)}\n"
             f"and logged: {[e for e in self.events if e.get('method') != 'Page.frameNavigated'][-5:]}")


def send_from_page(browser, operation_id, fields=None, expect_status=None):
    """Fills the operation's "try it" form as a user would, presses Send, returns the result."""
    script = f"""(() => {{
      const form = document.querySelector('form[data-try={json.dumps(operation_id)}]');
      form.closest('details').open = true;
      for (const [name, value] of Object.entries({json.dumps(fields or {})})) form.elements[name].value = value;
      form.querySelector('.result').replaceChildren();
      form.querySelector('button[type=submit]').click();
      return true; }})()"""
    browser.evaluate(script)
    result = browser.wait_for(f"""(() => {{
      const result = document.querySelector('form[data-try={json.dumps(operation_id)}] .result');
      const status = result.querySelector('.result-status');
      return status && !status.textContent.startsWith('Sending') ? {{
        status: status.dataset.status || null, text: result.innerText }} : null; }})()""",
                              f"the answer to {operation_id}", then=f"""document.querySelector(
                                  'form[data-try={json.dumps(operation_id)}]').innerText""")
    if expect_status is not None and result["status"] != str(expect_status):
        fail(f"{operation_id} from the page: expected {expect_status}, the page shows:\n{result['text']}")
    return result


def save_screenshot(browser, path):
    """The whole page, for a person to look at; returns its size."""
    height = browser.call("Page.getLayoutMetrics")["cssContentSize"]["height"]
    browser.call("Emulation.setDeviceMetricsOverride",
                 {"width": 1280, "height": min(int(height) + 1, 16000), "deviceScaleFactor": 1, "mobile": False})
    image = browser.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, timeout=30)
    png = base64.b64decode(image["data"])
    if not png.startswith(b"\x89PNG") or len(png) < 20000:
        fail(f"the screenshot is not a PNG of a rendered page ({len(png)} bytes)")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "wb") as out:
        out.write(png)
    return len(png)


def main():
    base = start_service()
    with urllib.request.urlopen(f"{base}/api/v1/openapi.json") as response:
        document = json.load(response)
    expected = {(method.upper(), path, operation["operationId"])
                for path, item in document["paths"].items()
                for method, operation in item.items() if method != "parameters"}

    browser = Browser()
    target = browser.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
    browser.session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True},
                                   session=False)["sessionId"]
    for domain in ("Page.enable", "Runtime.enable", "Log.enable"):
        browser.call(domain)
    browser.call("Emulation.setDeviceMetricsOverride",
                 {"width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
    browser.call("Page.navigate", {"url": f"{base}/docs"})
    ready = browser.wait_for("document.body && document.body.dataset.ready", "the page to render")
    if ready == "failed":
        fail(f"the page could not load the document: {browser.evaluate('document.body.innerText')}")

    listed = browser.evaluate("""[...document.querySelectorAll('details.operation')].map(
        d => [d.dataset.method, d.dataset.path, d.dataset.operation])""")
    shown = {tuple(row) for row in listed}
    if len(listed) != len(shown) or shown != expected:
        fail(f"operations in the document but not on the page: {sorted(expected - shown)}; "
             f"on the page but not in the document: {sorted(shown - expected)}")
    summaries = browser.evaluate("""Object.fromEntries([...document.querySelectorAll('details.operation')]
        .map(d => [d.dataset.operation, d.querySelector('summary').innerText]))""")
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method != "parameters" and operation.get("summary", "") not in summaries[operation["operationId"]]:
                fail(f"{operation['operationId']}'s summary is not shown")
    colour = browser.evaluate("getComputedStyle(document.querySelector('.method.get')).backgroundColor")
    if colour in ("", "rgba(0, 0, 0, 0)", "transparent"):
        fail("the style sheet did not apply (/docs/docs.css)")

    listing = save_screenshot(browser, screenshot_path)

    # Try it, as a user would: a secured call first (the page says what to do), then log in.
    no_token = send_from_page(browser, "listEvents")
    if "Log in" not in no_token["text"]:
        fail(f"a secured call without a token should say to log in first; the page shows: {no_token['text']}")
    send_from_page(browser, "login", {"body": json.dumps({"email": "docs@example.com",
                                                           "password": "docs horse battery"})}, 200)
    if not browser.evaluate("document.getElementById('token').value.split('.').length === 3"):
        fail("the access token of the login did not land in the token field")
    created = send_from_page(browser, "createEvent", expect_status=201)  # the page's own example
    got = send_from_page(browser, "getEvent", expect_status=200)  # the id filled in from the create
    if '"title"' not in got["text"] or '"id"' not in created["text"]:
        fail(f"the event read back from the page is not the one created:\n{got['text']}")
    listed_events = send_from_page(browser, "listEvents", {"query:limit": "5"}, 200)
    if '"total_items": 1' not in listed_events["text"]:
        fail(f"the list should hold the one event created:\n{listed_events['text']}")
    # Edit with the ETag the page took from the read, then again with that stale tag: 412.
    read_tag = browser.evaluate("document.querySelector('form[data-try=\"patchEvent\"]').elements['header:If-Match'].value")
    if not read_tag:
        fail("the read's ETag was not put into the edit form's If-Match")
    send_from_page(browser, "patchEvent", {"body": json.dumps({"title": "Renamed from the page"})}, 200)
    send_from_page(browser, "patchEvent", {"header:If-Match": read_tag, "body": json.dumps({"title": "Stale"})}, 412)
    # Delete with the ETag of the edit (filled in by the page), then the event is gone.
    send_from_page(browser, "deleteEvent", expect_status=204)
    send_from_page(browser, "getEvent", expect_status=404)
    send_from_page(browser, "getEvent", {"path:id": "0192d3c4-0000-7000-8000-00000000dead"}, 404)

    # Problems the page or the browser logged: script errors, policy (CSP) violations. Network
    # entries are the 401/404 answers the steps above asked for.
    problems = []
    for event in browser.events:
        params = event.get("params", {})
        if event.get("method") == "Runtime.exceptionThrown":
            problems.append(params["exceptionDetails"].get("text", "exception"))
        elif event.get("method") == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning"):
            problems.append(json.dumps(params.get("args")))
        elif event.get("method") == "Log.entryAdded":
            entry = params["entry"]
            if entry["level"] in ("error", "warning") and entry.get("source") != "network":
                problems.append(f"{entry.get('source')}: {entry.get('text')}")
    if problems:
        fail("the browser logged:\n  " + "\n  ".join(problems))

    try_it_path = re.sub(r"(\.png)?$", "-try-it.png", screenshot_path, count=1)
    tried = save_screenshot(browser, try_it_path)
    browser.call("Browser.close", session=False)
    print(f"docs-page-test: {len(shown)} operations listed, try-it flow passed; screenshots "
          f"{screenshot_path} ({listing // 1024} KiB, every operation) and {try_it_path} ({tried // 1024} KiB)")


try:
    main()
finally:
    for process in reversed(processes):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    shutil.rmtree(work, ignore_errors=True)
