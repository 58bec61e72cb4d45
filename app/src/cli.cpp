#include "cli.hpp"

#include <algorithm>

#include "commands.hpp"
#include "config.hpp"
#include "version.hpp"

namespace events_api {
namespace {

constexpr std::size_t text_width = 78;
constexpr std::string_view exit_statuses =
    "Exit status: 0 done; 1 failed while running (the database out of reach, the port taken);\n"
    "2 bad usage or configuration (an unknown command, a bad variable, a taken e-mail).\n";

// `text` without Markdown's backquotes, wrapped to text_width after `indent` spaces.
std::string wrapped(std::string_view text, std::size_t indent) {
  std::string plain;
  std::remove_copy(text.begin(), text.end(), std::back_inserter(plain), '`');
  std::string out;
  std::size_t line = 0;
  std::size_t at = 0;
  while (at < plain.size()) {
    const auto space = plain.find(' ', at);
    const auto word = std::string_view(plain).substr(
        at, space == std::string::npos ? std::string::npos : space - at);
    if (line == 0 || line + 1 + word.size() > text_width) {
      out.append(line == 0 ? "" : "\n").append(indent, ' ');
      line = indent;
    } else {
      out += ' ';
      ++line;
    }
    out += word;
    line += word.size();
    at = space == std::string::npos ? plain.size() : space + 1;
  }
  return out + "\n";
}

bool reads(const Command& command, std::string_view variable) {
  switch (command.reads) {
    case Command::Reads::everything:
      return true;
    case Command::Reads::database:
      return variable == "DATABASE_URL" || variable.starts_with("DB_") ||
             variable.starts_with("LOG_");
    case Command::Reads::listening:
      return variable == "PORT" || variable == "LISTEN_ADDRESS";
    case Command::Reads::nothing:
      break;
  }
  return false;
}

std::string usage_line(const Command& command) {
  std::string line = "events-api ";
  line.append(command.name);
  if (!command.synopsis.empty()) {
    line.append(" ").append(command.synopsis);
  }
  return line;
}

}  // namespace

const std::vector<Command>& commands() {
  using Reads = Command::Reads;
  static const std::vector<Command> list{
      {"serve", "", "serve the HTTP API until SIGTERM or SIGINT",
       "Serves the Marketing Events API over HTTP (the contract: GET /api/v1/openapi.json). "
       "SIGTERM or SIGINT stops accepting, drains the requests in flight for at most "
       "SHUTDOWN_TIMEOUT_SECONDS, then exits 0. The database may be down at start: /readyz "
       "answers 503 until it is reachable and migrated.",
       Reads::everything},
      {"migrate", "[--wait SECONDS]", "bring the database schema up to date",
       "Applies the migrations the database lacks, under an advisory lock (several replicas may "
       "run it at once). Exits 0 when the schema is current, also when there was nothing to do. "
       "--wait SECONDS: while the database cannot be reached (it may be starting, as in "
       "compose), try again about every second until SECONDS (at most 3600) have passed; a wrong "
       "password or database name fails at once.",
       Reads::database},
      {"user create", "--email ADDRESS", "add a user; the password is read from standard input",
       "Adds a user who can log in. The password is the first line of standard input (8 to 128 "
       "characters): echo 'a long password' | events-api user create --email "
       "ana@example.com",
       Reads::database},
      {"user delete", "--email ADDRESS", "remove a user with their events and sessions",
       "Removes the user, their events, calendar feeds and sessions. Their access tokens stop "
       "working within USER_RECHECK_SECONDS.",
       Reads::database},
      {"healthcheck", "", "exit 0 if the server on PORT answers /healthz with 200",
       "Asks GET /healthz of the server that PORT and LISTEN_ADDRESS describe (loopback for "
       "0.0.0.0 or ::), with a 2-second limit: exit 0 on 200, 1 otherwise. For container health "
       "checks (the image and compose.yaml use it): no shell or curl needed.",
       Reads::listening},
      {"keygen", "", "print a new Ed25519 signing key (PEM) for JWT_PRIVATE_KEY_FILE",
       "Writes a new Ed25519 private key, PEM, to standard output: events-api keygen > jwt.pem, "
       "then JWT_PRIVATE_KEY_FILE=jwt.pem. Every replica must sign with the same key.",
       Reads::nothing},
      {"version", "", "print the version and source revision", "Same as --version.",
       Reads::nothing},
      {"help", "[COMMAND]", "describe every command, or one", "Same as --help.", Reads::nothing},
  };
  return list;
}

Selected select_command(std::span<const std::string_view> words) {
  Selected best;
  for (const auto& command : commands()) {
    std::size_t count = 0;
    std::string_view rest = command.name;
    bool matches = true;
    while (matches && !rest.empty()) {
      const auto space = rest.find(' ');
      const auto word = rest.substr(0, space);
      matches = count < words.size() && words[count] == word;
      ++count;
      rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
    }
    if (matches && count > best.name_words) {
      best = {&command, count};
    }
  }
  return best;
}

std::string general_help() {
  std::string text =
      "events-api: the Marketing Events API service and its operational commands.\n\nCommands:\n";
  for (const auto& command : commands()) {
    auto line = "  " + usage_line(command);
    line.resize(std::max<std::size_t>(line.size() + 2, 44), ' ');
    text += line;
    text += command.summary;
    text += '\n';
  }
  text +=
      "\nEvery setting comes from an environment variable: `events-api COMMAND --help` lists the\n"
      "ones the command reads, with their defaults.\n\n";
  text += exit_statuses;
  return text;
}

std::string command_help(const Command& command) {
  std::string text = "usage: " + usage_line(command) + "\n\n" + wrapped(command.details, 0);
  if (command.reads != Command::Reads::nothing) {
    text += "\nEnvironment (unset or empty: the default):\n";
    const Config defaults;
    for (const auto& variable : variables()) {
      if (!reads(command, variable.name)) {
        continue;
      }
      const auto value = variable.show(defaults);
      text.append("  ").append(variable.name).append(" (default: ");
      text.append(value.empty() ? "unset" : value).append(")\n");
      text += wrapped(variable.meaning, 6);
    }
  }
  text += "\n";
  text += exit_statuses;
  return text;
}

std::string version_line() {
  return "events-api " + std::string(version()) + " (revision " + std::string(revision()) + ")\n";
}

std::string unknown_command(std::span<const std::string_view> words) {
  if (words.size() == 1 && words[0] == "user") {
    return "events-api user: expected `create --email ADDRESS` or `delete --email ADDRESS`; "
           "`events-api user create --help` says more.\n";
  }
  std::string text = "events-api: unknown command \"";
  // "user bogus" names both words: the first is right, the second is not.
  const bool user_subcommand = !words.empty() && words[0] == "user" && words.size() > 1;
  text.append(words.empty() ? "" : words[0]);
  if (user_subcommand) {
    text.append(" ").append(words[1]);
  }
  text += "\"; the commands are:";
  for (const auto& command : commands()) {
    text.append(" ").append(command.name).append(&command == &commands().back() ? "" : ",");
  }
  return text + ". `events-api --help` describes them.\n";
}

}  // namespace events_api
