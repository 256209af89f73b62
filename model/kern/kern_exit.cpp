// exit1() and kern_wait() as FreeBSD 8.3's kern_exit.c orders them (spec/kernel.md §3.6):
// the S_EXIT stop event, P_WEXIT, the exit status, session-leader and job-control bookkeeping,
// reparenting the children to init (traced ones are killed), PS_NOCLDWAIT, SIGCHLD and the
// zombie state; then wait4's scan of the children, stopped and continued reports, handing a
// debugged zombie back to its original parent, and the reap.
#include "model/kern/kernel.h"

#include <fmt/format.h>

#include "sim/base/assert.h"

namespace procsim::kern {

namespace {

constexpr std::size_t kMaxWaitRounds = 1'000'000;

std::int64_t pid_field(const Proc& p) { return p.pid().value(); }

}  // namespace

void Kernel::exit1(Thread& td, WaitStatus status) {
  Proc& p = td.proc();
  PROCSIM_ASSERT(m_curthread == &td);
  PROCSIM_ASSERT_MSG(&p != m_initproc, "Going nowhere without my init!");
  PROCSIM_ASSERT(p.state() == ProcState::PRS_NORMAL);
  PROCSIM_ASSERT((p.flag & P_WEXIT) == 0);
  if ((p.stops & S_EXIT) != 0) stopevent(td, S_EXIT, status);
  p.flag |= P_WEXIT;
  wakeup(WaitChannel{WaitChannel::Kind::ProcStype, p.pid().value()});
  for (const ProcHook& hook : m_exit_hooks) hook(p);
  p.xstat = static_cast<std::uint16_t>(status);
  p.flag &= ~(P_TRACED | P_PPWAIT);
  fdfree(p);
  release_vmspace(p);
  session_leader_exit(p);
  fixjobc(p, *p.pgrp, false);
  m_procs.move_to_zombproc(p);
  reparent_children_to_init(p);
  p.xthread = &td;
  notify_parent_of_exit(p);
  p.sigqueue.flush();
  td.sigqueue.flush();
  wakeup(WaitChannel{WaitChannel::Kind::Proc, p.pptr->pid().value()});
  wakeup(WaitChannel{WaitChannel::Kind::ProcPwait, p.pid().value()});
  p.transition_to_zombie();
  if (tracing()) {
    trace(KernTrace::Exit, {{"pid", pid_field(p)}, {"status", fmt::format("{:#x}", status)}});
  }
  thread_exit(td);
}

// fdfree(): every descriptor is closed, lowest first (a last close runs the file system's
// close), then the table and its directory references go; p_fd is NULL from then on.
void Kernel::fdfree(Proc& p) {
  if (p.fd == nullptr) return;
  p.fd->close_all(vfs_context(p));
  PROCSIM_ASSERT(p.fd->open_fds().empty());
  p.fd.reset();
}

// A session leader's exit detaches the session from its terminal (spec/kernel.md §3.6): the
// terminal's foreground group gets SIGHUP (members that have it as controlling terminal), the
// terminal forgets the session, and s_leader and s_ttyvp go; the terminal's name stays.
// FIXME: the revoke of the terminal's vnodes (open descriptors keep working).
void Kernel::session_leader_exit(Proc& p) {
  Session& session = *p.pgrp->session;
  if (session.leader != &p) return;
  Tty* terminal = session.ttyp;
  if (session.has_tty_vnode && terminal != nullptr && terminal->session == &session) {
    Pgrp* foreground = terminal->foreground.value() != 0 ? pgfind(terminal->foreground) : nullptr;
    if (foreground != nullptr && foreground->session == &session) {
      std::vector<Proc*> members(foreground->members.begin(), foreground->members.end());
      for (Proc* member : members) {
        if ((member->flag & P_CONTROLT) != 0 && member != &p) psignal(*member, Sighup);
      }
    }
    terminal->session = nullptr;
    terminal->foreground = Pid(0);
  }
  session.has_tty_vnode = false;
  session.leader = nullptr;
}

// Every child goes to init. A traced child loses its tracer and is killed: its existence
// "means someone is screwing up" (8.3 kern_exit.c).
void Kernel::reparent_children_to_init(Proc& p) {
  PROCSIM_ASSERT(m_initproc != nullptr);
  if (!p.children.empty()) wakeup(WaitChannel{WaitChannel::Kind::Proc, m_initproc->pid().value()});
  std::vector<Proc*> children(p.children.begin(), p.children.end());
  for (Proc* child : children) {
    proc_reparent(*child, *m_initproc);
    child->sigparent = Sigchld;
    if ((child->flag & P_TRACED) == 0) continue;
    child->flag &= ~(P_TRACED | P_STOPPED_TRACE);
    for (const auto& thread : child->threads) thread->dbgflags &= ~TDB_SUSPEND;
    psignal(*child, Sigkill);
  }
  PROCSIM_ASSERT(p.children.empty());
}

// A parent that asked for no zombies (SA_NOCLDWAIT or SIGCHLD ignored) hands the child to init
// and is only woken; the parent (init included) then gets SIGCHLD.
void Kernel::notify_parent_of_exit(Proc& p) {
  Proc* parent = p.pptr;
  PROCSIM_ASSERT(parent != nullptr);
  if ((parent->sigacts.flag & (PS_NOCLDWAIT | PS_CLDSIGIGN)) != 0) {
    proc_reparent(p, *m_initproc);
    p.sigparent = Sigchld;
    wakeup(WaitChannel{WaitChannel::Kind::Proc, parent->pid().value()});
  }
  if (p.pptr == m_initproc) {
    psignal(*m_initproc, Sigchld);
  } else if (p.sigparent == Sigchld) {
    childproc_exited(p);
  } else {
    psignal(*p.pptr, p.sigparent);
  }
}

void Kernel::proc_reparent(Proc& child, Proc& parent) {
  if (child.pptr == &parent) return;
  Proc* old = child.pptr;
  PROCSIM_ASSERT(old != nullptr);
  (void)old->sigqueue.take_owned(child.pid());
  old->children.remove(&child);
  parent.children.push_front(&child);
  child.pptr = &parent;
}

vfs::KResult<WaitResult> Kernel::kern_wait(Thread& td, std::int32_t pid, WaitOptions options) {
  Proc& q = td.proc();
  if (pid == kWaitMyPgrp) pid = -q.pgrp->pgid.value();
  if ((options & ~m_era.wait_options_valid) != 0) return base::fail(vfs::Errno::Einval);
  for (std::size_t round = 0; round < kMaxWaitRounds; ++round) {
    int found = 0;
    std::vector<Proc*> children(q.children.begin(), q.children.end());
    for (Proc* p : children) {
      if (pid != kWaitAny && p->pid().value() != pid && p->pgrp->pgid.value() != -pid) continue;
      if (p_canwait(view(q), view(*p), policy()).is_error()) continue;
      if ((p->sigparent != Sigchld) != ((options & Wlinuxclone) != 0)) continue;
      ++found;
      bool reaped = false;
      if (std::optional<WaitResult> result = wait_check_child(q, *p, options, reaped)) return *result;
    }
    // FIXME: a real init always has children (getty, daemons) the model does not create, so
    // init's wait4 sleeps instead of failing with ECHILD.
    if (found == 0 && &q != m_initproc) return base::fail(vfs::Errno::Echild);
    if ((options & Wnohang) != 0) return WaitResult{};
    if ((q.flag & P_STATCHILD) != 0) {
      q.flag &= ~P_STATCHILD;
      continue;
    }
    TRY(sleep(td, WaitChannel{WaitChannel::Kind::Proc, q.pid().value()}, PWAIT, "wait", 0, true));
  }
  PROCSIM_UNREACHABLE();
}

// One child against kern_wait's three reports: a zombie (reaped unless WNOWAIT, or handed back
// to the parent a debugger took it from), a stop not yet reported, a continue.
std::optional<WaitResult> Kernel::wait_check_child(Proc& q, Proc& p, WaitOptions options, bool& reaped) {
  if (p.is_zombie()) {
    WaitResult result{p.pid(), p.xstat, p.user_ticks + p.child_user_ticks,
                      p.system_ticks + p.child_system_ticks};
    if ((options & Wnowait) != 0) return result;
    (void)q.sigqueue.take_owned(p.pid());
    if (p.oppid.value() != 0) {
      if (Proc* original = pfind(p.oppid)) {
        proc_reparent(p, *original);
        p.oppid = Pid(0);
        childproc_exited(p);
        wakeup(WaitChannel{WaitChannel::Kind::Proc, original->pid().value()});
        wakeup(WaitChannel{WaitChannel::Kind::ProcPwait, p.pid().value()});
        return result;
      }
    }
    reap(q, p);
    reaped = true;
    return result;
  }
  bool stop_unreported =
      (p.flag & P_STOPPED_SIG) != 0 && p.all_threads_suspended() && (p.flag & P_WAITED) == 0;
  if (stop_unreported && ((p.flag & P_TRACED) != 0 || (options & Wuntraced) != 0)) {
    p.flag |= P_WAITED;
    (void)q.sigqueue.take_owned(p.pid());
    return WaitResult{p.pid(), w_stopcode(p.xstat), 0, 0};
  }
  if ((options & Wcontinued) != 0 && (p.flag & P_CONTINUED) != 0) {
    p.flag &= ~P_CONTINUED;
    (void)q.sigqueue.take_owned(p.pid());
    return WaitResult{p.pid(), kWContinuedStatus, 0, 0};
  }
  return std::nullopt;
}

// The last of a process: out of its parent's children and its group, its times added to the
// parent's, its uid's process count dropped, its thread ids freed.
void Kernel::reap(Proc& q, Proc& p) {
  PROCSIM_ASSERT(p.is_zombie());
  PROCSIM_ASSERT(p.pptr == &q);
  if (tracing()) trace(KernTrace::Reap, {{"pid", pid_field(p)}, {"by", pid_field(q)}});
  q.children.remove(&p);
  leavepgrp(p);
  q.child_user_ticks += p.user_ticks + p.child_user_ticks;
  q.child_system_ticks += p.system_ticks + p.child_system_ticks;
  PROCSIM_ASSERT(m_procs.change_proc_count(p.cred.ruid, -1, 0));
  for (const auto& thread : p.threads) {
    PROCSIM_ASSERT(thread->state() == ThreadState::TDS_INACTIVE);
    PROCSIM_ASSERT(!thread->fiber);
    release_thread_id(thread->tid());
  }
  std::unique_ptr<Proc> freed = m_procs.remove_zombie(p);
  PROCSIM_ASSERT(freed.get() == &p);
}

}  // namespace procsim::kern
