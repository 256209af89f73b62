// Process system calls: exit, fork, wait4, the process and group id queries, setsid,
// setpgid (8.3 kern_exit.c, kern_fork.c, kern_prot.c; spec/kernel.md §3.3-§3.7) and nanosleep
// (kern_time.c, wmesg "nanslp", remaining time on EINTR).
#include "model/kern/sys_handlers.h"

#include <algorithm>
#include <limits>

#include "sim/base/assert.h"

namespace procsim::kern {

namespace {

// A struct timeval at `offset`: seconds, then microseconds.
void encode_timeval(base::MutableByteSpan out, std::size_t offset, const sim::Timeval& value) {
  base::store_le<std::int64_t>(out, offset, value.sec);
  base::store_le<std::int64_t>(out, offset + 8, value.usec);
}

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

// tvtohz(): ticks for a sleep of at least the given time, rounded up, plus one tick because
// the current tick is already partly over (8.3 kern_clock.c).
std::uint64_t tvtohz(std::int64_t sec, std::int64_t usec, std::uint32_t hz) {
  constexpr std::int64_t kLongMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kIntMax = std::numeric_limits<std::int32_t>::max();
  std::int64_t tick_usec = 1'000'000 / hz;
  std::int64_t ticks = 0;
  if (sec <= kLongMax / 1'000'000) {
    ticks = (sec * 1'000'000 + usec + tick_usec - 1) / tick_usec + 1;
  } else if (sec <= kLongMax / hz) {
    ticks = sec * hz + (usec + tick_usec - 1) / tick_usec + 1;
  } else {
    ticks = kIntMax;
  }
  return static_cast<std::uint64_t>(std::clamp<std::int64_t>(ticks, 1, kIntMax));
}

std::int64_t uptime_nanos(const Kernel& kernel, sim::Tick now) {
  sim::Timeval uptime = kernel.uptime_at(now);
  return uptime.sec * kNanosPerSecond + uptime.usec * 1000;
}

struct NanosleepOutcome {
  std::optional<vfs::Errno> error;
  std::int64_t remaining_nanos = 0;
};

// kern_nanosleep(): sleeps on nanowait until the deadline; a signal ends it with EINTR (never
// ERESTART) and the time still to go.
NanosleepOutcome kern_nanosleep(Kernel& kernel, Thread& td, std::int64_t sec, std::int64_t nsec) {
  if (nsec < 0 || nsec >= kNanosPerSecond) return {vfs::Errno::Einval, 0};
  if (sec < 0 || (sec == 0 && nsec == 0)) return {};
  std::int64_t start = uptime_nanos(kernel, kernel.engine().now());
  std::int64_t deadline = sec > (std::numeric_limits<std::int64_t>::max() - start) / kNanosPerSecond - 1
                              ? std::numeric_limits<std::int64_t>::max()
                              : start + sec * kNanosPerSecond + nsec;
  std::int64_t remaining = deadline - start;
  for (;;) {
    std::uint64_t ticks =
        tvtohz(remaining / kNanosPerSecond, (remaining % kNanosPerSecond) / 1000, kernel.hz());
    vfs::KResult<void> slept =
        kernel.sleep(td, WaitChannel{WaitChannel::Kind::Nanowait, 0}, PWAIT, "nanslp", ticks, true);
    std::int64_t now = uptime_nanos(kernel, kernel.engine().now());
    if (slept.is_error() && slept.error() != vfs::Errno::Ewouldblock) {
      vfs::Errno error = slept.error() == vfs::Errno::Erestart ? vfs::Errno::Eintr : slept.error();
      return {error, std::max<std::int64_t>(0, deadline - now)};
    }
    if (now >= deadline) return {};
    remaining = deadline - now;
  }
}

}  // namespace

vfs::KResult<SyscallReturn> sys_exit(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  kernel.exit1(td, exit_status(arg_int(request, 0)));
}

vfs::KResult<SyscallReturn> sys_fork(Kernel& kernel, Thread& td, const SyscallRequest&) {
  Proc* child = TRY(kernel.fork1(td));
  return SyscallReturn{static_cast<std::uint64_t>(child->pid().value()), 0};
}

vfs::KResult<SyscallReturn> sys_wait4(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  UserAddr status_addr = arg_ptr(request, 1);
  UserAddr rusage_addr = arg_ptr(request, 3);
  WaitResult result = TRY(kernel.kern_wait(td, arg_int(request, 0), arg_uint(request, 2)));
  // FIXME: with WNOHANG and nothing ready 8.3 copies out an uninitialized status; this writes 0.
  if (!is_null(status_addr)) {
    std::array<std::uint8_t, 4> raw{};
    base::store_le<std::uint32_t>(raw, 0, result.status);
    TRY(kernel.copyout(td, status_addr, raw));
  }
  if (!is_null(rusage_addr)) {
    std::array<std::uint8_t, kRusageBytes> raw{};
    encode_timeval(raw, 0, kernel.ticks_to_timeval(result.user_ticks));
    encode_timeval(raw, 16, kernel.ticks_to_timeval(result.system_ticks));
    TRY(kernel.copyout(td, rusage_addr, raw));
  }
  return ret(result.pid.value());
}

// getpid() also returns the parent's pid in the second register (COMPAT_43, in GENERIC).
vfs::KResult<SyscallReturn> sys_getpid(Kernel&, Thread& td, const SyscallRequest&) {
  Proc& p = td.proc();
  std::int64_t ppid = p.pptr != nullptr ? p.pptr->pid().value() : 0;
  return SyscallReturn{static_cast<std::uint64_t>(p.pid().value()), static_cast<std::uint64_t>(ppid)};
}

vfs::KResult<SyscallReturn> sys_getppid(Kernel&, Thread& td, const SyscallRequest&) {
  Proc& p = td.proc();
  return ret(p.pptr != nullptr ? p.pptr->pid().value() : 0);
}

vfs::KResult<SyscallReturn> sys_getpgrp(Kernel&, Thread& td, const SyscallRequest&) {
  return ret(td.proc().pgrp->pgid.value());
}

// getpgid(pid) and getsid(pid): 0 is the caller; another process must be live and visible.
namespace {

vfs::KResult<Proc*> find_visible(Kernel& kernel, Thread& td, std::int32_t pid) {
  if (pid == 0) return &td.proc();
  Proc* p = kernel.pfind(Pid(pid));
  if (p == nullptr) return base::fail(vfs::Errno::Esrch);
  TRY(p_cansee(kernel.view(td.proc()), kernel.view(*p), kernel.policy()));
  return p;
}

}  // namespace

vfs::KResult<SyscallReturn> sys_getpgid(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  Proc* p = TRY(find_visible(kernel, td, arg_int(request, 0)));
  return ret(p->pgrp->pgid.value());
}

vfs::KResult<SyscallReturn> sys_getsid(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  Proc* p = TRY(find_visible(kernel, td, arg_int(request, 0)));
  return ret(p->pgrp->session->sid.value());
}

// setsid(): EPERM for a group leader or when a group with the caller's pid exists.
vfs::KResult<SyscallReturn> sys_setsid(Kernel& kernel, Thread& td, const SyscallRequest&) {
  Proc& p = td.proc();
  if (p.pgrp->pgid == p.pid() || kernel.pgfind(p.pid()) != nullptr) return base::fail(vfs::Errno::Eperm);
  TRY(kernel.enterpgrp(p, p.pid(), true));
  PROCSIM_ASSERT(p.pgrp->session->leader == &p);
  return ret(p.pid().value());
}

// setpgid() in 8.3's order: EINVAL for a negative pgid; a target other than the caller must be
// a live descendant (ESRCH), visible, in the caller's session (EPERM) and not have exec'd
// (EACCES); a session leader cannot move (EPERM); a new group must be named after the target;
// an existing group must be the target's own or in the caller's session.
vfs::KResult<SyscallReturn> sys_setpgid(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  std::int32_t pid = arg_int(request, 0);
  std::int32_t pgid = arg_int(request, 1);
  if (pgid < 0) return base::fail(vfs::Errno::Einval);
  Proc& curp = td.proc();
  Proc* target = &curp;
  if (pid != 0 && pid != curp.pid().value()) {
    target = kernel.pfind(Pid(pid));
    if (target == nullptr || !Kernel::inferior(*target, curp)) return base::fail(vfs::Errno::Esrch);
    TRY(p_cansee(kernel.view(curp), kernel.view(*target), kernel.policy()));
    if (target->pgrp->session != curp.pgrp->session) return base::fail(vfs::Errno::Eperm);
    if ((target->flag & P_EXEC) != 0) return base::fail(vfs::Errno::Eacces);
  }
  if (target->pgrp->session->leader == target) return base::fail(vfs::Errno::Eperm);
  if (pgid == 0) pgid = target->pid().value();
  Pgrp* pgrp = kernel.pgfind(Pid(pgid));
  if (pgrp == nullptr) {
    if (pgid != target->pid().value()) return base::fail(vfs::Errno::Eperm);
    TRY(kernel.enterpgrp(*target, Pid(pgid), false));
    return ret(0);
  }
  if (pgrp == target->pgrp) return ret(0);
  if (pgrp->pgid != target->pid() && pgrp->session != curp.pgrp->session)
    return base::fail(vfs::Errno::Eperm);
  kernel.enterthispgrp(*target, *pgrp);
  return ret(0);
}

vfs::KResult<SyscallReturn> sys_nanosleep(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  std::array<std::uint8_t, kTimespecBytes> raw{};
  TRY(kernel.copyin(td, arg_ptr(request, 0), raw));
  UserAddr rmtp = arg_ptr(request, 1);
  if (!is_null(rmtp)) {
    // useracc(): the remaining-time buffer must be writable before the sleep starts.
    std::array<std::uint8_t, kTimespecBytes> probe{};
    if (kernel.copyin(td, rmtp, probe).is_error()) return base::fail(vfs::Errno::Efault);
  }
  NanosleepOutcome outcome =
      kern_nanosleep(kernel, td, base::load_le<std::int64_t>(raw, 0), base::load_le<std::int64_t>(raw, 8));
  if (!outcome.error) return ret(0);
  if (!is_null(rmtp)) {
    std::array<std::uint8_t, kTimespecBytes> rmt{};
    base::store_le<std::int64_t>(rmt, 0, outcome.remaining_nanos / kNanosPerSecond);
    base::store_le<std::int64_t>(rmt, 8, outcome.remaining_nanos % kNanosPerSecond);
    TRY(kernel.copyout(td, rmtp, rmt));
  }
  return base::fail(*outcome.error);
}

}  // namespace procsim::kern
