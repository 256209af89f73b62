// fork, exit and wait4 driven through scripted processes: zombies, reaping, reparenting to
// init, wait4's options and errors, and pid allocation.
#include <doctest/doctest.h>

#include "tests/unit/kern/kernel_test_support.h"

using namespace procsim::kern;
using procsim::kern::testing::TestMachine;
namespace vfs = procsim::vfs;
namespace sim = procsim::sim;

namespace {

Pid fork_child(TestMachine& m, Pid parent) {
  SyscallResult result = m.call(parent, Sysno::Fork);
  REQUIRE(result.ok());
  CHECK(result.retval[1] == 0);
  return Pid(static_cast<std::int32_t>(result.retval[0]));
}

std::vector<std::string> trace_lines(TestMachine& m) { return m.engine.trace().take_lines(); }

}  // namespace

TEST_CASE("fork gives a scripted child in the parent's group, right after the parent") {
  TestMachine m;
  Pid parent = m.spawn();
  Pid child = fork_child(m, parent);
  CHECK(child == Pid(parent.value() + 1));
  Proc& c = m.proc(child);
  Proc& p = m.proc(parent);
  CHECK(c.pptr == &p);
  CHECK(p.children.front() == &c);
  CHECK(c.pgrp == p.pgrp);
  auto at = std::find(p.pgrp->members.begin(), p.pgrp->members.end(), &p);
  CHECK(*std::next(at) == &c);
  CHECK(c.cred == p.cred);
  CHECK(c.first_thread().retval == std::array<std::uint64_t, 2>{0, 1});
  CHECK(m.ok_value(child, Sysno::Getppid) == parent.value());
  CHECK(m.ok_value(child, Sysno::Getpid) == child.value());
}

TEST_CASE("an exited child stays a zombie until its parent waits, then is gone") {
  TestMachine m;
  Pid parent = m.spawn();
  Pid child = fork_child(m, parent);
  m.start(child, Sysno::Exit, {3});
  CHECK(m.finish(child) == sim::RunOutcome::Done);
  Proc& zombie = m.proc(child);
  CHECK(zombie.is_zombie());
  CHECK(m.kernel.pfind(child) == nullptr);
  CHECK(m.kernel.zpfind(child) == &zombie);
  CHECK(m.kernel.zombproc().front() == &zombie);
  CHECK(zombie.first_thread().state() == ThreadState::TDS_INACTIVE);
  // Signalling a zombie succeeds and does nothing.
  CHECK(m.ok_value(parent, Sysno::Kill, {sarg(child.value()), Sigterm.value()}) == 0);

  auto [pid, status] = m.wait4(parent, -1);
  CHECK(pid == child.value());
  CHECK(status == 0x300);
  CHECK(wifexited(status));
  CHECK(wexitstatus(status) == 3);
  CHECK(m.kernel.find_proc(child) == nullptr);
  CHECK(m.error_of(parent, Sysno::Wait4, {sarg(-1), 0, 0, 0}) == vfs::Errno::Echild);
}

TEST_CASE("exit keeps only the low eight bits of the status") {
  TestMachine m;
  Pid parent = m.spawn();
  Pid child = fork_child(m, parent);
  m.start(child, Sysno::Exit, {256 + 7});
  (void)m.finish(child);
  CHECK(m.wait4(parent, child.value()).second == 0x700);
}

TEST_CASE("wait4 sleeps with wmesg wait until a child exits") {
  TestMachine m;
  m.kernel.set_trace(true);
  Pid parent = m.spawn();
  Pid child = fork_child(m, parent);
  m.start(parent, Sysno::Wait4, {sarg(-1), 0, 0, 0});
  m.run_until_idle();
  CHECK(m.wmesg(parent) == "wait");
  CHECK(m.thread(parent).sleep_interruptible);
  m.start(child, Sysno::Exit, {0});
  CHECK(m.finish(parent) == sim::RunOutcome::Done);
  CHECK(m.kernel.script_result(parent)->retval[0] == static_cast<std::uint64_t>(child.value()));
  std::vector<std::string> lines = trace_lines(m);
  auto has = [&lines](const std::string& text) {
    return std::any_of(lines.begin(), lines.end(),
                       [&text](const std::string& line) { return line.find(text) != std::string::npos; });
  };
  CHECK(has(fmt::format("fork pid={} child={}", parent, child)));
  CHECK(has(fmt::format("sleep pid={} tid=", parent)));
  CHECK(has(fmt::format("exit pid={} status=0x0", child)));
  CHECK(has(fmt::format("reap pid={} by={}", child, parent)));
}

TEST_CASE("WNOHANG returns 0 while children run; unknown options are EINVAL") {
  TestMachine m;
  Pid parent = m.spawn();
  (void)fork_child(m, parent);
  CHECK(m.ok_value(parent, Sysno::Wait4, {sarg(-1), 0, Wnohang, 0}) == 0);
  CHECK(m.error_of(parent, Sysno::Wait4, {sarg(-1), 0, 0x10, 0}) == vfs::Errno::Einval);
  // A pid that is not a child: ECHILD.
  CHECK(m.error_of(parent, Sysno::Wait4, {sarg(1), 0, Wnohang, 0}) == vfs::Errno::Echild);
}

