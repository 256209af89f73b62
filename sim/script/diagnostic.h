// Diagnostic: one error in a scenario file, reported as `FILE:LINE:COL: error: MESSAGE`
// (spec/scenario-format.md "Command line"). Lines and columns are 1-based; a column counts
// bytes, so a tab is one column. There are no warnings and no notes: one error stops the file.
#pragma once

#include <string>

#include "sim/base/result.h"

namespace procsim::script {

struct Diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;

  // `FILE:LINE:COL: error: MESSAGE`, without a trailing newline.
  std::string format() const;

  bool operator==(const Diagnostic&) const = default;
};

template <typename T>
using ScriptResult = base::Result<T, Diagnostic>;

// An error whose line and file are not known yet: the lexers below work on one line and report
// a column; the scenario parser adds the file and line number.
struct SyntaxError {
  int column = 0;
  std::string message;

  bool operator==(const SyntaxError&) const = default;
};

template <typename T>
using SyntaxResult = base::Result<T, SyntaxError>;

// Places a line-level error in a file.
Diagnostic locate(const std::string& file, int line, SyntaxError error);

}  // namespace procsim::script
