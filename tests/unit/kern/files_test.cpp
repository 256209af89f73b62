// Descriptor tables in the kernel: the boot root file system, fork's copy (fdcopy) sharing
// open files and offsets, exit's fdfree closing everything, the kern.maxfiles and path-length
// limits at the user boundary, and terminal reads that sleep in "ttyin".
#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include "model/kern/rootfs.h"
#include "model/vfs/memfs.h"
#include "model/vfs/vfs_syscalls.h"
#include "tests/unit/kern/kernel_test_support.h"

using namespace procsim::kern;
using procsim::kern::testing::kArgA;
using procsim::kern::testing::kArgB;
using procsim::kern::testing::TestMachine;
namespace vfs = procsim::vfs;
namespace base = procsim::base;

namespace {

void write_string(TestMachine& m, Pid pid, std::uint64_t addr, std::string_view text) {
  base::Bytes bytes(text.begin(), text.end());
  bytes.push_back(0);
  m.write(pid, addr, bytes);
}

std::int64_t open_path(TestMachine& m, Pid pid, std::string_view path, std::uint64_t flags,
                       std::uint64_t mode = 0) {
  write_string(m, pid, kArgA, path);
  return m.ok_value(pid, Sysno::Open, {kArgA, flags, mode});
}

}  // namespace

TEST_CASE("the boot root has FreeBSD's top directories with inode numbers in creation order") {
  auto root = make_root_filesystem(vfs::Era::FreeBSD8, vfs::Timespec{1243080000, 0}, 100);
  vfs::Memfs& memfs = *root.memfs;
  CHECK(memfs.find("/").value_or(0) == vfs::kMemfsRootIno);
  CHECK(memfs.find("/bin").value_or(0) == 3);
  CHECK(memfs.find("/proc").value_or(0) == 12);
  const vfs::MemfsNode* tmp = memfs.node(memfs.find("/tmp").value_or(0));
  REQUIRE(tmp != nullptr);
  CHECK(tmp->mode == 01777);
  CHECK(tmp->uid == vfs::Uid(0));
  CHECK(tmp->gid == vfs::Gid(0));
  const vfs::MemfsNode* ttyp0 = memfs.node(memfs.find("/dev/ttyp0").value_or(0));
  REQUIRE(ttyp0 != nullptr);
  CHECK(ttyp0->type == vfs::VType::VCHR);
  CHECK(ttyp0->rdev == vfs::makedev(0, 9));
  auto old = make_root_filesystem(vfs::Era::FreeBSD4, vfs::Timespec{0, 0}, 100);
  const vfs::MemfsNode* null_node = old.memfs->node(old.memfs->find("/dev/null").value_or(0));
  REQUIRE(null_node != nullptr);
  CHECK(null_node->rdev == vfs::makedev(2, 2));
}

TEST_CASE("proc0 and init have descriptor tables rooted at /, and a spawned process inherits one") {
  TestMachine m;
  Proc& init = *m.kernel.initproc();
  REQUIRE(init.fd != nullptr);
  CHECK(init.fd->open_fds().empty());
  CHECK(init.fd->cdir() == &m.kernel.vfs().root_vnode());
  Pid pid = m.spawn();
  REQUIRE(m.proc(pid).fd != nullptr);
  CHECK(m.proc(pid).fd->rdir() == &m.kernel.vfs().root_vnode());
}

TEST_CASE("fork shares each open file, and so its offset, between parent and child") {
  TestMachine m;
  Pid parent = m.spawn();
  CHECK(open_path(m, parent, "/tmp/shared", vfs::kOWronly | vfs::kOCreat, 0644) == 0);
  std::size_t open_before = m.kernel.vfs().files().open_count();
  Pid child(static_cast<std::int32_t>(m.ok_value(parent, Sysno::Fork)));
  vfs::File* file = m.proc(parent).fd->get(0).value();
  CHECK(m.proc(child).fd->get(0).value() == file);
  CHECK(file->refcount() == 2);
  CHECK(m.kernel.vfs().files().open_count() == open_before);
  m.write(child, kArgB, base::Bytes{'a', 'b', 'c'});
  CHECK(m.ok_value(child, Sysno::Write, {0, kArgB, 3}) == 3);
  CHECK(m.ok_value(parent, Sysno::Lseek, {0, 0, vfs::kSeekCur}) == 3);
}

