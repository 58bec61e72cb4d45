#include "marketing_events/http/operations_routes.hpp"

#include <algorithm>
#include <boost/beast/http/field.hpp>
#include <memory>

namespace marketing_events::http {
namespace {

// The reference page and its files, with a policy that lets the page load only its own files
// and call only this origin: nothing it renders from the document can run as script.
Reply docs_file(const Call& call, const std::vector<DocsFile>& docs, std::string_view name) {
  using boost::beast::http::field;
  const auto found = std::find_if(docs.begin(), docs.end(),
                                  [name](const DocsFile& file) { return file.name == name; });
  if (found == docs.end()) {
    return problem_for(Error::of(ErrorCode::not_found, "no such file of the reference page"));
  }
  auto response = respond(call.request, Status::ok, found->body, found->content_type);
  response.set("Content-Security-Policy",
               "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
               "img-src 'self' data:; base-uri 'none'; form-action 'none'; "
               "frame-ancestors 'none'");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
  response.set(field::cache_control, "no-cache");
  return response;
}

}  // namespace

std::vector<Route> operations_routes(Operations operations) {
  using boost::beast::http::field;
  using boost::beast::http::verb;
  // Shared by the handlers, which outlive this call.
  const auto served = std::make_shared<const Operations>(std::move(operations));
  return {
      {verb::get, "/healthz", Access::anyone, Runs::io_thread,
       [](const Call& call) -> Reply {
         return respond(call.request, Status::ok, R"({"status":"ok"})");
       }},
      {verb::get, "/readyz", Access::anyone, Runs::fiber,
       [served](const Call& call) -> Reply {
         if (!served->ready()) {
           return problem_for(Error::of(ErrorCode::unavailable, "not ready"));
         }
         return respond(call.request, Status::ok, R"({"status":"ready"})");
       }},
      {verb::get, "/metrics", Access::anyone, Runs::io_thread,
       [served](const Call& call) -> Reply {
         return respond(call.request, Status::ok, served->metrics(),
                        "text/plain; version=0.0.4; charset=utf-8");
       }},
      {verb::get, "/api/v1/openapi.json", Access::anyone, Runs::io_thread,
       [served](const Call& call) -> Reply {
         return respond(call.request, Status::ok, served->openapi);
       }},
      {verb::get, "/docs", Access::anyone, Runs::io_thread,
       [served](const Call& call) -> Reply { return docs_file(call, served->docs, ""); }},
      {verb::get, "/docs/{file}", Access::anyone, Runs::io_thread,
       [served](const Call& call) -> Reply {
         // A capture is never empty (the route table refuses "/docs/"), so the page's own
         // entry, named "", is not reachable here.
         return docs_file(call, served->docs, call.captures.at(0));
       }},
      {verb::get, "/.well-known/jwks.json", Access::anyone, Runs::io_thread,
       [served](const Call& call) -> Reply {
         auto response =
             respond(call.request, Status::ok, served->jwks, "application/jwk-set+json");
         response.set(field::cache_control, "public, max-age=300");
         return response;
       }},
  };
}

}  // namespace marketing_events::http
