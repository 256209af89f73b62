// Signal system calls (8.3 kern_sig.c; spec/kernel.md §2.6): kill and the COMPAT_43 killpg
// with killpg1's broadcast and group rules, sigaction with the sets it derives, sigprocmask,
// sigpending and sigsuspend (wmesg "pause").
#include "model/kern/sys_handlers.h"
#include "sim/base/assert.h"

namespace procsim::kern {

namespace {

// The skip rule of both group forms: pid <= 1, system processes and processes being created.
bool never_signalled_by_group(const Proc& p) {
  return p.pid().value() <= 1 || (p.flag & P_SYSTEM) != 0 || p.state() == ProcState::PRS_NEW;
}

// killpg1(): `all` is kill(-1): every process but the excluded ones and the caller; otherwise
// the members of group `pgid` (0: the caller's). ESRCH when nobody could be signalled, even if
// the reason was permission.
vfs::KResult<void> killpg1(Kernel& kernel, Thread& td, std::uint32_t signum, std::int32_t pgid, bool all,
                           const Ksiginfo& info) {
  Proc& caller = td.proc();
  std::vector<Proc*> targets;
  if (all) {
    for (Proc* p : kernel.allproc()) {
      if (never_signalled_by_group(*p) || p == &caller) continue;
      targets.push_back(p);
    }
  } else {
    Pgrp* pgrp = pgid == 0 ? caller.pgrp : kernel.pgfind(Pid(pgid));
    if (pgrp == nullptr) return base::fail(vfs::Errno::Esrch);
    for (Proc* p : pgrp->members) {
      if (!never_signalled_by_group(*p)) targets.push_back(p);
    }
  }
  int found = 0;
  for (Proc* p : targets) {
    if (p_cansignal(kernel.view(caller), kernel.view(*p), signum, kernel.policy()).is_error()) continue;
    ++found;
    if (signum != 0) kernel.pksignal(*p, Signal(signum), info);
  }
  if (found == 0) return base::fail(vfs::Errno::Esrch);
  return {};
}

Ksiginfo user_siginfo(Thread& td, std::uint32_t signum) {
  Ksiginfo info;
  info.signo = Signal(signum == 0 ? 1 : signum);
  info.code = Si_user;
  info.pid = td.proc().pid();
  info.uid = td.proc().cred.ruid;
  return info;
}

// An `int` signal number as kill() checks it: (u_int)signum > _SIG_MAXSIG is EINVAL.
std::uint32_t signum_arg(const SyscallRequest& request, std::size_t index) {
  return static_cast<std::uint32_t>(arg_int(request, index));
}

}  // namespace

vfs::KResult<SyscallReturn> sys_kill(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  std::int32_t pid = arg_int(request, 0);
  std::uint32_t signum = signum_arg(request, 1);
  if (signum > kSigMaxsig) return base::fail(vfs::Errno::Einval);
  Ksiginfo info = user_siginfo(td, signum);
  if (pid > 0) {
    // A zombie can be signalled (it just has no effect).
    Proc* target = kernel.pfind(Pid(pid));
    if (target == nullptr) target = kernel.zpfind(Pid(pid));
    if (target == nullptr) return base::fail(vfs::Errno::Esrch);
    TRY(p_cansignal(kernel.view(td.proc()), kernel.view(*target), signum, kernel.policy()));
    if (signum != 0) kernel.pksignal(*target, Signal(signum), info);
    return ret(0);
  }
  if (pid == -1) {
    TRY(killpg1(kernel, td, signum, 0, true, info));
  } else {
    TRY(killpg1(kernel, td, signum, pid == 0 ? 0 : -pid, false, info));
  }
  return ret(0);
}

vfs::KResult<SyscallReturn> sys_killpg(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  std::int32_t pgid = arg_int(request, 0);
  std::uint32_t signum = signum_arg(request, 1);
  if (signum > kSigMaxsig) return base::fail(vfs::Errno::Einval);
  TRY(killpg1(kernel, td, signum, pgid, false, user_siginfo(td, signum)));
  return ret(0);
}

namespace {

struct SigactionValue {
  std::uint64_t handler = Sig_dfl;
  SaFlags flags = 0;
  SigSet mask;
};

SigactionValue old_sigaction(const Proc& p, Signal signal) {
  const Sigacts& acts = p.sigacts;
  SigactionValue old;
  old.mask = acts.mask_for(signal);
  old.handler = acts.handler(signal);
  if (acts.sigonstack.contains(signal)) old.flags |= Sa_onstack;
  if (!acts.sigintr.contains(signal)) old.flags |= Sa_restart;
  if (acts.sigreset.contains(signal)) old.flags |= Sa_resethand;
  if (acts.signodefer.contains(signal)) old.flags |= Sa_nodefer;
  if (acts.siginfo.contains(signal)) old.flags |= Sa_siginfo;
  if (signal == Sigchld && (acts.flag & PS_NOCLDSTOP) != 0) old.flags |= Sa_nocldstop;
  if (signal == Sigchld && (acts.flag & PS_NOCLDWAIT) != 0) old.flags |= Sa_nocldwait;
  return old;
}

void set_member(SigSet& set, Signal signal, bool member) {
  if (member) {
    set.add(signal);
  } else {
    set.del(signal);
  }
}

void sigchld_flags(Proc& p, SaFlags flags) {
  Sigacts& acts = p.sigacts;
  acts.flag = (flags & Sa_nocldstop) != 0 ? acts.flag | PS_NOCLDSTOP : acts.flag & ~PS_NOCLDSTOP;
  // init may not ask for SA_NOCLDWAIT: that is implemented by giving the children to init.
  bool nocldwait = (flags & Sa_nocldwait) != 0 && p.pid().value() != 1;
  acts.flag = nocldwait ? acts.flag | PS_NOCLDWAIT : acts.flag & ~PS_NOCLDWAIT;
  bool ignored = acts.handler(Sigchld) == Sig_ign;
  acts.flag = ignored ? acts.flag | PS_CLDSIGIGN : acts.flag & ~PS_CLDSIGIGN;
}

// kern_sigaction()'s update: the handler, its mask (never SIGKILL or SIGSTOP), the flag sets,
// SIGCHLD's ps_flag bits, and the ignore set (whose new members lose their pending instances).
void install_sigaction(Proc& p, Signal signal, const SigactionValue& act) {
  Sigacts& acts = p.sigacts;
  std::size_t index = signal.value() - 1;
  acts.catchmask[index] = act.mask;
  sig_cantmask(acts.catchmask[index]);
  acts.action[index] = act.handler;
  set_member(acts.siginfo, signal, (act.flags & Sa_siginfo) != 0);
  set_member(acts.sigintr, signal, (act.flags & Sa_restart) == 0);
  set_member(acts.sigonstack, signal, (act.flags & Sa_onstack) != 0);
  set_member(acts.sigreset, signal, (act.flags & Sa_resethand) != 0);
  set_member(acts.signodefer, signal, (act.flags & Sa_nodefer) != 0);
  if (signal == Sigchld) sigchld_flags(p, act.flags);
  bool default_ignore = (sigprop(signal) & SA_IGNORE) != 0 && act.handler == Sig_dfl;
  if (act.handler == Sig_ign || default_ignore) {
    p.sigqueue.remove(signal);
    for (const auto& td : p.threads) td->sigqueue.remove(signal);
    if (signal != Sigcont) acts.sigignore.add(signal);
    acts.sigcatch.del(signal);
  } else {
    acts.sigignore.del(signal);
    set_member(acts.sigcatch, signal, act.handler != Sig_dfl);
  }
}

}  // namespace

vfs::KResult<SyscallReturn> sys_sigaction(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  UserAddr act_addr = arg_ptr(request, 1);
  UserAddr oact_addr = arg_ptr(request, 2);
  std::optional<SigactionValue> act;
  if (!is_null(act_addr)) {
    std::array<std::uint8_t, kSigactionBytes> raw{};
    TRY(kernel.copyin(td, act_addr, raw));
    act = SigactionValue{base::load_le<std::uint64_t>(raw, 0), base::load_le<std::uint32_t>(raw, 8),
                         decode_sigset(raw, 12)};
  }
  std::int32_t number = arg_int(request, 0);
  if (number <= 0 || !is_valid_signal(static_cast<std::uint32_t>(number)))
    return base::fail(vfs::Errno::Einval);
  Signal signal(static_cast<std::uint32_t>(number));
  Proc& p = td.proc();
  SigactionValue old = old_sigaction(p, signal);
  if (act) {
    if ((signal == Sigkill || signal == Sigstop) && act->handler != Sig_dfl)
      return base::fail(vfs::Errno::Einval);
    install_sigaction(p, signal, *act);
  }
  if (!is_null(oact_addr)) {
    std::array<std::uint8_t, kSigactionBytes> raw{};
    base::store_le<std::uint64_t>(raw, 0, old.handler);
    base::store_le<std::uint32_t>(raw, 8, old.flags);
    encode_sigset(raw, 12, old.mask);
    TRY(kernel.copyout(td, oact_addr, raw));
  }
  return ret(0);
}

// sigprocmask(): `how` is only checked when a new set is given; SIGKILL and SIGSTOP never stay
// in the mask.
vfs::KResult<SyscallReturn> sys_sigprocmask(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  UserAddr set_addr = arg_ptr(request, 1);
  UserAddr oset_addr = arg_ptr(request, 2);
  std::optional<SigSet> set;
  if (!is_null(set_addr)) set = TRY(copyin_sigset(kernel, td, set_addr));
  SigSet old = td.sigmask;
  if (set) {
    switch (static_cast<std::uint64_t>(arg_int(request, 0))) {
      case Sig_block:
        sig_cantmask(*set);
        td.sigmask |= *set;
        break;
      case Sig_unblock:
        td.sigmask.remove_all(*set);
        td.ast_pending = true;
        break;
      case Sig_setmask:
        sig_cantmask(*set);
        td.sigmask = *set;
        td.ast_pending = true;
        break;
      default: return base::fail(vfs::Errno::Einval);
    }
  }
  if (!is_null(oset_addr)) TRY(copyout_sigset(kernel, td, oset_addr, old));
  return ret(0);
}

vfs::KResult<SyscallReturn> sys_sigpending(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  SigSet pending = td.proc().sigqueue.signals();
  pending |= td.sigqueue.signals();
  TRY(copyout_sigset(kernel, td, arg_ptr(request, 0), pending));
  return ret(0);
}

// sigsuspend(): waits ("pause") with the given mask until a signal is delivered; the old mask
// comes back after the handler (TDP_OLDMASK). Always EINTR.
vfs::KResult<SyscallReturn> sys_sigsuspend(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  SigSet mask = TRY(copyin_sigset(kernel, td, arg_ptr(request, 0)));
  sig_cantmask(mask);
  td.oldsigmask = td.sigmask;
  td.restore_oldmask = true;
  td.sigmask = mask;
  td.ast_pending = true;
  WaitChannel chan{WaitChannel::Kind::ProcSigacts, td.proc().pid().value()};
  for (std::size_t round = 0; round < Kernel::kMaxDispatchesPerTick; ++round) {
    if (kernel.sleep(td, chan, PPAUSE, "pause", 0, true).is_error()) break;
  }
  return base::fail(vfs::Errno::Eintr);
}

}  // namespace procsim::kern
