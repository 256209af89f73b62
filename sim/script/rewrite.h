// Rewriting a scenario with the output a run produced: `procsim run --update` writes the result
// back, and `procsim run` diffs the expected transcript against the actual one. Everything but
// the expected-output blocks (comments, blank lines, inputs, program blocks, the presence or
// absence of the final newline) is reproduced byte for byte.
#pragma once

#include <string>
#include <vector>

#include "sim/script/scenario.h"

namespace procsim::script {

// Actual output, one entry per Scenario::inputs element (same order), each a list of output
// lines without the two-space indent and without '\n'.
using ActualOutput = std::vector<std::vector<std::string>>;

// The file's lines as they stand: what the scenario expects.
std::vector<std::string> expected_transcript(const Scenario& scenario);

// The file's lines with each input's expected block replaced by "  " + each actual line. An
// input whose output is now empty loses its block; an input that had none gains one directly
// below it (below `end` for a program block).
std::vector<std::string> actual_transcript(const Scenario& scenario, const ActualOutput& actual);

// actual_transcript joined into file contents, ending in '\n' exactly when the original did.
std::string rewrite_scenario(const Scenario& scenario, const ActualOutput& actual);

}  // namespace procsim::script
