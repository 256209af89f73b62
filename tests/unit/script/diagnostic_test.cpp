// Diagnostics print in the one format that editors and the golden error scenarios rely on.
#include "sim/script/diagnostic.h"

#include <doctest/doctest.h>

namespace script = procsim::script;

TEST_CASE("a diagnostic formats as FILE:LINE:COL: error: MESSAGE") {
  script::Diagnostic diagnostic{"scenarios/kern/fork.scn", 12, 7, "unterminated string"};
  CHECK(diagnostic.format() == "scenarios/kern/fork.scn:12:7: error: unterminated string");
}

TEST_CASE("locate places a line-level syntax error in a file") {
  auto diagnostic = script::locate("a.scn", 3, script::SyntaxError{9, "missing ')'"});
  CHECK(diagnostic == script::Diagnostic{"a.scn", 3, 9, "missing ')'"});
  CHECK(diagnostic.format() == "a.scn:3:9: error: missing ')'");
}
