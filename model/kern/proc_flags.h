// FreeBSD 8.3's process and thread state vocabulary (spec/kernel.md §3.1, §3.2): the p_flag
// bits with a name table for traces, the process states, the thread states, inhibitors and
// debugger flags, and the legacy ki_stat codes ps prints. Values are 8.3's in every era; the
// older eras' different p_flag numbering is never visible in output, so it is not modelled.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace procsim::kern {

// p_flag bits.
using ProcFlags = std::uint32_t;
inline constexpr ProcFlags P_ADVLOCK = 0x00001;           // process may hold a POSIX advisory lock
inline constexpr ProcFlags P_CONTROLT = 0x00002;          // has a controlling terminal
inline constexpr ProcFlags P_KTHREAD = 0x00004;           // kernel thread
inline constexpr ProcFlags P_FOLLOWFORK = 0x00008;        // attach the debugger to new children
inline constexpr ProcFlags P_PPWAIT = 0x00010;            // vfork parent waits for this child
inline constexpr ProcFlags P_PROFIL = 0x00020;            // has started profiling
inline constexpr ProcFlags P_STOPPROF = 0x00040;          // has thread requesting to stop profiling
inline constexpr ProcFlags P_HADTHREADS = 0x00080;        // has had threads
inline constexpr ProcFlags P_SUGID = 0x00100;             // credentials changed: set-id process
inline constexpr ProcFlags P_SYSTEM = 0x00200;            // system process: no signals, stats, swap
inline constexpr ProcFlags P_SINGLE_EXIT = 0x00400;       // threads suspending should exit
inline constexpr ProcFlags P_TRACED = 0x00800;            // debugged process being traced
inline constexpr ProcFlags P_WAITED = 0x01000;            // someone is waiting for it
inline constexpr ProcFlags P_WEXIT = 0x02000;             // working on exiting
inline constexpr ProcFlags P_EXEC = 0x04000;              // has called exec
inline constexpr ProcFlags P_WKILLED = 0x08000;           // killed, go to kernel/user boundary ASAP
inline constexpr ProcFlags P_CONTINUED = 0x10000;         // continued since last wait
inline constexpr ProcFlags P_STOPPED_SIG = 0x20000;       // stopped due to a stop signal
inline constexpr ProcFlags P_STOPPED_TRACE = 0x40000;     // stopped because of tracing
inline constexpr ProcFlags P_STOPPED_SINGLE = 0x80000;    // only one thread may run
inline constexpr ProcFlags P_PROTECTED = 0x100000;        // do not kill on memory overcommit
inline constexpr ProcFlags P_SIGEVENT = 0x200000;         // process has a pending signal event
inline constexpr ProcFlags P_SINGLE_BOUNDARY = 0x400000;  // threads stop at the user boundary
inline constexpr ProcFlags P_HWPMC = 0x800000;            // process is using hardware counters
inline constexpr ProcFlags P_JAILED = 0x1000000;          // process is in a jail
inline constexpr ProcFlags P_INEXEC = 0x4000000;          // process is in execve()
inline constexpr ProcFlags P_STATCHILD = 0x8000000;       // a child changed state
inline constexpr ProcFlags P_INMEM = 0x10000000;          // loaded into memory
inline constexpr ProcFlags P_SWAPPINGOUT = 0x20000000;    // being swapped out
inline constexpr ProcFlags P_SWAPPINGIN = 0x40000000;     // being swapped in

inline constexpr ProcFlags P_STOPPED = P_STOPPED_SIG | P_STOPPED_SINGLE | P_STOPPED_TRACE;

// P_SHOULDSTOP(p): any of the three stop reasons holds.
constexpr bool p_shouldstop(ProcFlags flags) { return (flags & P_STOPPED) != 0; }

// One row per p_flag bit, in bit order: the order traces print them in.
struct ProcFlagRow {
  ProcFlags bit;
  std::string_view name;
};

