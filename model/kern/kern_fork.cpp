// fork1() as FreeBSD 8.3's kern_fork.c does it (spec/kernel.md §3.3-§3.4): the maxproc and
// RLIMIT_NPROC limits with their console message and half-second pause, pid allocation, the
// child's copy of its parent (credentials, signal state, mask, limits, P_SUGID, the parent's
// process group, the user image and a copy-on-write copy of its address space), the
// follow-fork debugger handshake; and spawn, the scenario's way of creating a process with chosen
// ids, credentials, group and session. A spawned session leader with a terminal gets it as
// descriptors 0, 1 and 2 (what getty and login leave behind). rfork flags and vfork are not
// modelled yet.
#include "model/kern/kernel.h"

#include <algorithm>

#include <fmt/format.h>

#include "model/kern/proc_memory.h"
#include "model/machine/abi_ops.h"
#include "model/vfs/vfs_syscalls.h"
#include "sim/base/assert.h"

namespace procsim::kern {

namespace {

// cpu_fork(): the child returns 0 from fork with the error indication clear; x86 also sets the
// second return register to 1 (edx/rdx), arm64 and riscv leave x1/a1 zero.
void set_fork_child_return(machine::CpuState& frame) {
  bool x86 = machine::abi_info(frame.abi).isa == machine::Isa::X86_32 ||
             machine::abi_info(frame.abi).isa == machine::Isa::X86_64;
  machine::set_syscall_result(frame, 0, x86 ? 1 : 0);
  PROCSIM_ASSERT(frame.gpr[machine::abi_info(frame.abi).syscall.return_gpr] == 0);
}

}  // namespace

Proc& Kernel::make_child(Proc& parent, Thread& parent_thread, Pid pid, std::unique_ptr<Program> program,
                         std::unique_ptr<vm::VmMap> vmspace) {
  PROCSIM_ASSERT(&parent_thread.proc() == &parent);
  PROCSIM_ASSERT(vmspace != nullptr);
  Proc& child = m_procs.create(pid);
  child.comm = parent.comm;
  child.args = parent.args;
  child.osrel = parent.osrel;
  child.sysent_name = parent.sysent_name;
  child.abi = parent.abi;
  child.nice = parent.nice;
  child.cred = parent.cred;
  child.limits = parent.limits;
  child.sigacts = parent.sigacts;
  child.sigparent = Sigchld;
  child.flag = P_INMEM | (parent.flag & P_SUGID);
  Session& session = *parent.pgrp->session;
  if (session.has_tty_vnode && (parent.flag & P_CONTROLT) != 0) child.flag |= P_CONTROLT;
  if ((parent.pfsflags & PF_FORK) != 0) {
    child.stops = parent.stops;
    child.pfsflags = parent.pfsflags;
  }
  child.vmspace = std::move(vmspace);
  child.host_scratch_base = parent.host_scratch_base;
  child.memory = std::make_unique<ProcUserMemory>(*this, child);
  // fdcopy(): the child shares every open file, and so its offset, with the parent.
  PROCSIM_ASSERT_MSG(parent.fd != nullptr, "a process that forks has a descriptor table");
  child.fd = std::make_unique<vfs::FileTable>(parent.fd->fork_copy());
  child.program = std::move(program);
  // The child joins its parent's group right after the parent.
  Pgrp& pgrp = *parent.pgrp;
  auto at = std::find(pgrp.members.begin(), pgrp.members.end(), &parent);
  PROCSIM_ASSERT(at != pgrp.members.end());
  pgrp.members.insert(std::next(at), &child);
  child.pgrp = &pgrp;
  child.pptr = &parent;
  parent.children.push_front(&child);
  Thread& td = create_thread(child);
  td.name = parent_thread.name;
  td.sigmask = parent_thread.sigmask;
  td.user_priority = parent_thread.user_priority;
  td.priority = parent_thread.user_priority;
  td.retval = {0, 1};
  td.frame = parent_thread.frame;
  child.start_tick = m_engine.now();
  PROCSIM_ASSERT(child.state() == ProcState::PRS_NEW);
  return child;
}

// fork1()'s limits: the last ten process slots are for privileged users and maxproc is never
// exceeded; then the per-real-uid count may not exceed RLIMIT_NPROC (0 means no limit) unless
// the caller has PRIV_PROC_LIMIT. On success the count already includes the child.
vfs::KResult<void> Kernel::fork_limits(Thread& td) {
  Proc& p = td.proc();
  std::uint32_t nprocs = m_procs.nprocs();
  std::uint32_t maxproc = m_config.params.maxproc;
  bool may_use_reserve = priv_check_cred(p.cred, Priv::Maxproc, policy()).ok();
  if ((nprocs >= maxproc - 10 && !may_use_reserve) || nprocs >= maxproc)
    return base::fail(vfs::Errno::Eagain);
  bool unlimited = priv_check_cred(p.cred, Priv::ProcLimit, policy()).ok();
  std::uint64_t max = unlimited ? 0 : p.limits.get(Rlimit::Nproc).cur;
  if (!m_procs.change_proc_count(p.cred.ruid, 1, max)) return base::fail(vfs::Errno::Eagain);
  return {};
}

// Every failed fork pauses the caller for half a second, uninterruptibly, with wmesg "fork";
// a failure of the process limits also prints the maxproc message (at most once a second:
// ppsratecheck). A refused swap reservation (fork1's fail1 path) prints nothing.
void Kernel::fork_failed(Thread& td, bool limit_message) {
  sim::Tick now = m_engine.now();
  bool print = limit_message &&
               (!m_last_fork_failure_message || now.value() - m_last_fork_failure_message->value() >= hz());
  if (print) {
    m_last_fork_failure_message = now;
    m_msgbuf.append(fmt::format("maxproc limit exceeded by uid {}, please see tuning(7) and login.conf(5).\n",
                                td.proc().cred.ruid));
  }
  std::uint64_t pause_ticks = std::max<std::uint64_t>(1, hz() / 2);
  (void)sleep(td, WaitChannel{WaitChannel::Kind::PauseWchan, 0}, td.priority, "fork", pause_ticks, false);
}

vfs::KResult<Proc*> Kernel::fork1(Thread& td) {
  Proc& parent = td.proc();
  // spec/kernel.md §3.4: the address space is copied (and its fork charge reserved) before the
  // process limits are looked at; a refused reservation is ENOMEM.
  PROCSIM_ASSERT(parent.vmspace != nullptr);
  auto vmspace = parent.vmspace->fork(vm_caller(parent));
  if (vmspace.is_error()) {
    fork_failed(td, false);
    return base::fail(vfs::Errno::Enomem);
  }
  if (fork_limits(td).is_error()) {
    fork_failed(td, true);
    return base::fail(vfs::Errno::Eagain);
  }
  vfs::KResult<Pid> pid = m_procs.allocate_pid();
  if (pid.is_error()) {
    PROCSIM_ASSERT(m_procs.change_proc_count(parent.cred.ruid, -1, 0));
    fork_failed(td, true);
    return base::fail(vfs::Errno::Eagain);
  }
  std::unique_ptr<Program> program = std::move(td.fork_child_program);
  // Without a child entry the user image is copied as it is: a scripted parent gives a
  // scripted child, which the scenario then drives with its own lines.
  bool copied_image = program == nullptr;
  if (copied_image) program = parent.program->clone_for_fork();
  PROCSIM_ASSERT_MSG(program != nullptr, "a host program forks with UserContext::fork(entry)");
  Proc& child = make_child(parent, td, pid.value(), std::move(program), std::move(vmspace.value()));
  if (copied_image && parent.script) child.script.emplace();
  set_fork_child_return(child.first_thread().frame);
  if ((parent.flag & (P_TRACED | P_FOLLOWFORK)) == (P_TRACED | P_FOLLOWFORK)) {
    td.dbgflags |= TDB_FORK;
    td.dbg_forked = child.pid();
    child.first_thread().dbgflags |= TDB_STOPATFORK;
  }
  child.transition_to_normal();
  start_thread_fiber(child.first_thread());
  setrunnable(child.first_thread());
  trace(KernTrace::Fork,
        {{"pid", std::int64_t{parent.pid().value()}}, {"child", std::int64_t{child.pid().value()}}});
  return &child;
}

// ---- spawn -------------------------------------------------------------------------------

vfs::KResult<Pid> Kernel::spawn_scripted(const SpawnSpec& spec) {
  return spawn(spec, std::make_unique<ScriptProgram>(), true);
}

vfs::KResult<Pid> Kernel::spawn_program(const SpawnSpec& spec, std::unique_ptr<Program> program) {
  PROCSIM_ASSERT(program != nullptr);
  return spawn(spec, std::move(program), false);
}

vfs::KResult<Pid> Kernel::spawn(const SpawnSpec& spec, std::unique_ptr<Program> program, bool scripted) {
  PROCSIM_ASSERT_MSG(m_booted, "spawn after boot");
  Proc* parent = pfind(spec.ppid.value_or(Pid(1)));
  if (parent == nullptr || (parent->flag & P_WEXIT) != 0) return base::fail(vfs::Errno::Esrch);
  if (spec.cred && spec.cred->groups.empty()) return base::fail(vfs::Errno::Einval);
  if (spec.prison && spec.prison->value() >= prison_count()) return base::fail(vfs::Errno::Einval);
  if (spec.pid) {
    if (spec.pid->value() <= 0) return base::fail(vfs::Errno::Einval);
    if (m_procs.pid_in_use(*spec.pid)) return base::fail(vfs::Errno::Eexist);
    TRY(m_procs.set_next_pid(*spec.pid));
  }
  Pid pid = TRY(m_procs.allocate_pid());
  PROCSIM_ASSERT(!spec.pid || pid == *spec.pid);
  SpawnGroups plan = TRY(plan_spawn_groups(spec, pid, *parent));
  Tty* terminal = nullptr;
  if (plan.new_session && spec.tty) {
    terminal = tty(*spec.tty);
    if (terminal == nullptr) return base::fail(vfs::Errno::Enxio);
    // A terminal is the controlling terminal of one session at most (TIOCSCTTY's EPERM).
    if (terminal->session != nullptr) return base::fail(vfs::Errno::Eperm);
  } else if (spec.join_terminal) {
    if (!plan.controlling_tty) return base::fail(vfs::Errno::Einval);
    terminal = plan.session->ttyp;
    PROCSIM_ASSERT(terminal != nullptr && terminal->session == plan.session);
  }
  // A spawned process does not share its parent's image: it gets an address space of its own
  // kind, built once its credentials are final so that the swap charges are its user's.
  auto placeholder = std::make_unique<vm::VmMap>(m_vm_objects, m_config.address_space.min_user_address,
                                                 m_config.address_space.max_user_address);
  Proc& p = make_child(*parent, parent->first_thread(), pid, std::move(program), std::move(placeholder));
  if (spec.cred) p.cred = *spec.cred;
  if (spec.prison) p.cred.prison = *spec.prison;
  p.vmspace = imageless_vmspace(p, scripted ? ImagelessKind::Scripted : ImagelessKind::HostProgram);
  PROCSIM_ASSERT(m_procs.change_proc_count(p.cred.ruid, 1, 0));
  p.comm = spec.comm.substr(0, std::min(spec.comm.size(), kMaxComLen));
  p.args = spec.argv;
  Thread& td = p.first_thread();
  td.name = p.comm;
  if (std::optional<machine::CpuState> start = p.program->initial_frame()) {
    p.abi = start->abi;
    p.sysent_name = std::string(machine::abi_info(p.abi).sv_name);
    td.frame = *start;
  } else {
    td.frame = default_user_frame(p.abi);
  }
  if (scripted) p.script.emplace();
  apply_spawn_groups(p, spec, plan);
  if (terminal != nullptr) {
    // A shell joining a session starts with the terminal alone, not what its parent had open.
    if (spec.join_terminal && !plan.new_session) fdtable(p).close_all(vfs_context(p));
    PROCSIM_ASSERT_MSG(open_terminal_stdio(p, *terminal).ok(), "a spawned shell opens its terminal");
  }
  p.transition_to_normal();
  start_thread_fiber(td);
  setrunnable(td);
  trace(
      KernTrace::Spawn,
      {{"pid", std::int64_t{pid.value()}}, {"ppid", std::int64_t{parent->pid().value()}}, {"comm", p.comm}});
  after_step();
  return pid;
}

// Where a spawned process goes: a new session (sid == pid, or a terminal without sid), a new
// group (pgid == pid) in its session, or an existing group of that session.
vfs::KResult<Kernel::SpawnGroups> Kernel::plan_spawn_groups(const SpawnSpec& spec, Pid pid,
                                                            const Proc& parent) const {
  SpawnGroups plan;
  bool new_session = (spec.sid && *spec.sid == pid) || (spec.tty && !spec.sid);
  if (new_session) {
    if (spec.pgid && *spec.pgid != pid) return base::fail(vfs::Errno::Eperm);
    plan.new_session = true;
    plan.controlling_tty = spec.tty.has_value();
    return plan;
  }
  Session* session = parent.pgrp->session;
  if (spec.sid) {
    auto found = m_procs.sessions().find(*spec.sid);
    if (found == m_procs.sessions().end()) return base::fail(vfs::Errno::Esrch);
    session = found->second.get();
  }
  if (spec.tty) {
    if (session->tty != spec.tty || !session->has_tty_vnode) return base::fail(vfs::Errno::Einval);
    plan.controlling_tty = true;
  }
  plan.session = session;
  if (spec.pgid && *spec.pgid == pid) {
    plan.new_pgrp = true;
    return plan;
  }
  Pid wanted = spec.pgid ? *spec.pgid : spec.sid ? *spec.sid : parent.pgrp->pgid;
  Pgrp* pgrp = pgfind(wanted);
  if (pgrp == nullptr) return base::fail(vfs::Errno::Esrch);
  if (pgrp->session != session) return base::fail(vfs::Errno::Eperm);
  plan.join = pgrp;
  return plan;
}

void Kernel::apply_spawn_groups(Proc& p, const SpawnSpec& spec, const SpawnGroups& plan) {
  if (plan.new_session) {
    PROCSIM_ASSERT(enterpgrp(p, p.pid(), true).ok());
    Session& session = *p.pgrp->session;
    if (spec.login) session.login = *spec.login;
    session.tty = spec.tty;
    session.has_tty_vnode = spec.tty.has_value();
    if (spec.tty) session.ttyp = tty(*spec.tty);
  } else if (plan.new_pgrp) {
    Pgrp& pgrp = m_procs.create_pgrp(p.pid(), *plan.session);
    doenterpgrp(p, pgrp);
  } else if (plan.join != p.pgrp) {
    doenterpgrp(p, *plan.join);
  }
  if (!p.pgrp->session->has_tty_vnode) p.flag &= ~P_CONTROLT;
  if (plan.controlling_tty) p.flag |= P_CONTROLT;
  PROCSIM_ASSERT(!spec.sid || p.pgrp->session->sid == *spec.sid);
}

// getty's work for a spawned login: the terminal becomes the session's controlling terminal
// with the new group in the foreground, and is opened read-write as descriptor 0, then
// duplicated to 1 and 2. getty opens it as root before login changes the credentials, so a
// terminal only root may open (ttyv0, the console) serves any user.
vfs::KResult<void> Kernel::open_terminal_stdio(Proc& p, Tty& terminal) {
  PROCSIM_ASSERT(p.fd != nullptr && p.fd->open_fds().empty());
  Session& session = *p.pgrp->session;
  PROCSIM_ASSERT(session.ttyp == &terminal);
  terminal.session = &session;
  terminal.foreground = p.pgrp->pgid;
  vfs::FileTable& fdt = fdtable(p);
  vfs::Ucred getty = p.cred;
  getty.uid = vfs::Uid(0);
  vfs::VfsContext ctx = vfs_context(p);
  vfs::VfsContext getty_ctx{getty, ctx.root, ctx.cwd, ctx.caller_pid, ctx.era, ctx.now};
  std::string path = "/dev/" + terminal.device_name();
  int fd = TRY(vfs::kern_open(getty_ctx, fdt, path, vfs::kORdwr, 0));
  PROCSIM_ASSERT(fd == 0);
  vfs::File* fp = TRY(fdt.get(fd));
  PROCSIM_ASSERT(fp->vnode() != nullptr && fp->vnode()->is_tty());
  // A process joining a session shares the vnode its leader opened.
  if (session.leader == &p) session.ttyvp = vfs::VnodeRef::acquire(*fp->vnode());
  PROCSIM_ASSERT(TRY(fdt.dup(0)) == 1);
  PROCSIM_ASSERT(TRY(fdt.dup(0)) == 2);
  return {};
}

}  // namespace procsim::kern
