// Processes, threads, process groups and sessions: the fields of FreeBSD 8.3's struct proc,
// struct thread, struct pgrp and struct session that the model reads (spec/kernel.md §3.1),
// with the process and thread states changed only through named transitions that check the
// source state. Locks, reference counts, kqueue notes, itimers, accounting and per-thread
// resource usage are not modelled.
#pragma once

#include <array>
#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/kern/pid_alloc.h"
#include "model/kern/proc_flags.h"
#include "model/kern/rlimit.h"
#include "model/kern/sigacts.h"
#include "model/kern/signal.h"
#include "model/kern/sysent.h"
#include "model/kern/wait_channel.h"
#include "model/vfs/file.h"
#include "model/vfs/ucred.h"
#include "model/vm/vm_map.h"
#include "sim/base/strong_id.h"
#include "sim/event_queue.h"
#include "sim/fiber.h"
#include "sim/time.h"

namespace procsim::kern {

class Program;
class UserMemory;
class Proc;
class Tty;
struct Pgrp;

// A thread id. Thread 0 (proc0's) is THREAD0_TID = 100000; later threads take the lowest free
// id above it (8.3 kern_thread.c's unit allocator).
using Tid = base::StrongId<struct TidTag, std::int32_t>;
inline constexpr std::int32_t kThread0Tid = 100000;

// p_stops / p_stype stop events (8.3 sys/sys/pioctl.h) and the ptrace bits kept in p_stops.
using StopEvents = std::uint32_t;
inline constexpr StopEvents S_EXEC = 0x01;
inline constexpr StopEvents S_SIG = 0x02;
inline constexpr StopEvents S_SCE = 0x04;
inline constexpr StopEvents S_SCX = 0x08;
inline constexpr StopEvents S_CORE = 0x10;
inline constexpr StopEvents S_EXIT = 0x20;
inline constexpr StopEvents S_ALLSTOPS = 0x3f;
inline constexpr StopEvents S_PT_SCE = 0x10000;
inline constexpr StopEvents S_PT_SCX = 0x20000;

// p_pfsflags.
inline constexpr std::uint32_t PF_LINGER = 0x1;
inline constexpr std::uint32_t PF_ISUGID = 0x2;
inline constexpr std::uint32_t PF_FORK = 0x4;

// Scheduling priorities (8.3 sys/sys/priority.h).
inline constexpr int PVM = 68;
inline constexpr int PWAIT = 92;
inline constexpr int PPAUSE = 104;
inline constexpr int PUSER = 160;
inline constexpr int PRI_MAX_TIMESHARE = 223;
inline constexpr int PRIO_MIN = -20;
inline constexpr int PRIO_MAX = 20;

// A model-only inhibitor: a scripted thread waiting in user mode for its next scenario line.
// It is neither on a sleep queue nor suspended, so procfs shows "nochan" for it.
inline constexpr ThreadInhibitors kTdiParked = 0x80;

// Why a sleep ended.
enum class SleepEnd : std::uint8_t { Wakeup, Timeout, Interrupted };

class Thread {
 public:
  Thread(Tid tid, Proc& proc);
  ~Thread();
  Thread(const Thread&) = delete;
  Thread& operator=(const Thread&) = delete;

  Tid tid() const { return m_tid; }
  Proc& proc() const { return *m_proc; }
  ThreadState state() const { return m_state; }
  ThreadInhibitors inhibitors() const { return m_inhibitors; }
  bool is_sleeping() const { return (m_inhibitors & TDI_SLEEPING) != 0; }
  bool is_suspended() const { return (m_inhibitors & TDI_SUSPENDED) != 0; }
  bool is_parked() const { return (m_inhibitors & kTdiParked) != 0; }
  bool is_runnable() const { return m_state == ThreadState::TDS_RUNQ || m_state == ThreadState::TDS_RUNNING; }

