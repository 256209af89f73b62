// The system-call handlers the table points at, and what they share: reading C-typed arguments
// out of 64-bit registers and the amd64 (LP64) layouts of the structures they copy in and out.
// Internal to model/kern. FIXME: 32-bit processes (ILP32 layouts) once exec can create them.
#pragma once

#include <cstdint>

#include "model/kern/kernel.h"
#include "model/kern/syscall_table.h"

namespace procsim::kern {

// An `int` argument: the low 32 bits of the register, sign included.
constexpr std::int32_t arg_int(const SyscallRequest& request, std::size_t index) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(request.args[index]));
}
// An unsigned 32-bit argument (uid_t, gid_t, u_int).
constexpr std::uint32_t arg_uint(const SyscallRequest& request, std::size_t index) {
  return static_cast<std::uint32_t>(request.args[index]);
}
// A pointer argument.
constexpr UserAddr arg_ptr(const SyscallRequest& request, std::size_t index) {
  return UserAddr(request.args[index]);
}
constexpr bool is_null(UserAddr addr) { return addr.value() == 0; }

// td_retval for a call that returns one value (a negative int sign-extends, as in the register).
constexpr SyscallReturn ret(std::int64_t value) { return {static_cast<std::uint64_t>(value), 0}; }

// LP64 structure sizes (amd64).
inline constexpr std::size_t kTimespecBytes = 16;   // time_t tv_sec; long tv_nsec
inline constexpr std::size_t kSigsetBytes = 16;     // four 32-bit words
inline constexpr std::size_t kSigactionBytes = 32;  // handler 0, sa_flags 8, sa_mask 12
inline constexpr std::size_t kRlimitBytes = 16;     // rlim_cur, rlim_max
inline constexpr std::size_t kRusageBytes = 144;    // two timevals, fourteen longs

SigSet decode_sigset(base::ByteSpan bytes, std::size_t offset);
void encode_sigset(base::MutableByteSpan bytes, std::size_t offset, const SigSet& set);
vfs::KResult<SigSet> copyin_sigset(Kernel& kernel, Thread& td, UserAddr addr);
vfs::KResult<void> copyout_sigset(Kernel& kernel, Thread& td, UserAddr addr, const SigSet& set);

// Process calls (sys_proc.cpp).
vfs::KResult<SyscallReturn> sys_exit(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_fork(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_wait4(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_getpid(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_getppid(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_getpgrp(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_getpgid(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_getsid(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_setsid(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_setpgid(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_nanosleep(Kernel& kernel, Thread& td, const SyscallRequest& request);

// execve (kern_exec.cpp).
vfs::KResult<SyscallReturn> sys_execve(Kernel& kernel, Thread& td, const SyscallRequest& request);

// Memory calls (sys_vm.cpp).
vfs::KResult<SyscallReturn> sys_mmap(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_munmap(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_mprotect(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_obreak(Kernel& kernel, Thread& td, const SyscallRequest& request);

// Signal calls (sys_sig.cpp).
vfs::KResult<SyscallReturn> sys_kill(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_killpg(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_sigaction(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_sigprocmask(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_sigpending(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_sigsuspend(Kernel& kernel, Thread& td, const SyscallRequest& request);

// Credential and limit calls (sys_cred.cpp).
vfs::KResult<SyscallReturn> sys_getuid(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_geteuid(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_getgid(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_getegid(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_getgroups(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_setuid(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_seteuid(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_setgid(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_setegid(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_setgroups(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_issetugid(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_getrlimit(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_setrlimit(Kernel& kernel, Thread& td, const SyscallRequest& request);

// File calls (sys_file.cpp).
vfs::KResult<SyscallReturn> sys_read(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_write(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_open(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_close(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_unlink(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_chdir(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_fchdir(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_access(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_dup(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_ioctl(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_symlink(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_readlink(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_umask(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_dup2(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_fcntl(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_rename(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_mkdir(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_rmdir(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_stat(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_fstat(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_lstat(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_getdirentries(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_getdents(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_lseek(Kernel& kernel, Thread& td, const SyscallRequest& request);

// pipe(2) (sys_pipe.cpp).
vfs::KResult<SyscallReturn> sys_pipe(Kernel& kernel, Thread& td, const SyscallRequest& request);

// Information calls (sys_info.cpp).
vfs::KResult<SyscallReturn> sys_sysctl(Kernel& kernel, Thread& td, const SyscallRequest& request);
vfs::KResult<SyscallReturn> sys_clock_get_time(Kernel& kernel, Thread& td, const SyscallRequest& request);

}  // namespace procsim::kern
