#!/usr/bin/env python3
"""Writes the Grafana dashboards (dashboards/*.json) from this one description, so that every
panel is built the same way. `dashboards.py --check` fails if a JSON file is not what this
script would write (the test run checks that).

Panels whose description starts with "Kubernetes only" query metrics that exist only in a
cluster (kube-state-metrics, the ingress-nginx controller); the real-Prometheus proof on the
local stack skips them and says so. Loki panels are LogQL and are not PromQL-checked."""
import json
import pathlib
import sys

PROMETHEUS = {"type": "prometheus", "uid": "prometheus"}
LOKI = {"type": "loki", "uid": "loki"}
HERE = pathlib.Path(__file__).parent / "dashboards"


class Layout:
    """Places panels left to right, 24 columns wide, starting a new row when full."""

    def __init__(self):
        self.x, self.y, self.row_height, self.next_id = 0, 0, 0, 1

    def place(self, width, height):
        if self.x + width > 24:
            self.x, self.y, self.row_height = 0, self.y + self.row_height, 0
        position = {"x": self.x, "y": self.y, "w": width, "h": height}
        self.x += width
        self.row_height = max(self.row_height, height)
        self.next_id += 1
        return self.next_id - 1, position


def targets(queries, datasource):
    result = []
    for index, query in enumerate(queries):
        expr, legend = query if isinstance(query, tuple) else (query, "")
        target = {"refId": chr(ord("A") + index), "datasource": datasource, "expr": expr}
        if legend:
            target["legendFormat"] = legend
        result.append(target)
    return result


def panel(layout, kind, title, queries, unit="short", width=8, height=8, description="",
          datasource=PROMETHEUS, options=None):
    panel_id, position = layout.place(width, height)
    result = {
        "id": panel_id,
        "type": kind,
        "title": title,
        "description": description,
        "datasource": datasource,
        "gridPos": {"h": position["h"], "w": position["w"], "x": position["x"], "y": position["y"]},
        "targets": targets(queries, datasource),
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "options": options or {},
    }
    return result


def dashboard(uid, title, description, build, tags):
    layout = Layout()
    return {
        "uid": uid,
        "title": title,
        "description": description,
        "tags": ["marketing-events"] + tags,
        "timezone": "utc",
        "editable": False,
        "graphTooltip": 1,
        "schemaVersion": 39,
        "version": 1,
        "refresh": "30s",
        "time": {"from": "now-1h", "to": "now"},
        "panels": build(layout),
        "templating": {"list": []},
        "annotations": {"list": []},
    }


