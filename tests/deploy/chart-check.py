#!/usr/bin/env python3
"""Asserts what the chart promises in each rendered variant (the YAML given on stdin), beyond
what the schemas check: argv[1] names the variant (default, minikube, external-database,
existing-secret)."""
import sys

import yaml

variant = sys.argv[1]
objects = [o for o in yaml.safe_load_all(sys.stdin) if o]
by_kind = {}
for o in objects:
    by_kind.setdefault(o["kind"], []).append(o)
failures = []


def expect(condition, message):
    if not condition:
        failures.append(message)


def containers(pod_spec):
    return pod_spec.get("initContainers", []) + pod_spec["containers"]


deployment = by_kind["Deployment"][0]
pod = deployment["spec"]["template"]["spec"]
api = pod["containers"][0]
autoscaling = "HorizontalPodAutoscaler" in by_kind
expect(autoscaling == (variant in ("default", "minikube", "existing-secret", "monitoring", "monitoring-without-operator")),
       "HPA present iff autoscaling")
expect(("replicas" in deployment["spec"]) != autoscaling, "replicas set exactly when autoscaling is off")
expect(api["readinessProbe"]["httpGet"]["path"] == "/readyz", "readiness is /readyz")
expect(api["livenessProbe"]["httpGet"]["path"] == "/healthz", "liveness is /healthz, never the database")
expect(api["startupProbe"]["httpGet"]["path"] == "/healthz", "startup probe on /healthz")
expect(api["lifecycle"]["preStop"]["exec"]["command"][0] == "sleep", "preStop pauses before SIGTERM")
config = next(o for o in by_kind["ConfigMap"])["data"]
expect(pod["terminationGracePeriodSeconds"] > int(config["SHUTDOWN_TIMEOUT_SECONDS"]), "grace period covers the drain")
annotations = deployment["spec"]["template"]["metadata"]["annotations"]
expect("checksum/config" in annotations and "checksum/secret" in annotations, "checksum annotations")
expect(pod["securityContext"]["runAsNonRoot"] is True, "pods run as non-root")
expect("podAntiAffinity" in pod["affinity"] and pod["topologySpreadConstraints"], "spread over nodes and zones")

for kind in ("Deployment", "StatefulSet", "Job"):
    for o in by_kind.get(kind, []):
        for c in containers(o["spec"]["template"]["spec"]):
            name = f'{kind} {o["metadata"]["name"]} container {c["name"]}'
            requests = c.get("resources", {}).get("requests", {})
            expect("cpu" in requests and "memory" in requests, f"{name} has CPU and memory requests")
            expect(c["securityContext"]["allowPrivilegeEscalation"] is False, f"{name} cannot escalate")
            expect(c["securityContext"]["capabilities"]["drop"] == ["ALL"], f"{name} drops ALL capabilities")
            if kind != "StatefulSet":
                expect(c["securityContext"]["readOnlyRootFilesystem"] is True, f"{name} has a read-only root")
for c in containers(pod):
    expect(c["securityContext"]["readOnlyRootFilesystem"] is True, "the API's root filesystem is read-only")

job = by_kind["Job"][0]
hook = job["metadata"]["annotations"]["helm.sh/hook"]
bundled = "StatefulSet" in by_kind
expect(bundled == (variant in ("default", "minikube", "monitoring", "monitoring-without-operator")),
       "the bundled PostgreSQL only when enabled")
expect(hook == ("post-install,pre-upgrade" if bundled else "pre-install,pre-upgrade"),
       f"migration hook order fits the database ({hook})")
expect(job["spec"]["template"]["spec"]["initContainers"][0]["name"] == "wait-for-database", "the Job waits for the database")
expect(job["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"], "the Job runs migrate")
expect(all(c.get("args") != ["migrate"] for c in pod["containers"]), "pods never migrate on start")