  // TDS_INACTIVE (new), TDS_RUNNING (preempted) or TDS_INHIBITED with no inhibitor left ->
  // TDS_RUNQ.
  void transition_to_runq();
  // TDS_RUNQ -> TDS_RUNNING: the scheduler picked it.
  void transition_to_running();
  // TDS_RUNNING -> TDS_INHIBITED with `inhibitor`: the thread blocks itself.
  void transition_to_inhibited(ThreadInhibitors inhibitor);
  // TDS_RUNNING -> TDS_INACTIVE: the thread has exited.
  void transition_to_inactive();
  // Adds an inhibitor to a thread that is already inhibited (a sleeper being suspended).
  void add_inhibitor(ThreadInhibitors inhibitor);
  // Removes an inhibitor; true when none is left, so the caller must make the thread runnable.
  bool clear_inhibitor(ThreadInhibitors inhibitor);

  std::string name;  // td_name

  // Sleep state: td_wchan, td_wmesg, TDF_SINTR, and how the sleep ended.
  std::optional<WaitChannel> wchan;
  std::string_view wmesg;
  bool sleep_interruptible = false;
  std::optional<SleepEnd> sleep_end;
  vfs::Errno sleep_intrval = vfs::Errno::Eintr;  // td_intrval when a signal ends the sleep
  std::uint64_t sleep_sequence = 0;              // the order sleepers went to sleep in
  std::optional<sim::EventId> sleep_timeout;

  int priority = PUSER;       // td_priority
  int user_priority = PUSER;  // td_user_pri: what userret restores

  SigSet sigmask;                // td_sigmask
  SigSet oldsigmask;             // td_oldsigmask (sigsuspend)
  bool restore_oldmask = false;  // TDP_OLDMASK
  SigQueue sigqueue;             // td_sigqueue
  bool ast_pending = false;      // TDF_ASTPENDING | TDF_NEEDSIGCHK | TDF_NEEDSUSPCHK

  int signal_depth = 0;  // signal handlers running on this thread, nested

  std::uint32_t xsig = 0;          // td_xsig: the signal a debugger stop reports / returns
  ThreadDebugFlags dbgflags = 0;   // td_dbgflags
  std::optional<Ksiginfo> dbgksi;  // td_dbgksi
  Pid dbg_forked{0};               // td_dbg_forked

  std::array<std::uint64_t, 2> retval{};  // td_retval

  // User-mode state fork copies into the child: the program the child runs, when the user code
  // named one (UserContext::fork) just before trapping.
  std::unique_ptr<Program> fork_child_program;

  // exec replaced the process's user code while this thread ran the old one: the old program's
  // stack unwinds on the way back to user mode (UserContext::syscall) and is then freed.
  bool image_replaced = false;
  std::unique_ptr<Program> retired_program;

  // The kernel stack. Empty for proc0's thread, which never runs, and once the thread exited.
  std::unique_ptr<sim::Fiber> fiber;
  bool fiber_retired = false;  // the body has finished its work; the scheduler destroys it
  bool in_kernel = false;      // statclock: charge system rather than user time

  // The slice: how much of the current tick the thread has used.
  sim::Tick slice_tick{0};
  std::uint64_t slice_used = 0;

 private:
  Tid m_tid;
  Proc* m_proc;
  ThreadState m_state = ThreadState::TDS_INACTIVE;
  ThreadInhibitors m_inhibitors = 0;
};

struct Session {
  Pid sid;                 // s_sid: the pid of the process that created it
  Proc* leader = nullptr;  // s_leader; cleared when the leader exits
  int pgrp_count = 0;      // process groups in the session (s_count)
  std::string login;       // s_login
  // The controlling terminal, by name (what devtoname(s_ttyp) prints), and whether the session
  // still holds its vnode (s_ttyvp): the leader's exit drops the vnode but the name stays, as in
  // 8.3. `ttyp` is the device itself (null for a name no driver serves).
  std::optional<std::string> tty;
  bool has_tty_vnode = false;
  Tty* ttyp = nullptr;
};

struct Pgrp {
  Pid pgid;
  Session* session = nullptr;
  std::list<Proc*> members;  // pg_members in list order
  int jobc = 0;              // pg_jobc: members with a parent in another group of the session
};

// A scripted process's mailbox: the scenario's next system call and the last result.
struct ScriptSlot {
  std::optional<SyscallRequest> pending;  // submitted, not yet taken by the thread
  bool in_progress = false;               // taken, the call has not returned yet
  std::optional<SyscallResult> result;    // the last call's result
  std::vector<Signal> caught;             // signals whose handler ran, in order
  bool image_replaced = false;            // an execve succeeded: no more scripted calls
};

class Proc {
 public:
  explicit Proc(Pid pid);
  ~Proc();
  Proc(const Proc&) = delete;
  Proc& operator=(const Proc&) = delete;

