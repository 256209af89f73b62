// The ctl decision table of spec/procfs.md §4.2, row by row and era by era: which checks refuse
// a command with which errno, and which effects an accepted command asks the kernel for, in
// order. The wait loops are stepped through the target states that end or continue them,
// including FreeBSD 8's inverted condition.
#include <string>

#include <doctest/doctest.h>

#include "model/procfs/ctl.h"
#include "test_support.h"

using namespace procfs_test;  // NOLINT: test-local helpers
using kern::Pid;
using procfs::CtlContext;
using procfs::CtlDecision;
using procfs::CtlEffectKind;
using procfs::CtlVerb;
using procfs::CtlWaitLoop;
using procfs::Era;

namespace {

constexpr std::int32_t kWriter = 100;
constexpr std::int32_t kTarget = 200;
constexpr std::int32_t kOriginalParent = 50;

std::string_view kind_name(CtlEffectKind kind) {
  switch (kind) {
    case CtlEffectKind::SetTraced: return "SetTraced";
    case CtlEffectKind::SwapIn: return "SwapIn";
    case CtlEffectKind::ClearXstat: return "ClearXstat";
    case CtlEffectKind::SaveParentAsOppid: return "SaveParentAsOppid";
    case CtlEffectKind::ReparentToWriter: return "ReparentToWriter";
    case CtlEffectKind::PostSignal: return "PostSignal";
    case CtlEffectKind::SetXstat: return "SetXstat";
    case CtlEffectKind::ClearTraced: return "ClearTraced";
    case CtlEffectKind::ClearStoppedTrace: return "ClearStoppedTrace";
    case CtlEffectKind::DeletePendingSigtrap: return "DeletePendingSigtrap";
    case CtlEffectKind::ClearThreadsDebugSuspend: return "ClearThreadsDebugSuspend";
    case CtlEffectKind::ReparentTo: return "ReparentTo";
    case CtlEffectKind::ClearOppid: return "ClearOppid";
    case CtlEffectKind::ClearWaited: return "ClearWaited";
    case CtlEffectKind::WakeupWriter: return "WakeupWriter";
    case CtlEffectKind::ArmSingleStep: return "ArmSingleStep";
    case CtlEffectKind::ClearStoppedSig: return "ClearStoppedSig";
    case CtlEffectKind::MakeRunnable: return "MakeRunnable";
    case CtlEffectKind::ThreadUnsuspend: return "ThreadUnsuspend";
  }
  return "?";
}

std::string_view loop_name(CtlWaitLoop loop) {
  switch (loop) {
    case CtlWaitLoop::None: return "";
    case CtlWaitLoop::UntilStoppedTraced: return "UntilStoppedTraced";
    case CtlWaitLoop::UntilStopped: return "UntilStopped";
    case CtlWaitLoop::WhileStoppedTraced: return "WhileStoppedTraced";
    case CtlWaitLoop::WhileStopped: return "WhileStopped";
  }
  return "?";
}

// "EBUSY", or the effects in order ("PostSignal(SIGSTOP)", "ReparentTo(50)"), then "| loop".
std::string render(const CtlDecision& decision) {
  if (decision.error.has_value()) return vfs::errno_name(*decision.error);
  std::string out;
  for (const procfs::CtlEffect& effect : decision.effects) {
    if (!out.empty()) out += ' ';
    out += kind_name(effect.kind);
    if (effect.signal.has_value()) out += "(" + kern::signal_name(*effect.signal) + ")";
    if (effect.pid.has_value()) out += "(" + std::to_string(effect.pid->value()) + ")";
  }
  if (decision.wait != CtlWaitLoop::None) out += " | " + std::string(loop_name(decision.wait));
  return out;
}

procfs::CtlCommand verb(CtlVerb which) {
  for (const procfs::CtlVerbRow& row : procfs::kCtlVerbs) {
    if (row.verb == which) return procfs::CtlCommand{which, std::nullopt, std::string(row.word)};
  }
  FAIL("unknown verb");
  return {};
}

procfs::CtlCommand signal_word(std::string_view word, kern::Signal signal) {
  return procfs::CtlCommand{std::nullopt, signal, std::string(word)};
}

// A running, untraced child of pid 50, which the writer may debug.
CtlContext running(Era era) {
  CtlContext context;
  context.era = era;
  context.writer = Pid(kWriter);
  context.target.pid = Pid(kTarget);
  context.target.p_flag = kern::P_INMEM;
  context.target.parent = Pid(kOriginalParent);
  context.target.oppid = Pid(0);
  context.target.oppid_exists = true;
  context.io_allowed = true;
  return context;
}

// Attached by the writer earlier and now stopped: traced, the writer's child, p_oppid 50.
CtlContext trace_stopped(Era era) {
  CtlContext context = running(era);
  context.target.p_flag |= kern::P_TRACED | kern::P_STOPPED_SIG;
  context.target.parent = Pid(kWriter);
  context.target.oppid = Pid(kOriginalParent);
  return context;
}

std::string decide(const procfs::CtlCommand& command, const CtlContext& context) {
  return render(procfs::decide_ctl(command, context));
}

}  // namespace

