// events-api: the Marketing Events API service and its operational commands.
#include <exception>
#include <iostream>
#include <span>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "config.hpp"

namespace {

constexpr std::string_view usage =
    "usage: events-api serve\n"
    "       events-api migrate\n"
    "       events-api user create --email EMAIL   (password on standard input)\n"
    "       events-api user delete --email EMAIL   (with their events and sessions)\n"
    "       events-api keygen                      (Ed25519 private key, PEM, on stdout)\n"
    "Configuration comes from the environment; see the README.\n";

}  // namespace

namespace {

int run(std::span<char*> arguments) {
  const std::vector<std::string_view> args(arguments.begin() + 1, arguments.end());
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << usage;
    return args.empty() ? events_api::exit_usage : events_api::exit_ok;
  }
  if (args[0] == "keygen" && args.size() == 1) {
    return events_api::keygen();
  }
  const auto loaded = events_api::load_config(events_api::process_environment());
  if (!loaded) {
    for (const auto& [variable, message] : loaded.error().fields) {
      std::cerr << "events-api: " << variable << " " << message << "\n";
    }
    return events_api::exit_usage;
  }
  const auto& config = loaded->config;
  const events_api::Log log{config.log};
  for (const auto& warning : loaded->warnings) {
    log.warn(warning);
  }
  if (args[0] == "serve" && args.size() == 1) {
    return events_api::serve(config, log);
  }
  if (args[0] == "migrate" && args.size() == 1) {
    return events_api::migrate(config, log);
  }
  if (args.size() == 4 && args[0] == "user" && args[1] == "create" && args[2] == "--email") {
    return events_api::create_user(config, log, std::string(args[3]), std::cin);
  }
  if (args.size() == 4 && args[0] == "user" && args[1] == "delete" && args[2] == "--email") {
    return events_api::delete_user(config, log, std::string(args[3]));
  }
  std::cerr << usage;
  return events_api::exit_usage;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(std::span<char*>(argv, static_cast<std::size_t>(argc)));
  } catch (const std::exception& error) {
    std::cerr << "events-api: " << error.what() << "\n";
  } catch (...) {
    std::cerr << "events-api: unexpected failure\n";
  }
  return events_api::exit_failure;
}
