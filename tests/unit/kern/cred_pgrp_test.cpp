// Credentials (setuid family, setgroups, issetugid, P_SUGID) and process groups and sessions
// (setsid, setpgid, getpgid, getsid) through the system calls.
#include <doctest/doctest.h>

#include "tests/unit/kern/kernel_test_support.h"

using namespace procsim::kern;
using procsim::kern::testing::kArgA;
using procsim::kern::testing::TestMachine;
namespace vfs = procsim::vfs;

namespace {

Pid fork_child(TestMachine& m, Pid parent) {
  return Pid(static_cast<std::int32_t>(m.ok_value(parent, Sysno::Fork)));
}

}  // namespace

TEST_CASE("setuid: the real or effective uid, or privilege, and then all three uids change") {
  TestMachine m;
  SpawnSpec spec;
  vfs::Ucred cred = procsim::kern::testing::user_cred(1001);
  cred.uid = vfs::Uid(0);  // a set-user-id root program run by 1001
  cred.svuid = vfs::Uid(0);
  spec.cred = cred;
  Pid pid = m.spawn(spec);
  Proc& p = m.proc(pid);
  CHECK(m.ok_value(pid, Sysno::Seteuid, {1001}) == 0);
  CHECK(p.cred.uid == vfs::Uid(1001));
  CHECK(p.cred.svuid == vfs::Uid(0));
  CHECK((p.flag & P_SUGID) != 0);
  CHECK(m.ok_value(pid, Sysno::Issetugid) == 1);
  CHECK(m.error_of(pid, Sysno::Setuid, {1002}) == vfs::Errno::Eperm);
  // 8.3 compiles setuid without _POSIX_SAVED_IDS: the saved uid does not permit setuid...
  CHECK(m.error_of(pid, Sysno::Setuid, {0}) == vfs::Errno::Eperm);
  // ...only seteuid.
  CHECK(m.ok_value(pid, Sysno::Seteuid, {0}) == 0);
  CHECK(p.cred.uid == vfs::Uid(0));
  CHECK(p.cred.ruid == vfs::Uid(1001));
  // Privileged: setuid sets all three ids and moves the process count.
  std::int64_t before = m.kernel.proc_table().proc_count(vfs::Uid(1002));
  CHECK(m.ok_value(pid, Sysno::Setuid, {1002}) == 0);
  CHECK(p.cred.uid == vfs::Uid(1002));
  CHECK(p.cred.ruid == vfs::Uid(1002));
  CHECK(p.cred.svuid == vfs::Uid(1002));
  CHECK(m.kernel.proc_table().proc_count(vfs::Uid(1002)) == before + 1);
  CHECK(m.error_of(pid, Sysno::Setuid, {0}) == vfs::Errno::Eperm);
  CHECK(m.error_of(pid, Sysno::Seteuid, {0}) == vfs::Errno::Eperm);
  SyscallResult ids = m.call(pid, Sysno::Getuid);
  CHECK(ids.retval == std::array<std::uint64_t, 2>{1002, 1002});
}

TEST_CASE("an unprivileged setuid to the real uid also resets the saved uid") {
  TestMachine m;
  SpawnSpec spec;
  vfs::Ucred cred = procsim::kern::testing::user_cred(1001);
  cred.uid = vfs::Uid(1005);  // a set-user-id program owned by 1005
  cred.svuid = vfs::Uid(1005);
  spec.cred = cred;
  Pid pid = m.spawn(spec);
  CHECK(m.ok_value(pid, Sysno::Setuid, {1001}) == 0);
  Proc& p = m.proc(pid);
  CHECK(p.cred.uid == vfs::Uid(1001));
  CHECK(p.cred.svuid == vfs::Uid(1001));
  // The saved uid is gone for good.
  CHECK(m.error_of(pid, Sysno::Seteuid, {1005}) == vfs::Errno::Eperm);
}

TEST_CASE("setuid to the current ids changes nothing and leaves P_SUGID clear") {
  TestMachine m;
  Pid pid = m.spawn_as(1001);
  CHECK(m.ok_value(pid, Sysno::Setuid, {1001}) == 0);
  CHECK(m.ok_value(pid, Sysno::Setgid, {20}) == 0);
  CHECK((m.proc(pid).flag & P_SUGID) == 0);
  CHECK(m.error_of(pid, Sysno::Setgid, {0}) == vfs::Errno::Eperm);
  CHECK(m.error_of(pid, Sysno::Setegid, {0}) == vfs::Errno::Eperm);
}

TEST_CASE("an id change sets P_SUGID, which clears procfs stop events unless PF_ISUGID, and is inherited") {
  TestMachine m;
  Pid pid = m.spawn();
  m.proc(pid).stops = S_EXEC;
  CHECK(m.ok_value(pid, Sysno::Setgid, {5}) == 0);
  CHECK((m.proc(pid).flag & P_SUGID) != 0);
  CHECK(m.proc(pid).stops == 0);
  m.proc(pid).stops = S_EXEC;
  m.proc(pid).pfsflags = PF_ISUGID;
  CHECK(m.ok_value(pid, Sysno::Setegid, {0}) == 0);
  CHECK(m.proc(pid).stops == S_EXEC);
  Pid child = fork_child(m, pid);
  CHECK((m.proc(child).flag & P_SUGID) != 0);
  CHECK(m.proc(child).cred.egid() == vfs::Gid(0));
  CHECK(m.proc(child).cred.rgid == vfs::Gid(5));
  // Without PF_FORK the child does not inherit the stop events.
  CHECK(m.proc(child).stops == 0);
}

