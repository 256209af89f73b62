// `procsim run`: replays scenario files, compares transcripts, prints diffs and the summary line,
// rewrites files for --update. Output goes to the given streams so tests can capture it.
#pragma once

#include <cstdio>

#include "model/driver/cli.h"

namespace procsim::driver {

// Exit status of `procsim run`: 0 all matched (or were updated), 1 a mismatch, 2 an error.
int run_scenarios(const RunOptions& options, std::FILE* out, std::FILE* err);

}  // namespace procsim::driver
