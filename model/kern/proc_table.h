// The process table: every process (live and zombie) by pid, the allproc and zombproc lists in
// FreeBSD's order (newest first: procfs readdir and kill(-1) walk them), the process groups
// and sessions, pid allocation (spec/kernel.md §3.3) and the counts fork's limits read
// (nprocs, per-real-uid process counts). Policy (who may fork, reparenting) lives in Kernel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <memory>

#include "model/kern/pid_alloc.h"
#include "model/kern/proc.h"
#include "model/vfs/ucred.h"

namespace procsim::kern {

class ProcTable {
 public:
  explicit ProcTable(const PidRules& rules);
  ~ProcTable();
  ProcTable(const ProcTable&) = delete;
  ProcTable& operator=(const ProcTable&) = delete;

  // A new PRS_NEW process with this (free) pid, at the head of allproc; nprocs counts it.
  Proc& create(Pid pid);
  // exit1: from allproc to the head of zombproc.
  void move_to_zombproc(Proc& p);
  // The reaper's last step: out of zombproc and the table; nprocs no longer counts it.
  std::unique_ptr<Proc> remove_zombie(Proc& p);

  // pfind(): a live process (PRS_NEW excluded). zpfind(): a zombie. find_any(): either, or new.
  Proc* pfind(Pid pid) const;
  Proc* zpfind(Pid pid) const;
  Proc* find_any(Pid pid) const;

  // Live and PRS_NEW processes, newest first; zombies, most recently exited first.
  const std::list<Proc*>& allproc() const { return m_allproc; }
  const std::list<Proc*>& zombproc() const { return m_zombproc; }
  // Every process in pid order.
  const std::map<Pid, std::unique_ptr<Proc>>& by_pid() const { return m_procs; }

  // A pid is in use while a live or zombie process has it as pid, process-group id or session id.
  bool pid_in_use(Pid pid) const;
  vfs::KResult<Pid> allocate_pid();
  // `nextpid N`, or an explicitly chosen pid: allocation continues after it.
  vfs::KResult<void> set_next_pid(Pid next) { return m_pids.set_next(next); }
  Pid lastpid() const { return m_pids.lastpid(); }

  Pgrp* pgfind(Pid pgid) const;
  const std::map<Pid, std::unique_ptr<Pgrp>>& pgrps() const { return m_pgrps; }
  const std::map<Pid, std::unique_ptr<Session>>& sessions() const { return m_sessions; }
  Session& create_session(Pid sid);
  Pgrp& create_pgrp(Pid pgid, Session& session);
  // pgdelete(): an empty group goes; its session goes with its last group.
  void delete_pgrp(Pgrp& pgrp);

  // nprocs: processes in existence, proc0 and zombies included.
  std::uint32_t nprocs() const { return m_nprocs; }
  // chgproccnt(): the per-real-uid process count. An increase fails (and changes nothing) when
  // `max` is non-zero and the new count would exceed it.
  bool change_proc_count(vfs::Uid ruid, int diff, std::uint64_t max);
  std::int64_t proc_count(vfs::Uid ruid) const;

 private:
  PidAllocator m_pids;
  std::map<Pid, std::unique_ptr<Proc>> m_procs;
  std::list<Proc*> m_allproc;
  std::list<Proc*> m_zombproc;
  std::map<Pid, std::unique_ptr<Pgrp>> m_pgrps;
  std::map<Pid, std::unique_ptr<Session>> m_sessions;
  std::map<vfs::Uid, std::int64_t> m_proc_counts;
  std::uint32_t m_nprocs = 0;
};

}  // namespace procsim::kern
