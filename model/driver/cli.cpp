// Command-line parsing and help texts for procsim; see cli.h.
#include "model/driver/cli.h"

#include <array>
#include <string_view>

#include "sim/base/text.h"

namespace procsim::driver {

namespace {

constexpr std::string_view kGeneralHelp =
    "usage: procsim COMMAND [OPTIONS] [ARGS...]\n"
    "\n"
    "procsim simulates a BSD kernel deterministically and models FreeBSD's procfs\n"
    "exactly. Scenario files (.scn) are transcripts of commands and their expected\n"
    "output; procsim replays them from a seed and compares the bytes.\n"
    "\n"
    "commands:\n"
    "  run FILE...       replay scenario files and compare their output\n"
    "  asm --arch A FILE print the encoding of an assembly file\n"
    "  shell [KEY=VALUE] boot a machine and type at its login shell\n"
    "  ctl-matrix        print the table of ctl writes by era and target state\n"
    "  help [COMMAND]    show this text, or a command's\n"
    "\n"
    "options:\n"
    "  -h, --help        show help (also after a command: procsim run --help)\n"
    "  --version         print procsim's version\n"
    "\n"
    "The scenario format is described in docs/scenario-format.md.\n";

constexpr std::string_view kRunHelp =
    "usage: procsim run [--update] [--print] [--seed N] FILE...\n"
    "\n"
    "Replays each scenario file on a freshly booted simulated machine and compares\n"
    "the output produced with the expected output written in the file, byte for byte.\n"
    "For each mismatch a unified diff (expected, then actual) is printed; at the end a\n"
    "summary line 'N passed, N failed' is printed.\n"
    "\n"
    "options:\n"
    "  --update    rewrite each file's expected output with the actual output; comments,\n"
    "              blank lines and input lines are kept exactly\n"
    "  --print     print each file's transcript as replayed (the file as --update would\n"
    "              write it) before comparing\n"
    "  --seed N    use seed N instead of the one given by the file's machine directive\n"
    "  -h, --help  show this text\n"
    "\n"
    "exit status:\n"
    "  0  every file matched (or was updated)\n"
    "  1  at least one file did not match\n"
    "  2  at least one file has an error (reported as FILE:LINE:COL: error: MESSAGE),\n"
    "     or the command line is wrong\n";

constexpr std::string_view kAsmHelp =
    "usage: procsim asm --arch ARCH FILE\n"
    "\n"
    "Assembles FILE (GNU assembler syntax; AT&T syntax on i386 and amd64) for ARCH\n"
    "(i386, amd64, arm64, riscv64) and prints one line per instruction or data\n"
    "directive: its address, its bytes in hex, and its source text.\n"
    "\n"
    "exit status: 0 on success, 2 if the file does not assemble.\n";

constexpr std::string_view kShellHelp =
    "usage: procsim shell [KEY=VALUE...]\n"
    "\n"
    "Boots a machine (the KEY=VALUE words are the machine directive's arguments;\n"
    "arch=amd64 when none is given), logs in as root on the console and prints a\n"
    "'% ' prompt. Each line typed is typed at the login shell, and what the terminal\n"
    "shows until the shell's prompt returns is printed. On a terminal, lines are\n"
    "edited with libedit and kept in a history (arrow keys). A line starting with ':'\n"
    "is a scenario directive or system call (:spawn script, :run ticks=100,\n"
    ":trace on, :@PID CALL(...)); 'help' lists them. ^C interrupts the simulated\n"
    "command that is running (its processes get SIGINT); end of input (^D) or 'exit'\n"
    "ends the session.\n"
    "\n"
    "exit status: 0, or 2 if the machine directive is wrong.\n";

constexpr std::string_view kCtlMatrixHelp =
    "usage: procsim ctl-matrix\n"
    "\n"
    "Prints, as Markdown, what writing each ctl message (attach, detach, step, run,\n"
    "wait, a signal word and an unknown word) to /proc/PID/ctl does to a target in\n"
    "each state (running, sleeping, stopped by SIGSTOP, attached by the writer, traced\n"
    "by another process, exited), for each profile and for two writers: the target's\n"
    "parent and root. Each cell shows the write's result (0, an errno name, or the\n"
    "wait message when it sleeps) and the target's state afterwards, both read from\n"
    "the kernel of a machine booted for that cell alone. The output is the same on\n"
    "every run; docs/ctl-matrix.md is a copy, checked by the test suite.\n"
    "\n"
    "exit status: 0, or 2 if a cell cannot be replayed.\n";

struct HelpTopic {
  std::string_view name;
  std::string_view text;
};

constexpr std::array kHelpTopics = {
    HelpTopic{"", kGeneralHelp},    HelpTopic{"run", kRunHelp},      HelpTopic{"asm", kAsmHelp},
    HelpTopic{"shell", kShellHelp}, HelpTopic{"help", kGeneralHelp}, HelpTopic{"ctl-matrix", kCtlMatrixHelp},
};

bool is_help_flag(const std::string& arg) { return arg == "-h" || arg == "--help"; }

std::optional<Invocation> parse_run(const std::vector<std::string>& args, std::size_t index,
                                    UsageError& error) {
  Invocation invocation;
  invocation.command = Command::Run;
  bool options_done = false;
  for (; index < args.size(); ++index) {
    const std::string& arg = args[index];
    if (!options_done && is_help_flag(arg)) {
      return Invocation{Command::Help, "run", {}, {}, {}};
    }
    if (!options_done && arg == "--") {
      options_done = true;
    } else if (!options_done && arg == "--update") {
      invocation.run.update = true;
    } else if (!options_done && arg == "--print") {
      invocation.run.print = true;
    } else if (!options_done && arg == "--seed") {
      if (index + 1 >= args.size()) {
        error.message = "run: --seed needs a number";
        return std::nullopt;
      }
      auto seed = base::parse_c_unsigned(args[++index]);
      if (!seed) {
        error.message = "run: bad seed '" + args[index] + "'";
        return std::nullopt;
      }
      invocation.run.seed = seed;
    } else if (!options_done && arg.size() > 1 && arg[0] == '-') {
      error.message = "run: unknown option '" + arg + "'";
      return std::nullopt;
    } else {
      invocation.run.files.push_back(arg);
    }
  }
  if (invocation.run.files.empty()) {
    error.message = "run: no scenario files given";
    return std::nullopt;
  }
  if (invocation.run.seed && invocation.run.files.size() != 1) {
    error.message = "run: --seed applies to a single file";
    return std::nullopt;
  }
  return invocation;
}

std::optional<Invocation> parse_asm(const std::vector<std::string>& args, std::size_t index,
                                    UsageError& error) {
  Invocation invocation;
  invocation.command = Command::Asm;
  for (; index < args.size(); ++index) {
    const std::string& arg = args[index];
    if (is_help_flag(arg)) return Invocation{Command::Help, "asm", {}, {}, {}};
    if (arg == "--arch") {
      if (index + 1 >= args.size()) {
        error.message = "asm: --arch needs an architecture";
        return std::nullopt;
      }
      invocation.assemble.arch = args[++index];
    } else if (arg.size() > 1 && arg[0] == '-') {
      error.message = "asm: unknown option '" + arg + "'";
      return std::nullopt;
    } else if (invocation.assemble.file.empty()) {
      invocation.assemble.file = arg;
    } else {
      error.message = "asm: more than one file given";
      return std::nullopt;
    }
  }
  if (invocation.assemble.arch.empty() || invocation.assemble.file.empty()) {
    error.message = "asm: needs --arch ARCH and a FILE";
    return std::nullopt;
  }
  return invocation;
}

}  // namespace

std::optional<Invocation> parse_command_line(const std::vector<std::string>& args, UsageError& error) {
  if (args.empty()) {
    error.message = "no command given";
    return std::nullopt;
  }
  const std::string& command = args[0];
  if (is_help_flag(command)) return Invocation{Command::Help, "", {}, {}, {}};
  if (command == "--version") return Invocation{Command::Version, "", {}, {}, {}};
  if (command == "help") {
    std::string topic = args.size() > 1 ? args[1] : "";
    if (help_text(topic).empty()) {
      error.message = "help: no such command '" + topic + "'";
      return std::nullopt;
    }
    return Invocation{Command::Help, topic, {}, {}, {}};
  }
  if (command == "run") return parse_run(args, 1, error);
  if (command == "asm") return parse_asm(args, 1, error);
  if (command == "ctl-matrix") {
    if (args.size() > 1 && is_help_flag(args[1])) return Invocation{Command::Help, "ctl-matrix", {}, {}, {}};
    if (args.size() > 1) {
      error.message = "ctl-matrix: takes no arguments";
      return std::nullopt;
    }
    return Invocation{Command::CtlMatrix, "", {}, {}, {}};
  }
  if (command == "shell") {
    Invocation invocation;
    invocation.command = Command::Shell;
    for (std::size_t index = 1; index < args.size(); ++index) {
      if (is_help_flag(args[index])) return Invocation{Command::Help, "shell", {}, {}, {}};
      invocation.shell.machine_words.push_back(args[index]);
    }
    return invocation;
  }
  error.message = "unknown command '" + command + "'";
  return std::nullopt;
}

std::string help_text(const std::string& topic) {
  for (const auto& entry : kHelpTopics) {
    if (entry.name == topic) return std::string(entry.text);
  }
  return "";
}

}  // namespace procsim::driver