inline constexpr std::array<ProcFlagRow, 30> kProcFlagTable = {{
    {P_ADVLOCK, "P_ADVLOCK"},
    {P_CONTROLT, "P_CONTROLT"},
    {P_KTHREAD, "P_KTHREAD"},
    {P_FOLLOWFORK, "P_FOLLOWFORK"},
    {P_PPWAIT, "P_PPWAIT"},
    {P_PROFIL, "P_PROFIL"},
    {P_STOPPROF, "P_STOPPROF"},
    {P_HADTHREADS, "P_HADTHREADS"},
    {P_SUGID, "P_SUGID"},
    {P_SYSTEM, "P_SYSTEM"},
    {P_SINGLE_EXIT, "P_SINGLE_EXIT"},
    {P_TRACED, "P_TRACED"},
    {P_WAITED, "P_WAITED"},
    {P_WEXIT, "P_WEXIT"},
    {P_EXEC, "P_EXEC"},
    {P_WKILLED, "P_WKILLED"},
    {P_CONTINUED, "P_CONTINUED"},
    {P_STOPPED_SIG, "P_STOPPED_SIG"},
    {P_STOPPED_TRACE, "P_STOPPED_TRACE"},
    {P_STOPPED_SINGLE, "P_STOPPED_SINGLE"},
    {P_PROTECTED, "P_PROTECTED"},
    {P_SIGEVENT, "P_SIGEVENT"},
    {P_SINGLE_BOUNDARY, "P_SINGLE_BOUNDARY"},
    {P_HWPMC, "P_HWPMC"},
    {P_JAILED, "P_JAILED"},
    {P_INEXEC, "P_INEXEC"},
    {P_STATCHILD, "P_STATCHILD"},
    {P_INMEM, "P_INMEM"},
    {P_SWAPPINGOUT, "P_SWAPPINGOUT"},
    {P_SWAPPINGIN, "P_SWAPPINGIN"},
}};

// Each row is one bit and the bits ascend, so the table's order is bit order.
constexpr bool proc_flag_table_is_ordered() {
  ProcFlags previous = 0;
  for (const ProcFlagRow& row : kProcFlagTable) {
    bool one_bit = row.bit != 0 && (row.bit & (row.bit - 1)) == 0;
    if (!one_bit || row.bit <= previous) return false;
    previous = row.bit;
  }
  return true;
}
static_assert(proc_flag_table_is_ordered());

// All the p_flag bits 8.3 defines.
constexpr ProcFlags known_proc_flags() {
  ProcFlags all = 0;
  for (const ProcFlagRow& row : kProcFlagTable) all |= row.bit;
  return all;
}

// "P_TRACED|P_STOPPED_SIG" in bit order; "0" for no flags; unknown bits as one hex number at the
// end ("P_TRACED|0x2000000"), so a trace never hides a bit.
inline std::string format_proc_flags(ProcFlags flags) {
  if (flags == 0) return "0";
  std::string out;
  for (const ProcFlagRow& row : kProcFlagTable) {
    if ((flags & row.bit) == 0) continue;
    if (!out.empty()) out += '|';
    out += row.name;
  }
  ProcFlags unknown = flags & ~known_proc_flags();
  if (unknown != 0) {
    static constexpr std::string_view kHexDigits = "0123456789abcdef";
    std::string hex;
    for (ProcFlags rest = unknown; rest != 0; rest >>= 4) hex.insert(hex.begin(), kHexDigits[rest & 0xf]);
    if (!out.empty()) out += '|';
    out += "0x" + hex;
  }
  return out;
}

// p_state.
enum class ProcState : std::uint8_t { PRS_NEW = 0, PRS_NORMAL = 1, PRS_ZOMBIE = 2 };

constexpr std::string_view proc_state_name(ProcState state) {
  switch (state) {
    case ProcState::PRS_NEW: return "PRS_NEW";
    case ProcState::PRS_NORMAL: return "PRS_NORMAL";
    case ProcState::PRS_ZOMBIE: return "PRS_ZOMBIE";
  }
  return "?";
}

