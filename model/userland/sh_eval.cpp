// sh's evaluation of parsed lists: and-or chains, pipelines, simple commands run as builtins
// or forked children, `&` jobs and waiting for them, and the builtins cd, echo, exit and wait
// (FreeBSD 8.3 bin/sh eval.c, jobs.c, cd.c). Part of the Shell class of sh_shell.h.
#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "model/userland/program_errors.h"
#include "model/userland/programs.h"
#include "model/userland/sh_jobs.h"
#include "model/userland/sh_shell.h"
#include "sim/base/assert.h"

namespace procsim::userland {

namespace {

constexpr int kSavedFdBase = 10;

std::optional<int> parse_number(std::string_view text) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

void Shell::run_list(const ShCommandList& list) {
  for (const ShAndOr& item : list.items) {
    if (m_exit_status) return;
    m_last_status = run_and_or(item);
  }
}

int Shell::run_and_or(const ShAndOr& item) {
  if (item.background && !item.rest.empty()) {
    // A whole && / || chain in the background needs a subshell, which is not modelled.
    put(kStderr, "Not supported: background && or || lists\n");
    return kShExitError;
  }
  int status = run_pipeline(item.first, item.background);
  for (const auto& [connector, pipeline] : item.rest) {
    if (m_exit_status) break;
    bool runs = connector == ShConnector::And ? status == 0 : status != 0;
    if (runs) status = run_pipeline(pipeline, false);
  }
  return status;
}

int Shell::run_pipeline(const ShPipeline& pipeline, bool background) {
  PROCSIM_ASSERT(!pipeline.commands.empty());
  int status = pipeline.commands.size() == 1 ? run_simple(pipeline.commands.front(), background, pipeline)
                                             : run_multi(pipeline, background);
  if (pipeline.negated) status = status == 0 ? 1 : 0;
  return status;
}

int Shell::run_simple(const ShSimpleCommand& command, bool background, const ShPipeline& pipeline) {
  ShParameterLookup values = lookup();
  std::vector<std::string> argv = expand_sh_words(command.words, values);
  auto redirections = resolve_sh_redirections(command.redirections, values);
  if (redirections.is_error()) {
    put(kStderr, redirections.error());
    return kShExitError;
  }
  if (!background) {
    if (auto status = run_builtin(argv, redirections.value())) return *status;
  }
  ShChildPlan plan;
  plan.argv = argv;
  plan.environment = m_environment;
  plan.path_variable = m_path;
  plan.redirections = std::move(redirections.value());
  plan.background = background;
  if (!argv.empty() && argv.front().find('/') == std::string::npos && argv.front() != "echo" &&
      argv.front() != "true" && argv.front() != "false" && argv.front() != ":") {
    std::optional<std::string> found = find_sh_command(m_sys, m_path, argv.front());
    if (!found) {
      put(kStderr, sh_not_found_text(argv.front()));
      return kShExitNotFound;
    }
    plan.exec_path = *found;
  } else if (!argv.empty()) {
    plan.exec_path = argv.front();
  }
  auto pid = m_sys.fork([plan](kern::UserContext& user) { return run_sh_child(user, plan); });
  if (pid.is_error()) {
    put(kStderr, sh_error_text(std::nullopt, fmt::format("Cannot fork: {}", strerror_text(pid.error()))));
    return kShExitError;
  }
  return start_job({pid.value()}, pipeline, background);
}

int Shell::run_multi(const ShPipeline& pipeline, bool background) {
  ShParameterLookup values = lookup();
  std::vector<std::int32_t> pids;
  std::optional<int> previous_read;
  for (std::size_t i = 0; i < pipeline.commands.size(); ++i) {
    const ShSimpleCommand& command = pipeline.commands[i];
    ShChildPlan plan;
    plan.argv = expand_sh_words(command.words, values);
    plan.environment = m_environment;
    plan.path_variable = m_path;
    auto redirections = resolve_sh_redirections(command.redirections, values);
    if (redirections.is_error()) {
      put(kStderr, redirections.error());
      plan.argv.clear();
    } else {
      plan.redirections = std::move(redirections.value());
    }
    plan.stdin_fd = previous_read;
    plan.background = background;
    std::optional<std::array<int, 2>> ends;
    if (i + 1 < pipeline.commands.size()) {
      auto made = m_sys.pipe();
      if (made.is_error()) {
        put(kStderr,
            sh_error_text(std::nullopt, fmt::format("Pipe call failed: {}", strerror_text(made.error()))));
        break;
      }
      ends = made.value();
      plan.stdout_fd = (*ends)[1];
      plan.close_fds.push_back((*ends)[0]);
    }
    auto pid = m_sys.fork([plan](kern::UserContext& user) { return run_sh_child(user, plan); });
    if (previous_read) (void)m_sys.close(*previous_read);
    previous_read.reset();
    if (ends) {
      (void)m_sys.close((*ends)[1]);
      previous_read = (*ends)[0];
    }
    if (pid.is_error()) {
      put(kStderr, sh_error_text(std::nullopt, fmt::format("Cannot fork: {}", strerror_text(pid.error()))));
      break;
    }
    pids.push_back(pid.value());
  }
  if (previous_read) (void)m_sys.close(*previous_read);
  if (pids.empty()) return kShExitError;
  return start_job(std::move(pids), pipeline, background);
}

int Shell::start_job(std::vector<std::int32_t> pids, const ShPipeline& pipeline, bool background) {
  PROCSIM_ASSERT(!pids.empty());
  Job job;
  // Jobs take the lowest free number, as sh's job table hands out its first free slot.
  for (job.number = 1;
       std::any_of(m_jobs.begin(), m_jobs.end(), [&](const Job& j) { return j.number == job.number; });
       ++job.number) {
  }
  job.statuses.assign(pids.size(), std::nullopt);
  job.pids = std::move(pids);
  job.command = sh_command_text(pipeline);
  job.background = background;
  if (!background) return wait_for_job(job);
  m_last_background = job.pids.back();
  if (m_interactive) put(kStderr, fmt::format("[{}] {}\n", job.number, job.pids.back()));
  if (m_jobs.size() >= kShJobsMax) m_jobs.erase(m_jobs.begin());
  m_jobs.push_back(std::move(job));
  return 0;
}

void Shell::record_status(std::int32_t pid, std::int32_t status) {
  // A stop (a traced child's, which wait4 reports without WUNTRACED) does not end a job: without
  // job control the shell keeps waiting for it (docs/deviations.md 182).
  if (wifstopped(status)) return;
  for (Job& job : m_jobs) {
    for (std::size_t i = 0; i < job.pids.size(); ++i) {
      if (job.pids[i] == pid) job.statuses[i] = status;
    }
  }
}

int Shell::wait_for_job(Job& job) {
  while (!job.done()) {
    auto reaped = m_sys.wait4(-1, 0);
    if (reaped.is_error() && reaped.error() == vfs::Errno::Eintr) continue;
    if (reaped.is_error()) break;  // ECHILD: nothing left to wait for
    if (wifstopped(reaped.value().status)) continue;
    for (std::size_t i = 0; i < job.pids.size(); ++i) {
      if (job.pids[i] == reaped.value().pid) job.statuses[i] = reaped.value().status;
    }
    record_status(reaped.value().pid, reaped.value().status);
  }
  std::int32_t status = job.statuses.back().value_or(0);
  put(kStderr, sh_foreground_signal_text(status));
  return sh_exit_status(status);
}

void Shell::report_finished_jobs() {
  // Reap what finished since the last prompt without blocking, then report it.
  for (std::size_t guard = 0; guard < kShJobsMax * 4; ++guard) {
    auto reaped = m_sys.wait4(-1, kWnohang);
    if (reaped.is_error() || reaped.value().pid <= 0) break;
    record_status(reaped.value().pid, reaped.value().status);
  }
  for (std::size_t i = 0; i < m_jobs.size();) {
    const Job& job = m_jobs[i];
    if (!job.done()) {
      ++i;
      continue;
    }
    // The most recent job is the current one ('+'), the one before it the previous ('-').
    char mark = i + 1 == m_jobs.size() ? '+' : (i + 2 == m_jobs.size() ? '-' : ' ');
    put(kStdout, format_sh_job_line(job.number, mark, sh_job_state_text(job.statuses.back().value_or(0)),
                                    job.command));
    m_jobs.erase(m_jobs.begin() + static_cast<std::ptrdiff_t>(i));
  }
}

// ---- Builtins -----------------------------------------------------------------------------

std::optional<int> Shell::run_builtin(const std::vector<std::string>& argv,
                                      const std::vector<ShResolvedRedirection>& redirections) {
  if (!argv.empty() &&
      (argv.front() == "true" || argv.front() == "false" || argv.front() == ":" || argv.front() == "cd" ||
       argv.front() == "echo" || argv.front() == "exit" || argv.front() == "wait")) {
    std::vector<SavedFd> saved;
    if (auto error = redirect_saving(redirections, saved)) {
      restore(saved);
      put(kStderr, *error);
      return kShExitError;
    }
    int status = run_builtin_body(argv);
    restore(saved);
    return status;
  }
  if (!argv.empty()) return std::nullopt;
  // Redirections alone: opened (files created) and undone, status 0.
  std::vector<SavedFd> saved;
  std::optional<std::string> error = redirect_saving(redirections, saved);
  restore(saved);
  if (error) {
    put(kStderr, *error);
    return kShExitError;
  }
  return 0;
}

int Shell::run_builtin_body(const std::vector<std::string>& argv) {
  const std::string& name = argv.front();
  if (name == "true" || name == ":") return 0;
  if (name == "false") return 1;
  if (name == "cd") return builtin_cd(argv);
  if (name == "echo") return builtin_echo(argv);
  if (name == "exit") return builtin_exit(argv);
  if (name == "wait") return builtin_wait(argv);
  PROCSIM_UNREACHABLE();
}

int Shell::builtin_cd(const std::vector<std::string>& argv) {
  std::optional<std::string> target = argv.size() > 1 ? std::optional(argv[1]) : m_context.getenv("HOME");
  if (!target) {
    put(kStderr, "cd: HOME not set\n");
    return kShExitError;
  }
  if (auto changed = m_sys.chdir(*target); changed.is_error()) {
    put(kStderr, fmt::format("cd: {}: {}\n", *target, strerror_text(changed.error())));
    return kShExitError;
  }
  return 0;
}

int Shell::builtin_echo(const std::vector<std::string>& argv) {
  if (auto wrote = m_sys.write_all(kStdout, sh_echo_text(argv)); wrote.is_error()) {
    put(kStderr, fmt::format("echo: write error: {}\n", strerror_text(wrote.error())));
    return 1;
  }
  return 0;
}

int Shell::builtin_exit(const std::vector<std::string>& argv) {
  int status = m_last_status;
  if (argv.size() > 1) {
    std::optional<int> number = parse_number(argv[1]);
    if (!number) {
      put(kStderr, fmt::format("exit: Illegal number: {}\n", argv[1]));
      return kShExitError;
    }
    status = *number & 0377;
  }
  m_exit_status = status;
  return status;
}

int Shell::builtin_wait(const std::vector<std::string>& argv) {
  std::optional<std::int32_t> only;
  if (argv.size() > 1) {
    std::string_view operand = argv[1];
    std::optional<int> number = parse_number(operand.starts_with('%') ? operand.substr(1) : operand);
    if (!number) {
      put(kStderr, fmt::format("wait: Illegal number: {}\n", argv[1]));
      return kShExitError;
    }
    auto job = std::find_if(m_jobs.begin(), m_jobs.end(), [&](const Job& j) {
      return operand.starts_with('%') ? j.number == *number : j.pids.back() == *number;
    });
    if (job == m_jobs.end()) return operand.starts_with('%') ? kShExitError : kShExitNotFound;
    only = job->pids.back();
  }
  int status = 0;
  for (std::size_t guard = 0; guard < kShJobsMax * 1024; ++guard) {
    auto pending = std::find_if(m_jobs.begin(), m_jobs.end(), [&](const Job& j) {
      return only ? (j.pids.back() == *only && !j.done()) : !j.done();
    });
    if (pending == m_jobs.end()) break;
    auto reaped = m_sys.wait4(-1, 0);
    if (reaped.is_error() && reaped.error() == vfs::Errno::Eintr) continue;
    if (reaped.is_error()) break;
    record_status(reaped.value().pid, reaped.value().status);
  }
  // Jobs `wait` collected are forgotten without a report; the waited job's status is returned.
  for (auto it = m_jobs.begin(); it != m_jobs.end();) {
    bool waited = it->done() && (!only || it->pids.back() == *only);
    if (waited && only) status = sh_exit_status(it->statuses.back().value_or(0));
    it = waited ? m_jobs.erase(it) : it + 1;
  }
  return status;
}

std::optional<std::string> Shell::redirect_saving(const std::vector<ShResolvedRedirection>& redirections,
                                                  std::vector<SavedFd>& saved) {
  for (const ShResolvedRedirection& redirection : redirections) {
    bool already =
        std::any_of(saved.begin(), saved.end(), [&](const SavedFd& s) { return s.fd == redirection.fd; });
    if (!already) {
      SavedFd keep{redirection.fd, std::nullopt};
      int copy = kSavedFdBase + static_cast<int>(saved.size());
      if (m_sys.dup2(redirection.fd, copy).ok()) keep.copy = copy;
      saved.push_back(keep);
    }
    if (auto error = apply_sh_redirections(m_sys, {redirection})) return error;
  }
  return std::nullopt;
}

void Shell::restore(std::vector<SavedFd>& saved) {
  for (auto it = saved.rbegin(); it != saved.rend(); ++it) {
    if (it->copy) {
      (void)m_sys.dup2(*it->copy, it->fd);
      (void)m_sys.close(*it->copy);
    } else {
      (void)m_sys.close(it->fd);
    }
  }
  saved.clear();
}

int sh_main(ProgramContext& context) {
  Shell shell(context);
  return shell.run();
}

}  // namespace procsim::userland
