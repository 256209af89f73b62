// How the login shell's terminal output becomes transcript lines: split at newlines, control
// bytes escaped, the prompt the shell printed last removed.
#include <doctest/doctest.h>

#include "model/driver/login.h"

using namespace procsim::driver;

TEST_CASE("terminal output splits into lines; a last line without a newline is a line too") {
  CHECK(terminal_output_lines("a\nb\n") == std::vector<std::string>{"a", "b"});
  CHECK(terminal_output_lines("a\n\nb") == std::vector<std::string>{"a", "", "b"});
  CHECK(terminal_output_lines("").empty());
  CHECK(terminal_output_lines("tab\there\x07\n") == std::vector<std::string>{"tab\there\\x07"});
}

TEST_CASE("only a prompt at the very end is removed") {
  CHECK(strip_trailing_prompt("hi\n$ ", "$ ") == "hi\n");
  CHECK(strip_trailing_prompt("$ hi\n", "$ ") == "$ hi\n");
  CHECK(strip_trailing_prompt("# ", "$ ") == "# ");
  CHECK(strip_trailing_prompt("x", "") == "x");
}