def api(layout):
    api_routes = 'job="events-api"'
    return [
        panel(layout, "stat", "Instances up", [f"sum(up{{{api_routes}}})"], width=4, height=4,
              description="events-api targets Prometheus scrapes successfully."),
        panel(layout, "stat", "Requests per second", [f"sum(rate(http_requests_total{{{api_routes}}}[$__rate_interval]))"],
              unit="reqps", width=5, height=4),
        panel(layout, "stat", "5xx ratio (5 m)", ["sum(job:http_request_errors:ratio_rate5m)"],
              unit="percentunit", width=5, height=4, description="SLO: 99.9 % of requests without a 5xx."),
        panel(layout, "stat", "Slow /api requests (5 m)", ["sum(job:http_request_slow:ratio_rate5m)"],
              unit="percentunit", width=5, height=4, description="SLO: 99 % of /api requests within 250 ms."),
        panel(layout, "stat", "Pool utilisation", ["max(job:db_pool_utilisation:ratio)"],
              unit="percentunit", width=5, height=4),
        panel(layout, "timeseries", "Requests by route",
              [(f"sum by (route) (rate(http_requests_total{{{api_routes}}}[$__rate_interval]))", "{{route}}")],
              unit="reqps", width=12),
        panel(layout, "timeseries", "Responses by status",
              [(f"sum by (status) (rate(http_requests_total{{{api_routes}}}[$__rate_interval]))", "{{status}}")],
              unit="reqps", width=12),
        panel(layout, "timeseries", "Latency p50 by route",
              [(f"histogram_quantile(0.5, sum by (route, le) (rate(http_request_duration_seconds_bucket{{{api_routes}}}[$__rate_interval])))", "{{route}}")],
              unit="s"),
        panel(layout, "timeseries", "Latency p95 by route",
              [(f"histogram_quantile(0.95, sum by (route, le) (rate(http_request_duration_seconds_bucket{{{api_routes}}}[$__rate_interval])))", "{{route}}")],
              unit="s"),
        panel(layout, "timeseries", "Latency p99 by route (recorded, 5 m)",
              [("route:http_request_duration_seconds:p99_5m", "{{route}}")], unit="s"),
        panel(layout, "timeseries", "Error budget burn (5xx ratio by window)",
              [("sum(job:http_request_errors:ratio_rate5m)", "5m"), ("sum(job:http_request_errors:ratio_rate1h)", "1h"),
               ("sum(job:http_request_errors:ratio_rate6h)", "6h")],
              unit="percentunit", width=12),
        panel(layout, "timeseries", "Latency budget burn (slow ratio by window)",
              [("sum(job:http_request_slow:ratio_rate5m)", "5m"), ("sum(job:http_request_slow:ratio_rate1h)", "1h"),
               ("sum(job:http_request_slow:ratio_rate6h)", "6h")],
              unit="percentunit", width=12),
        panel(layout, "timeseries", "Database pool",
              [(f"sum by (state) (db_pool_connections{{{api_routes}}})", "{{state}}"),
               (f"sum(db_pool_max_connections{{{api_routes}}})", "max"),
               (f"sum(db_pool_waiting{{{api_routes}}})", "waiting")]),
        panel(layout, "timeseries", "Logins by result",
              [(f"sum by (result) (rate(auth_logins_total{{{api_routes}}}[$__rate_interval]))", "{{result}}")],
              unit="reqps"),
        panel(layout, "timeseries", "Memory (RSS) by instance",
              [(f"process_resident_memory_bytes{{{api_routes}}}", "{{instance}}")], unit="bytes"),
        panel(layout, "timeseries", "CPU by instance",
              [(f"rate(process_cpu_seconds_total{{{api_routes}}}[$__rate_interval])", "{{instance}}")], unit="percentunit",
              width=12),
        panel(layout, "timeseries", "Replicas (HPA)",
              [("kube_horizontalpodautoscaler_status_current_replicas{horizontalpodautoscaler=~\".*marketing-events.*\"}", "current"),
               ("kube_horizontalpodautoscaler_spec_max_replicas{horizontalpodautoscaler=~\".*marketing-events.*\"}", "max")],
              width=12, description="Kubernetes only: kube-state-metrics' view of the autoscaler."),
    ]


def postgres(layout):
    return [
        panel(layout, "stat", "PostgreSQL up", ["max(pg_up)"], width=6, height=4),
        panel(layout, "stat", "Connections in use", ["sum(pg_stat_activity_count) / max(pg_settings_max_connections)"],
              unit="percentunit", width=6, height=4),
        panel(layout, "stat", "Database size", ['max(pg_database_size_bytes{datname="marketing_events"})'], unit="bytes",
              width=6, height=4),
        panel(layout, "stat", "Cache hit ratio",
              ['sum(rate(pg_stat_database_blks_hit{datname="marketing_events"}[$__rate_interval])) / '
               '(sum(rate(pg_stat_database_blks_hit{datname="marketing_events"}[$__rate_interval])) + '
               'sum(rate(pg_stat_database_blks_read{datname="marketing_events"}[$__rate_interval])))'],
              unit="percentunit", width=6, height=4),
        panel(layout, "timeseries", "Connections by state", [("sum by (state) (pg_stat_activity_count)", "{{state}}")], width=12),
        panel(layout, "timeseries", "Transactions per second",
              [('sum(rate(pg_stat_database_xact_commit{datname="marketing_events"}[$__rate_interval]))', "commit"),
               ('sum(rate(pg_stat_database_xact_rollback{datname="marketing_events"}[$__rate_interval]))', "rollback")],
              unit="ops", width=12),
        panel(layout, "timeseries", "Rows per second",
              [('sum(rate(pg_stat_database_tup_fetched{datname="marketing_events"}[$__rate_interval]))', "fetched"),
               ('sum(rate(pg_stat_database_tup_inserted{datname="marketing_events"}[$__rate_interval]))', "inserted"),
               ('sum(rate(pg_stat_database_tup_updated{datname="marketing_events"}[$__rate_interval]))', "updated"),
               ('sum(rate(pg_stat_database_tup_deleted{datname="marketing_events"}[$__rate_interval]))', "deleted")],
              unit="ops", width=12),
        panel(layout, "timeseries", "Deadlocks and conflicts",
              [('sum(increase(pg_stat_database_deadlocks{datname="marketing_events"}[$__rate_interval]))', "deadlocks"),
               ('sum(increase(pg_stat_database_conflicts{datname="marketing_events"}[$__rate_interval]))', "conflicts")],
              width=12),
    ]


