// The sh interpreter; see sh_shell.h. Behaviour restated from FreeBSD 8.3 bin/sh (main.c
// cmdloop, eval.c evalcommand/evalpipe, exec.c find_command/shellexec, redir.c, jobs.c,
// cd.c, bltin/echo.c).
#include "model/userland/sh_shell.h"

#include <algorithm>
#include <array>
#include <charconv>

#include <fmt/format.h>

#include "model/userland/program_errors.h"
#include "model/userland/sh_jobs.h"
#include "sim/base/assert.h"

namespace procsim::userland {

namespace {

constexpr std::uint32_t kModeTypeMaskBits = 0170000;
constexpr std::uint32_t kModeCharDeviceBits = 0020000;
constexpr std::uint32_t kModeRegularBits = 0100000;
constexpr std::uint32_t kCreateMode = 0666;

// SIGINT, SIGQUIT and SIGTERM: what an interactive sh ignores (8.3 trap.c setsignal). SIGINT
// is caught rather than ignored there, to abandon the line being typed; no ^C is modelled.
constexpr std::array<int, 3> kShIgnoredSignals = {2, 3, 15};

bool is_terminal(Usys& sys, int fd) {
  auto sb = sys.fstat(fd);
  return sb.ok() && (sb.value().mode & kModeTypeMaskBits) == kModeCharDeviceBits;
}

bool is_builtin(std::string_view name) {
  return name == "cd" || name == "echo" || name == "exit" || name == "wait" || name == "true" ||
         name == "false" || name == ":";
}

std::optional<int> parse_number(std::string_view text) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

ExecFailure exec_failure_of(vfs::Errno error) {
  switch (error) {
    case vfs::Errno::Enoent: return ExecFailure::Enoent;
    case vfs::Errno::Enotdir: return ExecFailure::Enotdir;
    case vfs::Errno::Eacces: return ExecFailure::Eacces;
    default: return ExecFailure::Other;
  }
}

vfs::OpenFlags open_flags_of(ShRedirectionKind kind) {
  switch (kind) {
    case ShRedirectionKind::Input: return vfs::kORdonly;
    case ShRedirectionKind::Output:
    case ShRedirectionKind::Clobber: return vfs::kOWronly | vfs::kOCreat | vfs::kOTrunc;
    case ShRedirectionKind::Append: return vfs::kOWronly | vfs::kOCreat | vfs::kOAppend;
    case ShRedirectionKind::ReadWrite: return vfs::kORdwr | vfs::kOCreat;
    case ShRedirectionKind::DupOutput:
    case ShRedirectionKind::DupInput: break;
  }
  PROCSIM_UNREACHABLE();
}

// One redirection in the current process.
std::optional<std::string> apply_one(Usys& sys, const ShResolvedRedirection& redirection) {
  bool is_dup =
      redirection.kind == ShRedirectionKind::DupOutput || redirection.kind == ShRedirectionKind::DupInput;
  if (is_dup) {
    if (redirection.target == "-") {
      (void)sys.close(redirection.fd);
      return std::nullopt;
    }
    int from = parse_number(redirection.target).value_or(-1);
    if (from == redirection.fd) return std::nullopt;
    if (auto dup = sys.dup2(from, redirection.fd); dup.is_error()) {
      return sh_error_text(std::nullopt, fmt::format("{}: {}", from, strerror_text(dup.error())));
    }
    return std::nullopt;
  }
  auto opened = sys.open(redirection.target, open_flags_of(redirection.kind), kCreateMode);
  if (opened.is_error()) {
    std::string reason = strerror_text(opened.error());
    if (redirection.kind == ShRedirectionKind::Input) {
      return sh_cannot_open_text(std::nullopt, redirection.target, reason);
    }
    return sh_cannot_create_text(std::nullopt, redirection.target, reason);
  }
  if (opened.value() != redirection.fd) {
    (void)sys.dup2(opened.value(), redirection.fd);
    (void)sys.close(opened.value());
  }
  return std::nullopt;
}

int run_child_builtin(Usys& sys, const std::vector<std::string>& argv) {
  // In a pipeline or in the background, builtins run in the forked child; those that change
  // the shell's own state (cd, exit, wait) have nothing to change there.
  if (argv.front() == "false") return 1;
  if (argv.front() != "echo") return 0;
  if (auto wrote = sys.write_all(kStdout, sh_echo_text(argv)); wrote.is_error()) {
    (void)sys.write_all(kStderr, fmt::format("echo: write error: {}\n", strerror_text(wrote.error())));
    return 1;
  }
  return 0;
}

}  // namespace

// ---- Free functions ---------------------------------------------------------------------

std::string sh_echo_text(const std::vector<std::string>& argv) {
  std::size_t first = 1;
  bool newline = true;
  bool escapes = false;
  if (argv.size() > 1 && argv[1] == "-n") {
    newline = false;
    first = 2;
  } else if (argv.size() > 1 && argv[1] == "-e") {
    escapes = true;
    first = 2;
  }
  std::string text;
  for (std::size_t i = first; i < argv.size(); ++i) {
    const std::string& word = argv[i];
    for (std::size_t at = 0; at < word.size(); ++at) {
      char c = word[at];
      if (c != '\\' || !escapes || at + 1 >= word.size()) {
        text += c;
        continue;
      }
      char next = word[++at];
      switch (next) {
        case 'c': return text;  // \c ends the output at once, newline included
        case 'n': text += '\n'; break;
        case 't': text += '\t'; break;
        case '\\': text += '\\'; break;
        default:
          text += '\\';
          --at;
          break;
      }
    }
    if (i + 1 < argv.size()) text += ' ';
  }
  if (newline) text += '\n';
  return text;
}

base::Result<std::vector<ShResolvedRedirection>, std::string> resolve_sh_redirections(
    const std::vector<ShRedirection>& redirections, const ShParameterLookup& lookup) {
  std::vector<ShResolvedRedirection> resolved;
  for (const ShRedirection& redirection : redirections) {
    std::string target = expand_sh_word_unsplit(redirection.target, lookup);
    bool is_dup =
        redirection.kind == ShRedirectionKind::DupOutput || redirection.kind == ShRedirectionKind::DupInput;
    if (is_dup) {
      auto checked = resolve_sh_dup_target(target, 1);
      if (checked.is_error()) return base::fail(format_sh_parse_error(checked.error(), std::nullopt));
    }
    resolved.push_back(ShResolvedRedirection{redirection.kind, redirection.fd, std::move(target)});
  }
  return resolved;
}

std::optional<std::string> apply_sh_redirections(Usys& sys,
                                                 const std::vector<ShResolvedRedirection>& redirections) {
  for (const ShResolvedRedirection& redirection : redirections) {
    if (auto error = apply_one(sys, redirection)) return error;
  }
  return std::nullopt;
}

std::optional<std::string> find_sh_command(Usys& sys, std::string_view path_variable,
                                           const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  std::string_view rest = path_variable;
  for (bool more = true; more;) {
    std::size_t colon = rest.find(':');
    more = colon != std::string_view::npos;
    std::string_view directory = rest.substr(0, colon);
    if (more) rest.remove_prefix(colon + 1);
    std::string candidate = directory.empty() ? name : std::string(directory) + "/" + name;
    auto sb = sys.stat(candidate);
    if (sb.ok() && (sb.value().mode & kModeTypeMaskBits) == kModeRegularBits) return candidate;
  }
  return std::nullopt;
}

int run_sh_child(kern::UserContext& user, const ShChildPlan& plan) {
  Usys sys(user);
  // The interactive shell's ignored signals are its own: commands start with the defaults.
  for (int signal : kShIgnoredSignals) (void)sys.set_signal_disposition(signal, false);
  if (plan.stdin_fd) {
    (void)sys.dup2(*plan.stdin_fd, kStdin);
    (void)sys.close(*plan.stdin_fd);
  }
  if (plan.stdout_fd) {
    (void)sys.dup2(*plan.stdout_fd, kStdout);
    (void)sys.close(*plan.stdout_fd);
  }
  for (int fd : plan.close_fds) (void)sys.close(fd);
  // Without job control an asynchronous command must not read the terminal (8.3 forkchild).
  if (plan.background && !plan.stdin_fd) {
    (void)sys.close(kStdin);
    (void)sys.open("/dev/null", vfs::kORdonly);
  }
  if (auto error = apply_sh_redirections(sys, plan.redirections)) {
    (void)sys.write_all(kStderr, *error);
    return kShExitError;
  }
  if (plan.argv.empty()) return 0;
  if (is_builtin(plan.argv.front())) return run_child_builtin(sys, plan.argv);
  std::string path = plan.exec_path;
  if (path.empty()) {
    std::optional<std::string> found = find_sh_command(sys, plan.path_variable, plan.argv.front());
    if (!found) {
      (void)sys.write_all(kStderr, sh_not_found_text(plan.argv.front()));
      return kShExitNotFound;
    }
    path = *found;
  }
  vfs::Errno error = sys.execve(path, plan.argv, plan.environment);
  ShExecFailureReport report =
      sh_exec_failure(std::nullopt, plan.argv.front(), exec_failure_of(error), strerror_text(error));
  (void)sys.write_all(kStderr, report.text);
  return report.exit_status;
}

// ---- Shell: input -------------------------------------------------------------------------

bool Shell::Job::done() const {
  return std::all_of(statuses.begin(), statuses.end(), [](const auto& status) { return status.has_value(); });
}

Shell::Shell(ProgramContext& context) : m_context(context), m_sys(context.sys) {
  m_environment = context.args.envp;
  m_path = context.getenv("PATH").value_or(std::string(kDefaultPath));
  m_arg0 = context.args.argv.empty() ? "sh" : context.args.argv.front();
  m_pid = m_sys.getpid();
  m_interactive = is_terminal(m_sys, kStdin) && is_terminal(m_sys, kStderr);
  m_prompt = context.getenv("PS1").value_or(m_sys.geteuid() == 0 ? "# " : "$ ");
  // An interactive shell survives the signals a user sends a terminal's processes.
  if (m_interactive) {
    for (int signal : kShIgnoredSignals) (void)m_sys.set_signal_disposition(signal, true);
  }
}

void Shell::put(int fd, std::string_view text) {
  // The shell's own messages and prompts; a failure to write them is ignored, as sh does.
  if (!text.empty()) (void)m_sys.write_all(fd, text);
}

void Shell::prompt(bool continuation) {
  if (!m_interactive) return;
  if (continuation) {
    put(kStderr, m_context.getenv("PS2").value_or("> "));
    return;
  }
  report_finished_jobs();
  put(kStderr, m_prompt);
}

bool Shell::read_more() {
  // A terminal returns one line per read; a file returns what it has.
  constexpr std::size_t kReadBytes = 1024;
  for (int attempt = 0; attempt < 16; ++attempt) {
    auto chunk = m_sys.read(kStdin, kReadBytes);
    if (chunk.is_error() && chunk.error() == vfs::Errno::Eintr) continue;
    if (chunk.is_error() || chunk.value().empty()) return false;
    if (m_input.size() + chunk.value().size() > kShInputBytesMax) {
      put(kStderr, "Syntax error: input line too long\n");
      m_input.clear();
      m_offset = 0;
      return true;
    }
    m_input += chunk.value();
    return true;
  }
  return false;
}

int Shell::run() {
  for (;;) {
    if (m_exit_status) return *m_exit_status;
    if (m_offset >= m_input.size()) {
      m_input.clear();
      m_offset = 0;
    }
    ShInputEnd end = m_eof ? ShInputEnd::EndOfInput : ShInputEnd::MoreMayFollow;
    ShParseStep step = parse_sh_command(m_input, m_offset, m_line, end);
    switch (step.kind) {
      case ShStepKind::Command:
      case ShStepKind::Blank:
        PROCSIM_ASSERT(step.next_offset > m_offset);
        m_offset = step.next_offset;
        m_line = step.next_line;
        if (step.kind == ShStepKind::Command) run_list(step.command);
        continue;
      case ShStepKind::Error:
        put(kStderr, format_sh_parse_error(step.error, std::nullopt));
        m_last_status = kShExitError;
        // The rest of the input buffer is discarded, as parsecmd's error recovery does.
        m_offset = m_input.size();
        if (!m_interactive) return kShExitError;
        continue;
      case ShStepKind::EndOfInput:
      case ShStepKind::NeedMoreInput:
        if (m_eof) return m_last_status;
        prompt(m_offset < m_input.size());
        if (!read_more()) m_eof = true;
        continue;
    }
    PROCSIM_UNREACHABLE();
  }
}

ShParameterLookup Shell::lookup() const {
  return [this](std::string_view name) -> std::optional<std::string> {
    if (name == "?") return fmt::format("{}", m_last_status);
    if (name == "$") return fmt::format("{}", m_pid);
    if (name == "!") {
      if (!m_last_background) return std::nullopt;
      return fmt::format("{}", *m_last_background);
    }
    if (name == "0") return m_arg0;
    for (const std::string& entry : m_environment) {
      if (entry.size() > name.size() && entry.compare(0, name.size(), name) == 0 &&
          entry[name.size()] == '=') {
        return entry.substr(name.size() + 1);
      }
    }
    return std::nullopt;
  };
}

}  // namespace procsim::userland
