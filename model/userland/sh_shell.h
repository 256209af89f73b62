// The interpreter of /bin/sh: reads commands from standard input (a terminal for the login
// shell), runs builtins (cd, echo, exit, wait, true, false, :) in the shell process and
// everything else in forked children that exec the command found on PATH, with redirections,
// pipelines, `&` jobs, $? $$ $! and FreeBSD 8.3's messages. Internal to the sh program.
// Leaves out job control (process groups per job, fg/bg, stopped jobs), traps, functions,
// variables assignments and the other builtins: docs/programs/sh.md lists the subset.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/userland/program_runtime.h"
#include "model/userland/sh_expand.h"
#include "model/userland/sh_parse.h"

namespace procsim::userland {

// A limit on the jobs a shell tracks and on the bytes one command line may span.
inline constexpr std::size_t kShJobsMax = 64;
inline constexpr std::size_t kShInputBytesMax = 64 * 1024;

// A redirection with its target expanded, ready to open.
struct ShResolvedRedirection {
  ShRedirectionKind kind = ShRedirectionKind::Output;
  int fd = 1;
  std::string target;
};

class Shell {
 public:
  explicit Shell(ProgramContext& context);

  // The read-eval loop; returns the shell's exit status.
  int run();

 private:
  struct Job {
    int number = 0;
    std::vector<std::int32_t> pids;
    std::vector<std::optional<std::int32_t>> statuses;  // wait status per pid, once reaped
    std::string command;
    bool background = false;

    bool done() const;
  };
  // A descriptor a builtin's redirection replaced, and where its old self was kept.
  struct SavedFd {
    int fd = 0;
    std::optional<int> copy;  // nullopt: it was closed
  };

  // Input.
  void prompt(bool continuation);
  bool read_more();
  // Evaluation.
  void run_list(const ShCommandList& list);
  int run_and_or(const ShAndOr& item);
  int run_pipeline(const ShPipeline& pipeline, bool background);
  int run_simple(const ShSimpleCommand& command, bool background, const ShPipeline& pipeline);
  int run_multi(const ShPipeline& pipeline, bool background);
  std::optional<int> run_builtin(const std::vector<std::string>& argv,
                                 const std::vector<ShResolvedRedirection>& redirections);
  int run_builtin_body(const std::vector<std::string>& argv);
  int start_job(std::vector<std::int32_t> pids, const ShPipeline& pipeline, bool background);
  int wait_for_job(Job& job);
  // Builtins.
  int builtin_cd(const std::vector<std::string>& argv);
  int builtin_echo(const std::vector<std::string>& argv);
  int builtin_exit(const std::vector<std::string>& argv);
  int builtin_wait(const std::vector<std::string>& argv);
  // Jobs.
  void record_status(std::int32_t pid, std::int32_t status);
  void report_finished_jobs();
  // Redirections in the shell itself (builtins), undone afterwards.
  std::optional<std::string> redirect_saving(const std::vector<ShResolvedRedirection>& redirections,
                                             std::vector<SavedFd>& saved);
  void restore(std::vector<SavedFd>& saved);

  ShParameterLookup lookup() const;
  void put(int fd, std::string_view text);

  ProgramContext& m_context;
  Usys& m_sys;
  std::vector<std::string> m_environment;
  std::string m_path;
  std::string m_arg0;
  std::int32_t m_pid = 0;
  int m_last_status = 0;
  std::optional<std::int32_t> m_last_background;
  std::vector<Job> m_jobs;
  bool m_interactive = false;
  std::string m_prompt;
  std::optional<int> m_exit_status;  // set by `exit`
  std::string m_input;
  std::size_t m_offset = 0;
  int m_line = 1;
  bool m_eof = false;
};

// What a forked child does for one command of a pipeline: install its pipe ends and
// redirections, then run a builtin or exec the command. Never returns to the shell.
struct ShChildPlan {
  std::vector<std::string> argv;
  std::vector<std::string> environment;
  std::string path_variable;
  std::vector<ShResolvedRedirection> redirections;
  std::string exec_path;         // what to exec; empty: the child searches PATH (pipelines)
  std::optional<int> stdin_fd;   // a pipe's read end to make descriptor 0
  std::optional<int> stdout_fd;  // a pipe's write end to make descriptor 1
  std::vector<int> close_fds;    // the other pipe descriptors
  bool background = false;       // a `&` job: standard input comes from /dev/null
};
int run_sh_child(kern::UserContext& user, const ShChildPlan& plan);

// Expands redirection targets (no field splitting); a bad >&N target is sh's syntax error.
base::Result<std::vector<ShResolvedRedirection>, std::string> resolve_sh_redirections(
    const std::vector<ShRedirection>& redirections, const ShParameterLookup& lookup);

// Opens and installs redirections in the current process; the error text sh prints, if any.
std::optional<std::string> apply_sh_redirections(Usys& sys,
                                                 const std::vector<ShResolvedRedirection>& redirections);

// find_command(): argv[0] itself when it contains '/', else the first regular file named so in
// a PATH directory (checked with stat, as sh does before forking); nullopt when none is.
std::optional<std::string> find_sh_command(Usys& sys, std::string_view path_variable,
                                           const std::string& name);

// sh's echo builtin: the text it writes.
std::string sh_echo_text(const std::vector<std::string>& argv);

}  // namespace procsim::userland
