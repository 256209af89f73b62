// The system-call table (numbers and names from 8.3's amd64 sys/kern/syscalls.master) and the
// structure codecs the handlers share. Rows are in number order, checked at compile time.
#include "model/kern/syscall_table.h"

#include <algorithm>

#include "model/kern/sys_handlers.h"
#include "sim/base/assert.h"

namespace procsim::kern {

namespace {

using A = ArgFormat;
constexpr std::array<ArgFormat, 6> kNone{};

constexpr std::array<ArgFormat, 6> args(std::initializer_list<ArgFormat> formats) {
  std::array<ArgFormat, 6> out{};
  std::size_t i = 0;
  for (ArgFormat format : formats) out[i++] = format;
  return out;
}

}  // namespace

constexpr std::array<SyscallRow, kSyscallCount> kSyscallTable = {{
    {Sysno::Exit, "exit", 1, args({A::Int}), sys_exit},
    {Sysno::Fork, "fork", 0, kNone, sys_fork},
    {Sysno::Read, "read", 3, args({A::Fd, A::OutBuffer, A::Uint}), sys_read},
    {Sysno::Write, "write", 3, args({A::Fd, A::InBuffer, A::Uint}), sys_write},
    {Sysno::Open, "open", 3, args({A::String, A::Hex, A::Octal}), sys_open},
    {Sysno::Close, "close", 1, args({A::Fd}), sys_close},
    {Sysno::Wait4, "wait4", 4, args({A::ProcessId, A::StatusOut, A::WaitFlags, A::Rusage}), sys_wait4},
    {Sysno::Unlink, "unlink", 1, args({A::String}), sys_unlink},
    {Sysno::Chdir, "chdir", 1, args({A::String}), sys_chdir},
    {Sysno::Fchdir, "fchdir", 1, args({A::Fd}), sys_fchdir},
    {Sysno::Break, "break", 1, args({A::Pointer}), sys_obreak},
    {Sysno::Getpid, "getpid", 0, kNone, sys_getpid},
    {Sysno::Setuid, "setuid", 1, args({A::Uint}), sys_setuid},
    {Sysno::Getuid, "getuid", 0, kNone, sys_getuid},
    {Sysno::Geteuid, "geteuid", 0, kNone, sys_geteuid},
    {Sysno::Ptrace, "ptrace", 4, args({A::Int, A::ProcessId, A::Pointer, A::Int}), nullptr},
    {Sysno::Access, "access", 2, args({A::String, A::Int}), sys_access},
    {Sysno::Kill, "kill", 2, args({A::ProcessId, A::SignalNumber}), sys_kill},
    {Sysno::Getppid, "getppid", 0, kNone, sys_getppid},
    {Sysno::Dup, "dup", 1, args({A::Fd}), sys_dup},
    {Sysno::Pipe, "pipe", 0, kNone, sys_pipe},
    {Sysno::Getegid, "getegid", 0, kNone, sys_getegid},
    {Sysno::Getgid, "getgid", 0, kNone, sys_getgid},
    {Sysno::Ioctl, "ioctl", 3, args({A::Fd, A::Hex, A::Pointer}), sys_ioctl},
    {Sysno::Symlink, "symlink", 2, args({A::String, A::String}), sys_symlink},
    {Sysno::Readlink, "readlink", 3, args({A::String, A::OutBuffer, A::Uint}), sys_readlink},
    {Sysno::Execve, "execve", 3, args({A::String, A::StringVector, A::StringVector}), sys_execve},
    {Sysno::Umask, "umask", 1, args({A::Octal}), sys_umask},
    {Sysno::Vfork, "vfork", 0, kNone, nullptr},
    {Sysno::Munmap, "munmap", 2, args({A::Pointer, A::Uint}), sys_munmap},
    {Sysno::Mprotect, "mprotect", 3, args({A::Pointer, A::Uint, A::Hex}), sys_mprotect},
    {Sysno::Getgroups, "getgroups", 2, args({A::Uint, A::GidList}), sys_getgroups},
    {Sysno::Setgroups, "setgroups", 2, args({A::Uint, A::GidList}), sys_setgroups},
    {Sysno::Getpgrp, "getpgrp", 0, kNone, sys_getpgrp},
    {Sysno::Setpgid, "setpgid", 2, args({A::ProcessId, A::ProcessId}), sys_setpgid},
    {Sysno::Dup2, "dup2", 2, args({A::Fd, A::Fd}), sys_dup2},
    {Sysno::Fcntl, "fcntl", 3, args({A::Fd, A::Int, A::Hex}), sys_fcntl},
    {Sysno::Rename, "rename", 2, args({A::String, A::String}), sys_rename},
    {Sysno::Mkdir, "mkdir", 2, args({A::String, A::Octal}), sys_mkdir},
    {Sysno::Rmdir, "rmdir", 1, args({A::String}), sys_rmdir},
    {Sysno::Killpg, "killpg", 2, args({A::ProcessId, A::SignalNumber}), sys_killpg},
    {Sysno::Setsid, "setsid", 0, kNone, sys_setsid},
    {Sysno::Setgid, "setgid", 1, args({A::Uint}), sys_setgid},
    {Sysno::Setegid, "setegid", 1, args({A::Uint}), sys_setegid},
    {Sysno::Seteuid, "seteuid", 1, args({A::Uint}), sys_seteuid},
    {Sysno::Stat, "stat", 2, args({A::String, A::StatOut}), sys_stat},
    {Sysno::Fstat, "fstat", 2, args({A::Fd, A::StatOut}), sys_fstat},
    {Sysno::Lstat, "lstat", 2, args({A::String, A::StatOut}), sys_lstat},
    {Sysno::Getrlimit, "getrlimit", 2, args({A::Int, A::Pointer}), sys_getrlimit},
    {Sysno::Setrlimit, "setrlimit", 2, args({A::Int, A::Pointer}), sys_setrlimit},
    {Sysno::Getdirentries, "getdirentries", 4, args({A::Fd, A::OutBuffer, A::Uint, A::Pointer}),
     sys_getdirentries},
    {Sysno::Sysctl, "__sysctl", 6, args({A::Pointer, A::Uint, A::Pointer, A::Pointer, A::Pointer, A::Uint}),
     sys_sysctl},
    {Sysno::Getpgid, "getpgid", 1, args({A::ProcessId}), sys_getpgid},
    {Sysno::ClockGettime, "clock_gettime", 2, args({A::Int, A::Pointer}), sys_clock_get_time},
    {Sysno::Nanosleep, "nanosleep", 2, args({A::Timespec, A::Timespec}), sys_nanosleep},
    {Sysno::Issetugid, "issetugid", 0, kNone, sys_issetugid},
    {Sysno::Getdents, "getdents", 3, args({A::Fd, A::OutBuffer, A::Uint}), sys_getdents},
    {Sysno::Getsid, "getsid", 1, args({A::ProcessId}), sys_getsid},
    {Sysno::Sigprocmask, "sigprocmask", 3, args({A::SigHow, A::Sigset, A::Sigset}), sys_sigprocmask},
    {Sysno::Sigsuspend, "sigsuspend", 1, args({A::Sigset}), sys_sigsuspend},
    {Sysno::Sigpending, "sigpending", 1, args({A::Sigset}), sys_sigpending},
    {Sysno::Sigaction, "sigaction", 3, args({A::SignalNumber, A::Sigaction, A::Sigaction}), sys_sigaction},
    {Sysno::Mmap, "mmap", 6, args({A::Pointer, A::Uint, A::Hex, A::Hex, A::Fd, A::Hex}), sys_mmap},
    {Sysno::Lseek, "lseek", 3, args({A::Fd, A::Int, A::Int}), sys_lseek},
}};

namespace {

constexpr bool syscall_table_is_ordered() {
  for (std::size_t i = 1; i < kSyscallTable.size(); ++i) {
    if (sysno_value(kSyscallTable[i - 1].number) >= sysno_value(kSyscallTable[i].number)) return false;
  }
  for (const SyscallRow& row : kSyscallTable) {
    if (row.nargs > 6 || row.name.empty()) return false;
  }
  return true;
}
static_assert(syscall_table_is_ordered(), "kSyscallTable rows are in ascending number order");

}  // namespace

const SyscallRow* syscall_row(std::uint32_t number) {
  auto it =
      std::lower_bound(kSyscallTable.begin(), kSyscallTable.end(), number,
                       [](const SyscallRow& row, std::uint32_t n) { return sysno_value(row.number) < n; });
  if (it == kSyscallTable.end() || sysno_value(it->number) != number) return nullptr;
  return &*it;
}

const SyscallRow* syscall_row_by_name(std::string_view name) {
  auto it = std::find_if(kSyscallTable.begin(), kSyscallTable.end(),
                         [name](const SyscallRow& row) { return row.name == name; });
  return it == kSyscallTable.end() ? nullptr : &*it;
}

// ---- Structure codecs ----------------------------------------------------------------------

SigSet decode_sigset(base::ByteSpan bytes, std::size_t offset) {
  SigSet::Words words{};
  for (std::size_t i = 0; i < words.size(); ++i)
    words[i] = base::load_le<std::uint32_t>(bytes, offset + 4 * i);
  return SigSet::from_words(words);
}

void encode_sigset(base::MutableByteSpan bytes, std::size_t offset, const SigSet& set) {
  for (std::size_t i = 0; i < set.words().size(); ++i)
    base::store_le<std::uint32_t>(bytes, offset + 4 * i, set.words()[i]);
}

vfs::KResult<SigSet> copyin_sigset(Kernel& kernel, Thread& td, UserAddr addr) {
  std::array<std::uint8_t, kSigsetBytes> raw{};
  TRY(kernel.copyin(td, addr, raw));
  return decode_sigset(raw, 0);
}

vfs::KResult<void> copyout_sigset(Kernel& kernel, Thread& td, UserAddr addr, const SigSet& set) {
  std::array<std::uint8_t, kSigsetBytes> raw{};
  encode_sigset(raw, 0, set);
  return kernel.copyout(td, addr, raw);
}

}  // namespace procsim::kern
