// The wait(2) status word and option bits as FreeBSD 8.3's sys/sys/wait.h defines them
// (spec/kernel.md §2.7). The host's <stdlib.h> defines WIFEXITED, WNOHANG and friends as macros,
// so the functions are spelled in lower case and the constants with only a leading capital.
// siginfo-based waitid(2) and the rusage part of wait4 are not here.
#pragma once

#include <cstdint>

namespace procsim::kern {

// The status a parent reads: p_xstat is a u_short in 8.3, so 16 bits carry everything.
using WaitStatus = std::uint32_t;

// Low 7 bits of a stopped status (_WSTOPPED), the core-dump flag and SIGCONT's continued status.
inline constexpr WaitStatus kWStopped = 0177;
inline constexpr WaitStatus Wcoreflag = 0200;
inline constexpr WaitStatus kWContinuedStatus = 0x13;

// W_EXITCODE(ret, sig): the status of a process that exited with `ret` or was killed by `sig`.
constexpr WaitStatus w_exitcode(std::uint32_t ret, std::uint32_t sig) { return ret << 8 | sig; }

// W_STOPCODE(sig): the status of a process stopped by `sig`.
constexpr WaitStatus w_stopcode(std::uint32_t sig) { return sig << 8 | kWStopped; }

// exit(n): only the low 8 bits of n survive into the status.
constexpr WaitStatus exit_status(std::int64_t n) {
  return w_exitcode(static_cast<std::uint32_t>(n) & 0xff, 0);
}

// The status of a process killed by `sig`, with WCOREFLAG if a core was written.
constexpr WaitStatus killed_status(std::uint32_t sig, bool core_dumped) {
  return w_exitcode(0, sig) | (core_dumped ? Wcoreflag : 0);
}

constexpr WaitStatus w_status_low(WaitStatus status) { return status & 0177; }

constexpr bool wifstopped(WaitStatus status) { return w_status_low(status) == kWStopped; }
constexpr WaitStatus wstopsig(WaitStatus status) { return status >> 8; }
// A continued status (0x13) has non-zero low bits too; it is not "signaled".
constexpr bool wifsignaled(WaitStatus status) {
  return w_status_low(status) != kWStopped && w_status_low(status) != 0 && status != kWContinuedStatus;
}
constexpr WaitStatus wtermsig(WaitStatus status) { return w_status_low(status); }
constexpr bool wifexited(WaitStatus status) { return w_status_low(status) == 0; }
constexpr WaitStatus wexitstatus(WaitStatus status) { return status >> 8; }
constexpr bool wifcontinued(WaitStatus status) { return status == kWContinuedStatus; }
constexpr bool wcoredump(WaitStatus status) { return (status & Wcoreflag) != 0; }

// wait4() options.
using WaitOptions = std::uint32_t;
inline constexpr WaitOptions Wnohang = 1;               // WNOHANG: do not block
inline constexpr WaitOptions Wuntraced = 2;             // WUNTRACED: report stopped children
inline constexpr WaitOptions Wstopped = Wuntraced;      // WSTOPPED: the POSIX name for the same bit
inline constexpr WaitOptions Wcontinued = 4;            // WCONTINUED: report continued children
inline constexpr WaitOptions Wnowait = 8;               // WNOWAIT: leave the child waitable
inline constexpr WaitOptions Wlinuxclone = 0x80000000;  // WLINUXCLONE: Linux clone children

// Options kern_wait accepts; any other bit is EINVAL. spec/kernel.md §3.6
inline constexpr WaitOptions kWaitOptionsValid = Wuntraced | Wnohang | Wcontinued | Wnowait | Wlinuxclone;

constexpr bool wait_options_valid(WaitOptions options) { return (options & ~kWaitOptionsValid) == 0; }

// wait4()'s pid argument: any child, or the caller's own process group.
inline constexpr std::int32_t kWaitAny = -1;    // WAIT_ANY
inline constexpr std::int32_t kWaitMyPgrp = 0;  // WAIT_MYPGRP

}  // namespace procsim::kern