TEST_CASE("FreeBSD 4 attach: checks in order, then trace, swap in, reparent and SIGSTOP") {
  CtlContext context = running(Era::FreeBSD4);
  CHECK(decide(verb(CtlVerb::Attach), context) ==
        "SetTraced SwapIn ClearXstat SaveParentAsOppid ReparentToWriter PostSignal(SIGSTOP)");
  CtlContext own_child = context;
  own_child.target.parent = Pid(kWriter);
  CHECK(decide(verb(CtlVerb::Attach), own_child) == "SetTraced SwapIn ClearXstat PostSignal(SIGSTOP)");

  CtlContext in_exec = context;
  in_exec.target.p_flag |= kern::P_INEXEC;
  in_exec.io_allowed = false;
  CHECK(decide(verb(CtlVerb::Attach), in_exec) == "EAGAIN");
  CtlContext init = context;
  init.target.pid = Pid(1);
  init.securelevel = 1;
  CHECK(decide(verb(CtlVerb::Attach), init) == "EPERM");
  init.securelevel = 0;
  CHECK(decide(verb(CtlVerb::Attach), init).starts_with("SetTraced"));
  CtlContext stranger = context;
  stranger.io_allowed = false;
  CHECK(decide(verb(CtlVerb::Attach), stranger) == "EPERM");
  CtlContext traced = context;
  traced.target.p_flag |= kern::P_TRACED;
  CHECK(decide(verb(CtlVerb::Attach), traced) == "EBUSY");
  CtlContext self = context;
  self.writer = Pid(kTarget);
  CHECK(decide(verb(CtlVerb::Attach), self) == "EINVAL");
}

TEST_CASE("FreeBSD 4 detach: never permission-checked, a no-op when untraced") {
  CtlContext untraced = running(Era::FreeBSD4);
  untraced.io_allowed = false;
  CHECK(decide(verb(CtlVerb::Detach), untraced) == "ClearXstat");
  CtlContext context = trace_stopped(Era::FreeBSD4);
  context.io_allowed = false;
  context.securelevel = 3;
  CHECK(decide(verb(CtlVerb::Detach), context) ==
        "ClearXstat ClearTraced DeletePendingSigtrap ReparentTo(50) ClearOppid ClearWaited WakeupWriter "
        "MakeRunnable");
  CtlContext gone = context;
  gone.target.oppid_exists = false;
  CHECK(decide(verb(CtlVerb::Detach), gone) ==
        "ClearXstat ClearTraced DeletePendingSigtrap ClearOppid ClearWaited WakeupWriter MakeRunnable");
  // Detaching a running traced process does not make it runnable: it already is.
  CtlContext running_traced = context;
  running_traced.target.p_flag &= ~kern::P_STOPPED_SIG;
  CHECK(decide(verb(CtlVerb::Detach), running_traced).ends_with("WakeupWriter"));
  // P_INEXEC is checked before the detach exemption.
  CtlContext in_exec = context;
  in_exec.target.p_flag |= kern::P_INEXEC;
  CHECK(decide(verb(CtlVerb::Detach), in_exec) == "EAGAIN");
}

