// The simulated BSD kernel: process table, threads on fibers, the scheduler, sleep and wakeup,
// signals, fork/exit/wait, process groups and sessions, credentials, system calls, scripted
// processes and invariant checks, behaving as FreeBSD 8.3 does (spec/kernel.md §2-§4, §6), with
// the older eras' visible differences taken from era_rules.h. Every process has a descriptor
// table on the machine's Vfs; terminals are the kernel's character devices (tty.h). Exec, ptrace
// and machine code are seams for later slices. One Kernel per simulated machine; no globals.
//
// Driver API (everything a scenario runner needs):
//   Kernel(engine, config); boot();              pid 0 and init, run until init sleeps in wait4
//   spawn_scripted(spec) / spawn_program(spec, program)  -> pid  (a process the scenario creates)
//   script_submit(pid, request); run the engine until script_finished(pid); script_result(pid)
//   user_memory(pid)                             where a scripted call's pointer arguments live
//   set_next_pid(pid)                            the `nextpid` directive
//   find_proc / pfind / allproc / zombproc / pgfind / sessions   read-only views for procfs
//   message_buffer()                             what dmesg prints
//   set_trace(bool)                              `trace on` / `trace off`
//   vfs() / tty(name)                            the file system; a terminal's output and input
// Everything else public is kernel-internal API shared by the handlers and, later, procfs and
// ptrace; it must be called on the right fiber where it says so.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/kern/cred_policy.h"
#include "model/kern/era_rules.h"
#include "model/kern/kern_trace.h"
#include "model/kern/msgbuf.h"
#include "model/kern/proc.h"
#include "model/kern/proc_table.h"
#include "model/kern/program.h"
#include "model/kern/rlimit.h"
#include "model/kern/sched.h"
#include "model/kern/syscall_table.h"
#include "model/kern/sysent.h"
#include "model/kern/tty.h"
#include "model/kern/wait_status.h"
#include "model/machine/arch.h"
#include "model/vfs/errno.h"
#include "model/vfs/ucred.h"
#include "model/vfs/vfs.h"
#include "model/vm/swap_account.h"
#include "model/vm/vm_object.h"
#include "model/vm/vmspace.h"
#include "sim/engine.h"

namespace procsim::kern {

struct KernelConfig {
  vfs::Era era = vfs::Era::FreeBSD8;
  int securelevel = -1;  // kern.securelevel
  // Tunables (subr_param.c: maxproc, maxprocperuid, maxfiles, ...) of the simulated machine.
  KernelParams params = compute_kernel_params(kSimulatedPhyspages);
  // What init runs as after its exec of /sbin/init: the ABI name procfs etype shows and the
  // image's osrel. The driver sets them per architecture and era.
  std::string init_sysent = "FreeBSD ELF64";
  std::int32_t init_osrel = 803000;
  // security.bsd.* switches (cred_policy.h); the securelevel above overrides policy.securelevel.
  PolicyConfig policy;
  // Simulated work: what one tick of CPU buys, and what one system call of a host-implemented
  // or scripted program costs. A thread that used its slice is preempted until the next tick.
  std::uint64_t slice_units_per_tick = 100000;
  std::uint64_t syscall_cost_units = 1000;
  // Run the invariant checks after every scheduling step and driver call (scenarios set this;
  // debug builds always check).
  bool check_invariants = false;
  std::size_t msgbuf_bytes = MessageBuffer::kDefaultBytes;
  // The user address space layout of the machine's native ABI, and the swap books' settings
  // (vm.swap_total, vm.overcommit); the once-a-second rate uses the engine's hz.
  vm::AddressSpaceParams address_space = vm::kAmd64Params;
  vm::SwapConfig swap = default_swap_config();
  // The kernel architecture (`machine arch=`): which program images exec accepts (spec/kernel.md
  // §7), the native ABI proc0, init and spawned processes run as unless a program says otherwise,
  // and its data and stack size limits (vmparam.h), which become proc0's RLIMIT_DATA and RLIMIT_STACK.
  machine::Arch arch = machine::Arch::Amd64;
  VmSizeLimits vm_size_limits = kVmSizeLimitsAmd64;

