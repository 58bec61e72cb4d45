#!/usr/bin/env python3
"""Checks compose.yaml and compose.monitoring.yaml beyond their schema: reads the configuration
as `docker-compose -f compose.yaml -f compose.monitoring.yaml config` resolves it (stdin) and
asserts the start-up order, health checks, volumes, that no service hides behind a profile
(podman-compose 1.0 ignores profiles) and that every file mounted from the repository exists.
With --core it reads compose.yaml alone, which must hold db, migrate and api and nothing else."""
import os
import sys

import yaml

core_only = sys.argv[1:] == ["--core"]
config = yaml.safe_load(sys.stdin)
services = config["services"]
failures = []


def expect(condition, message):
    if not condition:
        failures.append(message)


db = services["db"]
expect(db["image"].endswith("postgres:15"), "db runs postgres:15")
expect("pg_isready" in " ".join(db["healthcheck"]["test"]), "db has a pg_isready health check")
expect(any(str(v).startswith("db-data:") for v in db.get("volumes", []))
       or any(isinstance(v, dict) and v.get("source") == "db-data" for v in db.get("volumes", [])),
       "db keeps its data in the named volume db-data")
expect("db-data" in config.get("volumes", {}), "db-data is declared as a named volume")

migrate = services["migrate"]
expect(migrate["command"][:2] == ["migrate", "--wait"],
       "migrate runs `events-api migrate --wait`, so it waits for the database by itself")
expect(migrate["depends_on"]["db"]["condition"] == "service_healthy", "migrate waits for a healthy db")
expect(migrate.get("restart", "no") == "no", "migrate is one-shot")

api = services["api"]
expect("build" in api, "api is built from the Dockerfile")
expect(api["depends_on"]["migrate"]["condition"] == "service_completed_successfully",
       "api starts only after migrate completed")
expect("DATABASE_URL" in api["environment"], "api is configured by environment")
expect(api.get("healthcheck", {}).get("test") == ["CMD", "events-api", "healthcheck"],
       "api has its health check in compose.yaml (OCI builds drop the image's)")
expect(api["environment"]["DATABASE_URL"] == migrate["environment"]["DATABASE_URL"],
       "api and migrate use the same database")

monitoring = {"prometheus", "grafana", "loki", "promtail", "postgres-exporter"}
if core_only:
    expect(set(services) == {"db", "migrate", "api"},
           f"compose.yaml alone starts db, migrate and api, not {sorted(set(services))}")
else:
    for name in monitoring:
        expect(name in services, f"compose.monitoring.yaml has {name}")
for name, service in services.items():
    expect("profiles" not in service, f"{name} starts without a profile (podman-compose 1.0 ignores them)")

for name, service in services.items():
    for volume in service.get("volumes", []):
        source = volume["source"] if isinstance(volume, dict) else volume.split(":")[0]
        if source.startswith(os.getcwd()):  # a file of the repository (absolute once resolved)
            expect(os.path.exists(source), f"{name} mounts {source}, which must exist")

if failures:
    print("compose-check: failed:\n  " + "\n  ".join(failures), file=sys.stderr)
    sys.exit(1)
print(f"compose-check: {len(services)} services, all checks passed")
