// How the login shell's terminal output becomes transcript lines: split at newlines, control
// bytes escaped, the prompt the shell printed last removed; and a ^C that interrupts a line.
#include <doctest/doctest.h>

#include "model/driver/login.h"
#include "model/driver/session.h"
#include "sim/script/scenario.h"

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

TEST_CASE("an interrupt poll that fires stops a spinning command long before the CPU budget") {
  auto scenario = procsim::script::parse_scenario("<test>", "machine arch=amd64\nlogin\n");
  REQUIRE(scenario.ok());
  Session session(scenario.value(), std::nullopt);
  REQUIRE(session.run().ok());
  int polls = 0;
  session.set_interrupt_poll([&polls] { return ++polls == 50; });
  std::uint64_t before = session.machine()->kernel().busy_ticks();
  auto line = procsim::script::parse_scenario("<test>", "% /usr/bin/spin\n");
  REQUIRE(line.ok());
  auto shown = session.replay(line.value().inputs.front());
  REQUIRE(shown.ok());
  CHECK(shown.value() == std::vector<std::string>{"^C"});
  std::uint64_t used = session.machine()->kernel().busy_ticks() - before;
  CHECK(used < Session::kLineCpuSeconds * session.machine()->kernel().hz());
  CHECK(session.logged_in());
}