  static vm::SwapConfig default_swap_config();
};

// What exec hands a machine-code program: the process ABI the image was activated for, its
// entry point and where its argument block landed on the new stack.
struct ExecImage {
  machine::Abi abi = machine::Abi::Amd64;
  vm::VmOffset entry = 0;
  vm::InitialStack stack;
};

// Makes the user code of an exec'd image. Machine code comes from the machine layer's
// interpreter; a host program's image names the program, which the system layer registers.
using MachineProgramFactory = std::function<std::unique_ptr<Program>(Proc& p, const ExecImage& image)>;
using HostImageFactory = std::function<std::unique_ptr<Program>()>;

// The user address space layout of a process of `abi` (vmparam.h; ia32 on amd64 ends at 4 GB).
vm::AddressSpaceParams address_space_for(machine::Abi abi);

// ARG_MAX (8.3 sys/sys/syslimits.h): the bytes of argument and environment strings exec takes.
inline constexpr std::size_t kArgMax = 262144;

// What a debugger's proc_rwmem() moved: bytes before the first error, and that error (ENOMEM
// when swap for a copy-on-write copy was refused, EFAULT otherwise).
struct RwmemResult {
  std::size_t moved = 0;
  std::optional<vfs::Errno> error;
};

// A process the scenario creates (`spawn`, `login`). Unset fields take the parent's values.
struct SpawnSpec {
  std::optional<Pid> pid;   // else the next pid
  std::optional<Pid> ppid;  // else init
  std::optional<vfs::Ucred> cred;
  std::optional<std::string> tty;       // a controlling terminal: makes the process a session leader
  std::optional<Pid> pgid;              // == pid: a new group; else an existing group of the session
  std::optional<Pid> sid;               // == pid: a new session; else an existing session
  std::optional<vfs::PrisonId> prison;  // jails the new process's credential (create_prison())
  std::optional<std::string> login;     // a new session's login name (else the parent's)
  // With `tty` naming the terminal of the existing session joined: open it as descriptors 0-2
  // and make the new group the foreground, as a shell starting a foreground job does.
  bool join_terminal = false;
  std::string comm;
  std::vector<std::string> argv;
};

// What kern_wait found.
struct WaitResult {
  Pid pid{0};             // 0 with WNOHANG when nothing was ready
  WaitStatus status = 0;  // what *status receives
  std::uint64_t user_ticks = 0;
  std::uint64_t system_ticks = 0;
};

class Kernel final : public sim::World {
 public:
  // Limits: scheduling steps in one tick (also the bound of every retry loop in the kernel),
  // and threads in existence.
  static constexpr std::size_t kMaxDispatchesPerTick = 1'000'000;
  static constexpr std::uint32_t kMaxThreads = 100'000;

  // A kernel on the machine's file system, which must outlive it. The two-argument form builds
  // and owns the standard root (rootfs.h), for tests that need no Machine.
  Kernel(sim::Engine& engine, KernelConfig config, vfs::Vfs& vfs);
  Kernel(sim::Engine& engine, KernelConfig config);
  ~Kernel() override;
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  // ---- Driver API -----------------------------------------------------------------------
  // Creates proc0 and init (spec/kernel.md §3.3) and runs until both sleep. Call once.
  void boot();
  bool booted() const { return m_booted; }

  vfs::KResult<Pid> spawn_scripted(const SpawnSpec& spec);
  vfs::KResult<Pid> spawn_program(const SpawnSpec& spec, std::unique_ptr<Program> program);
  // A process that execs `path` with spec.argv as its arguments (`spawn -- PATH ARGS`); when the
  // exec fails it exits with status 127.
  vfs::KResult<Pid> spawn_exec(SpawnSpec spec, std::string path);

  // Hands a scripted process its next system call. ESRCH: no such live scripted process;
  // EBUSY: its previous call has not finished.
  vfs::KResult<void> script_submit(Pid pid, const SyscallRequest& request);
  // True once the submitted call returned, or the process is gone (exited or reaped).
  bool script_finished(Pid pid) const;
  // The result of the last submitted call, once it returned.
  std::optional<SyscallResult> script_result(Pid pid) const;
  // Signals whose handlers the scripted process ran, oldest first; the list is then emptied.
  std::vector<Signal> take_script_caught_signals(Pid pid);
  // The user memory of a live process (for marshalling a scripted call's arguments).
  UserMemory* user_memory(Pid pid);

  vfs::KResult<void> set_next_pid(Pid pid);
  void set_trace(bool enabled);

  // The file system and the terminals (by devtoname: "console", "ttyp0"; null if none).
  vfs::Vfs& vfs() { return *m_vfs; }
  const vfs::Vfs& vfs() const { return *m_vfs; }
  Tty* tty(std::string_view name) const { return m_ttys->find(name); }
  const TtyTable& ttys() const { return *m_ttys; }