if bundled:
    statefulset = by_kind["StatefulSet"][0]
    expect(statefulset["spec"]["volumeClaimTemplates"][0]["spec"]["accessModes"] == ["ReadWriteOnce"], "a volume per replica")
    headless = [s for s in by_kind["Service"] if s["spec"].get("clusterIP") == "None"]
    expect(len(headless) == 1 and statefulset["spec"]["serviceName"] == headless[0]["metadata"]["name"], "headless Service for the StatefulSet")
    expect("pg_isready" in " ".join(statefulset["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["exec"]["command"]), "pg_isready probes")
    env = {e["name"]: e for e in api["env"]}
    expect("PGPASSWORD" in env and "secretKeyRef" in env["PGPASSWORD"]["valueFrom"], "the database password comes from a Secret")

secrets = [s["metadata"]["name"] for s in by_kind.get("Secret", [])]
if variant == "existing-secret":
    expect(secrets == [], f"no Secret is created with existingSecret ({secrets})")
    expect(pod["volumes"][0]["secret"]["secretName"] == "events-api-credentials", "the existing Secret is mounted")
if variant == "external-database":
    expect(any(s.endswith("-migrate") for s in secrets), "the pre-install migration has its own hook Secret")
    ingress = by_kind["Ingress"][0]
    expect(ingress["spec"]["tls"][0]["secretName"] == "events-example-com-tls", "TLS on the ingress")
if "Ingress" in by_kind:
    expect(by_kind["Ingress"][0]["spec"]["ingressClassName"] == "nginx", "the nginx ingress class")
    host = by_kind["Ingress"][0]["spec"]["rules"][0]["host"]
    scheme = "https" if by_kind["Ingress"][0]["spec"].get("tls") else "http"
    expect(config.get("PUBLIC_URL") == f"{scheme}://{host}",
           f"calendar feed addresses point at the ingress ({config.get('PUBLIC_URL')})")
    routed = [p["path"] for p in by_kind["Ingress"][0]["spec"]["rules"][0]["http"]["paths"]]
    expect(routed == ["/api/", "/.well-known/", "/healthz", "/docs"],
           f"the ingress routes only what clients use, never /metrics or /readyz ({routed})")
if autoscaling:
    hpa = by_kind["HorizontalPodAutoscaler"][0]
    expect(hpa["spec"]["behavior"]["scaleDown"]["stabilizationWindowSeconds"] > 0, "a scale-down stabilisation window")
    expect(hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu", "scales on CPU")
expect("PodDisruptionBudget" in by_kind, "a PodDisruptionBudget")
tests = [p for p in by_kind.get("Pod", []) if p["metadata"]["annotations"].get("helm.sh/hook") == "test"]
expect(len(tests) == 1 and "/readyz" in tests[0]["spec"]["containers"][0]["command"][-1], "a helm test calling /readyz")
expect("/api/v1/auth/login" in tests[0]["spec"]["containers"][0]["command"][-1], "the helm test logs in")

operator_kinds = ("ServiceMonitor", "Probe", "PrometheusRule")
dashboards = [c for c in by_kind.get("ConfigMap", []) if c["metadata"]["labels"].get("grafana_dashboard") == "1"]
if variant == "monitoring":
    monitors = {m["metadata"]["name"]: m for m in by_kind.get("ServiceMonitor", [])}
    expect(len(monitors) == 3, f"ServiceMonitors for the API, PostgreSQL and ingress-nginx ({sorted(monitors)})")
    api_monitor = monitors.get("release-marketing-events", {})
    expect(api_monitor.get("spec", {}).get("endpoints", [{}])[0].get("relabelings", [{}])[0].get("replacement") == "events-api",
           "the API's job is relabelled to events-api, as the rules expect")
    expect(len(by_kind.get("Probe", [])) == 1 and by_kind["Probe"][0]["spec"]["jobName"] == "events-api-healthz",
           "a Probe of /healthz with the job name the rules expect")
    expect("http://events.example.com/healthz" in by_kind["Probe"][0]["spec"]["targets"]["staticConfig"]["static"],
           "the Probe goes through the ingress host")
    rules = by_kind.get("PrometheusRule", [])
    alerts = {r["alert"] for p in rules for g in p["spec"]["groups"] for r in g["rules"] if "alert" in r}
    for alert in ("EventsApiDown", "EventsApiHealthProbeFailing", "EventsApiErrorBudgetBurnFast",
                  "EventsApiLatencyBudgetBurnFast", "EventsApiDatabasePoolSaturated", "PostgresDown",
                  "PostgresNearConnectionLimit", "EventsApiHpaAtMaximum"):
        expect(alert in alerts, f"PrometheusRule has {alert}")
    for o in [o for k in operator_kinds for o in by_kind.get(k, [])]:
        expect(o["metadata"]["labels"].get("release") == "kube-prometheus-stack",
               f'{o["kind"]} {o["metadata"]["name"]} carries the label Prometheus selects on')
    sidecars = [c["name"] for c in by_kind["StatefulSet"][0]["spec"]["template"]["spec"]["containers"]]
    expect("postgres-exporter" in sidecars, "postgres_exporter runs as a sidecar")
    expect(len(dashboards) == 5, f"five dashboards for the Grafana sidecar ({len(dashboards)})")
elif variant == "monitoring-without-operator":
    expect(all(k not in by_kind for k in operator_kinds), "no operator objects where the API does not exist")
    expect(len(dashboards) == 5, "the dashboards still ship as ConfigMaps")
else:
    expect(all(k not in by_kind for k in operator_kinds) and not dashboards, "no monitoring objects unless enabled")

if failures:
    print(f"chart-check ({variant}): failed:\n  " + "\n  ".join(failures), file=sys.stderr)
    sys.exit(1)
print(f"chart-check ({variant}): {len(objects)} objects, all promises kept")
