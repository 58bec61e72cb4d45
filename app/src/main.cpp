// events-api: the Marketing Events API service and its operational commands.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <exception>
#include <iostream>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "commands.hpp"
#include "config.hpp"

namespace {

constexpr long long max_wait_seconds = 3600;

bool asks_for_help(std::span<const std::string_view> words) {
  return std::any_of(words.begin(), words.end(),
                     [](std::string_view word) { return word == "--help" || word == "-h"; });
}

// Seconds of `migrate --wait SECONDS`, if the arguments are that.
std::optional<long long> wait_seconds(std::span<const std::string_view> rest) {
  long long seconds = 0;
  if (rest.size() != 2 || rest[0] != "--wait") {
    return std::nullopt;
  }
  const auto* end = rest[1].data() + rest[1].size();  // NOLINT(*-pointer-arithmetic): from_chars
  const auto [stop, error] = std::from_chars(rest[1].data(), end, seconds);
  if (error != std::errc{} || stop != end || seconds < 0 || seconds > max_wait_seconds) {
    return std::nullopt;
  }
  return seconds;
}

// What is wrong with the arguments after the command's name, if anything.
std::optional<std::string_view> argument_problem(const events_api::Command& command,
                                                 std::span<const std::string_view> rest) {
  if (command.name.starts_with("user ")) {
    if (rest.size() == 2 && rest[0] == "--email" && !rest[1].empty()) {
      return std::nullopt;
    }
    return "expected --email ADDRESS";
  }
  if (command.name == "migrate") {
    if (rest.empty() || wait_seconds(rest)) {
      return std::nullopt;
    }
    return "expected nothing, or --wait SECONDS (0 to 3600)";
  }
  if (rest.empty()) {
    return std::nullopt;
  }
  return "takes no arguments";
}

// Runs a command that needs the configuration, once its arguments are known to be right.
int run_configured(const events_api::Command& command, std::span<const std::string_view> rest) {
  const auto loaded = events_api::load_config(events_api::process_environment());
  if (!loaded) {
    for (const auto& [variable, message] : loaded.error().fields) {
      std::cerr << "events-api: " << variable << " " << message << "\n";
    }
    std::cerr << "events-api: `events-api serve --help` lists every variable with what it "
                 "accepts\n";
    // A container runtime reserves a health check's status 2: unhealthy is 1.
    return command.name == "healthcheck" ? events_api::exit_failure : events_api::exit_usage;
  }
  const auto& config = loaded->config;
  if (command.name == "healthcheck") {
    // Every few seconds, into the container's log: only the answer, not the warnings.
    return events_api::healthcheck(config, std::chrono::seconds{2});
  }
  const events_api::Log log{config.log};
  for (const auto& warning : loaded->warnings) {
    log.warn(warning);
  }
  if (command.name == "serve") {
    return events_api::serve(config, log);
  }
  if (command.name == "migrate") {
    return events_api::migrate(config, log, std::chrono::seconds{wait_seconds(rest).value_or(0)});
  }
  const std::string email(rest[1]);
  if (command.name == "user create") {
    return events_api::create_user(config, log, email, std::cin);
  }
  return events_api::delete_user(config, log, email);
}

int run(std::span<char*> arguments) {
  const std::vector<std::string_view> args(arguments.begin() + 1, arguments.end());
  if (args.empty()) {
    std::cerr << events_api::general_help();
    return events_api::exit_usage;
  }
  if (args[0] == "--version") {
    std::cout << events_api::version_line();
    return events_api::exit_ok;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    const auto topic = std::span(args).subspan(1);
    if (topic.empty()) {
      std::cout << events_api::general_help();
      return events_api::exit_ok;
    }
    const auto selected = events_api::select_command(topic);
    if (selected.command == nullptr) {
      std::cerr << events_api::unknown_command(topic);
      return events_api::exit_usage;
    }
    std::cout << events_api::command_help(*selected.command);
    return events_api::exit_ok;
  }
  const auto selected = events_api::select_command(args);
  if (selected.command == nullptr) {
    std::cerr << events_api::unknown_command(args);
    return events_api::exit_usage;
  }
  const auto& command = *selected.command;
  const auto rest = std::span(args).subspan(selected.name_words);
  if (asks_for_help(rest)) {
    std::cout << events_api::command_help(command);
    return events_api::exit_ok;
  }
  if (const auto problem = argument_problem(command, rest)) {
    std::cerr << "events-api " << command.name << ": " << *problem << "\nusage: events-api "
              << command.name << (command.synopsis.empty() ? "" : " ") << command.synopsis
              << "\n`events-api " << command.name << " --help` says more.\n";
    return events_api::exit_usage;
  }
  if (command.name == "keygen") {
    return events_api::keygen();
  }
  if (command.name == "version") {
    std::cout << events_api::version_line();
    return events_api::exit_ok;
  }
  return run_configured(command, rest);
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