  // Read-only views.
  Proc* find_proc(Pid pid) const { return m_procs.find_any(pid); }
  Proc* pfind(Pid pid) const { return m_procs.pfind(pid); }
  Proc* zpfind(Pid pid) const { return m_procs.zpfind(pid); }
  const std::list<Proc*>& allproc() const { return m_procs.allproc(); }
  const std::list<Proc*>& zombproc() const { return m_procs.zombproc(); }
  const ProcTable& proc_table() const { return m_procs; }
  Pgrp* pgfind(Pid pgid) const { return m_procs.pgfind(pgid); }
  Proc* initproc() const { return m_initproc; }
  // tdfind(): a live thread by id (ptrace addresses a thread by its id above PID_MAX).
  Thread* tdfind(Tid tid) const;
  MessageBuffer& message_buffer() { return m_msgbuf; }
  const MessageBuffer& message_buffer() const { return m_msgbuf; }
  sim::Engine& engine() { return m_engine; }
  const KernelConfig& config() const { return m_config; }
  const KernelEraRules& era_rules() const { return m_era; }
  const PolicyConfig& policy() const { return m_config.policy; }
  // jail(2) reduced to what the access checks read: a new prison beneath `parent`, with the next
  // id (1, 2, ...; ids are not reused). EINVAL for an unknown parent, EPERM past kMaxPrisons.
  static constexpr std::size_t kMaxPrisons = 1000;
  vfs::KResult<vfs::PrisonId> create_prison(vfs::PrisonId parent);
  // Prisons in existence, prison0 included.
  std::size_t prison_count() const {
    return std::max<std::size_t>(1, m_config.policy.prisons.parents.size());
  }
  std::uint32_t hz() const;
  // Statclock ticks charged to some thread since boot: the machine's busy CPU time (cp_time
  // without the idle share). Drivers bound a command by it rather than by elapsed time.
  std::uint64_t busy_ticks() const { return m_busy_ticks; }
  // Time since boot at a tick, as the kernel's uptime clock reads it.
  sim::Timeval uptime_at(sim::Tick tick) const;
  // CPU time kept in statclock ticks, as the struct timeval rusage and procfs report.
  sim::Timeval ticks_to_timeval(std::uint64_t ticks) const;

  // ---- World ------------------------------------------------------------------------------
  bool has_runnable_work() const override;
  void run_tick(sim::Tick now) override;

  // ---- Kernel internals: system calls and user boundary (on the calling thread's fiber) ----
  SyscallResult syscall(Thread& td, const SyscallRequest& request);
  vfs::KResult<void> copyin(Thread& td, UserAddr addr, base::MutableByteSpan out);
  vfs::KResult<void> copyout(Thread& td, UserAddr addr, base::ByteSpan in);
  // User-mode CPU use (machine code, busy loops): may preempt and then handle signals.
  void consume_user_cpu(Thread& td, std::uint64_t units);
  // trapsignal(): a synchronous trap of the current thread (breakpoint, single step, fault)
  // becomes `signal` with si_code `code` and si_addr `addr`; a blocked or ignored one is forced
  // back to the default action first (kern.forcesigexit). Then the way back to user mode runs,
  // so a debugger stop or a handler happens before this returns.
  void trapsignal(Thread& td, Signal signal, std::int32_t code, std::uint64_t addr);
  // sendsig() could not build a signal frame on the user stack: the process dies of SIGILL.
  [[noreturn]] void sendsig_failed(Thread& td);
  // Scripted processes: wait in user mode for the next call; publish a result.
  SyscallRequest script_wait(Thread& td);
  void script_post(Thread& td, const SyscallResult& result);

  // ---- Files (sys_file.cpp) ----
  // The thread running on a kernel stack now, or null on the driver's stack.
  Thread* current_thread() const { return m_curthread; }
  // What the VFS needs of a live process: credentials, root and current directory, pid, time.
  vfs::VfsContext vfs_context(const Proc& p) const;
  vfs::Timespec time_of_day() const;
  // p's descriptor table with its limit brought up to date: min(RLIMIT_NOFILE, maxfilesperproc).
  vfs::FileTable& fdtable(Proc& p);
  // copyinstr() of a path: ENAMETOOLONG without a NUL in MAXPATHLEN bytes, EFAULT if unreadable.
  vfs::KResult<std::string> copyin_path(Thread& td, UserAddr addr);

