// The system-call ABI that user code sees: FreeBSD's call numbers (amd64, 8.3
// sys/kern/syscalls.master), the trap a program makes (a number and six register-width
// arguments) and what comes back (two return registers or an errno), plus the argument formats
// truss-style printing uses. Structure layouts passed through pointers are the handlers' business.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "model/vfs/errno.h"

namespace procsim::kern {

// System-call numbers. Only calls the table has a row for are listed; the names are
// syscalls.master's with a capital first letter.
enum class Sysno : std::uint32_t {
  Exit = 1,
  Fork = 2,
  Read = 3,
  Write = 4,
  Open = 5,
  Close = 6,
  Wait4 = 7,
  Unlink = 10,
  Chdir = 12,
  Fchdir = 13,
  Break = 17,  // obreak(); "break" in syscalls.master's name column
  Getpid = 20,
  Setuid = 23,
  Getuid = 24,
  Geteuid = 25,
  Ptrace = 26,
  Access = 33,
  Kill = 37,
  Getppid = 39,
  Dup = 41,
  Pipe = 42,
  Getegid = 43,
  Getgid = 47,
  Ioctl = 54,
  Symlink = 57,
  Readlink = 58,
  Execve = 59,
  Umask = 60,
  Vfork = 66,
  Munmap = 73,
  Mprotect = 74,
  Getgroups = 79,
  Setgroups = 80,
  Getpgrp = 81,
  Setpgid = 82,
  Dup2 = 90,
  Fcntl = 92,
  Rename = 128,
  Mkdir = 136,
  Rmdir = 137,
  Killpg = 146,  // the COMPAT_43 okillpg; 8.3's libc implements killpg(3) with kill(2)
  Setsid = 147,
  Setgid = 181,
  Setegid = 182,
  Seteuid = 183,
  Stat = 188,
  Fstat = 189,
  Lstat = 190,
  Getrlimit = 194,
  Setrlimit = 195,
  Getdirentries = 196,
  Sysctl = 202,  // __sysctl
  Getpgid = 207,
  ClockGettime = 232,
  Nanosleep = 240,
  Issetugid = 253,
  Getdents = 272,
  Getsid = 310,
  Sigprocmask = 340,
  Sigsuspend = 341,
  Sigpending = 343,
  Sigaction = 416,
  Mmap = 477,
  Lseek = 478,
};

constexpr std::uint32_t sysno_value(Sysno number) { return static_cast<std::uint32_t>(number); }

// One trap: the call number and the argument registers, zero-extended to 64 bits. A pointer
// argument is a simulated user address, never a host pointer.
struct SyscallRequest {
  std::uint32_t number = 0;
  std::array<std::uint64_t, 6> args{};

  bool operator==(const SyscallRequest&) const = default;
};

// What the trap returns to user code: td_retval[0..1] on success, or the errno (the carry flag
// and the error in the first return register, as amd64 reports it).
struct SyscallResult {
  std::array<std::uint64_t, 2> retval{};
  std::optional<vfs::Errno> error;

  bool ok() const { return !error.has_value(); }
  bool operator==(const SyscallResult&) const = default;
};

// How a truss-style printer shows one argument (8.3 usr.bin/truss syscall types, in spirit).
enum class ArgFormat : std::uint8_t {
  Int,            // signed decimal
  Uint,           // unsigned decimal
  Hex,            // 0x...
  Octal,          // 0... (modes)
  ProcessId,      // a process id (signed: 0, -1 and -pgid are meaningful)
  SignalNumber,   // a signal number, by name where it has one
  String,         // pointer to a NUL-terminated string, read from the caller's memory
  Pointer,        // an address, printed in hex
  InBuffer,       // pointer to bytes the call reads (the next argument is the length)
  OutBuffer,      // pointer to bytes the call fills (shown after the call)
  Fd,             // a file descriptor
  WaitFlags,      // WNOHANG|WUNTRACED...
  SigHow,         // SIG_BLOCK / SIG_UNBLOCK / SIG_SETMASK
  Sigset,         // pointer to a sigset_t
  Sigaction,      // pointer to a struct sigaction
  Timespec,       // pointer to a struct timespec
  Rusage,         // pointer to a struct rusage (out)
  StatusOut,      // pointer to the int wait4 fills
  GidList,        // pointer to an array of gid_t
  StatOut,        // pointer to the struct stat the call fills
  StringVector,   // pointer to a NULL-terminated array of string pointers (argv, envp)
  PtraceRequest,  // a ptrace request, by PT_ name
  PtraceAddr,     // ptrace's addr: an address, or the structure the request names
};

}  // namespace procsim::kern
