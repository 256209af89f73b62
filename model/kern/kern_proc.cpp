// Process groups, sessions and job control (8.3 kern_proc.c: enterpgrp, enterthispgrp,
// doenterpgrp, leavepgrp, fixjobc, orphanpg; spec/kernel.md §3.7), and the small credential
// helpers the system calls share (setsugid, the per-uid process count, the policy view).
#include "model/kern/kernel.h"

#include "sim/base/assert.h"

namespace procsim::kern {

vfs::KResult<void> Kernel::enterpgrp(Proc& p, Pid pgid, bool new_session) {
  PROCSIM_ASSERT(pgid == p.pid());
  PROCSIM_ASSERT(pgfind(pgid) == nullptr);
  Session* session = p.pgrp->session;
  if (new_session) {
    Session& created = m_procs.create_session(p.pid());
    created.leader = &p;
    created.login = session->login;
    p.flag &= ~P_CONTROLT;
    session = &created;
  }
  Pgrp& pgrp = m_procs.create_pgrp(pgid, *session);
  doenterpgrp(p, pgrp);
  PROCSIM_ASSERT(p.pgrp == &pgrp);
  return {};
}

void Kernel::enterthispgrp(Proc& p, Pgrp& pgrp) {
  PROCSIM_ASSERT(p.pgrp != &pgrp);
  doenterpgrp(p, pgrp);
}

// Job-control counts are raised for the new group before they are lowered for the old one, so
// that no group looks orphaned in between.
void Kernel::doenterpgrp(Proc& p, Pgrp& pgrp) {
  Pgrp& old = *p.pgrp;
  fixjobc(p, pgrp, true);
  fixjobc(p, old, false);
  old.members.remove(&p);
  p.pgrp = &pgrp;
  pgrp.members.push_front(&p);
  if (old.members.empty()) m_procs.delete_pgrp(old);
}

void Kernel::leavepgrp(Proc& p) {
  Pgrp& pgrp = *p.pgrp;
  pgrp.members.remove(&p);
  p.pgrp = nullptr;
  if (pgrp.members.empty()) m_procs.delete_pgrp(pgrp);
}

// fixjobc(): p entering or leaving `pgrp` changes which groups "qualify" for job control: a
// group counts its members whose parent is in another group of the same session. A count that
// drops to zero orphans the group. As in 8.3, children exit1 hands to init are not recounted,
// so a group in init's own session can go below zero (FreeBSD fixed this accounting in 2020).
void Kernel::fixjobc(Proc& p, Pgrp& pgrp, bool entering) {
  Session* session = pgrp.session;
  auto adjust = [this, entering](Pgrp& group) {
    if (entering) {
      ++group.jobc;
      return;
    }
    if (--group.jobc == 0) orphanpg(group);
  };
  Pgrp* parent_group = p.pptr != nullptr ? p.pptr->pgrp : nullptr;
  if (parent_group != nullptr && parent_group != &pgrp && parent_group->session == session) adjust(pgrp);
  for (Proc* child : p.children) {
    Pgrp* group = child->pgrp;
    if (group == &pgrp || group->session != session || child->is_zombie()) continue;
    adjust(*group);
  }
}

// orphanpg(): a newly orphaned group with a stopped member gets SIGHUP and SIGCONT, member by
// member, so that nothing stays stopped with nobody left to continue it.
void Kernel::orphanpg(Pgrp& pgrp) {
  bool any_stopped = false;
  for (Proc* member : pgrp.members) any_stopped = any_stopped || p_shouldstop(member->flag);
  if (!any_stopped) return;
  std::vector<Proc*> members(pgrp.members.begin(), pgrp.members.end());
  for (Proc* member : members) {
    psignal(*member, Sighup);
    psignal(*member, Sigcont);
  }
}

void Kernel::setsugid(Proc& p) {
  p.flag |= P_SUGID;
  if ((p.pfsflags & PF_ISUGID) == 0) p.stops = 0;
}

void Kernel::change_ruid(Proc& p, vfs::Uid ruid) {
  PROCSIM_ASSERT(m_procs.change_proc_count(ruid, 1, 0));
  PROCSIM_ASSERT(m_procs.change_proc_count(p.cred.ruid, -1, 0));
  p.cred.ruid = ruid;
}

ProcView Kernel::view(const Proc& p) const {
  Pid sid = p.pgrp != nullptr ? p.pgrp->session->sid : Pid(0);
  return ProcView{p.pid(), p.flag, p.cred, &p == m_initproc, sid, p.pid()};
}

bool Kernel::privileged(const vfs::Ucred& cred) const {
  return m_config.policy.suser_enabled && cred.uid == vfs::kRootUid;
}

bool Kernel::inferior(const Proc& p, const Proc& ancestor) {
  for (const Proc* q = &p; q != &ancestor; q = q->pptr) {
    if (q->pid().value() == 0 || q->pptr == nullptr) return false;
  }
  return true;
}

}  // namespace procsim::kern