  // ---- Sleep and wakeup (spec/kernel.md §6) ----
  // Sleeps the current thread on `chan`. EWOULDBLOCK on timeout (timeout_ticks > 0); with
  // catch_signals, EINTR or ERESTART when a signal ends (or prevents) the sleep.
  vfs::KResult<void> sleep(Thread& td, WaitChannel chan, int priority, std::string_view wmesg,
                           std::uint64_t timeout_ticks, bool catch_signals);
  void wakeup(WaitChannel chan);
  void wakeup_one(WaitChannel chan);

  // ---- Signals (kern_sig.cpp) ----
  // psignal(): a kernel-generated signal without siginfo.
  void psignal(Proc& p, Signal signal);
  // pksignal(): a signal with siginfo (kill(2), SIGCHLD).
  void pksignal(Proc& p, Signal signal, const Ksiginfo& info);
  void tdsignal(Proc& p, Thread* td, Signal signal, const std::optional<Ksiginfo>& info);
  // thread_unsuspend(): resumes suspended threads once no P_STOPPED_* bit is left.
  void thread_unsuspend(Proc& p);
  // stopevent(): holds the process at a procfs stop event until p_step is cleared.
  void stopevent(Thread& td, StopEvents event, std::uint64_t val);
  // ptracestop(): a traced thread stops for its debugger; returns the signal to act on.
  std::uint32_t ptracestop(Thread& td, std::uint32_t signal);
  // The debugger's resume (kern_ptrace's sendsig, spec/kernel.md §2.2): p_xstat = data; a
  // stopped process's stopped thread gets `data` as td_xsig, the stop bits and P_WAITED go and
  // the threads run (a detach also drops TDB_SUSPEND); a running one is sent `data` if non-zero.
  void ptrace_sendsig(Proc& p, std::uint32_t data, bool detach);

  // ---- Processes (kern_fork.cpp, kern_exit.cpp, kern_proc.cpp) ----
  vfs::KResult<Proc*> fork1(Thread& td);
  [[noreturn]] void exit1(Thread& td, WaitStatus status);
  vfs::KResult<WaitResult> kern_wait(Thread& td, std::int32_t pid, WaitOptions options);
  void proc_reparent(Proc& child, Proc& parent);
  vfs::KResult<void> enterpgrp(Proc& p, Pid pgid, bool new_session);
  void enterthispgrp(Proc& p, Pgrp& pgrp);
  // setsugid(): P_SUGID, and procfs stop events are dropped unless PF_ISUGID.
  void setsugid(Proc& p);
  // Moves the per-uid process count when a process's real uid changes.
  void change_ruid(Proc& p, vfs::Uid ruid);
  ProcView view(const Proc& p) const;
  bool privileged(const vfs::Ucred& cred) const;  // euid 0 while suser_enabled
  // inferior(): p is the current process or one of its descendants.
  static bool inferior(const Proc& p, const Proc& ancestor);

  // ---- Address spaces (kern_vm.cpp) ----
  // What the VM reads from curthread/curproc when `p` touches memory: its real uid, its
  // RLIMIT_SWAP/STACK/VMEM soft limits, the swap privileges (root's), and the tick.
  vm::Caller vm_caller(const Proc& p) const;
  vm::VmObjectStore& vm_objects() { return m_vm_objects; }
  const vm::SwapAccount& swap_account() const { return m_swap; }
  vm::SwapAccount& swap_account() { return m_swap; }
  // proc_rwmem() (spec/kernel.md §2.5) for procfs mem and ptrace: `debugger` is the thread
  // doing the access, whose ruid pays for copy-on-write copies. Permission checks are the
  // caller's. A target without an address space (exiting, zombie) moves nothing: EFAULT.
  RwmemResult proc_rwmem(Proc& target, Thread& debugger, std::uint64_t addr, base::MutableByteSpan out);
  RwmemResult proc_rwmem(Proc& target, Thread& debugger, std::uint64_t addr, base::ByteSpan in);
  // The VM object of a regular file's vnode, shared by every mapping of the same contents (the
  // page cache). `path` is the name procfs `map` shows for it.
  vm::ObjectId vnode_object(const vfs::Vnode& vp, const base::Bytes& contents, std::string_view path);