TEST_CASE("exit closes every descriptor before the zombie state and frees the table") {
  TestMachine m;
  std::size_t open_at_boot = m.kernel.vfs().files().open_count();
  SpawnSpec spec;
  spec.ppid = m.spawn();  // a parent that does not reap, unlike init
  Pid pid = m.spawn(spec);
  CHECK(open_path(m, pid, "/etc", vfs::kORdonly) == 0);
  CHECK(m.ok_value(pid, Sysno::Dup, {0}) == 1);
  CHECK(m.kernel.vfs().files().open_count() == open_at_boot + 1);
  m.start(pid, Sysno::Exit, {0});
  m.run_until_idle();
  Proc& zombie = m.proc(pid);
  CHECK(zombie.is_zombie());
  CHECK(zombie.fd == nullptr);
  CHECK(m.kernel.vfs().files().open_count() == open_at_boot);
}

TEST_CASE("open fails with ENFILE at kern.maxfiles, before it looks at the path") {
  TestMachine m;
  Pid pid = m.spawn();
  m.kernel.vfs().files().set_maxfiles(m.kernel.vfs().files().open_count() + 1);
  CHECK(open_path(m, pid, "/etc", vfs::kORdonly) == 0);
  write_string(m, pid, kArgA, "/etc");
  CHECK(m.error_of(pid, Sysno::Open, {kArgA, vfs::kORdonly, 0}) == vfs::Errno::Enfile);
  // A bad path pointer loses to ENFILE, as falloc comes before namei.
  CHECK(m.error_of(pid, Sysno::Open, {8, vfs::kORdonly, 0}) == vfs::Errno::Enfile);
}

TEST_CASE("a path without a NUL in MAXPATHLEN bytes is ENAMETOOLONG; one byte less is looked up") {
  TestMachine m;
  Pid pid = m.spawn();
  std::string long_path(1024, 'a');
  m.write(pid, kArgA, base::Bytes(long_path.begin(), long_path.end()));
  CHECK(m.error_of(pid, Sysno::Stat, {kArgA, kArgB}) == vfs::Errno::Enametoolong);
  std::string shorter(1023, '/');
  write_string(m, pid, kArgA, shorter);
  CHECK(m.ok_value(pid, Sysno::Stat, {kArgA, kArgB}) == 0);
}

TEST_CASE("a terminal read sleeps interruptibly in ttyin until input arrives") {
  TestMachine m;
  SpawnSpec login;
  login.tty = "ttyp2";
  Pid pid = m.spawn(login);
  m.start(pid, Sysno::Read, {0, kArgB, 64});
  m.run_until_idle();
  CHECK(m.wmesg(pid) == "ttyin");
  CHECK(m.thread(pid).sleep_interruptible);
  Tty* tty = m.kernel.tty("ttyp2");
  REQUIRE(tty != nullptr);
  CHECK(tty->waiting_readers() == 1);
  tty->push_input("one\ntwo\n");
  CHECK(m.finish(pid) == procsim::sim::RunOutcome::Done);
  CHECK(tty->waiting_readers() == 0);
  auto result = m.kernel.script_result(pid);
  REQUIRE(result.has_value());
  CHECK(result->retval[0] == 4);
  CHECK(tty->queued_input() == 4);
  CHECK(m.ok_value(pid, Sysno::Read, {0, kArgB, 64}) == 4);
  // A caught signal without SA_RESTART ends the wait with EINTR.
  m.write_sigaction(pid, kArgA, 0x401000);
  CHECK(m.ok_value(pid, Sysno::Sigaction, {Sigint.value(), kArgA, 0}) == 0);
  m.start(pid, Sysno::Read, {0, kArgB, 64});
  m.run_until_idle();
  CHECK(m.wmesg(pid) == "ttyin");
  Pid sender = m.spawn();
  m.kill(sender, pid.value(), Sigint);
  CHECK(m.finish(pid) == procsim::sim::RunOutcome::Done);
  CHECK(m.kernel.script_result(pid)->error == vfs::Errno::Eintr);
  m.start(pid, Sysno::Read, {0, kArgB, 64});
  m.run_until_idle();
  CHECK(m.wmesg(pid) == "ttyin");
  tty->push_eof();
  CHECK(m.finish(pid) == procsim::sim::RunOutcome::Done);
  CHECK(m.kernel.script_result(pid)->retval[0] == 0);
}

TEST_CASE("what a process writes to its terminal is kept for the driver, in order") {
  TestMachine m;
  SpawnSpec login;
  login.tty = "console";
  Pid pid = m.spawn(login);
  m.write(pid, kArgB, base::Bytes{'o', 'k', '\n'});
  CHECK(m.ok_value(pid, Sysno::Write, {1, kArgB, 3}) == 3);
  CHECK(m.ok_value(pid, Sysno::Write, {2, kArgB, 2}) == 2);
  Tty* tty = m.kernel.tty("console");
  REQUIRE(tty != nullptr);
  CHECK(tty->take_output() == "ok\nok");
  CHECK_FALSE(tty->has_output());
}

