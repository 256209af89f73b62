// What a host program's C runtime gives main(): its argument and environment vectors, stdio
// (stdout buffered by line on a terminal and fully otherwise, stderr unbuffered, both flushed
// at exit as exit(3) does), the password and group files read through the file system, and
// execvp(3)'s PATH search. Leaves out locales, stdio on other descriptors and ungetc.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/kern/program.h"
#include "model/userland/program_output.h"
#include "model/userland/usys.h"

namespace procsim::userland {

struct ProgramArgs {
  std::vector<std::string> argv;  // argv[0] first
  std::vector<std::string> envp;  // "NAME=value"
};

// The standard search path of a login shell (spec/scenario-format.md).
inline constexpr std::string_view kDefaultPath = "/bin:/sbin:/usr/bin:/usr/sbin";
// Bytes stdout holds before a fully buffered flush (BUFSIZ in 8.3's <stdio.h>).
inline constexpr std::size_t kStdioBufferBytes = 1024;

class Stdio {
 public:
  explicit Stdio(Usys& sys);

  void out(std::string_view text);
  void err(std::string_view text);
  // Writes a formatter's pieces in order, flushing stdout before each stderr piece only where
  // stdio would (line-buffered stdout has already written its complete lines).
  void emit(const ProgramOutput& output);
  // fflush(stdout). The first failure is kept, as the stream's error flag.
  void flush();
  std::optional<vfs::Errno> stdout_error() const { return m_stdout_error; }

 private:
  bool stdout_is_line_buffered();

  Usys* m_sys;
  std::string m_pending;
  std::optional<bool> m_line_buffered;  // decided on first output, as stdio's __smakebuf does
  std::optional<vfs::Errno> m_stdout_error;
};

// The runtime around one program: main's arguments plus the system-call stubs and stdio.
struct ProgramContext {
  Usys& sys;
  Stdio& io;
  const ProgramArgs& args;

  // getenv(3).
  std::optional<std::string> getenv(std::string_view name) const;
  // __progname: the last component of argv[0].
  std::string progname() const;
};

using ProgramMain = int (*)(ProgramContext& context);

// The entry point a kern::HostProgram runs: sets up the runtime, calls main, flushes stdout.
kern::Program::Entry program_entry(ProgramMain main, ProgramArgs args);

// crt0's view of an exec'd image: argv and envp found through ps_strings at the top of the
// initial stack (the LP64 ABIs' USRSTACK - 32: argv, argc, envv, envc). nullopt when no LP64
// stack is mapped there.
std::optional<ProgramArgs> read_exec_arguments(kern::UserContext& user);

// The entry point of a program started by execve: reads its arguments, then as program_entry.
kern::Program::Entry exec_entry(ProgramMain main);

// getpwuid/getgrgid over /etc/passwd and /etc/group, read once through the file system.
class AccountNames {
 public:
  explicit AccountNames(Usys& sys);
  std::optional<std::string> user_name(std::uint32_t uid) const;
  std::optional<std::string> group_name(std::uint32_t gid) const;

 private:
  struct Entry {
    std::string name;
    std::uint32_t id = 0;
  };
  static std::vector<Entry> parse(std::string_view text);
  static std::optional<std::string> find(const std::vector<Entry>& entries, std::uint32_t id);

  std::vector<Entry> m_users;
  std::vector<Entry> m_groups;
};

// The whole of a file, or the first error (open or read).
SysResult<std::string> read_whole_file(Usys& sys, std::string_view path);

// execvp(3): a name with a '/' is executed as is; otherwise each PATH directory is tried in
// order. Returns the errno execvp leaves: EACCES if any candidate was refused with it, else the
// last failure (ENOENT when nothing was found).
vfs::Errno execvp(Usys& sys, std::string_view path_variable, std::span<const std::string> argv,
                  std::span<const std::string> envp);

}  // namespace procsim::userland