  // ---- Hooks for file systems that follow processes (procfs) ----
  // Called in exit1() once P_WEXIT is set and before the process's descriptors are closed (8.3's
  // process_exit event handlers, 4.x's at_exit list), and when a stop by signal completes.
  using ProcHook = std::function<void(Proc&)>;
  void add_exit_hook(ProcHook hook) { m_exit_hooks.push_back(std::move(hook)); }
  void add_stop_hook(ProcHook hook) { m_stop_hooks.push_back(std::move(hook)); }
  // ---- Program images (kern_exec.cpp) ----
  void set_machine_program_factory(MachineProgramFactory factory);
  // Host programs are found by the name their image's "procsim" note carries.
  void register_host_image(std::string name, HostImageFactory factory);
  // kern_execve() (spec/kernel.md §3.5) on the calling thread's fiber. On success the process
  // runs the new image once the system call returns to user mode; errors leave it as it was.
  vfs::KResult<void> kern_execve(Thread& td, std::string_view path, std::vector<std::string> argv,
                                 std::vector<std::string> envv);

  // ---- Tracing ----
  bool tracing() const;
  void trace(KernTrace kind, std::vector<sim::TraceField> fields);

  // ---- Invariants (invariants.cpp): asserts on violation ----
  void check_invariants() const;

 private:
  Kernel(sim::Engine& engine, KernelConfig config, std::unique_ptr<vfs::Vfs> owned_vfs, vfs::Vfs* vfs);

  // Scheduling (kernel.cpp).
  Thread& create_thread(Proc& p);
  void release_thread_id(Tid tid);
  void start_thread_fiber(Thread& td);
  void thread_body(Thread& td);
  void swapper_body(Thread& td);
  Thread* pick_next(sim::Tick now);
  void setrunnable(Thread& td);
  void switch_out(Thread& td);
  void preempt(Thread& td);
  [[noreturn]] void thread_exit(Thread& td);
  void park(Thread& td);
  void unpark(Thread& td);
  void charge(Thread& td, std::uint64_t units);
  bool slice_used_up(const Thread& td) const;
  void statclock(const std::optional<Tid>& charged, bool in_kernel);
  void sleep_timed_out(Tid tid, std::uint64_t sequence);
  void end_sleep(Thread& td, SleepEnd why);
  void after_step();

  // System-call path (kernel.cpp).
  vfs::KResult<SyscallReturn> dispatch(Thread& td, const SyscallRequest& request);
  void set_syscall_retval(Thread& td, const vfs::KResult<SyscallReturn>& outcome);
  void syscall_enter_hooks(Thread& td, const SyscallRequest& request);
  void syscall_exit_hooks(Thread& td, const SyscallRequest& request);
  void userret(Thread& td);
  void return_to_user(Thread& td);
  void fork_return(Thread& td);

  // Signals (kern_sig.cpp).
  struct SignalFrame {
    Signal signal;
    std::uint64_t handler;
    SigSet return_mask;
  };
  void ast(Thread& td);
  std::optional<Signal> issignal(Thread& td);
  std::optional<SignalFrame> postsig(Thread& td, Signal signal);
  [[noreturn]] void sigexit(Thread& td, Signal signal);
  void tdsigwakeup(Thread& td, Signal signal, bool caught, vfs::Errno intrval);
  bool tdsignal_stopped(Proc& p, Thread& td, SigQueue& queue, Signal signal, bool caught, bool held,
                        vfs::Errno intrval);
  void sig_suspend_threads(Proc& p, const Thread* sender_thread, bool sending);
  void thread_suspend_one(Thread& td);
  void thread_unsuspend_one(Thread& td);
  void thread_suspend_switch(Thread& td);
  void thread_suspend_check(Thread& td);
  void thread_stopped(Proc& p);
  void childproc_jobstate(Proc& p, std::int32_t reason, std::int32_t status);
  void childproc_exited(Proc& p);
  void sigparent(Proc& p, std::int32_t reason, std::int32_t status);
  Thread* sigtd(Proc& p, Signal signal);
  void stop_process_by_signal(Proc& p, Signal signal, Thread* sender);
  void run_signal_handler(Thread& td, const SignalFrame& frame);