def nginx(layout):
    return [
        panel(layout, "stat", "nginx up", ["min(nginx_up)"], width=8, height=4),
        panel(layout, "stat", "Requests per second", ["sum(rate(nginx_http_requests_total[$__rate_interval]))"],
              unit="reqps", width=8, height=4),
        panel(layout, "stat", "Active connections", ["sum(nginx_connections_active)"], width=8, height=4),
        panel(layout, "timeseries", "Connections by state",
              [("sum(nginx_connections_reading)", "reading"), ("sum(nginx_connections_writing)", "writing"),
               ("sum(nginx_connections_waiting)", "waiting")], width=12),
        panel(layout, "timeseries", "Accepted and handled connections",
              [("sum(rate(nginx_connections_accepted[$__rate_interval]))", "accepted"),
               ("sum(rate(nginx_connections_handled[$__rate_interval]))", "handled")], unit="ops", width=12),
        panel(layout, "timeseries", "Ingress requests by status",
              [('sum by (status) (rate(nginx_ingress_controller_requests{ingress=~".*marketing-events.*"}[$__rate_interval]))', "{{status}}")],
              unit="reqps", width=12,
              description="Kubernetes only: the ingress-nginx controller's own metrics for this release's Ingress."),
        panel(layout, "timeseries", "Ingress latency p95",
              [('histogram_quantile(0.95, sum by (le) (rate(nginx_ingress_controller_request_duration_seconds_bucket{ingress=~".*marketing-events.*"}[$__rate_interval])))', "p95")],
              unit="s", width=12,
              description="Kubernetes only: the ingress-nginx controller's own metrics for this release's Ingress."),
    ]


def blackbox(layout):
    job = 'job="events-api-healthz"'
    return [
        panel(layout, "stat", "Probe success", [f"min(probe_success{{{job}}})"], width=8, height=4),
        panel(layout, "stat", "Last HTTP status", [f"max(probe_http_status_code{{{job}}})"], width=8, height=4),
        panel(layout, "stat", "Probe duration", [f"max(probe_duration_seconds{{{job}}})"], unit="s", width=8, height=4),
        panel(layout, "timeseries", "Probe success over time", [(f"probe_success{{{job}}}", "{{instance}}")], width=12),
        panel(layout, "timeseries", "Probe phases",
              [(f"sum by (phase) (probe_http_duration_seconds{{{job}}})", "{{phase}}")], unit="s", width=12),
    ]


def logs(layout):
    return [
        panel(layout, "timeseries", "Log lines by level",
              [('sum by (level) (count_over_time({app="events-api"} | json [$__interval]))', "{{level}}")],
              width=24, height=6, datasource=LOKI),
        panel(layout, "timeseries", "5xx responses logged",
              [('sum(count_over_time({app="events-api"} | json | msg="request" | status >= 500 [$__interval]))', "5xx")],
              width=24, height=6, datasource=LOKI),
        panel(layout, "logs", "Requests (newest first)",
              ['{app="events-api"} | json | msg="request" | line_format "{{.status}} {{.method}} {{.route}} {{.duration_us}}us id={{.request_id}}"'],
              width=24, height=14, datasource=LOKI,
              options={"showTime": True, "wrapLogMessage": True, "sortOrder": "Descending", "enableLogDetails": True}),
    ]


DASHBOARDS = {
    "events-api": ("marketing-events-api", "Marketing Events API",
                   "Requests, errors, latency by route, the database pool and logins.", api, ["api"]),
    "postgresql": ("marketing-events-postgresql", "Marketing Events: PostgreSQL",
                   "postgres_exporter: availability, connections, transactions, cache.", postgres, ["postgresql"]),
    "nginx": ("marketing-events-nginx", "Marketing Events: nginx and ingress",
              "The reverse proxy (stub_status through nginx-prometheus-exporter) and the ingress controller.",
              nginx, ["nginx"]),
    "blackbox": ("marketing-events-blackbox", "Marketing Events: /healthz probe",
                 "The blackbox exporter's probe of /healthz through the proxy or ingress.", blackbox, ["blackbox"]),
    "logs": ("marketing-events-logs", "Marketing Events: logs",
             "The service's JSON log lines in Loki: volume by level, 5xx, and the request log.", logs, ["logs"]),
}


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    for name, (uid, title, description, build, tags) in DASHBOARDS.items():
        text = json.dumps(dashboard(uid, title, description, build, tags), indent=2) + "\n"
        path = HERE / f"{name}.json"
        if check:
            if not path.exists() or path.read_text() != text:
                stale.append(str(path))
        else:
            path.write_text(text)
    if stale:
        sys.exit("dashboards out of date (run deploy/monitoring/grafana/dashboards.py): " + ", ".join(stale))


if __name__ == "__main__":
    main()
