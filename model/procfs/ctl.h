// procfs `ctl` (spec/procfs.md §4): the parser of a write in each era's rules, and the decision
// part of the debugger state machine as a pure function. decide_ctl() returns either the errno
// the write fails with or the effects the kernel applies, in order; a `wait` also names the sleep
// loop, which ctl_wait_step() evaluates each time the writer wakes. Applying the effects
// (reparenting, posting signals, single-stepping, sleeping) is the kernel's job.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/kern/pid_alloc.h"
#include "model/kern/proc_flags.h"
#include "model/kern/signal.h"
#include "model/procfs/profile.h"
#include "model/vfs/errno.h"
#include "sim/base/bytes.h"

namespace procsim::procfs {

// The command words, numbered as PROCFS_CTL_ATTACH .. PROCFS_CTL_WAIT.
enum class CtlVerb : std::uint8_t { Attach = 1, Detach = 2, Step = 3, Run = 4, Wait = 5 };

struct CtlVerbRow {
  std::string_view word;
  CtlVerb verb;
};

// ctlnames[]: every era has the same five words, matched exactly.
inline constexpr std::array<CtlVerbRow, 5> kCtlVerbs = {{
    {"attach", CtlVerb::Attach},
    {"detach", CtlVerb::Detach},
    {"step", CtlVerb::Step},
    {"run", CtlVerb::Run},
    {"wait", CtlVerb::Wait},
}};

// How an era turns the bytes of a write into a word (spec §4.1).
enum class CtlTrim : std::uint8_t {
  OneNewline,     // vnode-ops eras: cut at the first NUL, then drop one trailing '\n'
  AllWhitespace,  // FreeBSD 8: drop every trailing space, \t, \n, \v, \f, \r; a NUL never matches
};

struct CtlParseRules {
  Era era;
  std::size_t max_bytes;  // PROCFS_CTLLEN; 0: no limit (FreeBSD 8 collects the whole write)
  bool offset_must_be_zero;
  CtlTrim trim;
};

inline constexpr std::array<CtlParseRules, vfs::kEraCount> kCtlParseRules = {{
    {Era::Bsd44, 8, true, CtlTrim::OneNewline},
    {Era::FreeBSD4, 8, true, CtlTrim::OneNewline},
    {Era::FreeBSD8, 0, false, CtlTrim::AllWhitespace},
}};

constexpr const CtlParseRules& ctl_parse_rules(Era era) {
  return kCtlParseRules[static_cast<std::size_t>(era)];
}

// A recognised write: a command word or a signal word ("hup", "iot").
struct CtlCommand {
  std::optional<CtlVerb> verb;
  std::optional<kern::Signal> signal;
  std::string word;  // the word as matched

  bool is_signal() const { return signal.has_value(); }
};

// Parses a write of `data` at file offset `offset`:
//   vnode-ops eras: offset != 0 -> EINVAL; more than 8 bytes -> EMSGSIZE; the text ends at the
//     first NUL; one trailing newline is dropped; no match -> EOPNOTSUPP.
//   FreeBSD 8: the whole write, trailing whitespace trimmed; no match -> EOPNOTSUPP.
vfs::KResult<CtlCommand> parse_ctl_write(Era era, base::ByteSpan data, std::int64_t offset);

// The target as ctl sees it.
struct CtlTarget {
  kern::Pid pid{0};
  kern::ProcFlags p_flag = 0;       // P_TRACED, P_INEXEC and the stop bits matter
  std::optional<kern::Pid> parent;  // p_pptr's pid; none for a process without a parent
  kern::Pid oppid{0};               // p_oppid
  bool oppid_exists = false;        // pfind(p_oppid) finds a live process (pid 0 included)
};

// Everything decide_ctl() reads besides the command.
struct CtlContext {
  Era era = Era::FreeBSD4;
  kern::Pid writer{0};
  CtlTarget target;
  int securelevel = -1;                   // FreeBSD 4: init is refused while it is above 0
  bool io_allowed = false;                // FreeBSD 4: CHECKIO && p_trespass() == 0
  std::optional<vfs::Errno> debug_error;  // FreeBSD 8: what p_candebug(writer, target) returns
};

// One change the kernel makes to the target (or writer). Applied in list order.
enum class CtlEffectKind : std::uint8_t {
  SetTraced,                 // P_TRACED on
  SwapIn,                    // faultin(): bring the process into memory
  ClearXstat,                // p_xstat = 0
  SaveParentAsOppid,         // p_oppid = the current parent's pid
  ReparentToWriter,          // proc_reparent(target, writer)
  PostSignal,                // psignal(target, signal)
  SetXstat,                  // p_xstat = signal: delivered when the traced stop ends
  ClearTraced,               // P_TRACED off
  ClearStoppedTrace,         // P_STOPPED_TRACE off
  DeletePendingSigtrap,      // drop a pending SIGTRAP
  ClearThreadsDebugSuspend,  // TDB_SUSPEND off on every thread
  ReparentTo,                // proc_reparent(target, pid)
  ClearOppid,                // p_oppid = 0
  ClearWaited,               // P_WAITED off
  WakeupWriter,              // wakeup() on the writer's proc (a ctl wait sleeps on the target)
  ArmSingleStep,             // single-step the (first) thread; its failure is the write's error
                             // and ends the list
  ClearStoppedSig,           // P_STOPPED_SIG off (FreeBSD 8 run and signal words)
  MakeRunnable,              // vnode-ops eras: setrunnable() of the stopped target
  ThreadUnsuspend,           // FreeBSD 8: resume the threads only if no P_STOPPED_* bit is left
};

struct CtlEffect {
  CtlEffectKind kind;
  std::optional<kern::Signal> signal;  // PostSignal, SetXstat
  std::optional<kern::Pid> pid;        // ReparentTo

  bool operator==(const CtlEffect&) const = default;
};

// The sleep a `wait` runs after its effects. The vnode-ops eras sleep until the target stops;
// FreeBSD 8's loop condition lost its negation and sleeps while the target is stopped (§4.4).
enum class CtlWaitLoop : std::uint8_t {
  None,
  UntilStoppedTraced,  // "procfsx" while not stopped, traced and the writer's child; then EBUSY
                       // unless TRACE_WAIT
  UntilStopped,        // "procfs" while not stopped
  WhileStoppedTraced,  // FreeBSD 8: "procfsx" while stopped, traced and the writer's child; then
                       // EBUSY unless TRACE_WAIT
  WhileStopped,        // FreeBSD 8: "procfs" while stopped
};

struct CtlDecision {
  std::optional<vfs::Errno> error;  // the write fails with this and nothing changes
  std::vector<CtlEffect> effects;
  CtlWaitLoop wait = CtlWaitLoop::None;
  std::optional<std::string> console;  // FreeBSD 8's kernel message, printed even on failure
};

// The ctl state machine's decision for one recognised write (spec §4.2).
CtlDecision decide_ctl(const CtlCommand& command, const CtlContext& context);

// One evaluation of a wait loop: sleep again (interruptibly, on the target's proc, with wmesg),
// or finish with `result` (none: success). A signal that interrupts the sleep ends the write
// with EINTR or ERESTART; the kernel handles that.
struct CtlWaitStep {
  bool sleep = false;
  std::string_view wmesg;
  std::optional<vfs::Errno> result;
};

CtlWaitStep ctl_wait_step(CtlWaitLoop loop, const CtlTarget& target, kern::Pid writer);

// TRACE_WAIT_P(writer, target): stopped, the writer's child, and traced.
bool trace_wait(const CtlTarget& target, kern::Pid writer);

}  // namespace procsim::procfs
