// The procsim command: dispatches to the subcommands. Every failure is reported, none crashes.
#include <cstdio>
#include <string>
#include <vector>

#include "model/driver/asm_command.h"
#include "model/driver/cli.h"
#include "model/driver/ctl_matrix.h"
#include "model/driver/runner.h"
#include "model/driver/shell_command.h"

namespace {

constexpr const char* kVersion = "procsim 0.1\n";

int dispatch(const procsim::driver::Invocation& invocation) {
  using procsim::driver::Command;
  switch (invocation.command) {
    case Command::Help:
      std::fputs(procsim::driver::help_text(invocation.help_topic).c_str(), stdout);
      return 0;
    case Command::Version: std::fputs(kVersion, stdout); return 0;
    case Command::Run: return procsim::driver::run_scenarios(invocation.run, stdout, stderr);
    case Command::Asm: return procsim::driver::assemble_file(invocation.assemble, stdout, stderr);
    case Command::Shell: return procsim::driver::run_shell(invocation.shell, stdin, stdout, stderr);
    case Command::CtlMatrix: return procsim::driver::print_ctl_matrix(stdout, stderr);
  }
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  procsim::driver::UsageError error;
  auto invocation = procsim::driver::parse_command_line(args, error);
  if (!invocation) {
    std::fprintf(stderr, "procsim: %s\nTry 'procsim --help' for more information.\n", error.message.c_str());
    return 2;
  }
  return dispatch(*invocation);
}