TEST_CASE("detach with p_oppid 0 hands the target to pid 0 when pfind(0) finds it") {
  for (Era era : {Era::FreeBSD4, Era::FreeBSD8}) {
    CtlContext context = trace_stopped(era);
    context.target.oppid = Pid(0);
    context.target.oppid_exists = true;
    CHECK(decide(verb(CtlVerb::Detach), context).find("ReparentTo(0)") != std::string::npos);
    // p_oppid equal to the current parent: nothing to give back.
    context.target.oppid = Pid(kWriter);
    CHECK(decide(verb(CtlVerb::Detach), context).find("ReparentTo") == std::string::npos);
  }
}

TEST_CASE("FreeBSD 4 step and run need TRACE_WAIT, then make the target runnable") {
  CtlContext context = trace_stopped(Era::FreeBSD4);
  CHECK(decide(verb(CtlVerb::Step), context) == "ClearXstat ArmSingleStep MakeRunnable");
  CHECK(decide(verb(CtlVerb::Run), context) == "ClearXstat MakeRunnable");
  CtlContext not_child = context;
  not_child.target.parent = Pid(kOriginalParent);
  CHECK(decide(verb(CtlVerb::Run), not_child) == "EBUSY");
  CtlContext not_stopped = context;
  not_stopped.target.p_flag &= ~kern::P_STOPPED_SIG;
  CHECK(decide(verb(CtlVerb::Step), not_stopped) == "EBUSY");
  CtlContext not_traced = context;
  not_traced.target.p_flag &= ~kern::P_TRACED;
  CHECK(decide(verb(CtlVerb::Run), not_traced) == "EBUSY");
  CtlContext stranger = context;
  stranger.io_allowed = false;
  CHECK(decide(verb(CtlVerb::Run), stranger) == "EPERM");
}

TEST_CASE("FreeBSD 4 wait is permission-checked and picks its loop from P_TRACED") {
  CHECK(decide(verb(CtlVerb::Wait), trace_stopped(Era::FreeBSD4)) == "ClearXstat | UntilStoppedTraced");
  CHECK(decide(verb(CtlVerb::Wait), running(Era::FreeBSD4)) == "ClearXstat | UntilStopped");
  CtlContext stranger = running(Era::FreeBSD4);
  stranger.io_allowed = false;
  CHECK(decide(verb(CtlVerb::Wait), stranger) == "EPERM");
}

TEST_CASE("signal words need no permission: they resume a trace-stopped child or post") {
  CtlContext context = trace_stopped(Era::FreeBSD4);
  context.io_allowed = false;
  CHECK(decide(signal_word("hup", kern::Sighup), context) == "SetXstat(SIGHUP) MakeRunnable");
  CtlContext other = running(Era::FreeBSD4);
  other.io_allowed = false;
  other.target.p_flag |= kern::P_INEXEC;
  CHECK(decide(signal_word("term", kern::Sigterm), other) == "PostSignal(SIGTERM)");
  CHECK(decide(signal_word("kill", kern::Sigkill), running(Era::Bsd44)) == "PostSignal(SIGKILL)");
}

TEST_CASE("4.4BSD checks nothing, does not swap in and leaves SIGTRAP pending at detach") {
  CtlContext stranger = running(Era::Bsd44);
  stranger.io_allowed = false;
  stranger.target.p_flag |= kern::P_INEXEC;
  CHECK(decide(verb(CtlVerb::Attach), stranger) ==
        "SetTraced ClearXstat SaveParentAsOppid ReparentToWriter PostSignal(SIGSTOP)");
  CHECK(decide(verb(CtlVerb::Detach), trace_stopped(Era::Bsd44)) ==
        "ClearXstat ClearTraced ReparentTo(50) ClearOppid ClearWaited WakeupWriter MakeRunnable");
  CHECK(decide(verb(CtlVerb::Step), trace_stopped(Era::Bsd44)) == "ClearXstat ArmSingleStep MakeRunnable");
}

