#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace events_api {

// One command of `events-api`, as its help describes it.
struct Command {
  std::string_view name;      // the words that select it: "serve", "user create"
  std::string_view synopsis;  // what follows the name in its usage line
  std::string_view summary;   // one line, for the list of commands
  std::string_view details;   // paragraphs for `events-api NAME --help`
  // The environment variables it reads: all of them, the database and log ones, the listening
  // address, or none.
  enum class Reads { everything, database, listening, nothing } reads = Reads::nothing;
};

[[nodiscard]] const std::vector<Command>& commands();

// The command that `words` start with, and how many words its name takes; nullptr if none.
struct Selected {
  const Command* command = nullptr;
  std::size_t name_words = 0;
};
[[nodiscard]] Selected select_command(std::span<const std::string_view> words);

[[nodiscard]] std::string general_help();
[[nodiscard]] std::string command_help(const Command& command);
// "events-api 0.1.0 (revision abc123)".
[[nodiscard]] std::string version_line();
// What to say when `words` name no command: which word is unknown, and where the list is.
[[nodiscard]] std::string unknown_command(std::span<const std::string_view> words);

}  // namespace events_api
