// Transcript assembly and the --update rewriter; see rewrite.h.
#include "sim/script/rewrite.h"

namespace procsim::script {

std::vector<std::string> expected_transcript(const Scenario& scenario) {
  std::vector<std::string> lines;
  lines.reserve(scenario.lines.size());
  for (const SourceLine& line : scenario.lines) lines.push_back(line.text);
  return lines;
}

std::vector<std::string> actual_transcript(const Scenario& scenario, const ActualOutput& actual) {
  PROCSIM_ASSERT_MSG(actual.size() == scenario.inputs.size(), "one output list per input");
  std::vector<std::string> lines;
  lines.reserve(scenario.lines.size());
  std::size_t next_input = 0;
  std::size_t index = 0;
  while (index < scenario.lines.size()) {
    if (next_input == scenario.inputs.size() || index < scenario.inputs[next_input].first_index) {
      PROCSIM_ASSERT(scenario.lines[index].kind != LineKind::Expected);
      lines.push_back(scenario.lines[index++].text);
      continue;
    }
    const Input& input = scenario.inputs[next_input];
    PROCSIM_ASSERT(index == input.first_index);
    for (; index <= input.last_index; ++index) lines.push_back(scenario.lines[index].text);
    for (const std::string& output : actual[next_input]) {
      PROCSIM_ASSERT_MSG(output.find('\n') == std::string::npos, "an output line holds a newline");
      lines.push_back("  " + output);
    }
    // Skip the old expected block.
    index += input.expected.size();
    ++next_input;
  }
  PROCSIM_ASSERT(next_input == scenario.inputs.size());
  PROCSIM_ASSERT(index == scenario.lines.size());
  return lines;
}

std::string rewrite_scenario(const Scenario& scenario, const ActualOutput& actual) {
  std::vector<std::string> lines = actual_transcript(scenario, actual);
  std::string text;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) text += '\n';
    text += lines[i];
  }
  // Only expected lines are ever dropped, and each has an input line above it: a file that had a
  // final newline still has a line to end with one.
  PROCSIM_ASSERT(!scenario.ends_with_newline || !lines.empty());
  if (scenario.ends_with_newline) text += '\n';
  return text;
}

}  // namespace procsim::script
