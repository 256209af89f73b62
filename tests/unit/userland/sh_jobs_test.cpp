// sh's job texts and its echo builtin, as FreeBSD 8.3's sh prints them.
#include <doctest/doctest.h>

#include "model/userland/sh_jobs.h"
#include "model/userland/sh_shell.h"

using namespace procsim::userland;

namespace {

ShPipeline parse_pipeline(std::string_view text) {
  ShParseStep step = parse_sh_command(text, 0, 1, ShInputEnd::EndOfInput);
  REQUIRE(step.kind == ShStepKind::Command);
  REQUIRE(step.command.items.size() == 1);
  return step.command.items[0].first;
}

}  // namespace

TEST_CASE("a finished job's state reads Done, Done(N) or the signal's description") {
  CHECK(sh_job_state_text(0) == "Done");
  CHECK(sh_job_state_text(3 << 8) == "Done(3)");
  CHECK(sh_job_state_text(15) == "Terminated");
  CHECK(sh_job_state_text(9) == "Killed");
  CHECK(sh_job_state_text(0200 | 11) == "Segmentation fault (core dumped)");
  CHECK(sh_job_state_text(64) == "Signal 64");
}

TEST_CASE("the job report pads the state to column 30, always with at least one space") {
  CHECK(format_sh_job_line(1, '+', "Done", "sleep 1") == "[1] + Done                    sleep 1\n");
  std::string long_state(40, 'x');
  CHECK(format_sh_job_line(2, '-', long_state, "cat") == "[2] - " + long_state + " cat\n");
}

TEST_CASE("a foreground command killed by a signal prints its description, except INT and PIPE") {
  CHECK(sh_foreground_signal_text(15) == "Terminated\n");
  CHECK(sh_foreground_signal_text(2).empty());
  CHECK(sh_foreground_signal_text(13).empty());
  CHECK(sh_foreground_signal_text(1 << 8).empty());
  CHECK(sh_exit_status(15) == 143);
  CHECK(sh_exit_status(7 << 8) == 7);
}

TEST_CASE("a job is listed under its command text: words, redirections, pipes") {
  CHECK(sh_command_text(parse_pipeline("sleep 100")) == "sleep 100");
  CHECK(sh_command_text(parse_pipeline("ls -l /tmp | cat > out 2>&1")) == "ls -l /tmp | cat >out 2>&1");
  CHECK(sh_command_text(parse_pipeline("cat < in")) == "cat <in");
}

TEST_CASE("sh's echo takes -n or -e first and interprets escapes only with -e") {
  CHECK(sh_echo_text({"echo", "a", "b"}) == "a b\n");
  CHECK(sh_echo_text({"echo", "-n", "a"}) == "a");
  CHECK(sh_echo_text({"echo", "a\\tb"}) == "a\\tb\n");
  CHECK(sh_echo_text({"echo", "-e", "a\\tb\\c", "ignored"}) == "a\tb");
  CHECK(sh_echo_text({"echo"}) == "\n");
}