TEST_CASE("setgroups needs privilege; getgroups reports the list") {
  TestMachine m;
  Pid root = m.spawn();
  for (std::uint32_t i = 0; i < 3; ++i)
    m.write_value<std::uint32_t>(root, kArgA + 4 * i, std::array{0u, 30u, 10u}[i]);
  CHECK(m.ok_value(root, Sysno::Setgroups, {3, kArgA}) == 0);
  CHECK(m.ok_value(root, Sysno::Getgroups, {0, 0}) == 3);
  CHECK(m.error_of(root, Sysno::Getgroups, {2, kArgA}) == vfs::Errno::Einval);
  CHECK(m.ok_value(root, Sysno::Getgroups, {3, kArgA}) == 3);
  // 8.3 keeps groups[1..] sorted.
  CHECK(m.read_value<std::uint32_t>(root, kArgA + 4) == 10);
  CHECK(m.read_value<std::uint32_t>(root, kArgA + 8) == 30);
  Pid user = m.spawn_as(1001);
  m.write_value<std::uint32_t>(user, kArgA, 20);
  CHECK(m.error_of(user, Sysno::Setgroups, {1, kArgA}) == vfs::Errno::Eperm);
  CHECK(m.error_of(user, Sysno::Setgroups, {5000, kArgA}) == vfs::Errno::Einval);
}

TEST_CASE("setsid makes a new session and group; a group leader gets EPERM") {
  TestMachine m;
  Pid pid = m.spawn();
  CHECK(m.ok_value(pid, Sysno::Setsid) == pid.value());
  Proc& p = m.proc(pid);
  CHECK(p.pgrp->pgid == pid);
  CHECK(p.pgrp->session->sid == pid);
  CHECK(p.pgrp->session->leader == &p);
  CHECK(m.ok_value(pid, Sysno::Getsid, {0}) == pid.value());
  CHECK(m.ok_value(pid, Sysno::Getpgrp) == pid.value());
  CHECK(m.error_of(pid, Sysno::Setsid) == vfs::Errno::Eperm);
  CHECK(m.ok_value(pid, Sysno::Getsid, {1}) == 1);
  CHECK(m.error_of(pid, Sysno::Getsid, {4242}) == vfs::Errno::Esrch);
}

TEST_CASE("setpgid follows the POSIX rules") {
  TestMachine m;
  SpawnSpec spec;
  spec.tty = "ttyp0";
  Pid shell = m.spawn(spec);
  Pid child = fork_child(m, shell);
  Pid stranger = m.spawn();
  CHECK(m.error_of(shell, Sysno::Setpgid, {0, sarg(-1)}) == vfs::Errno::Einval);
  // Not a descendant.
  CHECK(m.error_of(shell, Sysno::Setpgid, {sarg(stranger.value()), 0}) == vfs::Errno::Esrch);
  // A session leader cannot move.
  CHECK(m.error_of(shell, Sysno::Setpgid, {0, 0}) == vfs::Errno::Eperm);
  // A new group must be named after the process that enters it.
  CHECK(m.error_of(shell, Sysno::Setpgid, {sarg(child.value()), 4242}) == vfs::Errno::Eperm);
  CHECK(m.ok_value(shell, Sysno::Setpgid, {sarg(child.value()), sarg(child.value())}) == 0);
  CHECK(m.proc(child).pgrp->pgid == child);
  CHECK(m.ok_value(child, Sysno::Getpgid, {0}) == child.value());
  // Back into the shell's group (same session).
  CHECK(m.ok_value(child, Sysno::Setpgid, {0, sarg(shell.value())}) == 0);
  CHECK(m.proc(child).pgrp->pgid == shell);
  CHECK(m.kernel.pgfind(child) == nullptr);
  // A group of another session.
  CHECK(m.error_of(child, Sysno::Setpgid, {0, 1}) == vfs::Errno::Eperm);
}

TEST_CASE("spawn places a process in a new session with its terminal, or joins a group") {
  TestMachine m;
  SpawnSpec login;
  login.pid = Pid(400);
  login.tty = "ttyp0";
  login.cred = procsim::kern::testing::user_cred(1001);
  Pid shell = m.spawn(login);
  Proc& s = m.proc(shell);
  CHECK(s.pgrp->session->sid == Pid(400));
  CHECK(s.pgrp->session->tty == "ttyp0");
  CHECK((s.flag & P_CONTROLT) != 0);
  SpawnSpec job;
  job.ppid = shell;
  job.sid = shell;
  job.pgid = shell;
  Pid member = m.spawn(job);
  CHECK(member == Pid(401));
  CHECK(m.proc(member).pgrp == s.pgrp);
  CHECK((m.proc(member).flag & P_CONTROLT) != 0);
  SpawnSpec bad;
  bad.sid = Pid(400);
  bad.pgid = Pid(1);
  CHECK(m.kernel.spawn_scripted(bad).error() == vfs::Errno::Eperm);
}

