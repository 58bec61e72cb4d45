// A k6 stress test of the Marketing Events API. Each virtual user logs in once (and again only
// when its access token expires), then runs a realistic mix: lists with status filters and
// pages, reads, creates, updates and deletes of its own events. Two scenarios (SCENARIO):
//   capacity   (default) requests per second, not users: a ramping-arrival-rate executor
//              climbs from START_RATE to MAX_RATE over RAMP; the run aborts when the p95 or
//              the error rate breaks its threshold, so the rate reached (the
//              `arrival_rate_target` gauge in the summary) is the capacity, the knee;
//   autoscale  ramping virtual users with think time, long enough for the HPA to scale out
//              and back in (TIME_SCALE shortens every stage: 0.1 runs it in 1.4 minutes).
//   k6 run -e BASE_URL=http://events.minikube.test -e PASSWORD='…' deploy/k6/stress.js
// Environment: BASE_URL (required), PASSWORD (required), SCENARIO (capacity), START_RATE (10
// requests/s), MAX_RATE (5000), RAMP (5m), MAX_VUS (500), PEAK_VUS (200, autoscale),
// TIME_SCALE (1, autoscale), P95_MS (300), USERS (10: the VUs share that many accounts),
// EMAIL_PREFIX (k6-user), EMAIL_DOMAIN (example.com), REGISTER (true: register the USERS
// accounts once, in setup; needs open registration, and the service allows 10 registrations
// per client per hour, counting those of accounts that exist already).
// Requests are tagged by route template (`name`), never by URL: an event id in a tag value
// would make a time series per event.
import http from "k6/http";
import { check, fail, group, sleep } from "k6";
import exec from "k6/execution";
import { Counter, Gauge, Rate, Trend } from "k6/metrics";

const BASE_URL = __ENV.BASE_URL;
const PASSWORD = __ENV.PASSWORD;
const EMAIL_PREFIX = __ENV.EMAIL_PREFIX || "k6-user";
const EMAIL_DOMAIN = __ENV.EMAIL_DOMAIN || "example.com";
const REGISTER = (__ENV.REGISTER || "true") === "true";
const SCENARIO = __ENV.SCENARIO || "capacity";
const START_RATE = parseInt(__ENV.START_RATE || "10", 10);
const MAX_RATE = parseInt(__ENV.MAX_RATE || "5000", 10);
const RAMP = __ENV.RAMP || "5m";
const MAX_VUS = parseInt(__ENV.MAX_VUS || "500", 10);
const PEAK_VUS = parseInt(__ENV.PEAK_VUS || "200", 10);
const TIME_SCALE = parseFloat(__ENV.TIME_SCALE || "1");
const P95_MS = parseInt(__ENV.P95_MS || "300", 10);
const USERS = parseInt(__ENV.USERS || "10", 10);

// A stage of `minutes` minutes, scaled by TIME_SCALE, in whole seconds (at least one).
function scaled(minutes) {
  return `${Math.max(1, Math.round(minutes * 60 * TIME_SCALE))}s`;
}

const SCENARIOS = {
  capacity: {
    executor: "ramping-arrival-rate",
    startRate: START_RATE,
    timeUnit: "1s",
    preAllocatedVUs: Math.min(MAX_VUS, 50),
    maxVUs: MAX_VUS,
    stages: [{ duration: RAMP, target: MAX_RATE }],
  },
  autoscale: {
    executor: "ramping-vus",
    startVUs: 0,
    stages: [
      { duration: scaled(1), target: Math.ceil(PEAK_VUS / 10) }, // warm up
      { duration: scaled(3), target: Math.ceil(PEAK_VUS / 2) }, // past the HPA target: scale-out starts
      { duration: scaled(5), target: PEAK_VUS }, // peak: watch `kubectl get hpa -w`
      { duration: scaled(3), target: PEAK_VUS }, // hold while new pods take load
      { duration: scaled(2), target: 0 }, // ramp down: the HPA scales in after its window
    ],
  },
};
if (!SCENARIOS[SCENARIO]) {
  throw new Error(`SCENARIO must be one of ${Object.keys(SCENARIOS).join(", ")}, not ${SCENARIO}`);
}