TEST_CASE("fcntl and the generic ioctls: close-on-exec, status flags and FIONREAD") {
  TestMachine m;
  Pid pid = m.spawn();
  CHECK(open_path(m, pid, "/tmp/data", vfs::kORdwr | vfs::kOCreat, 0644) == 0);
  m.write(pid, kArgB, base::Bytes(40, 'x'));
  CHECK(m.ok_value(pid, Sysno::Write, {0, kArgB, 40}) == 40);
  CHECK(m.ok_value(pid, Sysno::Fcntl, {0, 1, 0}) == 0);  // F_GETFD
  CHECK(m.ok_value(pid, Sysno::Ioctl, {0, vfs::kFioclex, 0}) == 0);
  CHECK(m.ok_value(pid, Sysno::Fcntl, {0, 1, 0}) == 1);
  CHECK(m.ok_value(pid, Sysno::Fcntl, {0, 2, 0}) == 0);  // F_SETFD 0
  CHECK(m.ok_value(pid, Sysno::Fcntl, {0, 1, 0}) == 0);
  // F_SETFL changes only FCNTLFLAGS: O_APPEND sticks, O_WRONLY does not.
  CHECK(m.ok_value(pid, Sysno::Fcntl, {0, 4, vfs::kOAppend | vfs::kOWronly}) == 0);
  CHECK(m.ok_value(pid, Sysno::Fcntl, {0, 3, 0}) == (vfs::kORdwr | vfs::kOAppend));
  CHECK(m.error_of(pid, Sysno::Fcntl, {0, 99, 0}) == vfs::Errno::Einval);
  CHECK(m.error_of(pid, Sysno::Fcntl, {7, 1, 0}) == vfs::Errno::Ebadf);
  // FIONREAD: the bytes between the offset and the end of a regular file.
  CHECK(m.ok_value(pid, Sysno::Lseek, {0, 10, vfs::kSeekSet}) == 10);
  CHECK(m.ok_value(pid, Sysno::Ioctl, {0, vfs::kFionread, kArgB}) == 0);
  CHECK(m.read_value<std::int32_t>(pid, kArgB) == 30);
  // A command without a direction bit is ENOTTY before the descriptor is looked at.
  CHECK(m.error_of(pid, Sysno::Ioctl, {9, 0x1234, 0}) == vfs::Errno::Enotty);
  // TIOCGETA on a regular file: not a terminal.
  CHECK(m.error_of(pid, Sysno::Ioctl, {0, kTiocgeta, kArgB}) == vfs::Errno::Enotty);
}

TEST_CASE("a terminal reports FreeBSD's default termios to TIOCGETA") {
  TestMachine m;
  SpawnSpec login;
  login.tty = "ttyp3";
  Pid pid = m.spawn(login);
  CHECK(m.ok_value(pid, Sysno::Ioctl, {0, kTiocgeta, kArgB}) == 0);
  CHECK(m.read_value<std::uint32_t>(pid, kArgB + 12) == 0x05cb);  // c_lflag: ICANON|ECHO|...
  CHECK(m.read_value<std::uint32_t>(pid, kArgB + 40) == 9600);    // c_ospeed
}

TEST_CASE("TIOCGPGRP answers NO_PID once the foreground group has no members left") {
  TestMachine m;
  SpawnSpec login;
  login.tty = "ttyp4";
  Pid shell = m.spawn(login);
  Pid job(static_cast<std::int32_t>(m.ok_value(shell, Sysno::Fork)));
  CHECK(m.ok_value(job, Sysno::Setpgid, {0, 0}) == 0);
  m.write_value<std::int32_t>(shell, kArgB, job.value());
  CHECK(m.ok_value(shell, Sysno::Ioctl, {0, kTiocspgrp, kArgB}) == 0);
  CHECK(m.ok_value(shell, Sysno::Ioctl, {0, kTiocgpgrp, kArgB}) == 0);
  CHECK(m.read_value<std::int32_t>(shell, kArgB) == job.value());
  m.start(job, Sysno::Exit, {0});
  m.run_until_idle();
  (void)m.wait4(shell, job.value());
  CHECK(m.ok_value(shell, Sysno::Ioctl, {0, kTiocgpgrp, kArgB}) == 0);
  CHECK(m.read_value<std::int32_t>(shell, kArgB) == 100000);
}

TEST_CASE("a machine can be torn down while a reader sleeps on its terminal and files are open") {
  TestMachine m;
  SpawnSpec login;
  login.tty = "ttyp5";
  Pid pid = m.spawn(login);
  CHECK(open_path(m, pid, "/tmp/left-open", vfs::kOWronly | vfs::kOCreat, 0600) == 3);
  m.start(pid, Sysno::Read, {0, kArgB, 64});
  m.run_until_idle();
  CHECK(m.wmesg(pid) == "ttyin");
  CHECK(m.kernel.vfs().files().open_count() == 2);
}
