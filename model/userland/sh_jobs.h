// The texts FreeBSD 8.3's sh prints about jobs: the "[N] PID" line for an asynchronous
// command, the "[N] + Done  CMD" report before a prompt (jobs.c showjob), the description a
// foreground command killed by a signal leaves, and the command text a job is listed under.
// Leaves out stopped jobs (no job control: docs/deviations.md) and `jobs -l`/`-p`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/userland/sh_parse.h"

namespace procsim::userland {

// strsignal(3) / sys_siglist for signals 1..31; "Signal N" otherwise.
std::string signal_description(int signal);

// The state column of a finished job from its wait status: "Done", "Done(3)", "Terminated",
// "Killed", ... with " (core dumped)" when a core was written.
std::string sh_job_state_text(std::int32_t status);

// One line of the job report: "[1] + Done" padded with spaces to column 30 (at least one
// space), then the command text and a newline. `mark` is '+', '-' or ' '.
std::string format_sh_job_line(int job_number, char mark, std::string_view state, std::string_view command);

// What a foreground command's death by a signal prints ("Terminated\n"); nothing for SIGINT
// and SIGPIPE, or for a normal exit.
std::string sh_foreground_signal_text(std::int32_t status);

// The exit status $? shows for a wait status: the exit code, or 128 + the signal.
int sh_exit_status(std::int32_t status);

// commandtext(): how sh shows a pipeline in the job report ("sleep 100", "ls -l | cat").
std::string sh_command_text(const ShPipeline& pipeline);

}  // namespace procsim::userland