// In the capacity run a broken latency or error threshold ends the test (never in its first
// 30 s: delayAbortEval), so the rate reached is near the knee; the autoscale run reports.
const stopAtKnee = SCENARIO === "capacity";
function limit(threshold) {
  return stopAtKnee ? { threshold, abortOnFail: true, delayAbortEval: "30s" } : threshold;
}

// The aborting thresholds look at the event requests only (tag phase:work): logins hash a
// password for tens of milliseconds by design, and k6 logs new VUs in as it adds them.
export const options = {
  scenarios: { [SCENARIO]: SCENARIOS[SCENARIO] },
  thresholds: {
    "http_req_failed{phase:work}": [limit("rate<0.01")],
    "http_req_duration{phase:work}": [limit(`p(95)<${P95_MS}`)],
    http_req_failed: ["rate<0.01"],
    "http_req_duration{kind:list}": [`p(95)<${P95_MS}`],
    "http_req_duration{kind:get}": [`p(95)<${P95_MS}`],
    checks: ["rate>0.99"],
    logins: ["count>0"],
  },
};

const arrivalRateTarget = new Gauge("arrival_rate_target");
const logins = new Counter("logins");
const unexpected = new Rate("unexpected_status");
const listedItems = new Trend("listed_items");

const JSON_HEADERS = { "Content-Type": "application/json" };
const STATUSES = ["draft", "published", "archived"];

// Per virtual user: its token and the ids of the events it created and has not deleted.
let token = null;
const owned = [];

function pick(list) {
  return list[Math.floor(Math.random() * list.length)];
}

function email() {
  return `${EMAIL_PREFIX}-${((exec.vu.idInTest - 1) % USERS) + 1}@${EMAIL_DOMAIN}`;
}

// Sends a password request again while the service is busy hashing (503: one client may
// hash only a few at once), after the Retry-After it names (at most 5 s). A 429 (throttled)
// is an answer, not retried.
function hashing(request) {
  let response = request();
  for (let attempt = 0; attempt < 10 && response.status === 503; attempt++) {
    sleep(Math.min(5, parseFloat(response.headers["Retry-After"] || "1")));
    response = request();
  }
  return response;
}

// Registers account number `n` (1..USERS); 409: it exists already; 429: this client's
// registrations for the hour are used up (the account may well exist: the logins say).
function register(n) {
  const credentials = JSON.stringify({ email: `${EMAIL_PREFIX}-${n}@${EMAIL_DOMAIN}`, password: PASSWORD });
  const registered = hashing(() =>
    http.post(`${BASE_URL}/api/v1/auth/register`, credentials, {
      headers: JSON_HEADERS,
      tags: { kind: "register", name: "/api/v1/auth/register", phase: "auth" },
      responseCallback: http.expectedStatuses(201, 409, 429, 503),
    }),
  );
  check(registered, { "register: 201, 409 or 429": (r) => [201, 409, 429].includes(r.status) });
}

function logIn() {
  const credentials = JSON.stringify({ email: email(), password: PASSWORD });
  const response = hashing(() =>
    http.post(`${BASE_URL}/api/v1/auth/login`, credentials, {
      headers: JSON_HEADERS,
      tags: { kind: "login", name: "/api/v1/auth/login", phase: "auth" },
      responseCallback: http.expectedStatuses(200, 429, 503),
    }),
  );
  const ok = check(response, {
    "login: 200": (r) => r.status === 200,
    "login: access token": (r) => r.status === 200 && typeof r.json("access_token") === "string",
  });
  if (!ok) {
    fail(`login as ${email()} failed with ${response.status}`);
  }
  logins.add(1);
  token = response.json("access_token");
}

// Request parameters for a signed-in call of route template `name`.
function authorized(kind, name, extra) {
  return {
    headers: Object.assign({ Authorization: `Bearer ${token}` }, extra || {}),
    tags: { kind, name, phase: "work" },
  };
}

// Runs REQUEST; on 401 (the access token expired) logs in again once and retries.
function withToken(request) {
  let response = request();
  if (response.status === 401) {
    logIn();
    response = request();
  }
  return response;
}