TEST_CASE("the session leader's exit leaves the session without a leader or terminal vnode") {
  TestMachine m;
  SpawnSpec login;
  login.tty = "ttyp0";
  Pid shell = m.spawn(login);
  Pid child = fork_child(m, shell);
  // In a background group of its own, the child is not sent the terminal's SIGHUP.
  CHECK(m.ok_value(child, Sysno::Setpgid, {0, 0}) == 0);
  Session* session = m.proc(child).pgrp->session;
  m.start(shell, Sysno::Exit, {0});
  m.run_until_idle();
  CHECK(session->leader == nullptr);
  CHECK_FALSE(session->has_tty_vnode);
  CHECK(session->tty == "ttyp0");
  // A child forked now does not get P_CONTROLT.
  Pid grandchild = fork_child(m, child);
  CHECK((m.proc(grandchild).flag & P_CONTROLT) == 0);
}

TEST_CASE("the session leader's exit sends SIGHUP to the terminal's foreground group only") {
  TestMachine m;
  SpawnSpec login;
  login.tty = "ttyp1";
  Pid shell = m.spawn(login);
  Pid foreground = fork_child(m, shell);
  Pid background = fork_child(m, shell);
  CHECK(m.ok_value(background, Sysno::Setpgid, {0, 0}) == 0);
  Tty* tty = m.kernel.tty("ttyp1");
  REQUIRE(tty != nullptr);
  CHECK(tty->foreground == shell);
  m.start(shell, Sysno::Exit, {0});
  m.run_until_idle();
  // Killed by SIGHUP, the orphan was reaped by init; the background member lives on.
  CHECK(m.kernel.find_proc(foreground) == nullptr);
  CHECK_FALSE(m.proc(background).is_zombie());
  CHECK(tty->session == nullptr);
  CHECK(tty->foreground == Pid(0));
}

TEST_CASE("getrlimit and setrlimit: lowering is free, raising needs privilege") {
  TestMachine m;
  Pid user = m.spawn_as(1001);
  CHECK(m.ok_value(user, Sysno::Getrlimit, {static_cast<std::uint64_t>(Rlimit::Nproc), kArgA}) == 0);
  CHECK(m.read_value<std::uint64_t>(user, kArgA) == 6164);
  m.write_value<std::int64_t>(user, kArgA, 10);
  m.write_value<std::int64_t>(user, kArgA + 8, 20);
  CHECK(m.ok_value(user, Sysno::Setrlimit, {static_cast<std::uint64_t>(Rlimit::Nproc), kArgA}) == 0);
  CHECK(m.proc(user).limits.get(Rlimit::Nproc) == RlimitValue{10, 20});
  m.write_value<std::int64_t>(user, kArgA + 8, 30);
  CHECK(m.error_of(user, Sysno::Setrlimit, {static_cast<std::uint64_t>(Rlimit::Nproc), kArgA}) ==
        vfs::Errno::Eperm);
  CHECK(m.error_of(user, Sysno::Setrlimit, {13, kArgA}) == vfs::Errno::Einval);
}

TEST_CASE("prisons: ids in creation order beneath a known parent, a bound, and a jailed spawn") {
  TestMachine m;
  CHECK(m.kernel.prison_count() == 1);
  CHECK(m.kernel.create_prison(vfs::PrisonId(1)).error() == vfs::Errno::Einval);  // no jail 1 yet
  CHECK(m.kernel.create_prison(vfs::kPrison0).value() == vfs::PrisonId(1));
  CHECK(m.kernel.create_prison(vfs::PrisonId(1)).value() == vfs::PrisonId(2));
  CHECK(m.kernel.prison_count() == 3);
  const PrisonTree& tree = m.kernel.policy().prisons;
  CHECK(tree.is_descendant_or_self(vfs::PrisonId(2), vfs::PrisonId(1)));
  CHECK_FALSE(tree.is_descendant_or_self(vfs::PrisonId(1), vfs::PrisonId(2)));

  SpawnSpec jailed;
  jailed.prison = vfs::PrisonId(2);
  Pid inside = m.spawn(jailed);
  CHECK(m.proc(inside).cred.prison == vfs::PrisonId(2));
  SpawnSpec unknown;
  unknown.prison = vfs::PrisonId(3);
  CHECK(m.kernel.spawn_scripted(unknown).error() == vfs::Errno::Einval);
  // The jailed process cannot signal init, outside its prison.
  CHECK(m.error_of(inside, Sysno::Kill, {1, 0}) == vfs::Errno::Esrch);

  while (m.kernel.prison_count() < Kernel::kMaxPrisons) REQUIRE(m.kernel.create_prison(vfs::kPrison0).ok());
  CHECK(m.kernel.create_prison(vfs::kPrison0).error() == vfs::Errno::Eperm);
}
