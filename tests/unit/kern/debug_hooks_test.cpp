// The stop machinery the debugger interfaces will drive: procfs stop events at system-call
// entry, ptrace stops on signals and system calls, the debugger's resume, a tracer's exit
// killing its tracee, handing a traced zombie back, and the follow-fork attach. The debugger's
// requests are made here through the kernel primitives they will call.
#include <doctest/doctest.h>

#include "tests/unit/kern/kernel_test_support.h"

using namespace procsim::kern;
using procsim::kern::testing::TestMachine;
namespace vfs = procsim::vfs;
namespace sim = procsim::sim;

namespace {

Pid fork_child(TestMachine& m, Pid parent) {
  return Pid(static_cast<std::int32_t>(m.ok_value(parent, Sysno::Fork)));
}

// PT_TRACE_ME: traced by its parent.
void trace_me(TestMachine& m, Pid pid) {
  Proc& p = m.proc(pid);
  p.flag |= P_TRACED;
  p.oppid = p.pptr->pid();
}

bool traced_stop(TestMachine& m, Pid pid) {
  ProcFlags flag = m.proc(pid).flag;
  return (flag & P_STOPPED_TRACE) != 0 && (flag & P_STOPPED_SIG) != 0 && m.thread(pid).is_suspended();
}

}  // namespace

TEST_CASE("a procfs S_SCE stop event holds the call in wmesg stopevent until p_step is cleared") {
  TestMachine m;
  Pid pid = m.spawn();
  m.proc(pid).stops = S_SCE;
  m.start(pid, Sysno::Kill, {sarg(pid.value()), 0});
  CHECK(m.finish(pid) == sim::RunOutcome::Blocked);
  Proc& p = m.proc(pid);
  CHECK(m.wmesg(pid) == "stopevent");
  CHECK(p.stype == S_SCE);
  CHECK(p.xstat == 2);  // the call's argument count
  CHECK(p.step);
  // PIOCCONT.
  p.step = false;
  m.kernel.wakeup(WaitChannel{WaitChannel::Kind::ProcStep, pid.value()});
  CHECK(m.finish(pid) == sim::RunOutcome::Done);
  CHECK(m.kernel.script_result(pid)->ok());
}

TEST_CASE("SIGKILL ends a stop event and kills") {
  TestMachine m;
  Pid parent = m.spawn();
  Pid child = fork_child(m, parent);
  m.proc(child).stops = S_SCE;
  m.start(child, Sysno::Getpid);
  m.run_until_idle();
  REQUIRE(m.wmesg(child) == "stopevent");
  m.kill(parent, child.value(), Sigkill);
  m.run_until_idle();
  CHECK(m.wait4(parent, child.value()).second == 9);
}

TEST_CASE("a traced process stops for every signal and the debugger decides what it gets") {
  TestMachine m;
  Pid parent = m.spawn();
  Pid child = fork_child(m, parent);
  trace_me(m, child);
  m.kill(parent, child.value(), Sigusr1);
  m.run_until_idle();
  REQUIRE(traced_stop(m, child));
  CHECK(m.proc(child).xstat == Sigusr1.value());
  CHECK(m.proc(child).xthread == &m.thread(child));
  CHECK((m.thread(child).dbgflags & TDB_XSIG) != 0);
  // A traced stop is reported without WUNTRACED.
  CHECK(m.wait4(parent, -1).second == w_stopcode(Sigusr1.value()));
  // Stop signals do not act on a traced stopped process.
  m.kill(parent, child.value(), Sigstop);
  CHECK(traced_stop(m, child));
  // Continue without the signal: SIGUSR1 (whose default would kill) is dropped. The SIGSTOP
  // queued meanwhile is the next signal the debugger sees.
  m.kernel.ptrace_sendsig(m.proc(child), 0, false);
  m.run_until_idle();
  REQUIRE(traced_stop(m, child));
  CHECK(m.proc(child).xstat == Sigstop.value());
  m.kernel.ptrace_sendsig(m.proc(child), 0, false);
  m.run_until_idle();
  CHECK_FALSE(m.proc(child).is_zombie());
  CHECK(m.ok_value(child, Sysno::Getpid) == child.value());
  // Now the debugger hands SIGTERM on.
  m.kill(parent, child.value(), Sigterm);
  m.run_until_idle();
  REQUIRE(traced_stop(m, child));
  m.kernel.ptrace_sendsig(m.proc(child), Sigterm.value(), false);
  m.run_until_idle();
  CHECK(m.proc(child).is_zombie());
  CHECK(m.wait4(parent, -1).second == 15);
}

