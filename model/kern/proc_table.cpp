// The process table's bookkeeping. Lists keep FreeBSD's insertion order (LIST_INSERT_HEAD), so
// iteration order is creation order reversed, never an address or hash order.
#include "model/kern/proc_table.h"

#include <algorithm>

#include "sim/base/assert.h"

namespace procsim::kern {

ProcTable::ProcTable(const PidRules& rules) : m_pids(rules) {}

ProcTable::~ProcTable() = default;

Proc& ProcTable::create(Pid pid) {
  PROCSIM_ASSERT(!pid_in_use(pid) || pid.value() == 0);
  PROCSIM_ASSERT(!m_procs.contains(pid));
  auto proc = std::make_unique<Proc>(pid);
  Proc& p = *proc;
  m_procs.emplace(pid, std::move(proc));
  m_allproc.push_front(&p);
  ++m_nprocs;
  PROCSIM_ASSERT(p.state() == ProcState::PRS_NEW);
  return p;
}

void ProcTable::move_to_zombproc(Proc& p) {
  auto it = std::find(m_allproc.begin(), m_allproc.end(), &p);
  PROCSIM_ASSERT_MSG(it != m_allproc.end(), "an exiting process is on allproc");
  m_allproc.erase(it);
  m_zombproc.push_front(&p);
}

std::unique_ptr<Proc> ProcTable::remove_zombie(Proc& p) {
  PROCSIM_ASSERT(p.is_zombie());
  auto it = std::find(m_zombproc.begin(), m_zombproc.end(), &p);
  PROCSIM_ASSERT_MSG(it != m_zombproc.end(), "a zombie is on zombproc");
  m_zombproc.erase(it);
  auto node = m_procs.extract(p.pid());
  PROCSIM_ASSERT(!node.empty());
  PROCSIM_ASSERT(m_nprocs > 0);
  --m_nprocs;
  return std::move(node.mapped());
}

Proc* ProcTable::pfind(Pid pid) const {
  Proc* p = find_any(pid);
  if (p == nullptr || p->state() != ProcState::PRS_NORMAL) return nullptr;
  return p;
}

Proc* ProcTable::zpfind(Pid pid) const {
  Proc* p = find_any(pid);
  if (p == nullptr || !p->is_zombie()) return nullptr;
  return p;
}

Proc* ProcTable::find_any(Pid pid) const {
  auto it = m_procs.find(pid);
  return it == m_procs.end() ? nullptr : it->second.get();
}

bool ProcTable::pid_in_use(Pid pid) const {
  return m_procs.contains(pid) || m_pgrps.contains(pid) || m_sessions.contains(pid);
}

vfs::KResult<Pid> ProcTable::allocate_pid() {
  Pid pid = TRY(m_pids.allocate([this](Pid candidate) { return pid_in_use(candidate); }));
  PROCSIM_ASSERT(!pid_in_use(pid));
  return pid;
}

Pgrp* ProcTable::pgfind(Pid pgid) const {
  auto it = m_pgrps.find(pgid);
  return it == m_pgrps.end() ? nullptr : it->second.get();
}

Session& ProcTable::create_session(Pid sid) {
  PROCSIM_ASSERT(!m_sessions.contains(sid));
  auto session = std::make_unique<Session>();
  session->sid = sid;
  Session& result = *session;
  m_sessions.emplace(sid, std::move(session));
  return result;
}

Pgrp& ProcTable::create_pgrp(Pid pgid, Session& session) {
  PROCSIM_ASSERT(!m_pgrps.contains(pgid));
  PROCSIM_ASSERT(m_sessions.contains(session.sid));
  auto pgrp = std::make_unique<Pgrp>();
  pgrp->pgid = pgid;
  pgrp->session = &session;
  ++session.pgrp_count;
  Pgrp& result = *pgrp;
  m_pgrps.emplace(pgid, std::move(pgrp));
  return result;
}

void ProcTable::delete_pgrp(Pgrp& pgrp) {
  PROCSIM_ASSERT(pgrp.members.empty());
  Session& session = *pgrp.session;
  PROCSIM_ASSERT(session.pgrp_count > 0);
  Pid pgid = pgrp.pgid;
  m_pgrps.erase(pgid);
  if (--session.pgrp_count == 0) {
    PROCSIM_ASSERT(session.leader == nullptr || session.leader->is_zombie());
    m_sessions.erase(session.sid);
  }
}

bool ProcTable::change_proc_count(vfs::Uid ruid, int diff, std::uint64_t max) {
  std::int64_t& count = m_proc_counts[ruid];
  std::int64_t updated = count + diff;
  if (diff > 0 && max != 0 && static_cast<std::uint64_t>(updated) > max) return false;
  PROCSIM_ASSERT_MSG(updated >= 0, "a per-uid process count went negative");
  count = updated;
  if (count == 0) m_proc_counts.erase(ruid);
  return true;
}

std::int64_t ProcTable::proc_count(vfs::Uid ruid) const {
  auto it = m_proc_counts.find(ruid);
  return it == m_proc_counts.end() ? 0 : it->second;
}

}  // namespace procsim::kern
