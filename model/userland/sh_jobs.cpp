// sh's job texts; see sh_jobs.h. Facts from FreeBSD 8.3 bin/sh/jobs.c (showjob, waitforjob)
// and lib/libc/gen/siglist.c.
#include "model/userland/sh_jobs.h"

#include <array>

#include <fmt/format.h>

#include "sim/base/assert.h"

namespace procsim::userland {

namespace {

// sys_siglist[1..31].
constexpr std::array<std::string_view, 31> kSignalDescriptions = {
    "Hangup",
    "Interrupt",
    "Quit",
    "Illegal instruction",
    "Trace/BPT trap",
    "Abort trap",
    "EMT trap",
    "Floating point exception",
    "Killed",
    "Bus error",
    "Segmentation fault",
    "Bad system call",
    "Broken pipe",
    "Alarm clock",
    "Terminated",
    "Urgent I/O condition",
    "Suspended (signal)",
    "Suspended",
    "Continued",
    "Child exited",
    "Stopped (tty input)",
    "Stopped (tty output)",
    "I/O possible",
    "Cputime limit exceeded",
    "Filesize limit exceeded",
    "Virtual timer expired",
    "Profiling timer expired",
    "Window size changes",
    "Information request",
    "User defined signal 1",
    "User defined signal 2",
};

constexpr int kSigint = 2;
constexpr int kSigpipe = 13;
constexpr std::int32_t kCoreFlag = 0200;
// showjob pads the state to this column.
constexpr std::size_t kJobStateColumn = 30;

bool exited(std::int32_t status) { return (status & 0177) == 0; }
int exit_code(std::int32_t status) { return (status >> 8) & 0377; }
int term_signal(std::int32_t status) { return status & 0177; }

std::string redirection_text(const ShRedirection& redirection) {
  std::string_view op;
  int default_fd = 1;
  switch (redirection.kind) {
    case ShRedirectionKind::Input:
      op = "<";
      default_fd = 0;
      break;
    case ShRedirectionKind::Output: op = ">"; break;
    case ShRedirectionKind::Append: op = ">>"; break;
    case ShRedirectionKind::Clobber: op = ">|"; break;
    case ShRedirectionKind::ReadWrite:
      op = "<>";
      default_fd = 0;
      break;
    case ShRedirectionKind::DupOutput: op = ">&"; break;
    case ShRedirectionKind::DupInput:
      op = "<&";
      default_fd = 0;
      break;
  }
  std::string fd = redirection.fd == default_fd ? "" : fmt::format("{}", redirection.fd);
  return fmt::format("{}{}{}", fd, op, dump_sh_word(redirection.target));
}

}  // namespace

std::string signal_description(int signal) {
  if (signal >= 1 && signal <= static_cast<int>(kSignalDescriptions.size())) {
    return std::string(kSignalDescriptions[static_cast<std::size_t>(signal - 1)]);
  }
  return fmt::format("Signal {}", signal);
}

std::string sh_job_state_text(std::int32_t status) {
  if (exited(status)) {
    return exit_code(status) == 0 ? std::string("Done") : fmt::format("Done({})", exit_code(status));
  }
  std::string text = signal_description(term_signal(status));
  if ((status & kCoreFlag) != 0) text += " (core dumped)";
  return text;
}

std::string format_sh_job_line(int job_number, char mark, std::string_view state, std::string_view command) {
  PROCSIM_ASSERT(job_number >= 1);
  std::string line = fmt::format("[{}] {} {}", job_number, mark, state);
  do {
    line += ' ';
  } while (line.size() < kJobStateColumn);
  line += command;
  line += '\n';
  return line;
}

std::string sh_foreground_signal_text(std::int32_t status) {
  if (exited(status)) return "";
  int signal = term_signal(status);
  if (signal == kSigint || signal == kSigpipe || signal == 0177) return "";
  std::string text = signal_description(signal);
  if ((status & kCoreFlag) != 0) text += " (core dumped)";
  return text + "\n";
}

int sh_exit_status(std::int32_t status) {
  if (exited(status)) return exit_code(status);
  return 128 + term_signal(status);
}

std::string sh_command_text(const ShPipeline& pipeline) {
  std::string text;
  for (std::size_t i = 0; i < pipeline.commands.size(); ++i) {
    if (i > 0) text += " | ";
    const ShSimpleCommand& command = pipeline.commands[i];
    std::string_view separator;
    for (const ShWord& word : command.words) {
      text += separator;
      text += dump_sh_word(word);
      separator = " ";
    }
    for (const ShRedirection& redirection : command.redirections) {
      text += separator;
      text += redirection_text(redirection);
      separator = " ";
    }
  }
  return text;
}

}  // namespace procsim::userland
