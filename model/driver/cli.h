// The procsim command line: subcommands, their options, and their help texts. Parsing never
// throws and never exits; it returns what to do, or a usage error for main() to print.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace procsim::driver {

enum class Command { Help, Version, Run, Asm, Shell, CtlMatrix };

struct RunOptions {
  bool update = false;                // rewrite expected output in place
  bool print = false;                 // print each file's transcript as replayed
  std::optional<std::uint64_t> seed;  // overrides the scenario's seed
  std::vector<std::string> files;
};

struct AsmOptions {
  std::string arch;
  std::string file;
};

struct ShellOptions {
  std::vector<std::string> machine_words;  // the machine directive's arguments, if any
};

struct Invocation {
  Command command = Command::Help;
  std::string help_topic;  // for Command::Help: "" (general) or a command name
  RunOptions run;
  AsmOptions assemble;
  ShellOptions shell;
};

struct UsageError {
  std::string message;  // printed as "procsim: MESSAGE" followed by a hint to use --help
};

// Parses argv (without argv[0]). Returns the invocation or the usage error.
std::optional<Invocation> parse_command_line(const std::vector<std::string>& args, UsageError& error);

// The help text for "" (general usage) or a command name; empty if there is no such command.
std::string help_text(const std::string& topic);

}  // namespace procsim::driver