TEST_CASE("the 4.x era rejects WCONTINUED") {
  TestMachine m(procsim::kern::testing::checked_config(vfs::Era::FreeBSD4));
  Pid parent = m.spawn();
  (void)fork_child(m, parent);
  CHECK(m.error_of(parent, Sysno::Wait4, {sarg(-1), 0, Wnohang | Wcontinued, 0}) == vfs::Errno::Einval);
}

TEST_CASE("children of an exiting process go to init, which reaps them") {
  TestMachine m;
  Pid parent = m.spawn();
  Pid child = fork_child(m, parent);
  Pid grandchild = fork_child(m, child);
  m.start(child, Sysno::Exit, {0});
  (void)m.finish(child);
  Proc& orphan = m.proc(grandchild);
  CHECK(orphan.pptr == m.kernel.initproc());
  CHECK(m.ok_value(grandchild, Sysno::Getppid) == 1);
  m.start(grandchild, Sysno::Exit, {9});
  (void)m.finish(grandchild);
  m.run_until_idle();
  // init woke from "wait", reaped the orphan and went back to sleep.
  CHECK(m.kernel.find_proc(grandchild) == nullptr);
  CHECK(m.wmesg(Pid(1)) == "wait");
  // The parent still has its zombie child to reap.
  CHECK(m.wait4(parent, child.value()).first == child.value());
}

TEST_CASE("wait4 reports a child's CPU time through rusage") {
  TestMachine m;
  Pid parent = m.spawn();
  Pid child = fork_child(m, parent);
  m.proc(child).user_ticks = 1500;
  m.proc(child).system_ticks = 2;
  m.start(child, Sysno::Exit, {0});
  (void)m.finish(child);
  CHECK(m.ok_value(parent, Sysno::Wait4, {sarg(-1), 0, 0, procsim::kern::testing::kArgA}) == child.value());
  CHECK(m.read_value<std::int64_t>(parent, procsim::kern::testing::kArgA) == 1);
  CHECK(m.read_value<std::int64_t>(parent, procsim::kern::testing::kArgA + 8) == 500000);
  CHECK(m.read_value<std::int64_t>(parent, procsim::kern::testing::kArgA + 24) == 2000);
  CHECK(m.proc(parent).child_user_ticks == 1500);
}

TEST_CASE("pid allocation wraps from PID_MAX to 100") {
  TestMachine m;
  REQUIRE(m.kernel.set_next_pid(Pid(99998)).ok());
  CHECK(m.spawn() == Pid(99998));
  CHECK(m.spawn() == Pid(100));
  CHECK(m.spawn() == Pid(101));
}

TEST_CASE("pid allocation skips a pid still used as a process-group id") {
  TestMachine m;
  REQUIRE(m.kernel.set_next_pid(Pid(500)).ok());
  Pid leader = m.spawn();
  REQUIRE(leader == Pid(500));
  CHECK(m.ok_value(leader, Sysno::Setpgid, {0, 0}) == 0);
  Pid member = fork_child(m, leader);
  CHECK(m.proc(member).pgrp->pgid == leader);
  // The leader exits and is reaped by init; its group lives on in the member.
  m.start(leader, Sysno::Exit, {0});
  (void)m.finish(leader);
  m.run_until_idle();
  CHECK(m.kernel.find_proc(leader) == nullptr);
  REQUIRE(m.kernel.set_next_pid(Pid(500)).ok());
  CHECK(m.spawn() == Pid(502));
}

TEST_CASE("spawn refuses a pid in use and a parent that does not exist") {
  TestMachine m;
  SpawnSpec taken;
  taken.pid = Pid(1);
  CHECK(m.kernel.spawn_scripted(taken).error() == vfs::Errno::Eexist);
  SpawnSpec orphan;
  orphan.ppid = Pid(4242);
  CHECK(m.kernel.spawn_scripted(orphan).error() == vfs::Errno::Esrch);
}

TEST_CASE("maxproc keeps its last ten slots for root and is never exceeded") {
  KernelConfig config = procsim::kern::testing::checked_config();
  config.params.maxproc = 20;
  TestMachine m(config);
  Pid user = m.spawn_as(1001);
  REQUIRE(m.kernel.proc_table().nprocs() == 3);
  for (int i = 0; i < 7; ++i) CHECK(m.ok_value(user, Sysno::Fork) > 0);
  CHECK(m.kernel.proc_table().nprocs() == 10);
  CHECK(m.error_of(user, Sysno::Fork) == vfs::Errno::Eagain);
  Pid root = m.spawn();
  for (int i = 0; i < 9; ++i) CHECK(m.ok_value(root, Sysno::Fork) > 0);
  CHECK(m.kernel.proc_table().nprocs() == 20);
  CHECK(m.error_of(root, Sysno::Fork) == vfs::Errno::Eagain);
  CHECK(m.kernel.message_buffer().contents().find("maxproc limit exceeded by uid 1001") != std::string::npos);
}