TEST_CASE("S_PT_SCE stops a traced process with SIGTRAP at system-call entry") {
  TestMachine m;
  Pid parent = m.spawn();
  Pid child = fork_child(m, parent);
  trace_me(m, child);
  m.proc(child).stops = S_PT_SCE;
  m.start(child, Sysno::Getppid);
  CHECK(m.finish(child) == sim::RunOutcome::Blocked);
  CHECK(traced_stop(m, child));
  CHECK(m.proc(child).xstat == Sigtrap.value());
  CHECK((m.thread(child).dbgflags & TDB_SCE) != 0);
  m.kernel.ptrace_sendsig(m.proc(child), 0, false);
  CHECK(m.finish(child) == sim::RunOutcome::Done);
  CHECK(m.kernel.script_result(child)->retval[0] == static_cast<std::uint64_t>(parent.value()));
  CHECK((m.thread(child).dbgflags & TDB_SCE) == 0);
}

TEST_CASE("a tracer's exit kills the process it traces") {
  TestMachine m;
  Pid tracer = m.spawn();
  Pid tracee = fork_child(m, tracer);
  trace_me(m, tracee);
  m.kill(tracer, tracee.value(), Sigusr2);
  m.run_until_idle();
  REQUIRE(traced_stop(m, tracee));
  m.start(tracer, Sysno::Exit, {0});
  m.run_until_idle();
  // Reparented to init untraced, killed, and reaped by init.
  CHECK(m.kernel.find_proc(tracee) == nullptr);
}

TEST_CASE("a traced zombie is reported to the debugger and handed back to its parent") {
  TestMachine m;
  Pid parent = m.spawn();
  Pid child = fork_child(m, parent);
  Pid debugger = m.spawn();
  Proc& c = m.proc(child);
  c.flag |= P_TRACED;
  c.oppid = parent;
  m.kernel.proc_reparent(c, m.proc(debugger));
  CHECK(m.ok_value(child, Sysno::Getppid) == debugger.value());
  m.start(child, Sysno::Exit, {4});
  m.run_until_idle();
  auto [pid, status] = m.wait4(debugger, -1);
  CHECK(pid == child.value());
  CHECK(status == 0x400);
  CHECK(m.proc(child).pptr == &m.proc(parent));
  CHECK(m.proc(child).oppid == Pid(0));
  CHECK(m.error_of(debugger, Sysno::Wait4, {sarg(-1), 0, 0, 0}) == vfs::Errno::Echild);
  CHECK(m.wait4(parent, -1) == std::pair<std::int64_t, std::uint32_t>{child.value(), 0x400});
  CHECK(m.kernel.find_proc(child) == nullptr);
}

TEST_CASE("a fork under P_FOLLOWFORK attaches the child to the debugger, stopped with SIGSTOP") {
  TestMachine m;
  Pid debugger = m.spawn();
  Pid debuggee = fork_child(m, debugger);
  trace_me(m, debuggee);
  m.proc(debuggee).flag |= P_FOLLOWFORK;
  m.start(debuggee, Sysno::Fork);
  CHECK(m.finish(debuggee) == sim::RunOutcome::Blocked);
  // The parent stops with SIGTRAP on its way out of fork (TDB_FORK).
  REQUIRE(traced_stop(m, debuggee));
  CHECK(m.proc(debuggee).xstat == Sigtrap.value());
  REQUIRE(m.proc(debuggee).children.empty());
  Proc& grandchild = *m.proc(debugger).children.front();
  CHECK(grandchild.pid() == Pid(debuggee.value() + 1));
  CHECK(grandchild.pptr == &m.proc(debugger));
  CHECK((grandchild.flag & P_TRACED) != 0);
  CHECK(grandchild.oppid == debuggee);
  CHECK(traced_stop(m, grandchild.pid()));
  CHECK(grandchild.xstat == Sigstop.value());
  CHECK((grandchild.first_thread().dbgflags & TDB_STOPATFORK) == 0);
  // The debugger lets the parent finish its fork.
  m.kernel.ptrace_sendsig(m.proc(debuggee), 0, false);
  CHECK(m.finish(debuggee) == sim::RunOutcome::Done);
  CHECK(m.kernel.script_result(debuggee)->retval[0] == static_cast<std::uint64_t>(grandchild.pid().value()));
}
