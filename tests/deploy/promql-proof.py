#!/usr/bin/env python3
"""On a running Prometheus: every PromQL query of every dashboard panel and every recording
rule must return data. Panels marked "Kubernetes only" and Loki panels are listed as skipped.
Retries for up to TIMEOUT seconds, since recording rules need an evaluation or two.
Usage: promql-proof.py PROMETHEUS_URL DASHBOARD_DIR RULES_DIR [TIMEOUT]"""
import glob
import json
import sys
import time
import urllib.parse
import urllib.request

import yaml

prometheus, dashboard_dir, rules_dir = sys.argv[1:4]
timeout = float(sys.argv[4]) if len(sys.argv) > 4 else 90
# Grafana's interval variables, as Grafana would fill them for a short range.
VARIABLES = {"$__rate_interval": "1m", "$__interval": "30s", "$__range": "5m"}

queries, skipped = [], []
for path in sorted(glob.glob(f"{dashboard_dir}/*.json")):
    dashboard = json.load(open(path))
    for panel in dashboard["panels"]:
        where = f'{dashboard["title"]} / {panel["title"]}'
        if panel["datasource"]["type"] != "prometheus":
            skipped.append(f"{where} (LogQL, Loki)")
            continue
        if panel.get("description", "").startswith("Kubernetes only"):
            skipped.append(f"{where} (Kubernetes only)")
            continue
        for target in panel["targets"]:
            expr = target["expr"]
            for name, value in VARIABLES.items():
                expr = expr.replace(name, value)
            queries.append((where, expr))
for path in sorted(glob.glob(f"{rules_dir}/*.yml")):
    for group in yaml.safe_load(open(path))["groups"]:
        for rule in group["rules"]:
            if "record" in rule:
                queries.append((f"recording rule {rule['record']}", rule["record"]))


def has_data(expr):
    url = f"{prometheus}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=10) as response:
        body = json.load(response)
    if body["status"] != "success":
        raise RuntimeError(f"{expr}: {body}")
    return len(body["data"]["result"]) > 0


deadline = time.monotonic() + timeout
missing = queries
while True:
    missing = [(where, expr) for where, expr in missing if not has_data(expr)]
    if not missing or time.monotonic() > deadline:
        break
    time.sleep(2)

for where in skipped:
    print(f"promql-proof: skipped {where}")
if missing:
    print("promql-proof: no data for:\n  " + "\n  ".join(f"{w}: {e}" for w, e in missing), file=sys.stderr)
    sys.exit(1)
print(f"promql-proof: all {len(queries)} queries return data ({len(skipped)} panels skipped, listed above)")
