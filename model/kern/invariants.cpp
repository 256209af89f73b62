// The kernel's invariants, checked after every scheduling step and driver call when enabled:
// the process lists agree with the pid map, parent and child links agree, every process sits in
// exactly one group of its session and the job-control counts are right, tracing follows the
// parent link, zombies own no runnable thread and no descriptor table, and the run and sleep queues hold
// exactly the threads whose state says they are there. A violation is a bug: PROCSIM_ASSERT aborts.
#include "model/kern/kernel.h"

#include <algorithm>

#include "sim/base/assert.h"

namespace procsim::kern {

namespace {

bool listed(const std::list<Proc*>& list, const Proc* p) {
  return std::find(list.begin(), list.end(), p) != list.end();
}

void check_thread(const Thread& td, const RunQueue& runq, const SleepQueues& sleepq) {
  const Proc& p = td.proc();
  if (p.is_zombie()) {
    PROCSIM_ASSERT_MSG(td.state() == ThreadState::TDS_INACTIVE, "a zombie owns no runnable thread");
    PROCSIM_ASSERT(td.fiber == nullptr);
  } else {
    PROCSIM_ASSERT(td.state() != ThreadState::TDS_INACTIVE || p.state() == ProcState::PRS_NEW);
  }
  PROCSIM_ASSERT((td.state() == ThreadState::TDS_RUNQ) == runq.contains(td));
  PROCSIM_ASSERT(td.wchan.has_value() == td.is_sleeping());
  PROCSIM_ASSERT(td.is_sleeping() == sleepq.contains(td));
  PROCSIM_ASSERT((td.state() == ThreadState::TDS_INHIBITED) == (td.inhibitors() != 0));
  PROCSIM_ASSERT(!(td.is_parked() && (td.is_sleeping() || td.is_suspended())));
  if (td.state() == ThreadState::TDS_RUNQ) PROCSIM_ASSERT(td.fiber != nullptr);
}

void check_links(const Proc& p, const ProcTable& table) {
  if (p.pid().value() != 0) {
    PROCSIM_ASSERT(p.pptr != nullptr);
    PROCSIM_ASSERT(listed(p.pptr->children, &p));
    PROCSIM_ASSERT(table.find_any(p.pptr->pid()) == p.pptr);
  }
  for (const Proc* child : p.children) PROCSIM_ASSERT(child->pptr == &p);
  // A traced process's only tracer is its parent: the debugger adopted it.
  if ((p.flag & P_TRACED) != 0) PROCSIM_ASSERT(p.pptr != nullptr && !p.pptr->is_zombie());
  PROCSIM_ASSERT(p.pgrp != nullptr);
  PROCSIM_ASSERT(table.pgfind(p.pgrp->pgid) == p.pgrp);
  PROCSIM_ASSERT(std::count(p.pgrp->members.begin(), p.pgrp->members.end(), &p) == 1);
}

void check_process(const Proc& p, const ProcTable& table) {
  PROCSIM_ASSERT(table.find_any(p.pid()) == &p);
  PROCSIM_ASSERT(!p.threads.empty());
  PROCSIM_ASSERT(p.is_zombie() == listed(table.zombproc(), &p));
  PROCSIM_ASSERT(p.is_zombie() != listed(table.allproc(), &p));
  PROCSIM_ASSERT(p.suspcount >= 0 && static_cast<std::size_t>(p.suspcount) <= p.threads.size());
  int suspended = 0;
  for (const auto& td : p.threads) suspended += td->is_suspended() ? 1 : 0;
  PROCSIM_ASSERT(suspended == p.suspcount);
  if (p.is_zombie()) PROCSIM_ASSERT((p.flag & P_WEXIT) != 0);
  // exit's fdfree runs before the zombie state; every other process has a descriptor table.
  PROCSIM_ASSERT_MSG(p.is_zombie() == (p.fd == nullptr), "only zombies are without descriptor tables");
  check_links(p, table);
}

// Groups are never empty and belong to a live session. pg_jobc is not checked: 8.3's fixjobc()
// does not recount when exit hands children to init, so the count can legitimately differ from
// a recount of "members whose parent is in another group of the session", even go negative.
void check_groups(const ProcTable& table) {
  for (const auto& [pgid, pgrp] : table.pgrps()) {
    PROCSIM_ASSERT(!pgrp->members.empty());
    PROCSIM_ASSERT(table.sessions().contains(pgrp->session->sid));
    for (const Proc* member : pgrp->members) PROCSIM_ASSERT(member->pgrp == pgrp.get());
  }
  for (const auto& [sid, session] : table.sessions()) {
    PROCSIM_ASSERT(session->pgrp_count > 0);
    if (session->leader != nullptr) PROCSIM_ASSERT(session->leader->pgrp->session == session.get());
  }
}

}  // namespace

void Kernel::check_invariants() const {
  std::size_t thread_count = 0;
  std::size_t runnable = 0;
  std::size_t sleeping = 0;
  for (const auto& [pid, proc] : m_procs.by_pid()) {
    check_process(*proc, m_procs);
    for (const auto& td : proc->threads) {
      check_thread(*td, m_runq, m_sleepq);
      PROCSIM_ASSERT(m_threads.contains(td->tid()) && m_threads.at(td->tid()) == td.get());
      ++thread_count;
      if (td->state() == ThreadState::TDS_RUNQ) ++runnable;
      if (td->is_sleeping()) ++sleeping;
    }
  }
  PROCSIM_ASSERT(m_procs.allproc().size() + m_procs.zombproc().size() == m_procs.by_pid().size());
  PROCSIM_ASSERT(m_procs.nprocs() == m_procs.by_pid().size());
  PROCSIM_ASSERT(thread_count == m_threads.size());
  PROCSIM_ASSERT(thread_count == m_tids_in_use.size());
  PROCSIM_ASSERT_MSG(runnable == m_runq.size(), "the run queue holds exactly the runnable threads");
  PROCSIM_ASSERT(sleeping == m_sleepq.size());
  check_groups(m_procs);
}

}  // namespace procsim::kern
