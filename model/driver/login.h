// The login shell a scenario talks to: the `login` directive starts /bin/sh as a session leader
// on a terminal, and each `% ` line is typed at that terminal; its output is everything the
// terminal shows until the shell is back at its prompt (spec/scenario-format.md, `login`).
// Leaves out line editing and echo of what is typed: the transcript shows only program output.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/driver/session.h"
#include "sim/script/directive.h"

namespace procsim::driver {

// login [pid=N] [ppid=N] [pgid=N] [sid=N] [user=U] [tty=T] [tz=ZONE]
script::ScriptResult<void> do_login(Session& session, const script::Directive& directive, OutputLines& out);

// Terminal output as transcript lines: split at newlines (a last line without one is a line
// too), control characters other than tab shown as \xNN.
std::vector<std::string> terminal_output_lines(std::string_view text);

// Removes the prompt the shell printed last, if the text ends with it.
std::string strip_trailing_prompt(std::string text, std::string_view prompt);

}  // namespace procsim::driver
