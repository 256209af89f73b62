// FreeBSD userland diagnostics; see program_errors.h. Formats restated from FreeBSD 8.3
// lib/libc/gen/err.c, bin/sh/error.c (exverror), bin/sh/exec.c (find_command, shellexec) and
// bin/sh/redir.c (openredirect).
#include "model/userland/program_errors.h"

#include <fmt/format.h>

#include "sim/base/assert.h"

namespace procsim::userland {

std::string warn_text(std::string_view program, std::string_view object, std::string_view strerror_text) {
  PROCSIM_ASSERT(!program.empty());
  PROCSIM_ASSERT(!strerror_text.empty());
  return fmt::format("{}: {}: {}\n", program, object, strerror_text);
}

std::string warnx_text(std::string_view program, std::string_view message) {
  PROCSIM_ASSERT(!program.empty());
  return fmt::format("{}: {}\n", program, message);
}

std::string sh_error_text(ShCommandName command_name, std::string_view message) {
  PROCSIM_ASSERT(!message.empty());
  if (command_name.has_value()) return fmt::format("{}: {}\n", *command_name, message);
  return fmt::format("{}\n", message);
}

std::string sh_not_found_text(std::string_view name) { return fmt::format("{}: not found\n", name); }

std::string sh_lookup_error_text(std::string_view name, std::string_view strerror_text) {
  PROCSIM_ASSERT(!strerror_text.empty());
  return fmt::format("{}: {}\n", name, strerror_text);
}

std::string sh_cannot_create_text(ShCommandName command_name, std::string_view file,
                                  std::string_view strerror_text) {
  return sh_error_text(command_name, fmt::format("cannot create {}: {}", file, strerror_text));
}

std::string sh_cannot_open_text(ShCommandName command_name, std::string_view file,
                                std::string_view strerror_text) {
  return sh_error_text(command_name, fmt::format("cannot open {}: {}", file, strerror_text));
}

ShExecFailureReport sh_exec_failure(ShCommandName command_name, std::string_view argv0, ExecFailure failure,
                                    std::string_view strerror_text) {
  // shellexec maps only EACCES and ENOENT to the POSIX statuses; ENOTDIR reads "not found"
  // but exits 2 like every other errno.
  ShExecFailureReport report;
  switch (failure) {
    case ExecFailure::Enoent: report.exit_status = kShExitNotFound; break;
    case ExecFailure::Eacces: report.exit_status = kShExitCannotExecute; break;
    case ExecFailure::Enotdir:
    case ExecFailure::Other: report.exit_status = kShExitError; break;
  }
  bool reads_not_found = failure == ExecFailure::Enoent || failure == ExecFailure::Enotdir;
  std::string message =
      reads_not_found ? fmt::format("{}: not found", argv0) : fmt::format("{}: {}", argv0, strerror_text);
  report.text = sh_error_text(command_name, message);
  PROCSIM_ASSERT(report.exit_status != 0);
  return report;
}

}  // namespace procsim::userland
