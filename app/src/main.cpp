// events-api: the Marketing Events API service and its operational commands.
#include <algorithm>
#include <exception>
#include <iostream>
#include <span>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "commands.hpp"
#include "config.hpp"

namespace {

bool asks_for_help(std::span<const std::string_view> words) {
  return std::any_of(words.begin(), words.end(),
                     [](std::string_view word) { return word == "--help" || word == "-h"; });
}

// Runs a command that needs the configuration, once its arguments are known to be right.
int run_configured(const events_api::Command& command, std::span<const std::string_view> rest) {
  const auto loaded = events_api::load_config(events_api::process_environment());
  if (!loaded) {
    for (const auto& [variable, message] : loaded.error().fields) {
      std::cerr << "events-api: " << variable << " " << message << "\n";
    }
    std::cerr << "events-api: `events-api " << command.name
              << " --help` lists the variables with what they accept\n";
    return events_api::exit_usage;
  }
  const auto& config = loaded->config;
  const events_api::Log log{config.log};
  for (const auto& warning : loaded->warnings) {
    log.warn(warning);
  }
  if (command.name == "serve") {
    return events_api::serve(config, log);
  }
  if (command.name == "migrate") {
    return events_api::migrate(config, log);
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
  if (args[0] == "--version" || (args[0] == "version" && args.size() == 1)) {
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
  const bool takes_email = command.name.starts_with("user ");
  const bool arguments_fit =
      takes_email ? rest.size() == 2 && rest[0] == "--email" && !rest[1].empty() : rest.empty();
  if (!arguments_fit) {
    std::cerr << "events-api " << command.name << ": "
              << (takes_email ? "expected --email ADDRESS" : "takes no arguments") << "\n"
              << events_api::command_help(command);
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