function eventBody(title) {
  const start = new Date(Date.now() + Math.floor(Math.random() * 90) * 86400000);
  const end = new Date(start.getTime() + (1 + Math.floor(Math.random() * 8)) * 3600000);
  return JSON.stringify({
    title,
    description: "Created by the k6 stress test",
    starts_at: start.toISOString(),
    ends_at: end.toISOString(),
    status: pick(STATUSES),
  });
}

function listEvents() {
  const status = pick(["", "draft", "published", "archived", "draft,published"]);
  const page = 1 + Math.floor(Math.random() * 3);
  const query = `${status ? `status=${status}&` : ""}page=${page}&limit=${pick([10, 20, 50])}&sort=${pick(["starts_at", "-starts_at", "title"])}`;
  const response = withToken(() => http.get(`${BASE_URL}/api/v1/events?${query}`, authorized("list", "/api/v1/events")));
  const ok = check(response, {
    "list: 200": (r) => r.status === 200,
    "list: has items and pagination": (r) => r.status === 200 && Array.isArray(r.json("items")) && r.json("pagination.total_items") !== undefined,
  });
  unexpected.add(!ok);
  if (response.status === 200) {
    listedItems.add(response.json("items").length);
  }
}

function createEvent() {
  const response = withToken(() =>
    http.post(`${BASE_URL}/api/v1/events`, eventBody(`k6 launch ${exec.vu.idInTest}-${exec.vu.iterationInScenario}`), authorized("create", "/api/v1/events", JSON_HEADERS)),
  );
  const ok = check(response, {
    "create: 201": (r) => r.status === 201,
    "create: has id and ETag": (r) => r.status === 201 && !!r.json("id") && !!r.headers["Etag"],
  });
  unexpected.add(!ok);
  if (response.status === 201) {
    owned.push(response.json("id"));
  }
}

function getEvent(id) {
  const response = withToken(() => http.get(`${BASE_URL}/api/v1/events/${id}`, authorized("get", "/api/v1/events/{id}")));
  const ok = check(response, {
    "get: 200": (r) => r.status === 200,
    "get: the same event": (r) => r.status === 200 && r.json("id") === id,
  });
  unexpected.add(!ok);
}

function updateEvent(id) {
  const patch = JSON.stringify({ status: pick(STATUSES), description: `Updated at ${new Date().toISOString()}` });
  const response = withToken(() =>
    http.patch(`${BASE_URL}/api/v1/events/${id}`, patch, authorized("update", "/api/v1/events/{id}", { "Content-Type": "application/merge-patch+json" })),
  );
  const ok = check(response, { "update: 200": (r) => r.status === 200 });
  unexpected.add(!ok);
}

function deleteEvent(id) {
  const response = withToken(() => http.del(`${BASE_URL}/api/v1/events/${id}`, null, authorized("delete", "/api/v1/events/{id}")));
  const ok = check(response, { "delete: 204": (r) => r.status === 204 });
  unexpected.add(!ok);
  if (response.status === 204) {
    owned.splice(owned.indexOf(id), 1);
  }
}

export function setup() {
  if (!BASE_URL || !PASSWORD) {
    fail("set BASE_URL and PASSWORD (-e BASE_URL=… -e PASSWORD=…)");
  }
  const ready = http.get(`${BASE_URL}/readyz`);
  if (ready.status !== 200) {
    fail(`${BASE_URL}/readyz answered ${ready.status}`);
  }
  if (REGISTER) {
    for (let n = 1; n <= USERS; n++) {
      register(n); // once per account, before any VU logs in
    }
  }
}

export default function () {
  if (token === null) {
    logIn(); // once per virtual user
  }
  if (stopAtKnee) {
    // The rate the executor asks for now: at an abort, the last value is the knee.
    arrivalRateTarget.add(START_RATE + (MAX_RATE - START_RATE) * exec.scenario.progress);
  }
  const roll = Math.random();
  if (owned.length === 0 || roll < 0.15) {
    group("create", createEvent);
  } else if (roll < 0.6) {
    group("list", listEvents);
  } else if (roll < 0.8) {
    group("get", () => getEvent(pick(owned)));
  } else if (roll < 0.95) {
    group("update", () => updateEvent(pick(owned)));
  } else {
    group("delete", () => deleteEvent(pick(owned)));
  }
  if (!stopAtKnee) {
    sleep(0.2 + Math.random() * 0.6); // think time; an arrival-rate run paces itself
  }
}
