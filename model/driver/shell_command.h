// `procsim shell`: an interactive session with a simulated machine's login shell. Reads lines
// from a stream and prints what the terminal shows after each. Line editing is the host
// terminal's own; no history or completion is added.
#pragma once

#include <cstdio>

#include "model/driver/cli.h"

namespace procsim::driver {

int run_shell(const ShellOptions& options, std::FILE* in, std::FILE* out, std::FILE* err);

}  // namespace procsim::driver