  Pid pid() const { return m_pid; }
  ProcState state() const { return m_state; }
  bool is_zombie() const { return m_state == ProcState::PRS_ZOMBIE; }

  // PRS_NEW -> PRS_NORMAL: fork finished setting the process up.
  void transition_to_normal();
  // PRS_NORMAL -> PRS_ZOMBIE: exit1 is done with it.
  void transition_to_zombie();

  Thread& first_thread() const;
  std::size_t thread_count() const { return threads.size(); }
  // Every thread is suspended (P_STOPPED_* is complete): p_suspcount == p_numthreads.
  bool all_threads_suspended() const { return suspcount == static_cast<int>(threads.size()); }

  ProcFlags flag = 0;  // p_flag
  Proc* pptr = nullptr;
  std::list<Proc*> children;  // p_children, newest first
  Pid oppid{0};               // p_oppid: the parent before a debugger adopted it
  Pgrp* pgrp = nullptr;
  vfs::Ucred cred;  // p_ucred (a value: every change makes a new one)

  std::string comm;               // p_comm, at most MAXCOMLEN bytes
  std::vector<std::string> args;  // p_args: argv as exec (or spawn) recorded it
  std::uint16_t xstat = 0;        // p_xstat: exit status, or the stop signal
  Thread* xthread = nullptr;      // p_xthread
  StopEvents stops = 0;           // p_stops
  StopEvents stype = 0;           // p_stype
  bool step = false;              // p_step
  std::uint32_t pfsflags = 0;     // p_pfsflags
  std::int32_t osrel = 0;         // p_osrel
  std::string sysent_name;        // p_sysent->sv_name; empty: none
  sim::Tick start_tick{0};        // p_stats->p_start, as a tick since boot

  RlimitSet limits;
  Sigacts sigacts;
  SigQueue sigqueue;           // p_sigqueue
  Signal sigparent = Sigchld;  // p_sigparent
  int nice = 0;                // p_nice

  // Resource usage in statclock ticks, and what reaped children added (p_crux).
  std::uint64_t user_ticks = 0;
  std::uint64_t system_ticks = 0;
  std::uint64_t child_user_ticks = 0;
  std::uint64_t child_system_ticks = 0;

  std::unique_ptr<vm::VmMap> vmspace;  // p_vmspace; released by exit, replaced by exec
  std::unique_ptr<UserMemory> memory;  // copyin/copyout over `vmspace`
  // Where a host program's argument scratch begins (UserContext::scratch); 0: none mapped.
  std::uint64_t host_scratch_base = 0;
  std::unique_ptr<Program> program;  // the user code
  // p_fd: descriptors, current and root directories, umask. fork copies it (fdcopy); exit
  // closes every descriptor and frees it (fdfree) before the process becomes a zombie.
  std::unique_ptr<vfs::FileTable> fd;
  std::vector<std::unique_ptr<Thread>> threads;  // p_threads
  int suspcount = 0;                             // p_suspcount
  std::optional<ScriptSlot> script;              // set for scripted processes

 private:
  Pid m_pid;
  ProcState m_state = ProcState::PRS_NEW;
};

// MAXCOMLEN: p_comm holds at most 19 bytes.
inline constexpr std::size_t kMaxComLen = 19;

}  // namespace procsim::kern
