// `procsim shell`: an interactive session with a simulated machine's login shell. Reads lines
// (with libedit's editing and history on a terminal) and prints what the simulated terminal
// shows after each; `:DIRECTIVE` lines run scenario directives, `help` lists them, and the
// host's ^C interrupts the simulated foreground command. No completion is offered.
#pragma once

#include <cstdio>

#include "model/driver/cli.h"

namespace procsim::driver {

int run_shell(const ShellOptions& options, std::FILE* in, std::FILE* out, std::FILE* err);

}  // namespace procsim::driver