TEST_CASE("FreeBSD 8 attach returns p_candebug's error as it is, then EBUSY, then EINVAL") {
  CtlContext context = running(Era::FreeBSD8);
  CHECK(decide(verb(CtlVerb::Attach), context) ==
        "SetTraced SwapIn ClearXstat SaveParentAsOppid ReparentToWriter PostSignal(SIGSTOP)");
  CtlContext jailed = context;
  jailed.debug_error = vfs::Errno::Esrch;
  CHECK(decide(verb(CtlVerb::Attach), jailed) == "ESRCH");
  CtlContext in_exec = context;
  in_exec.debug_error = vfs::Errno::Ebusy;
  CHECK(decide(verb(CtlVerb::Attach), in_exec) == "EBUSY");
  CtlContext traced = context;
  traced.target.p_flag |= kern::P_TRACED;
  traced.debug_error = vfs::Errno::Eperm;
  CHECK(decide(verb(CtlVerb::Attach), traced) == "EPERM");
  traced.debug_error.reset();
  CHECK(decide(verb(CtlVerb::Attach), traced) == "EBUSY");
  CtlContext self = context;
  self.writer = Pid(kTarget);
  CHECK(decide(verb(CtlVerb::Attach), self) == "EINVAL");
  // FreeBSD 8 has no securelevel or P_INEXEC check of its own: p_candebug() carries them.
  CtlContext init = context;
  init.target.pid = Pid(1);
  init.securelevel = 2;
  init.target.p_flag |= kern::P_INEXEC;
  CHECK(decide(verb(CtlVerb::Attach), init).starts_with("SetTraced"));
}

TEST_CASE("FreeBSD 8 detach clears the trace stop and suspensions, then unsuspends") {
  CtlContext context = trace_stopped(Era::FreeBSD8);
  context.target.p_flag |= kern::P_STOPPED_TRACE;
  context.debug_error = vfs::Errno::Eperm;
  CHECK(
      decide(verb(CtlVerb::Detach), context) ==
      "ClearXstat ClearTraced ClearStoppedTrace DeletePendingSigtrap ClearThreadsDebugSuspend ReparentTo(50) "
      "ClearOppid ClearWaited WakeupWriter ThreadUnsuspend");
  CHECK(decide(verb(CtlVerb::Detach), running(Era::FreeBSD8)) == "ClearXstat");
}

TEST_CASE("FreeBSD 8 step, run and signal words clear P_STOPPED_SIG at most") {
  CtlContext context = trace_stopped(Era::FreeBSD8);
  CHECK(decide(verb(CtlVerb::Step), context) == "ClearXstat ArmSingleStep ThreadUnsuspend");
  CHECK(decide(verb(CtlVerb::Run), context) == "ClearXstat ClearStoppedSig ThreadUnsuspend");
  CHECK(decide(signal_word("cont", kern::Sigcont), context) ==
        "SetXstat(SIGCONT) ClearStoppedSig ThreadUnsuspend");
  CHECK(decide(signal_word("cont", kern::Sigcont), running(Era::FreeBSD8)) == "PostSignal(SIGCONT)");
  CtlContext stranger = context;
  stranger.debug_error = vfs::Errno::Eperm;
  CHECK(decide(verb(CtlVerb::Run), stranger) == "EPERM");
  CHECK(decide(signal_word("cont", kern::Sigcont), stranger) ==
        "SetXstat(SIGCONT) ClearStoppedSig ThreadUnsuspend");
  CtlContext running_child = context;
  running_child.target.p_flag &= ~kern::P_STOPPED_SIG;
  CHECK(decide(verb(CtlVerb::Step), running_child) == "EBUSY");
  // Any stop bit counts for TRACE_WAIT in FreeBSD 8.
  CtlContext trace_only = context;
  trace_only.target.p_flag = kern::P_TRACED | kern::P_STOPPED_TRACE;
  CHECK(decide(verb(CtlVerb::Run), trace_only) == "ClearXstat ClearStoppedSig ThreadUnsuspend");
}

TEST_CASE("FreeBSD 8 wait picks the inverted loops") {
  CHECK(decide(verb(CtlVerb::Wait), trace_stopped(Era::FreeBSD8)) == "ClearXstat | WhileStoppedTraced");
  CHECK(decide(verb(CtlVerb::Wait), running(Era::FreeBSD8)) == "ClearXstat | WhileStopped");
}

