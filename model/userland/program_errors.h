// The diagnostic texts FreeBSD's userland prints: err(3)/warn(3) ("ls: /x: No such file or
// directory") and bin/sh's own messages (command not found, redirection failures, exec
// failures) with the exit statuses sh gives them. Texts are returned, never printed.
// Leaves out the errno-to-strerror table: callers pass FreeBSD's strerror text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace procsim::userland {

// warn(3)/err(3): "PROG: OBJECT: STRERROR\n".
std::string warn_text(std::string_view program, std::string_view object, std::string_view strerror_text);

// warnx(3)/errx(3): "PROG: MESSAGE\n".
std::string warnx_text(std::string_view program, std::string_view message);

// --- bin/sh (FreeBSD 8.3) ---------------------------------------------------------------
// sh prefixes error() messages with "NAME: " only while it reads a script file (commandname
// is then the script's name); an interactive shell or `sh -c` prints the bare message.
using ShCommandName = std::optional<std::string_view>;

inline constexpr int kShExitError = 2;  // syntax errors, failed redirections, other exec errors
inline constexpr int kShExitCannotExecute = 126;
inline constexpr int kShExitNotFound = 127;

// error(3)-style message of sh: "[NAME: ]MESSAGE\n".
std::string sh_error_text(ShCommandName command_name, std::string_view message);

// PATH search found nothing (ENOENT/ENOTDIR everywhere): "NAME: not found\n". find_command()
// writes it directly, so it never carries the script-name prefix. Exit status 127.
std::string sh_not_found_text(std::string_view name);

// PATH search failed with another errno (e.g. a non-regular file): "NAME: STRERROR\n".
std::string sh_lookup_error_text(std::string_view name, std::string_view strerror_text);

// A redirection could not be opened: "cannot create F: E" (>, >>, >|, <>) and
// "cannot open F: E" (<), through error(), so with the prefix. Exit status 2 for a
// non-interactive shell; an interactive one keeps running.
std::string sh_cannot_create_text(ShCommandName command_name, std::string_view file,
                                  std::string_view strerror_text);
std::string sh_cannot_open_text(ShCommandName command_name, std::string_view file,
                                std::string_view strerror_text);

// shellexec() failing in the forked child (a command containing '/', or execve of the path
// found). The errno decides both the text and the child's exit status.
enum class ExecFailure { Enoent, Enotdir, Eacces, Other };

struct ShExecFailureReport {
  std::string text;
  int exit_status = 0;
};

ShExecFailureReport sh_exec_failure(ShCommandName command_name, std::string_view argv0, ExecFailure failure,
                                    std::string_view strerror_text);

}  // namespace procsim::userland
