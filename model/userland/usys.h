// The C library's system-call stubs for host-implemented programs: each wrapper marshals its
// arguments into the program's own scratch memory, traps with FreeBSD's call number through
// UserContext::syscall, and decodes what the kernel copied out (struct stat, dirents, wait
// status) the way libc's headers lay them out on LP64. Programs never touch kernel objects.
// Leaves out errno as a global (results carry it), stdio buffering and 32-bit layouts.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/kern/program.h"
#include "model/vfs/dirent.h"
#include "model/vfs/errno.h"
#include "model/vfs/file.h"
#include "model/vfs/stat.h"

namespace procsim::userland {

template <typename T>
using SysResult = vfs::KResult<T>;

// wait4(2)'s answer: the pid reaped (0 with WNOHANG when nothing was ready) and its status word.
struct WaitReport {
  std::int32_t pid = 0;
  std::int32_t status = 0;
};

// <sys/wait.h> options and status macros.
inline constexpr std::int32_t kWnohang = 1;
inline constexpr std::int32_t kWuntraced = 2;
constexpr bool wifexited(std::int32_t status) { return (status & 0177) == 0; }
constexpr bool wifstopped(std::int32_t status) { return (status & 0377) == 0177; }
constexpr bool wifsignaled(std::int32_t status) { return (status & 0177) != 0177 && (status & 0177) != 0; }
constexpr int wexitstatus(std::int32_t status) { return (status >> 8) & 0377; }
constexpr int wtermsig(std::int32_t status) { return status & 0177; }
constexpr int wstopsig(std::int32_t status) { return (status >> 8) & 0377; }

// The standard descriptors.
inline constexpr int kStdin = 0;
inline constexpr int kStdout = 1;
inline constexpr int kStderr = 2;

// Limits on what one wrapper marshals: the longest path (PATH_MAX), the most bytes one read
// asks for, and the most arguments plus environment strings an execve passes.
inline constexpr std::size_t kPathMax = 1024;
inline constexpr std::size_t kReadChunkMax = 64 * 1024;
inline constexpr std::size_t kExecStringsMax = 256;

class Usys {
 public:
  explicit Usys(kern::UserContext& context);

  kern::UserContext& context() { return *m_context; }

  // Files.
  SysResult<int> open(std::string_view path, vfs::OpenFlags flags, std::uint32_t mode = 0);
  SysResult<void> close(int fd);
  // At most `max_bytes` (capped at kReadChunkMax); an empty string at end of file.
  SysResult<std::string> read(int fd, std::size_t max_bytes);
  SysResult<std::size_t> write(int fd, std::string_view bytes);
  // write(2) until everything went or a call failed, as stdio's flush does.
  SysResult<void> write_all(int fd, std::string_view bytes);
  SysResult<vfs::Stat> stat(std::string_view path);
  SysResult<vfs::Stat> lstat(std::string_view path);
  SysResult<vfs::Stat> fstat(int fd);
  // One getdirentries(2) call: the records it returned, empty at the end of the directory.
  SysResult<std::vector<vfs::Dirent>> getdirentries(int fd, std::size_t buffer_bytes);
  SysResult<std::string> readlink(std::string_view path);
  SysResult<void> chdir(std::string_view path);
  SysResult<int> dup2(int from, int to);
  SysResult<std::array<int, 2>> pipe();
  // ioctl(2) with an in/out argument buffer of the size the command encodes.
  SysResult<void> ioctl(int fd, std::uint32_t command, std::span<std::uint8_t> argument);
  // ioctl(2) whose argument is the value itself (an _IO command given an int, as
  // ioctl(fd, PIOCBIS, mask) passes it through the variadic argument).
  SysResult<void> ioctl_value(int fd, std::uint32_t command, std::uint64_t value);
  // lseek(2): the new offset.
  SysResult<std::int64_t> lseek(int fd, std::int64_t offset, int whence);
  // fcntl(2) with an integer argument: what the command returns.
  SysResult<std::int64_t> fcntl(int fd, int command, std::int64_t argument);

  // Processes.
  std::int32_t getpid();
  std::int32_t getppid();
  std::uint32_t getuid();
  std::uint32_t geteuid();
  std::uint32_t getgid();
  std::uint32_t getegid();
  SysResult<std::vector<std::uint32_t>> getgroups();
  // fork(2) whose child runs `child`; the parent gets the child's pid.
  SysResult<std::int32_t> fork(kern::Program::Entry child);
  // Returns only when the exec failed.
  vfs::Errno execve(std::string_view path, std::span<const std::string> argv,
                    std::span<const std::string> envp);
  SysResult<WaitReport> wait4(std::int32_t pid, std::int32_t options);
  SysResult<void> kill(std::int32_t pid, int signal);
  SysResult<void> nanosleep(std::int64_t seconds, std::int64_t nanoseconds);
  SysResult<void> setpgid(std::int32_t pid, std::int32_t pgid);
  // sigaction(2) setting SIG_DFL or SIG_IGN with an empty mask and no flags.
  SysResult<void> set_signal_disposition(int signal, bool ignore);

  // Information.
  // sysctl(3) with a numeric name: the bytes the node returned (at most `max_bytes`).
  SysResult<std::string> sysctl(std::span<const std::int32_t> name, std::size_t max_bytes);
  // sysctlnametomib(3): the numeric name of a node named like "kern.msgbuf".
  SysResult<std::vector<std::int32_t>> sysctl_name_to_oid(std::string_view name);
  // clock_gettime(CLOCK_REALTIME): seconds since the Epoch.
  SysResult<std::int64_t> time_of_day_seconds();

 private:
  kern::SyscallResult trap(kern::Sysno number, std::initializer_list<std::uint64_t> args);
  SysResult<kern::UserAddr> copyout_string(std::string_view text);
  SysResult<std::string> sysctl_call(std::span<const std::int32_t> name, std::size_t max_bytes,
                                     std::string_view new_value);
  SysResult<vfs::Stat> stat_call(kern::Sysno number, std::uint64_t first_argument);

  kern::UserContext* m_context;
};

// struct stat from the bytes the kernel copied out (the LP64 layout of vfs/stat.h).
vfs::Stat decode_stat(std::span<const std::uint8_t> bytes);

// The strerror(3) text of an error.
std::string strerror_text(vfs::Errno error);

}  // namespace procsim::userland