TEST_CASE("FreeBSD 8 logs every recognised write on the console, failed ones too") {
  CtlDecision attach = procfs::decide_ctl(verb(CtlVerb::Attach), running(Era::FreeBSD8));
  CHECK(attach.console == "procfs: got a attach command\n");
  CtlContext traced = running(Era::FreeBSD8);
  traced.target.p_flag |= kern::P_TRACED;
  CHECK(procfs::decide_ctl(verb(CtlVerb::Attach), traced).console == "procfs: got a attach command\n");
  CHECK(procfs::decide_ctl(signal_word("iot", kern::Sigabrt), traced).console == "procfs: got a sigiot\n");
  CHECK_FALSE(procfs::decide_ctl(verb(CtlVerb::Attach), running(Era::FreeBSD4)).console.has_value());
}

TEST_CASE("attaching a process without a parent is refused instead of following NULL") {
  CtlContext orphan = running(Era::FreeBSD8);
  orphan.target.pid = Pid(0);
  orphan.target.parent.reset();
  CHECK(decide(verb(CtlVerb::Attach), orphan) == "EINVAL");
}

TEST_CASE("the vnode-ops wait sleeps until the traced child stops, EBUSY if it slips away") {
  CtlContext context = trace_stopped(Era::FreeBSD4);
  procfs::CtlTarget target = context.target;
  target.p_flag &= ~kern::P_STOPPED_SIG;
  procfs::CtlWaitStep asleep = procfs::ctl_wait_step(CtlWaitLoop::UntilStoppedTraced, target, context.writer);
  CHECK(asleep.sleep);
  CHECK(asleep.wmesg == "procfsx");
  target.p_flag |= kern::P_STOPPED_SIG;
  procfs::CtlWaitStep done = procfs::ctl_wait_step(CtlWaitLoop::UntilStoppedTraced, target, context.writer);
  CHECK_FALSE(done.sleep);
  CHECK_FALSE(done.result.has_value());
  target.p_flag &= ~(kern::P_STOPPED_SIG | kern::P_TRACED);
  procfs::CtlWaitStep detached =
      procfs::ctl_wait_step(CtlWaitLoop::UntilStoppedTraced, target, context.writer);
  CHECK_FALSE(detached.sleep);
  CHECK(detached.result == vfs::Errno::Ebusy);

  procfs::CtlTarget untraced = running(Era::FreeBSD4).target;
  procfs::CtlWaitStep waiting = procfs::ctl_wait_step(CtlWaitLoop::UntilStopped, untraced, context.writer);
  CHECK(waiting.sleep);
  CHECK(waiting.wmesg == "procfs");
  untraced.p_flag |= kern::P_STOPPED_SIG;
  CHECK_FALSE(procfs::ctl_wait_step(CtlWaitLoop::UntilStopped, untraced, context.writer).sleep);
}

TEST_CASE("FreeBSD 8's wait returns EBUSY at once for a running traced child and sleeps on a stopped one") {
  CtlContext context = trace_stopped(Era::FreeBSD8);
  procfs::CtlWaitStep stopped =
      procfs::ctl_wait_step(CtlWaitLoop::WhileStoppedTraced, context.target, context.writer);
  CHECK(stopped.sleep);
  CHECK(stopped.wmesg == "procfsx");
  procfs::CtlTarget running_child = context.target;
  running_child.p_flag &= ~kern::P_STOPPED_SIG;
  procfs::CtlWaitStep busy =
      procfs::ctl_wait_step(CtlWaitLoop::WhileStoppedTraced, running_child, context.writer);
  CHECK_FALSE(busy.sleep);
  CHECK(busy.result == vfs::Errno::Ebusy);

  procfs::CtlTarget untraced = running(Era::FreeBSD8).target;
  procfs::CtlWaitStep at_once = procfs::ctl_wait_step(CtlWaitLoop::WhileStopped, untraced, context.writer);
  CHECK_FALSE(at_once.sleep);
  CHECK_FALSE(at_once.result.has_value());
  untraced.p_flag |= kern::P_STOPPED_SIG;
  procfs::CtlWaitStep blocked = procfs::ctl_wait_step(CtlWaitLoop::WhileStopped, untraced, context.writer);
  CHECK(blocked.sleep);
  CHECK(blocked.wmesg == "procfs");
}
