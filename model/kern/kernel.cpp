// The kernel's core loop: boot, the scheduler's tick (spec/kernel.md §6), threads on fibers,
// the system-call path with its stop hooks and the return to user mode, and the driver API for
// spawned and scripted processes. Only run_tick resumes fibers; everything else only marks
// threads runnable, so an event callback or a driver call never switches stacks.
#include "model/kern/kernel.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "model/kern/machine_program.h"
#include "model/kern/proc_memory.h"
#include "model/kern/rootfs.h"
#include "model/machine/abi_ops.h"
#include "sim/base/assert.h"

namespace procsim::kern {

namespace {

#if defined(NDEBUG)
constexpr bool kDebugBuild = false;
#else
constexpr bool kDebugBuild = true;
#endif

vm::SwapConfig swap_config(const KernelConfig& config, const sim::Engine& engine) {
  vm::SwapConfig swap = config.swap;
  swap.ticks_per_second = engine.clock().hz();
  return swap;
}

// init: it sets up its session and then reaps children forever (sbin/init's wait loop).
class InitProgram final : public Program {
 public:
  int run(UserContext& context) override {
    (void)context.syscall(Sysno::Setsid);
    UserAddr status = context.scratch(4);
    for (;;) (void)context.syscall(Sysno::Wait4, {sarg(-1), status.value(), 0, 0});
  }
};

}  // namespace

Kernel::Kernel(sim::Engine& engine, KernelConfig config, vfs::Vfs& vfs)
    : Kernel(engine, std::move(config), nullptr, &vfs) {}

Kernel::Kernel(sim::Engine& engine, KernelConfig config)
    : Kernel(engine, config,
             make_root_filesystem(config.era, vfs::Timespec{engine.clock().epoch_seconds(), 0},
                                  config.params.maxfiles)
                 .vfs,
             nullptr) {}

Kernel::Kernel(sim::Engine& engine, KernelConfig config, std::unique_ptr<vfs::Vfs> owned_vfs, vfs::Vfs* vfs)
    : m_engine(engine),
      m_config(std::move(config)),
      m_era(kernel_era_rules(m_config.era)),
      m_own_vfs(std::move(owned_vfs)),
      m_vfs(vfs != nullptr ? vfs : m_own_vfs.get()),
      m_ttys(std::make_unique<TtyTable>(*this, m_config.era)),
      m_swap(swap_config(m_config, engine), [this](std::string_view text) { m_msgbuf.append(text); }),
      m_vm_objects(m_swap),
      m_procs(pid_rules(m_config.era)),
      m_msgbuf(m_config.msgbuf_bytes) {
  m_config.policy.securelevel = m_config.securelevel;
  PROCSIM_ASSERT(m_config.slice_units_per_tick > 0);
  PROCSIM_ASSERT(m_config.syscall_cost_units > 0);
  PROCSIM_ASSERT(m_config.params.maxproc > 10);
  PROCSIM_ASSERT_MSG(m_vfs != nullptr && m_vfs->has_root(), "the kernel boots on a mounted root");
  PROCSIM_ASSERT(m_vfs->era() == m_config.era);
  m_vfs->files().set_maxfiles(m_config.params.maxfiles);
  m_ttys->attach(m_vfs->devices(), m_config.era);
  // Machine code runs on the interpreter unless a caller attaches something else.
  m_machine_programs = [](Proc&, const ExecImage& image) {
    return make_machine_program(image.abi, image.entry, image.stack.stack_pointer);
  };
}

Kernel::~Kernel() {
  PROCSIM_ASSERT_MSG(m_curthread == nullptr, "a kernel is destroyed while one of its threads runs");
  // Unwind every kernel stack while the kernel is still whole.
  for (const auto& [pid, proc] : m_procs.by_pid()) {
    for (const auto& td : proc->threads) td->fiber.reset();
  }
  // Then the address spaces, while the swap books and the message buffer still exist.
  for (const auto& [pid, proc] : m_procs.by_pid()) proc->vmspace.reset();
}

std::uint32_t Kernel::hz() const { return m_engine.clock().hz(); }

vfs::KResult<vfs::PrisonId> Kernel::create_prison(vfs::PrisonId parent) {
  if (parent.value() >= prison_count()) return base::fail(vfs::Errno::Einval);
  if (prison_count() >= kMaxPrisons) return base::fail(vfs::Errno::Eperm);
  if (m_prison_parents.empty()) {
    // The tree starts as the configuration's (a test may give one), or as prison0 alone.
    const auto& given = m_config.policy.prisons.parents;
    m_prison_parents.assign(given.begin(), given.end());
    if (m_prison_parents.empty()) m_prison_parents.push_back(vfs::kPrison0);
  }
  vfs::PrisonId id(static_cast<std::uint32_t>(m_prison_parents.size()));
  m_prison_parents.push_back(parent);
  m_config.policy.prisons.parents = m_prison_parents;
  return id;
}

sim::Timeval Kernel::uptime_at(sim::Tick tick) const { return m_engine.clock().uptime_at(tick); }

sim::Timeval Kernel::ticks_to_timeval(std::uint64_t ticks) const {
  std::uint64_t usec = ticks * 1'000'000 / hz();
  return sim::Timeval{static_cast<std::int64_t>(usec / 1'000'000),
                      static_cast<std::int64_t>(usec % 1'000'000)};
}

// ---- Boot --------------------------------------------------------------------------------

void Kernel::create_proc0() {
  Proc& p = m_procs.create(Pid(0));
  m_proc0 = &p;
  p.comm = std::string(m_era.proc0_comm);
  p.sysent_name = std::string(m_era.proc0_sysent);
  p.flag = P_SYSTEM | P_INMEM;
  const vfs::Gid wheel(0);
  p.cred =
      vfs::make_ucred(vfs::kRootUid, std::span<const vfs::Gid>(&wheel, 1), vfs::group_rules(m_config.era));
  Session& session = m_procs.create_session(Pid(0));
  session.leader = &p;
  session.login = "root";
  Pgrp& pgrp = m_procs.create_pgrp(Pid(0), session);
  pgrp.members.push_front(&p);
  p.pgrp = &pgrp;
  std::uint64_t free_bytes = kSimulatedFreePagesAtBoot * kSimulatedPageSize;
  p.limits = boot_rlimits(m_config.params, m_config.vm_size_limits, free_bytes);
  p.sigacts = Sigacts::initial();
  p.abi = machine::arch_info(m_config.arch).native_abi;
  // vmspace0: proc0 never runs user code, so its map stays empty.
  p.vmspace =
      std::make_unique<vm::VmMap>(m_vm_objects, m_config.address_space.min_user_address,
                                  m_config.address_space.max_user_address, m_config.address_space.pmap);
  p.memory = std::make_unique<ProcUserMemory>(*this, p);
  // fdinit(): an empty table whose directories are the root; init gets a copy at fork.
  p.fd = std::make_unique<vfs::FileTable>(m_vfs->files());
  p.fd->set_cdir(vfs::VnodeRef::acquire(m_vfs->root_vnode()));
  p.fd->set_rdir(vfs::VnodeRef::acquire(m_vfs->root_vnode()));
  (void)fdtable(p);
  (void)m_procs.change_proc_count(p.cred.ruid, 1, 0);
  Thread& td = create_thread(p);
  // proc0 never enters user mode: its frame stays zero.
  td.frame.abi = p.abi;
  td.name = "swapper";
  td.priority = PVM;
  td.user_priority = PVM;
  td.fiber = std::make_unique<sim::Fiber>("swapper", [this, &td](sim::Fiber&) { swapper_body(td); });
  p.transition_to_normal();
  setrunnable(td);
}

void Kernel::create_init() {
  PROCSIM_ASSERT(m_proc0 != nullptr);
  auto vmspace = m_proc0->vmspace->fork(vm_caller(*m_proc0));
  PROCSIM_ASSERT(vmspace.ok());
  Proc& p = make_child(*m_proc0, m_proc0->first_thread(), Pid(1), std::make_unique<InitProgram>(),
                       std::move(vmspace.value()));
  PROCSIM_ASSERT(p.pid() == Pid(1));
  // FIXME: init is not exec'd from /sbin/init yet; it gets a host program's address space.
  p.vmspace = imageless_vmspace(p, ImagelessKind::HostProgram);
  m_initproc = &p;
  (void)m_procs.set_next_pid(Pid(2));
  if (m_era.init_is_system) p.flag |= P_SYSTEM;
  p.comm = "init";
  p.args = {"/sbin/init", "--"};
  p.sysent_name = m_config.init_sysent;
  p.osrel = m_config.init_osrel;
  Thread& td = p.first_thread();
  td.frame = default_user_frame(p.abi);
  td.name = "init";
  td.priority = PUSER;
  td.user_priority = PUSER;
  (void)m_procs.change_proc_count(p.cred.ruid, 1, 0);
  p.transition_to_normal();
  start_thread_fiber(td);
  setrunnable(td);
}

void Kernel::boot() {
  PROCSIM_ASSERT_MSG(!m_booted, "a kernel boots once");
  create_proc0();
  create_init();
  m_booted = true;
  sim::RunReport report = m_engine.run_until_idle(*this);
  PROCSIM_ASSERT_MSG(report.outcome == sim::RunOutcome::Idle, "boot ends with proc0 and init asleep");
  PROCSIM_ASSERT(m_initproc->first_thread().wmesg == "wait");
  after_step();
}

// ---- Threads and the scheduler -------------------------------------------------------------

Thread& Kernel::create_thread(Proc& p) {
  PROCSIM_ASSERT(m_tids_in_use.size() < kMaxThreads);
  std::int32_t tid = kThread0Tid;
  if (p.pid() != Pid(0)) {
    tid = kThread0Tid + 1;
    while (m_tids_in_use.contains(tid)) ++tid;
  }
  PROCSIM_ASSERT(!m_tids_in_use.contains(tid));
  m_tids_in_use.insert(tid);
  auto thread = std::make_unique<Thread>(Tid(tid), p);
  Thread& td = *thread;
  p.threads.push_back(std::move(thread));
  m_threads.emplace(td.tid(), &td);
  return td;
}

void Kernel::release_thread_id(Tid tid) {
  PROCSIM_ASSERT(m_tids_in_use.erase(tid.value()) == 1);
  PROCSIM_ASSERT(m_threads.erase(tid) == 1);
}

void Kernel::start_thread_fiber(Thread& td) {
  PROCSIM_ASSERT(!td.fiber);
  td.fiber = std::make_unique<sim::Fiber>(fmt::format("tid {}", td.tid()),
                                          [this, &td](sim::Fiber&) { thread_body(td); });
}

void Kernel::thread_body(Thread& td) {
  td.in_kernel = true;
  fork_return(td);
  return_to_user(td);
  UserContext context(*this, td);
  int status = 0;
  for (;;) {
    Program* program = td.proc().program.get();
    PROCSIM_ASSERT_MSG(program != nullptr, "a user thread has a program");
    try {
      status = program->run(context);
      break;
    } catch (const ImageReplaced&) {
      // exec replaced the image: the old program is off the stack now, start the new one.
      PROCSIM_ASSERT(td.image_replaced);
      td.image_replaced = false;
      td.retired_program.reset();
      td.signal_depth = 0;
      context.reset_scratch();
    }
  }
  // Returning from the program is exit(status), made through the trap like libc's exit.
  (void)context.syscall(Sysno::Exit, {sarg(status)});
  PROCSIM_UNREACHABLE();
}

void Kernel::swapper_body(Thread& td) {
  // proc0 runs the swapper loop, which sleeps until a process must be swapped in; nothing is
  // ever swapped out here, so it sleeps for good.
  for (;;) (void)sleep(td, WaitChannel{WaitChannel::Kind::Proc, 0}, PVM, m_era.proc0_wmesg, 0, false);
}

bool Kernel::has_runnable_work() const { return !m_runq.empty(); }

Thread* Kernel::pick_next(sim::Tick now) {
  auto has_slice = [this, now](const Thread& td) {
    return td.slice_tick != now || td.slice_used < m_config.slice_units_per_tick;
  };
  std::vector<Thread*> candidates = m_runq.best_candidates(has_slice);
  if (candidates.empty()) return nullptr;
  std::uint64_t pick = m_engine.chooser().choose(sim::ChoiceId::RunQueueTie, candidates.size());
  PROCSIM_ASSERT(pick < candidates.size());
  return candidates[pick];
}

void Kernel::run_tick(sim::Tick now) {
  PROCSIM_ASSERT(m_curthread == nullptr);
  std::optional<Tid> charged;
  bool charged_in_kernel = false;
  for (std::size_t step = 0;; ++step) {
    PROCSIM_ASSERT_MSG(step < kMaxDispatchesPerTick, "too many scheduling steps in one tick");
    Thread* td = pick_next(now);
    if (td == nullptr) break;
    m_runq.remove(*td);
    td->transition_to_running();
    if (td->slice_tick != now) {
      td->slice_tick = now;
      td->slice_used = 0;
    }
    m_curthread = td;
    td->fiber->resume();
    m_curthread = nullptr;
    if (td->fiber_retired) {
      td->fiber.reset();
      td->fiber_retired = false;
    } else if (td->state() == ThreadState::TDS_RUNQ && slice_used_up(*td)) {
      // It was still running when its slice ran out: the clock interrupt finds it on the CPU.
      charged = td->tid();
      charged_in_kernel = td->in_kernel;
    }
    after_step();
  }
  statclock(charged, charged_in_kernel);
}

void Kernel::statclock(const std::optional<Tid>& charged, bool in_kernel) {
  if (!charged) return;
  auto it = m_threads.find(*charged);
  if (it == m_threads.end()) return;
  Proc& p = it->second->proc();
  ++m_busy_ticks;
  if (in_kernel) {
    ++p.system_ticks;
  } else {
    ++p.user_ticks;
  }
}

void Kernel::setrunnable(Thread& td) {
  PROCSIM_ASSERT_MSG(td.fiber != nullptr, "only a thread with a kernel stack can run");
  td.transition_to_runq();
  m_runq.add(td);
}

void Kernel::switch_out(Thread& td) {
  PROCSIM_ASSERT(m_curthread == &td);
  PROCSIM_ASSERT(td.state() != ThreadState::TDS_RUNNING);
  td.fiber->suspend();
  PROCSIM_ASSERT(m_curthread == &td);
  PROCSIM_ASSERT(td.state() == ThreadState::TDS_RUNNING);
}

void Kernel::preempt(Thread& td) {
  td.transition_to_runq();
  m_runq.add(td);
  switch_out(td);
}

void Kernel::thread_exit(Thread& td) {
  PROCSIM_ASSERT(m_curthread == &td);
  PROCSIM_ASSERT(td.proc().is_zombie());
  td.transition_to_inactive();
  td.fiber_retired = true;
  td.fiber->suspend();
  PROCSIM_UNREACHABLE();
}

void Kernel::park(Thread& td) {
  td.in_kernel = false;
  td.transition_to_inhibited(kTdiParked);
  switch_out(td);
  td.in_kernel = true;
}

void Kernel::unpark(Thread& td) {
  if (!td.is_parked()) return;
  if (td.clear_inhibitor(kTdiParked)) setrunnable(td);
}

void Kernel::charge(Thread& td, std::uint64_t units) {
  PROCSIM_ASSERT(td.slice_tick == m_engine.now());
  td.slice_used += units;
}

bool Kernel::slice_used_up(const Thread& td) const {
  return td.slice_tick == m_engine.now() && td.slice_used >= m_config.slice_units_per_tick;
}

void Kernel::consume_user_cpu(Thread& td, std::uint64_t units) {
  PROCSIM_ASSERT(m_curthread == &td);
  charge(td, units);
  if (!slice_used_up(td)) return;
  td.in_kernel = false;
  td.priority = td.user_priority;
  preempt(td);
  td.in_kernel = true;
  return_to_user(td);
}

void Kernel::after_step() {
  if (kDebugBuild || m_config.check_invariants) check_invariants();
}

// ---- Sleep and wakeup (spec/kernel.md §6) ------------------------------------------------

vfs::KResult<void> Kernel::sleep(Thread& td, WaitChannel chan, int priority, std::string_view wmesg,
                                 std::uint64_t timeout_ticks, bool catch_signals) {
  PROCSIM_ASSERT(m_curthread == &td);
  PROCSIM_ASSERT(!wmesg.empty());
  if (catch_signals) {
    // sleepq_catch_signals(): a signal that is already pending ends the sleep before it begins.
    if (std::optional<Signal> pending = issignal(td)) {
      return base::fail(td.proc().sigacts.sigintr.contains(*pending) ? vfs::Errno::Eintr
                                                                     : vfs::Errno::Erestart);
    }
  }
  td.wchan = chan;
  td.wmesg = wmesg;
  td.sleep_interruptible = catch_signals;
  td.sleep_end.reset();
  td.sleep_sequence = ++m_sleep_sequence;
  td.priority = priority;
  m_sleepq.add(td, chan);
  if (timeout_ticks > 0) {
    Tid tid = td.tid();
    std::uint64_t sequence = td.sleep_sequence;
    td.sleep_timeout = m_engine.events().schedule(sim::Tick(m_engine.now().value() + timeout_ticks),
                                                  [this, tid, sequence] { sleep_timed_out(tid, sequence); });
  }
  if (tracing()) {
    trace(KernTrace::Sleep, {{"pid", std::int64_t{td.proc().pid().value()}},
                             {"tid", std::int64_t{td.tid().value()}},
                             {"wmesg", std::string(wmesg)}});
  }
  td.transition_to_inhibited(TDI_SLEEPING);
  switch_out(td);
  PROCSIM_ASSERT(!td.wchan.has_value());
  PROCSIM_ASSERT(td.sleep_end.has_value());
  switch (*td.sleep_end) {
    case SleepEnd::Wakeup: return {};
    case SleepEnd::Timeout: return base::fail(vfs::Errno::Ewouldblock);
    case SleepEnd::Interrupted: return base::fail(td.sleep_intrval);
  }
  PROCSIM_UNREACHABLE();
}

void Kernel::sleep_timed_out(Tid tid, std::uint64_t sequence) {
  auto it = m_threads.find(tid);
  if (it == m_threads.end()) return;
  Thread& td = *it->second;
  if (!td.wchan || td.sleep_sequence != sequence) return;
  td.sleep_timeout.reset();
  end_sleep(td, SleepEnd::Timeout);
}

// sleepq_resume_thread(): off the sleep queue; runnable unless something else still holds it
// (a suspended sleeper stays suspended).
void Kernel::end_sleep(Thread& td, SleepEnd why) {
  PROCSIM_ASSERT(td.is_sleeping());
  PROCSIM_ASSERT(td.wchan.has_value());
  m_sleepq.remove(td);
  if (td.sleep_timeout) {
    (void)m_engine.events().cancel(*td.sleep_timeout);
    td.sleep_timeout.reset();
  }
  if (tracing()) {
    static constexpr std::array<std::string_view, 3> kReasons = {"wakeup", "timeout", "signal"};
    trace(KernTrace::Wakeup, {{"pid", std::int64_t{td.proc().pid().value()}},
                              {"tid", std::int64_t{td.tid().value()}},
                              {"wmesg", std::string(td.wmesg)},
                              {"reason", std::string(kReasons[static_cast<std::size_t>(why)])}});
  }
  td.wchan.reset();
  td.wmesg = {};
  td.sleep_interruptible = false;
  td.sleep_end = why;
  if (td.clear_inhibitor(TDI_SLEEPING)) setrunnable(td);
}

void Kernel::wakeup(WaitChannel chan) {
  std::vector<Thread*> sleepers = m_sleepq.sleepers(chan);
  // Several sleepers: the order they become runnable in is a choice point (sleep order first).
  while (!sleepers.empty()) {
    std::uint64_t pick = m_engine.chooser().choose(sim::ChoiceId::WakeupOrder, sleepers.size());
    Thread* td = sleepers[pick];
    sleepers.erase(sleepers.begin() + static_cast<std::ptrdiff_t>(pick));
    end_sleep(*td, SleepEnd::Wakeup);
  }
}

void Kernel::wakeup_one(WaitChannel chan) {
  std::vector<Thread*> sleepers = m_sleepq.sleepers(chan);
  if (!sleepers.empty()) end_sleep(*sleepers.front(), SleepEnd::Wakeup);
}

// ---- The system-call path ----------------------------------------------------------------

SyscallResult Kernel::syscall(Thread& td, const SyscallRequest& request) {
  PROCSIM_ASSERT_MSG(m_curthread == &td, "a thread traps into the kernel only on its own stack");
  PROCSIM_ASSERT(td.state() == ThreadState::TDS_RUNNING);
  for (std::size_t attempt = 0;; ++attempt) {
    PROCSIM_ASSERT_MSG(attempt < kMaxDispatchesPerTick, "a system call restarted without end");
    td.in_kernel = true;
    charge(td, m_config.syscall_cost_units);
    syscall_enter_hooks(td, request);
    vfs::KResult<SyscallReturn> outcome = dispatch(td, request);
    if (outcome.ok()) td.retval = outcome.value();
    set_syscall_retval(td, outcome);
    userret(td);
    syscall_exit_hooks(td, request);
    return_to_user(td);
    // ERESTART: the trap instruction runs again once the signal has been handled.
    if (outcome.is_error() && outcome.error() == vfs::Errno::Erestart) continue;
    SyscallResult result;
    if (outcome.ok()) {
      result.retval = outcome.value();
    } else if (outcome.error() == vfs::Errno::Ejustreturn) {
      // The registers are as the call left them (execve set up the new image's).
      result.retval = td.retval;
    } else {
      result.error = outcome.error();
      PROCSIM_ASSERT_MSG(vfs::errno_value(*result.error) > 0, "kernel-internal errors never reach user mode");
    }
    return result;
  }
}

// cpu_set_syscall_retval(): the result goes into the registers before the exit stop, so a
// debugger stopped there sees it. ERESTART and EJUSTRETURN leave the registers alone.
void Kernel::set_syscall_retval(Thread& td, const vfs::KResult<SyscallReturn>& outcome) {
  if (outcome.ok()) {
    machine::set_syscall_result(td.frame, outcome.value()[0], outcome.value()[1]);
    return;
  }
  vfs::Errno error = outcome.error();
  if (error == vfs::Errno::Erestart || error == vfs::Errno::Ejustreturn) return;
  PROCSIM_ASSERT(vfs::errno_value(error) > 0);
  machine::set_syscall_error(td.frame, vfs::errno_value(error));
}

vfs::KResult<SyscallReturn> Kernel::dispatch(Thread& td, const SyscallRequest& request) {
  const SyscallRow* row = syscall_row(request.number);
  if (row == nullptr) {
    // nosys(): an unknown call number posts SIGSYS and fails.
    psignal(td.proc(), Sigsys);
    return base::fail(vfs::Errno::Enosys);
  }
  if (row->handler == nullptr) return base::fail(vfs::Errno::Enosys);
  return row->handler(*this, td, request);
}

// syscallenter(): the S_SCE stop event (val: the argument count) and the ptrace entry stop.
void Kernel::syscall_enter_hooks(Thread& td, const SyscallRequest& request) {
  Proc& p = td.proc();
  if ((p.flag & P_TRACED) != 0) {
    td.dbgflags &= ~TDB_USERWR;
    td.dbgflags |= TDB_SCE;
  }
  if ((p.stops & S_SCE) != 0) {
    const SyscallRow* row = syscall_row(request.number);
    stopevent(td, S_SCE, row == nullptr ? 0 : row->nargs);
  }
  if ((p.flag & P_TRACED) != 0 && (p.stops & S_PT_SCE) != 0) (void)ptracestop(td, Sigtrap.value());
}

// syscallret(): the S_SCX stop event (val: the call number) and the ptrace exit stop, which
// also follows a successful exec or a fork the debugger follows (spec/kernel.md §2.3).
void Kernel::syscall_exit_hooks(Thread& td, const SyscallRequest& request) {
  Proc& p = td.proc();
  td.dbgflags &= ~TDB_SCE;
  bool traced = (p.flag & P_TRACED) != 0;
  if (traced) td.dbgflags |= TDB_SCX;
  if ((p.stops & S_SCX) != 0) stopevent(td, S_SCX, request.number);
  bool wants_stop = (p.stops & S_PT_SCX) != 0 || (td.dbgflags & (TDB_EXEC | TDB_FORK)) != 0;
  if ((p.flag & P_TRACED) != 0 && wants_stop) (void)ptracestop(td, Sigtrap.value());
  td.dbgflags &= ~(TDB_SCX | TDB_EXEC | TDB_FORK);
}

void Kernel::userret(Thread& td) { ast(td); }

// The way out to user mode: handle signals and suspension, give up the CPU if the slice is
// gone (and look at signals again when scheduled back), then drop to the user priority.
void Kernel::return_to_user(Thread& td) {
  for (std::size_t round = 0;; ++round) {
    PROCSIM_ASSERT(round < kMaxDispatchesPerTick);
    ast(td);
    if (!slice_used_up(td)) break;
    td.priority = td.user_priority;
    preempt(td);
  }
  td.priority = td.user_priority;
  td.in_kernel = false;
}

// fork_return(): a child forked while its parent was traced with P_FOLLOWFORK attaches to the
// parent's debugger and stops with SIGSTOP (spec/kernel.md §2.3).
void Kernel::fork_return(Thread& td) {
  if ((td.dbgflags & TDB_STOPATFORK) == 0) return;
  Proc& p = td.proc();
  Proc* parent = p.pptr;
  bool follow = parent != nullptr && (parent->flag & (P_TRACED | P_FOLLOWFORK)) == (P_TRACED | P_FOLLOWFORK);
  if (follow && parent->pptr != nullptr) {
    p.flag |= P_TRACED;
    p.oppid = parent->pid();
    proc_reparent(p, *parent->pptr);
    (void)ptracestop(td, Sigstop.value());
  } else {
    td.dbgflags &= ~TDB_STOPATFORK;
  }
}

vfs::KResult<void> Kernel::copyin(Thread& td, UserAddr addr, base::MutableByteSpan out) {
  Proc& p = td.proc();
  if (!p.memory) return base::fail(vfs::Errno::Efault);
  return p.memory->copyin(addr, out);
}

vfs::KResult<void> Kernel::copyout(Thread& td, UserAddr addr, base::ByteSpan in) {
  Proc& p = td.proc();
  if (!p.memory) return base::fail(vfs::Errno::Efault);
  return p.memory->copyout(addr, in);
}

// ---- Scripted processes ------------------------------------------------------------------

SyscallRequest Kernel::script_wait(Thread& td) {
  Proc& p = td.proc();
  PROCSIM_ASSERT(p.script.has_value());
  for (std::size_t wakeups = 0;; ++wakeups) {
    PROCSIM_ASSERT(wakeups < kMaxDispatchesPerTick);
    ScriptSlot& slot = *p.script;
    if (slot.pending) {
      SyscallRequest request = *slot.pending;
      slot.pending.reset();
      slot.in_progress = true;
      return request;
    }
    park(td);
    // Woken by a submission or by a signal: look at signals as on any return to user mode.
    return_to_user(td);
  }
}

void Kernel::script_post(Thread& td, const SyscallResult& result) {
  Proc& p = td.proc();
  PROCSIM_ASSERT(p.script.has_value());
  PROCSIM_ASSERT(p.script->in_progress);
  p.script->in_progress = false;
  p.script->result = result;
}

vfs::KResult<void> Kernel::script_submit(Pid pid, const SyscallRequest& request) {
  Proc* p = pfind(pid);
  if (p == nullptr || !p->script || p->script->image_replaced || (p->flag & P_WEXIT) != 0)
    return base::fail(vfs::Errno::Esrch);
  ScriptSlot& slot = *p->script;
  if (slot.pending || slot.in_progress) return base::fail(vfs::Errno::Ebusy);
  slot.pending = request;
  slot.result.reset();
  unpark(p->first_thread());
  after_step();
  return {};
}

bool Kernel::script_finished(Pid pid) const {
  Proc* p = find_proc(pid);
  if (p == nullptr || p->is_zombie() || !p->script) return true;
  return !p->script->pending && !p->script->in_progress && p->script->result.has_value();
}

std::optional<SyscallResult> Kernel::script_result(Pid pid) const {
  Proc* p = find_proc(pid);
  if (p == nullptr || !p->script || p->script->pending || p->script->in_progress) return std::nullopt;
  return p->script->result;
}

std::vector<Signal> Kernel::take_script_caught_signals(Pid pid) {
  Proc* p = find_proc(pid);
  if (p == nullptr || !p->script) return {};
  return std::exchange(p->script->caught, {});
}

UserMemory* Kernel::user_memory(Pid pid) {
  Proc* p = pfind(pid);
  return p == nullptr ? nullptr : p->memory.get();
}

vfs::KResult<void> Kernel::set_next_pid(Pid pid) { return m_procs.set_next_pid(pid); }

void Kernel::set_trace(bool enabled) { m_engine.trace().set_enabled(enabled); }

Thread* Kernel::tdfind(Tid tid) const {
  auto it = m_threads.find(tid);
  if (it == m_threads.end() || it->second->proc().is_zombie()) return nullptr;
  PROCSIM_ASSERT(it->second->tid() == tid);
  return it->second;
}

// ---- Tracing -----------------------------------------------------------------------------

bool Kernel::tracing() const { return m_engine.trace().enabled(); }

void Kernel::trace(KernTrace kind, std::vector<sim::TraceField> fields) {
  if (!tracing()) return;
  m_engine.trace().emit(sim::TraceEvent{m_engine.now(), kern_trace_kind(kind), std::move(fields)});
}

}  // namespace procsim::kern
