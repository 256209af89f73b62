// Signals as FreeBSD 8.3's kern_sig.c handles them (spec/kernel.md §2.3, §2.6, §2.7): posting
// (tdsignal, with the stopped-process, continue and traced rules), delivery at the user
// boundary (issignal, postsig, sigexit), job-control stops and parent notification with the
// p_ksi reuse rule, the ptrace and procfs stop machinery, and thread suspension. Core files are
// never written: a core signal logs its message and exits without WCOREFLAG.
#include "model/kern/kernel.h"

#include <fmt/format.h>

#include "sim/base/assert.h"

namespace procsim::kern {

namespace {

enum class SigAction : std::uint8_t { Hold, Catch, Default };

std::int64_t pid_field(const Proc& p) { return p.pid().value(); }

// The bound on issignal's rescans: every round consumes or requeues a signal.
constexpr std::size_t kMaxSignalRounds = 100'000;

}  // namespace

void Kernel::psignal(Proc& p, Signal signal) { tdsignal(p, nullptr, signal, std::nullopt); }

void Kernel::pksignal(Proc& p, Signal signal, const Ksiginfo& info) { tdsignal(p, nullptr, signal, info); }

// sigtd(): the thread a process-wide signal is aimed at: the current thread if it belongs to
// the process and does not block the signal, else the first thread that does not, else the first.
Thread* Kernel::sigtd(Proc& p, Signal signal) {
  if (m_curthread != nullptr && &m_curthread->proc() == &p && !m_curthread->sigmask.contains(signal)) {
    return m_curthread;
  }
  for (const auto& td : p.threads) {
    if (!td->sigmask.contains(signal)) return td.get();
  }
  return &p.first_thread();
}

void Kernel::tdsignal(Proc& p, Thread* target, Signal signal, const std::optional<Ksiginfo>& info) {
  PROCSIM_ASSERT(is_valid_signal(signal.value()));
  if (p.is_zombie() || p.threads.empty()) return;
  Thread& td = target != nullptr ? *target : *sigtd(p, signal);
  SigQueue& queue = target != nullptr ? td.sigqueue : p.sigqueue;
  SigProps prop = sigprop(signal);
  if (p.sigacts.sigignore.contains(signal)) return;
  SigAction action = td.sigmask.contains(signal)           ? SigAction::Hold
                     : p.sigacts.sigcatch.contains(signal) ? SigAction::Catch
                                                           : SigAction::Default;
  vfs::Errno intrval = p.sigacts.sigintr.contains(signal) ? vfs::Errno::Eintr : vfs::Errno::Erestart;
  if ((prop & SA_CONT) != 0) {
    p.sigqueue.remove_set(stop_signals());
    for (const auto& thread : p.threads) thread->sigqueue.remove_set(stop_signals());
  } else if ((prop & SA_STOP) != 0) {
    // A terminal stop signal with the default action is dropped in an orphaned process group.
    if ((prop & SA_TTYSTOP) != 0 && p.pgrp->jobc == 0 && action == SigAction::Default) return;
    p.sigqueue.remove(Sigcont);
    for (const auto& thread : p.threads) thread->sigqueue.remove(Sigcont);
    p.flag &= ~P_CONTINUED;
  }
  queue.add(signal, info);
  if (tracing()) {
    std::int64_t from = info ? std::int64_t{info->pid.value()} : 0;
    trace(KernTrace::Post, {{"pid", pid_field(p)}, {"sig", signal_name(signal)}, {"from", from}});
  }
  td.ast_pending = true;
  // Held signals wait, except that SIGCONT still continues a stopped process.
  if (action == SigAction::Hold && !((prop & SA_CONT) != 0 && (p.flag & P_STOPPED_SIG) != 0)) return;
  if (signal == Sigkill) {
    // SIGKILL cancels procfs stop events (PIOCBIC + PIOCCONT).
    p.stops = 0;
    p.step = false;
    wakeup(WaitChannel{WaitChannel::Kind::ProcStep, p.pid().value()});
  }
  if (p_shouldstop(p.flag)) {
    bool held = action == SigAction::Hold;
    if (!tdsignal_stopped(p, td, queue, signal, action == SigAction::Catch, held, intrval)) return;
  } else if (p.state() == ProcState::PRS_NORMAL) {
    if ((p.flag & P_TRACED) != 0 || action == SigAction::Catch) {
      tdsigwakeup(td, signal, action == SigAction::Catch, intrval);
      return;
    }
    PROCSIM_ASSERT(action == SigAction::Default);
    if ((prop & SA_STOP) != 0) {
      if ((p.flag & P_PPWAIT) == 0) stop_process_by_signal(p, signal, m_curthread);
      return;
    }
  } else {
    queue.remove(signal);
    return;
  }
  // runfast: the process must run to act on the signal.
  tdsigwakeup(td, signal, action == SigAction::Catch, intrval);
  thread_unsuspend(p);
}

// tdsignal() for a stopped process: SIGKILL and a caught SIGCONT make it run (true); a
// default or held SIGCONT continues it; a stop signal only renews the stop; anything else ends
// an interruptible sleep so that the signal is seen once the process runs again.
bool Kernel::tdsignal_stopped(Proc& p, Thread& td, SigQueue& queue, Signal signal, bool caught, bool held,
                              vfs::Errno intrval) {
  SigProps prop = sigprop(signal);
  if ((p.flag & P_SYSTEM) != 0) return false;
  if (signal == Sigkill) {
    // A traced process that is stopped stays stopped; anything else runs to die.
    if ((p.flag & P_TRACED) != 0) return false;
    p.flag &= ~P_STOPPED_SIG;
    return true;
  }
  if ((prop & SA_CONT) != 0) {
    if ((p.flag & P_TRACED) != 0) return false;
    p.flag &= ~P_STOPPED_SIG;
    if (p.all_threads_suspended()) {
      if (m_era.reports_continued) {
        p.flag |= P_CONTINUED;
        p.xstat = static_cast<std::uint16_t>(Sigcont.value());
        childproc_jobstate(p, Cld_continued, static_cast<std::int32_t>(Sigcont.value()));
      }
      trace(KernTrace::Continue, {{"pid", pid_field(p)}, {"sig", signal_name(signal)}});
    }
    if (caught) return true;
    thread_unsuspend(p);
    if (!held) queue.remove(signal);
    return false;
  }
  if ((prop & SA_STOP) != 0) {
    if ((p.flag & P_TRACED) == 0) {
      p.flag |= P_STOPPED_SIG;
      queue.remove(signal);
    }
    return false;
  }
  if (td.wchan && td.sleep_interruptible) {
    td.sleep_intrval = intrval;
    end_sleep(td, SleepEnd::Interrupted);
  }
  return false;
}

// The default stop of a running process: stopped at once where its threads sleep
// interruptibly, otherwise when they next reach the user boundary.
void Kernel::stop_process_by_signal(Proc& p, Signal signal, Thread* sender) {
  p.flag |= P_STOPPED_SIG;
  p.xstat = static_cast<std::uint16_t>(signal.value());
  sig_suspend_threads(p, sender, true);
  if (p.all_threads_suspended()) {
    thread_stopped(p);
    Signal stopped_by(p.xstat);
    p.sigqueue.remove(stopped_by);
    for (const auto& thread : p.threads) thread->sigqueue.remove(stopped_by);
  }
}

// tdsigwakeup(): an interruptible sleep ends with EINTR/ERESTART, except that a default
// SIGCONT does not wake a sleeper; a thread waiting in user mode is sent back to its boundary.
void Kernel::tdsigwakeup(Thread& td, Signal signal, bool caught, vfs::Errno intrval) {
  SigProps prop = sigprop(signal);
  if (td.wchan) {
    if (!td.sleep_interruptible) return;
    if ((prop & SA_CONT) != 0 && !caught) {
      td.proc().sigqueue.remove(signal);
      td.sigqueue.remove(signal);
      return;
    }
    td.sleep_intrval = intrval;
    end_sleep(td, SleepEnd::Interrupted);
    return;
  }
  unpark(td);
}

void Kernel::sig_suspend_threads(Proc& p, const Thread* sender_thread, bool sending) {
  for (const auto& owned : p.threads) {
    Thread& td = *owned;
    if (td.is_sleeping() && td.sleep_interruptible) {
      if (!td.is_suspended()) thread_suspend_one(td);
      continue;
    }
    if (td.is_suspended()) continue;
    if (sending || &td != sender_thread) td.ast_pending = true;
    unpark(td);
  }
}

void Kernel::thread_suspend_one(Thread& td) {
  PROCSIM_ASSERT(!td.is_suspended());
  PROCSIM_ASSERT(td.state() == ThreadState::TDS_INHIBITED);
  td.add_inhibitor(TDI_SUSPENDED);
  ++td.proc().suspcount;
}

void Kernel::thread_unsuspend_one(Thread& td) {
  PROCSIM_ASSERT(td.is_suspended());
  Proc& p = td.proc();
  PROCSIM_ASSERT(p.suspcount > 0);
  --p.suspcount;
  if (td.clear_inhibitor(TDI_SUSPENDED)) setrunnable(td);
}

void Kernel::thread_unsuspend(Proc& p) {
  // Threads resume only once no stop reason is left (8.3 kern_thread.c).
  if (p_shouldstop(p.flag)) return;
  for (const auto& td : p.threads) {
    if (td->is_suspended()) thread_unsuspend_one(*td);
  }
}

// The current thread suspends itself; the last thread of a stopping process to do so tells
// the parent (thread_stopped before the count, as 8.3 does).
void Kernel::thread_suspend_switch(Thread& td) {
  PROCSIM_ASSERT(m_curthread == &td);
  Proc& p = td.proc();
  thread_stopped(p);
  ++p.suspcount;
  td.transition_to_inhibited(TDI_SUSPENDED);
  switch_out(td);
}

// thread_suspend_check(): at the user boundary, a thread of a process that should stop waits.
void Kernel::thread_suspend_check(Thread& td) {
  Proc& p = td.proc();
  for (std::size_t round = 0; round < kMaxSignalRounds; ++round) {
    bool debugger_hold = (p.flag & P_TRACED) != 0 && (td.dbgflags & TDB_SUSPEND) != 0;
    if (!p_shouldstop(p.flag) && !debugger_hold) return;
    ++p.suspcount;
    td.transition_to_inhibited(TDI_SUSPENDED);
    switch_out(td);
  }
  PROCSIM_UNREACHABLE();
}

void Kernel::thread_stopped(Proc& p) {
  int stopped = p.suspcount;
  if (m_curthread != nullptr && &m_curthread->proc() == &p) ++stopped;
  if ((p.flag & P_STOPPED_SIG) == 0 || stopped != static_cast<int>(p.threads.size())) return;
  p.flag &= ~P_WAITED;
  trace(KernTrace::Stop, {{"pid", pid_field(p)}, {"sig", signal_name(Signal(p.xstat))}});
  bool traced = (p.flag & P_TRACED) != 0;
  childproc_jobstate(p, traced ? Cld_trapped : Cld_stopped, p.xstat);
  for (const ProcHook& hook : m_stop_hooks) hook(p);
}

// childproc_jobstate(): the parent learns that a child stopped or continued: P_STATCHILD and a
// wakeup always, SIGCHLD unless the parent asked for SA_NOCLDSTOP (spec/kernel.md §2.7).
void Kernel::childproc_jobstate(Proc& p, std::int32_t reason, std::int32_t status) {
  Proc* parent = p.pptr;
  PROCSIM_ASSERT(parent != nullptr);
  parent->flag |= P_STATCHILD;
  wakeup(WaitChannel{WaitChannel::Kind::Proc, parent->pid().value()});
  if ((parent->sigacts.flag & PS_NOCLDSTOP) == 0) sigparent(p, reason, status);
}

void Kernel::childproc_exited(Proc& p) {
  WaitStatus status = p.xstat;
  std::int32_t reason = wcoredump(status) ? Cld_dumped : wifsignaled(status) ? Cld_killed : Cld_exited;
  sigparent(p, reason, static_cast<std::int32_t>(status));
}

// sigparent(): SIGCHLD carries the child's own preallocated siginfo; if that is still queued
// at the parent, only its fields change and no second SIGCHLD is queued.
void Kernel::sigparent(Proc& p, std::int32_t reason, std::int32_t status) {
  Proc& parent = *p.pptr;
  Ksiginfo info;
  info.signo = Sigchld;
  info.code = reason;
  info.status = status;
  info.pid = p.pid();
  info.uid = p.cred.ruid;
  info.owner = p.pid();
  if (Ksiginfo* queued = parent.sigqueue.find_owned(p.pid())) {
    *queued = info;
    return;
  }
  tdsignal(parent, nullptr, Sigchld, info);
}

// ---- Delivery at the user boundary ---------------------------------------------------------

void Kernel::ast(Thread& td) {
  PROCSIM_ASSERT(m_curthread == &td);
  td.ast_pending = false;
  std::vector<SignalFrame> frames;
  for (std::size_t round = 0; round < kMaxSignalRounds; ++round) {
    std::optional<Signal> signal = issignal(td);
    if (!signal) break;
    if (std::optional<SignalFrame> frame = postsig(td, *signal)) frames.push_back(*frame);
  }
  // A sigsuspend whose wait no handler consumed gets its mask back here.
  if (td.restore_oldmask) {
    td.sigmask = td.oldsigmask;
    td.restore_oldmask = false;
  }
  thread_suspend_check(td);
  // The frames were pushed one on another: the last one runs first, and each sigreturn goes
  // back to the mask from before its signal.
  for (auto it = frames.rbegin(); it != frames.rend(); ++it) run_signal_handler(td, *it);
}

void Kernel::run_signal_handler(Thread& td, const SignalFrame& frame) {
  Program* program = td.proc().program.get();
  PROCSIM_ASSERT(program != nullptr);
  PROCSIM_ASSERT(td.signal_depth < 64);
  bool was_in_kernel = td.in_kernel;
  td.in_kernel = false;
  ++td.signal_depth;
  {
    UserContext context(*this, td);
    program->handle_signal(context, frame.signal, frame.handler);
  }
  --td.signal_depth;
  // sigreturn(2): the interrupted code resumes with the mask it had.
  td.in_kernel = was_in_kernel;
  td.sigmask = frame.return_mask;
  sig_cantmask(td.sigmask);
  ast(td);
}

std::optional<Signal> Kernel::issignal(Thread& td) {
  Proc& p = td.proc();
  for (std::size_t round = 0; round < kMaxSignalRounds; ++round) {
    bool traced = (p.flag & P_TRACED) != 0 || (p.stops & S_SIG) != 0;
    SigSet pending = td.sigqueue.signals();
    pending |= p.sigqueue.signals();
    pending.remove_all(td.sigmask);
    if ((p.flag & P_PPWAIT) != 0) pending.remove_all(stop_signals());
    std::optional<Signal> lowest = pending.lowest();
    if (!lowest) return std::nullopt;
    Signal signal = *lowest;
    if ((p.stops & S_SIG) != 0) stopevent(td, S_SIG, signal.value());
    if (p.sigacts.sigignore.contains(signal) && !traced) {
      td.sigqueue.remove(signal);
      p.sigqueue.remove(signal);
      continue;
    }
    if ((p.flag & P_TRACED) != 0 && (p.flag & P_PPWAIT) == 0) {
      // The debugger sees every signal first; its answer replaces it (0: none).
      SigQueue* queue = &td.sigqueue;
      td.dbgksi = td.sigqueue.get(signal);
      if (!td.dbgksi) {
        queue = &p.sigqueue;
        td.dbgksi = p.sigqueue.get(signal);
      }
      std::uint32_t answer = ptracestop(td, signal.value());
      if (answer != signal.value()) {
        if (answer == 0 || !is_valid_signal(answer)) continue;
        signal = Signal(answer);
        queue->add(signal, std::nullopt);
        if (td.sigmask.contains(signal)) continue;
        td.ast_pending = true;
      } else {
        td.sigqueue.add(signal, td.dbgksi, true);
      }
      if ((p.flag & P_TRACED) == 0) continue;
    }
    SigProps prop = sigprop(signal);
    std::uint64_t handler = p.sigacts.handler(signal);
    if (handler != Sig_dfl && handler != Sig_ign) return signal;
    if (handler == Sig_dfl && p.pid().value() > 1) {
      if ((prop & SA_STOP) != 0) {
        bool orphaned_tty_stop = p.pgrp->jobc == 0 && (prop & SA_TTYSTOP) != 0;
        if ((p.flag & P_TRACED) == 0 && !orphaned_tty_stop) {
          trace(KernTrace::Deliver,
                {{"pid", pid_field(p)}, {"sig", signal_name(signal)}, {"action", "stop"}});
          p.flag |= P_STOPPED_SIG;
          p.xstat = static_cast<std::uint16_t>(signal.value());
          sig_suspend_threads(p, &td, false);
          thread_suspend_switch(td);
        }
      } else if ((prop & SA_IGNORE) == 0) {
        return signal;
      }
    }
    // Ignored here (pid <= 1 takes no default action): take it off the queues.
    td.sigqueue.remove(signal);
    p.sigqueue.remove(signal);
  }
  PROCSIM_UNREACHABLE();
}

std::optional<Kernel::SignalFrame> Kernel::postsig(Thread& td, Signal signal) {
  Proc& p = td.proc();
  std::optional<Ksiginfo> info = td.sigqueue.get(signal);
  if (!info) info = p.sigqueue.get(signal);
  if (!info) return std::nullopt;
  if ((p.stops & S_SIG) != 0) stopevent(td, S_SIG, signal.value());
  std::uint64_t handler = p.sigacts.handler(signal);
  if (handler == Sig_dfl) sigexit(td, signal);
  PROCSIM_ASSERT(handler != Sig_ign);
  PROCSIM_ASSERT(!td.sigmask.contains(signal));
  SigSet return_mask = td.restore_oldmask ? td.oldsigmask : td.sigmask;
  td.restore_oldmask = false;
  td.sigmask |= p.sigacts.mask_for(signal);
  if (!p.sigacts.signodefer.contains(signal)) td.sigmask.add(signal);
  sig_cantmask(td.sigmask);
  if (p.sigacts.sigreset.contains(signal)) {
    p.sigacts.sigcatch.del(signal);
    if (signal != Sigcont && (sigprop(signal) & SA_IGNORE) != 0) p.sigacts.sigignore.add(signal);
    p.sigacts.action[signal.value() - 1] = Sig_dfl;
  }
  trace(KernTrace::Deliver, {{"pid", pid_field(p)}, {"sig", signal_name(signal)}, {"action", "catch"}});
  return SignalFrame{signal, handler, return_mask};
}

// sigexit(): the default action kills. A core signal goes through coredump(), which here never
// writes a core (so no WCOREFLAG), and is logged when kern.logsigexit is on (the default).
void Kernel::sigexit(Thread& td, Signal signal) {
  Proc& p = td.proc();
  bool core_written = false;
  bool core_signal = (sigprop(signal) & SA_CORE) != 0;
  trace(KernTrace::Deliver,
        {{"pid", pid_field(p)}, {"sig", signal_name(signal)}, {"action", core_signal ? "core" : "kill"}});
  if (core_signal) {
    if ((p.stops & S_CORE) != 0) stopevent(td, S_CORE, 0);
    m_msgbuf.append(fmt::format("pid {} ({}), uid {}: exited on signal {}{}\n", p.pid(), p.comm, p.cred.uid,
                                signal.value(), core_written ? " (core dumped)" : ""));
  }
  exit1(td, killed_status(signal.value(), core_written));
}

// ---- Debugger and procfs stops ------------------------------------------------------------

std::uint32_t Kernel::ptracestop(Thread& td, std::uint32_t signal) {
  PROCSIM_ASSERT(m_curthread == &td);
  Proc& p = td.proc();
  td.dbgflags |= TDB_XSIG;
  td.xsig = signal;
  for (std::size_t round = 0; round < kMaxSignalRounds; ++round) {
    if ((p.flag & P_TRACED) == 0 || (td.dbgflags & TDB_XSIG) == 0) return td.xsig;
    p.xstat = static_cast<std::uint16_t>(signal);
    p.xthread = &td;
    p.flag |= P_STOPPED_SIG | P_STOPPED_TRACE;
    sig_suspend_threads(p, &td, false);
    td.dbgflags &= ~TDB_STOPATFORK;
    // Held again while the debugger keeps the thread suspended (PT_SUSPEND).
    do {
      thread_suspend_switch(td);
      if ((p.flag & P_TRACED) == 0) return td.xsig;
    } while ((td.dbgflags & TDB_SUSPEND) != 0);
  }
  PROCSIM_UNREACHABLE();
}

void Kernel::ptrace_sendsig(Proc& p, std::uint32_t data, bool detach) {
  PROCSIM_ASSERT(data <= kSigMaxsig);
  PROCSIM_ASSERT(!p.is_zombie());
  Thread* td = (p.flag & P_STOPPED_TRACE) != 0 && p.xthread != nullptr ? p.xthread : &p.first_thread();
  p.xstat = static_cast<std::uint16_t>(data);
  p.xthread = nullptr;
  if ((p.flag & (P_STOPPED_SIG | P_STOPPED_TRACE)) != 0) {
    td->dbgflags &= ~TDB_XSIG;
    td->xsig = data;
    if (detach) {
      for (const auto& thread : p.threads) thread->dbgflags &= ~TDB_SUSPEND;
    }
    p.flag &= ~(P_STOPPED_TRACE | P_STOPPED_SIG | P_WAITED);
    thread_unsuspend(p);
    return;
  }
  if (data != 0) psignal(p, Signal(data));
}

void Kernel::stopevent(Thread& td, StopEvents event, std::uint64_t val) {
  Proc& p = td.proc();
  p.step = true;
  trace(KernTrace::Stopevent, {{"pid", pid_field(p)}, {"event", std::uint64_t{event}}, {"val", val}});
  for (std::size_t round = 0; round < kMaxSignalRounds; ++round) {
    p.xstat = static_cast<std::uint16_t>(val);
    p.xthread = nullptr;
    p.stype = event;
    wakeup(WaitChannel{WaitChannel::Kind::ProcStype, p.pid().value()});
    (void)sleep(td, WaitChannel{WaitChannel::Kind::ProcStep, p.pid().value()}, PWAIT, "stopevent", 0, false);
    if (!p.step) return;
  }
  PROCSIM_UNREACHABLE();
}

}  // namespace procsim::kern
