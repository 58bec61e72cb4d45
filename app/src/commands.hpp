#pragma once

#include <chrono>
#include <iosfwd>
#include <string>
#include <vector>

#include "config.hpp"
#include "logging.hpp"
#include "marketing_events/http/operations_routes.hpp"

namespace events_api {

// Exit statuses: 0 done, 1 failed at run time, 2 bad usage or configuration.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;
inline constexpr int exit_usage = 2;

// `events-api serve`: the HTTP API until SIGTERM or SIGINT, then a bounded drain.
int serve(const Config& config, const Log& log);
// `events-api migrate [--wait SECONDS]`: applies pending migrations (safe to run concurrently),
// retrying for up to `wait` while the database cannot be reached (it may be starting).
int migrate(const Config& config, const Log& log, std::chrono::seconds wait);
// `events-api user create --email E`: the password is the first line of `password_input`.
int create_user(const Config& config, const Log& log, const std::string& email,
                std::istream& password_input);
// `events-api user delete --email E`: the user and everything they own.
int delete_user(const Config& config, const Log& log, const std::string& email);
// `events-api healthcheck`: GET /healthz of the server this configuration describes; 0 when it
// answers 200 within `timeout` (a container's health check, with no shell or curl needed).
int healthcheck(const Config& config, std::chrono::milliseconds timeout);
// `events-api keygen`: a new Ed25519 private key, PEM, on stdout.
int keygen();

// The OpenAPI 3.1 document served at /api/v1/openapi.json (compiled in from app/openapi.json).
const std::string& openapi_document();
// The API reference page served at /docs and the files it loads (compiled in from app/docs/).
std::vector<marketing_events::http::DocsFile> docs_files();

}  // namespace events_api
