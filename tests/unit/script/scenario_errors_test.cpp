// One row per malformed scenario: the input and the exact diagnostic the user sees. These are the
// messages the golden files under scenarios/errors/ rely on, so a change here is a change of the
// scenario-file interface.
#include <string_view>

#include <doctest/doctest.h>

#include "sim/script/scenario.h"

namespace script = procsim::script;

namespace {

struct BadInput {
  std::string_view why;
  std::string_view contents;
  std::string_view diagnostic;
};

constexpr BadInput kBadInputs[] = {
    {"a directive value opens a quote and never closes it", "machine arch=amd64 clock=\"2009\n",
     "t.scn:1:26: error: unterminated string"},
    {"a quoted positional word runs to the end of the line", "spawn -- /bin/echo \"hi\n",
     "t.scn:1:20: error: unterminated string"},
    {"an unknown escape is reported at its backslash", "user jsp comment=\"a\\qb\"\n",
     "t.scn:1:20: error: unknown escape sequence '\\q'"},
    {"a \\x escape needs hex digits", "machine clock=\"\\xg\"\n",
     "t.scn:1:16: error: \\x used with no following hex digits"},
    {"a key appears twice", "run ticks=5 ticks=6\n", "t.scn:1:13: error: duplicate argument 'ticks'"},
    {"a key has no value", "run ticks=\n", "t.scn:1:11: error: missing value for 'ticks'"},
    {"a quote in the middle of a word", "spawn -- /bin/echo a\"b\"\n",
     "t.scn:1:21: error: unexpected '\"' inside a word"},
    {"text glued to a closing quote", "machine clock=\"x\"y\n",
     "t.scn:1:18: error: expected a blank after the closing quote"},
    {"a directive name with punctuation", "run: ticks=5\n", "t.scn:1:1: error: bad directive name 'run:'"},
    {"a pid that is not a number", "@4x2 getpid()\n", "t.scn:1:2: error: bad pid '4x2'"},
    {"an @ with no pid", "@ getpid()\n", "t.scn:1:2: error: missing pid after '@'"},
    {"a pid beyond 32 bits", "@99999999999 getpid()\n",
     "t.scn:1:2: error: pid '99999999999' is out of range"},
    {"a pid with no call", "@402\n", "t.scn:1:5: error: missing system call after '@402'"},
    {"a call missing its closing parenthesis", "@402 open(\"/x\", O_RDONLY\n",
     "t.scn:1:25: error: missing ')'"},
    {"two arguments without a comma", "@402 open(\"/x\" O_RDONLY)\n",
     "t.scn:1:16: error: expected ',' or ')'"},
    {"a string argument left open", "@402 open(\"/x, O_RDONLY)\n", "t.scn:1:11: error: unterminated string"},
    {"junk after the call", "@402 getpid() now\n",
     "t.scn:1:15: error: unexpected text after the system call"},
    {"a call with no name", "@402 (1)\n", "t.scn:1:6: error: expected a system call name"},
    {"a program block never ends", "program spin\n  loop: jmp loop\n",
     "t.scn:1:1: error: 'program' block has no matching 'end'"},
    {"a program block is left open before the next one", "# c\nprogram a\nnop\nprogram b\nend\n",
     "t.scn:2:1: error: 'program' block has no matching 'end' (line 4 starts another 'program')"},
    {"an end with no program", "machine arch=amd64\nend\n",
     "t.scn:2:1: error: 'end' with no open 'program' block"},
    {"expected output on the first line", "  pid 401\n",
     "t.scn:1:1: error: expected output with no input line above it"},
    {"expected output after a comment", "% ls\n# note\n  bin\n",
     "t.scn:3:1: error: expected output with no input line above it"},
    {"expected output after a blank line", "% ls\n  bin\n\n  dev\n",
     "t.scn:4:1: error: expected output with no input line above it"},
    {"a line of only blanks", "% echo\n \t \n",
     "t.scn:2:1: error: line of only blanks (an empty output line is written as two spaces)"},
    {"output indented by one space", "% ls\n bin\n",
     "t.scn:2:1: error: line starts with one space (expected output is indented by two)"},
    {"output indented by a tab", "% ls\n\tbin\n",
     "t.scn:2:1: error: line starts with a tab (expected output is indented by two spaces)"},
    {"a directive in upper case", "Machine arch=amd64\n",
     "t.scn:1:1: error: unrecognized line (expected a directive, '% ', '@PID', '#', or output indented by "
     "two "
     "spaces)"},
    {"a shell line without its space", "%ls\n", "t.scn:1:2: error: expected a space after '%'"},
    {"a DOS line ending on a directive", "machine arch=amd64\r\n",
     "t.scn:1:19: error: carriage return in line (DOS line endings?)"},
    {"a DOS line ending on a comment", "# Shows that\r\n",
     "t.scn:1:13: error: carriage return in line (DOS line endings?)"},
    {"the error is on the right line after a program block", "program p\n  %x\n@1 x\nend\n% ok\n%bad\n",
     "t.scn:6:2: error: expected a space after '%'"},
};

}  // namespace

TEST_CASE("every malformed scenario gets its exact diagnostic") {
  static_assert(std::size(kBadInputs) >= 15);
  for (const BadInput& row : kBadInputs) {
    CAPTURE(row.why);
    auto result = script::parse_scenario("t.scn", row.contents);
    REQUIRE(result.is_error());
    CHECK(result.error().format() == row.diagnostic);
  }
}

TEST_CASE("a file over the size limit is refused before it is read") {
  std::string huge(script::kScenarioBytesMax + 1, '#');
  auto result = script::parse_scenario("big.scn", huge);
  REQUIRE(result.is_error());
  CHECK(result.error().format() == "big.scn:1:1: error: file is larger than the limit of 16777216 bytes");
  huge.pop_back();
  CHECK(script::parse_scenario("big.scn", huge).ok());
}
