// A k6 stress test of the Marketing Events API: each virtual user logs in once (and again only
// when its access token expires), then runs a realistic mix: lists with status filters and
// pages, reads, creates, updates and deletes of its own events. The stages ramp high enough
// to push the API pods past the HPA's CPU target.
//   k6 run -e BASE_URL=http://events.minikube.test -e PASSWORD='…' deploy/k6/stress.js
// Environment: BASE_URL (required), PASSWORD (required), EMAIL_PREFIX (default k6-user),
// EMAIL_DOMAIN (example.com), REGISTER (true: create each VU's user first; needs open
// registration), PEAK_VUS (200), P95_MS (300).
import http from "k6/http";
import { check, fail, group, sleep } from "k6";
import exec from "k6/execution";
import { Counter, Rate, Trend } from "k6/metrics";

const BASE_URL = __ENV.BASE_URL;
const PASSWORD = __ENV.PASSWORD;
const EMAIL_PREFIX = __ENV.EMAIL_PREFIX || "k6-user";
const EMAIL_DOMAIN = __ENV.EMAIL_DOMAIN || "example.com";
const REGISTER = (__ENV.REGISTER || "true") === "true";
const PEAK_VUS = parseInt(__ENV.PEAK_VUS || "200", 10);
const P95_MS = parseInt(__ENV.P95_MS || "300", 10);

export const options = {
  stages: [
    { duration: "1m", target: Math.ceil(PEAK_VUS / 10) }, // warm up
    { duration: "3m", target: Math.ceil(PEAK_VUS / 2) }, // past the HPA target: scale-out starts
    { duration: "5m", target: PEAK_VUS }, // peak: watch `kubectl get hpa -w`
    { duration: "3m", target: PEAK_VUS }, // hold while new pods take load
    { duration: "2m", target: 0 }, // ramp down: the HPA scales in after its window
  ],
  thresholds: {
    http_req_failed: ["rate<0.01"],
    http_req_duration: [`p(95)<${P95_MS}`],
    "http_req_duration{kind:list}": [`p(95)<${P95_MS}`],
    "http_req_duration{kind:get}": [`p(95)<${P95_MS}`],
    checks: ["rate>0.99"],
    logins: ["count>0"],
  },
};

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
  return `${EMAIL_PREFIX}-${exec.vu.idInTest}@${EMAIL_DOMAIN}`;
}

function logIn() {
  const credentials = JSON.stringify({ email: email(), password: PASSWORD });
  if (REGISTER) {
    const registered = http.post(`${BASE_URL}/api/v1/auth/register`, credentials, {
      headers: JSON_HEADERS,
      tags: { kind: "register" },
      responseCallback: http.expectedStatuses(201, 409), // 409: registered in an earlier run
    });
    check(registered, { "register: 201 or 409": (r) => r.status === 201 || r.status === 409 });
  }
  const response = http.post(`${BASE_URL}/api/v1/auth/login`, credentials, {
    headers: JSON_HEADERS,
    tags: { kind: "login" },
  });
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

function authorized(kind, extra) {
  return { headers: Object.assign({ Authorization: `Bearer ${token}` }, extra || {}), tags: { kind } };
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
  const response = withToken(() => http.get(`${BASE_URL}/api/v1/events?${query}`, authorized("list")));
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
    http.post(`${BASE_URL}/api/v1/events`, eventBody(`k6 launch ${exec.vu.idInTest}-${exec.vu.iterationInScenario}`), authorized("create", JSON_HEADERS)),
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
  const response = withToken(() => http.get(`${BASE_URL}/api/v1/events/${id}`, authorized("get")));
  const ok = check(response, {
    "get: 200": (r) => r.status === 200,
    "get: the same event": (r) => r.status === 200 && r.json("id") === id,
  });
  unexpected.add(!ok);
}

function updateEvent(id) {
  const patch = JSON.stringify({ status: pick(STATUSES), description: `Updated at ${new Date().toISOString()}` });
  const response = withToken(() =>
    http.patch(`${BASE_URL}/api/v1/events/${id}`, patch, authorized("update", { "Content-Type": "application/merge-patch+json" })),
  );
  const ok = check(response, { "update: 200": (r) => r.status === 200 });
  unexpected.add(!ok);
}

function deleteEvent(id) {
  const response = withToken(() => http.del(`${BASE_URL}/api/v1/events/${id}`, null, authorized("delete")));
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
}

export default function () {
  if (token === null) {
    logIn(); // once per virtual user
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
  sleep(0.2 + Math.random() * 0.6); // think time
}