// td_state.
enum class ThreadState : std::uint8_t {
  TDS_INACTIVE = 0,
  TDS_INHIBITED = 1,
  TDS_CAN_RUN = 2,
  TDS_RUNQ = 3,
  TDS_RUNNING = 4,
};

constexpr std::string_view thread_state_name(ThreadState state) {
  switch (state) {
    case ThreadState::TDS_INACTIVE: return "TDS_INACTIVE";
    case ThreadState::TDS_INHIBITED: return "TDS_INHIBITED";
    case ThreadState::TDS_CAN_RUN: return "TDS_CAN_RUN";
    case ThreadState::TDS_RUNQ: return "TDS_RUNQ";
    case ThreadState::TDS_RUNNING: return "TDS_RUNNING";
  }
  return "?";
}

// td_inhibitors: why an inhibited thread cannot run.
using ThreadInhibitors = std::uint8_t;
inline constexpr ThreadInhibitors TDI_SUSPENDED = 0x01;  // on the suspension queue
inline constexpr ThreadInhibitors TDI_SLEEPING = 0x02;   // on a sleep queue
inline constexpr ThreadInhibitors TDI_SWAPPED = 0x04;    // stack not in memory
inline constexpr ThreadInhibitors TDI_LOCK = 0x08;       // blocked on a lock
inline constexpr ThreadInhibitors TDI_IWAIT = 0x10;      // interrupt thread awaiting work

// td_flags bit the model reads: the sleep can be interrupted by a signal (PCATCH).
inline constexpr std::uint32_t TDF_SINTR = 0x00000008;

// td_dbgflags: what the debugger machinery has pending for a thread.
using ThreadDebugFlags = std::uint32_t;
inline constexpr ThreadDebugFlags TDB_SUSPEND = 0x00000001;     // stopped by the debugger
inline constexpr ThreadDebugFlags TDB_XSIG = 0x00000002;        // td_xsig is set
inline constexpr ThreadDebugFlags TDB_USERWR = 0x00000004;      // debugger wrote registers
inline constexpr ThreadDebugFlags TDB_SCE = 0x00000008;         // at system-call entry
inline constexpr ThreadDebugFlags TDB_SCX = 0x00000010;         // at system-call exit
inline constexpr ThreadDebugFlags TDB_EXEC = 0x00000020;        // exec just completed
inline constexpr ThreadDebugFlags TDB_FORK = 0x00000040;        // fork just completed
inline constexpr ThreadDebugFlags TDB_STOPATFORK = 0x00000080;  // stop the new child at fork

// The legacy process status codes (kinfo_proc ki_stat) ps shows, and the rule that derives one
// from the process state (8.3 kern_proc.c fill_kinfo_thread). Running beats stopped.
enum class KiStat : std::uint8_t {
  SIDL = 1,
  SRUN = 2,
  SSLEEP = 3,
  SSTOP = 4,
  SZOMB = 5,
  SWAIT = 6,
  SLOCK = 7
};

// What fill_kinfo_thread looks at for a PRS_NORMAL process's first thread.
struct KiStatInputs {
  ProcState state;
  ProcFlags p_flag;
  bool thread_runnable;  // TDS_RUNQ, TDS_CAN_RUN or TDS_RUNNING
  bool thread_sleeping;  // TDI_SLEEPING
  bool thread_on_lock;   // TDI_LOCK
};

constexpr KiStat ki_stat(const KiStatInputs& in) {
  if (in.state == ProcState::PRS_NEW) return KiStat::SIDL;
  if (in.state == ProcState::PRS_ZOMBIE) return KiStat::SZOMB;
  if (in.thread_runnable) return KiStat::SRUN;
  if (p_shouldstop(in.p_flag)) return KiStat::SSTOP;
  if (in.thread_sleeping) return KiStat::SSLEEP;
  if (in.thread_on_lock) return KiStat::SLOCK;
  return KiStat::SWAIT;
}

}  // namespace procsim::kern
