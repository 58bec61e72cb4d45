# Sourced by deploy/local/up and down: where the stack lives and which ports it uses.
state=$(realpath -m "${LOCAL_STACK_DIR:-build/local-stack}")
http_port=${LOCAL_STACK_HTTP_PORT:-8088}
stub_status_port=${LOCAL_STACK_STUB_STATUS_PORT:-8089}
api_ports=${LOCAL_STACK_API_PORTS:-8091 8092}
prometheus_port=${LOCAL_STACK_PROMETHEUS_PORT:-9090}
nginx_exporter_port=${LOCAL_STACK_NGINX_EXPORTER_PORT:-9113}
postgres_exporter_port=${LOCAL_STACK_POSTGRES_EXPORTER_PORT:-9187}
blackbox_port=${LOCAL_STACK_BLACKBOX_PORT:-9115}
scrape_interval=${LOCAL_STACK_SCRAPE_INTERVAL:-5s}