  // Processes (kern_fork.cpp, kern_exit.cpp, kern_proc.cpp).
  Proc& make_child(Proc& parent, Thread& parent_thread, Pid pid, std::unique_ptr<Program> program,
                   std::unique_ptr<vm::VmMap> vmspace);
  // Address spaces (kern_vm.cpp). A process the kernel creates without an image (init, a
  // spawned host program, a scripted process) gets a stack and, as its kind needs, the host
  // argument scratch or the scenario's scripted-call scratch, both anonymous read-write.
  enum class ImagelessKind : std::uint8_t { HostProgram, Scripted };
  std::unique_ptr<vm::VmMap> imageless_vmspace(Proc& p, ImagelessKind kind);
  void map_host_scratch(vm::VmMap& map, Proc& p);
  // Exec's stages (kern_exec.cpp).
  struct ActivatedImage;
  vfs::KResult<ActivatedImage> exec_activate(Proc& p, std::string_view path);
  vfs::KResult<std::unique_ptr<vm::VmMap>> exec_build_vmspace(Proc& p, ActivatedImage& image,
                                                              std::string_view path,
                                                              const std::vector<std::string>& argv,
                                                              const std::vector<std::string>& envv);
  void exec_commit(Thread& td, ActivatedImage& image, std::unique_ptr<vm::VmMap> vmspace,
                   std::string_view path, std::vector<std::string> argv);
  void exec_credentials(Proc& p, const ActivatedImage& image);
  void execsigs(Proc& p);
  void release_vmspace(Proc& p);
  vfs::KResult<void> fork_limits(Thread& td);
  void fork_failed(Thread& td, bool limit_message);
  struct SpawnGroups {
    bool new_session = false;
    bool new_pgrp = false;
    Session* session = nullptr;  // the session of a new group
    Pgrp* join = nullptr;        // the existing group to join when neither is new
    bool controlling_tty = false;
  };
  vfs::KResult<Pid> spawn(const SpawnSpec& spec, std::unique_ptr<Program> program, bool scripted);
  vfs::KResult<SpawnGroups> plan_spawn_groups(const SpawnSpec& spec, Pid pid, const Proc& parent) const;
  void apply_spawn_groups(Proc& p, const SpawnSpec& spec, const SpawnGroups& plan);
  void reparent_children_to_init(Proc& p);
  void notify_parent_of_exit(Proc& p);
  std::optional<WaitResult> wait_check_child(Proc& q, Proc& p, WaitOptions options, bool& reaped);
  void reap(Proc& q, Proc& p);
  void fixjobc(Proc& p, Pgrp& pgrp, bool entering);
  void orphanpg(Pgrp& pgrp);
  void leavepgrp(Proc& p);
  void doenterpgrp(Proc& p, Pgrp& pgrp);
  void session_leader_exit(Proc& p);
  void fdfree(Proc& p);
  vfs::KResult<void> open_terminal_stdio(Proc& p, Tty& tty);
  void create_proc0();
  void create_init();

  sim::Engine& m_engine;
  KernelConfig m_config;
  // The prison tree create_prison() grows; m_config.policy.prisons views it.
  std::vector<vfs::PrisonId> m_prison_parents;
  std::uint64_t m_busy_ticks = 0;
  const KernelEraRules& m_era;
  // The file system outlives every process (their descriptor tables and directories refer to
  // it), and the terminals outlive every session; member order is destruction order.
  std::unique_ptr<vfs::Vfs> m_own_vfs;
  vfs::Vfs* m_vfs = nullptr;
  std::unique_ptr<TtyTable> m_ttys;
  // The machine's swap books and VM objects; every process's map refers to them, so they are
  // declared before (and outlive) the process table.
  vm::SwapAccount m_swap;
  vm::VmObjectStore m_vm_objects;
  ProcTable m_procs;
  RunQueue m_runq;
  SleepQueues m_sleepq;
  MessageBuffer m_msgbuf;
  std::map<Tid, Thread*> m_threads;
  std::set<std::int32_t> m_tids_in_use;
  Thread* m_curthread = nullptr;
  Proc* m_proc0 = nullptr;
  Proc* m_initproc = nullptr;
  std::uint64_t m_sleep_sequence = 0;
  bool m_booted = false;
  std::vector<ProcHook> m_exit_hooks;
  std::vector<ProcHook> m_stop_hooks;
  MachineProgramFactory m_machine_programs;
  std::map<std::string, HostImageFactory> m_host_images;
  // The VM object of each executable's vnode, shared by every mapping of it (the page cache).
  struct ImageObject {
    vm::ObjectId object;
    base::Bytes contents;
  };
  std::map<std::uint64_t, ImageObject> m_image_objects;  // by vnode serial
  // fork's "maxproc limit exceeded" message is printed at most once a second (ppsratecheck).
  std::optional<sim::Tick> m_last_fork_failure_message;
};

}  // namespace procsim::kern
