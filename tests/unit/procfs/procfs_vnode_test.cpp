// The procfs vnode layer through the VFS system-call cores: listings, lookup, attributes,
// links, text files, access per era. The ctl, ioctl and exit behaviour are in procfs_ctl_test.cpp.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "tests/unit/procfs/procfs_fixture.h"

namespace procfs_test {
namespace {

using vfs::Era;
using vfs::Errno;

TEST_CASE("FreeBSD 4 lists dot, dot-dot and curproc, then processes newest first, pid 0 last") {
  ProcfsMachine m(Era::FreeBSD4);
  kern::Pid a = m.spawn_as(1001);
  kern::Pid b = m.spawn_as(1001);
  std::vector<vfs::Dirent> records = m.list(a, "/proc");
  std::vector<std::string> expected{
      ".", "..", "curproc", std::to_string(b.value()), std::to_string(a.value()), "1", "0"};
  CHECK(ProcfsMachine::names_of(records) == expected);
  CHECK(records[0].reclen == 20);
  CHECK(records[2].type == vfs::DirentType::Lnk);
  CHECK(records[3].fileno == static_cast<std::uint32_t>(16 * (b.value() + 1) + 2));
}

TEST_CASE("FreeBSD 8 lists processes first and the fixed entries last, every pid entry with d_fileno 4") {
  ProcfsMachine m(Era::FreeBSD8);
  kern::Pid a = m.spawn_as(1001);
  std::vector<vfs::Dirent> records = m.list(a, "/proc");
  std::vector<std::string> expected{std::to_string(a.value()), "1", "0", "curproc", "..", "."};
  CHECK(ProcfsMachine::names_of(records) == expected);
  CHECK(records[0].reclen == 32);
  CHECK(records[0].fileno == 4);
  vfs::KResult<vfs::Stat> st = vfs::kern_stat(m.ctx(a), fmt::format("/proc/{}", a.value()));
  REQUIRE(st.ok());
  CHECK(st.value().ino == static_cast<std::uint32_t>(400000 + a.value()));
}

TEST_CASE("4.4BSD lists curproc as a directory and resolves it to the caller's own directory") {
  ProcfsMachine m(Era::Bsd44);
  kern::Pid a = m.spawn_as(1001);
  std::vector<vfs::Dirent> records = m.list(a, "/proc");
  REQUIRE(records.size() == 4);
  CHECK(records[0].name == "curproc");
  CHECK(records[0].type == vfs::DirentType::Dir);
  vfs::KResult<vfs::Stat> st = vfs::kern_stat(m.ctx(a), "/proc/curproc");
  REQUIRE(st.ok());
  CHECK(st.value().ino == static_cast<std::uint32_t>(((a.value() + 1) << 3) + 1));
  CHECK((st.value().mode & vfs::kSIfmt) == vfs::kSIfdir);
  std::vector<std::string> expected{"file", "mem", "regs", "ctl", "status", "note", "notepg"};
  CHECK(ProcfsMachine::names_of(m.list(a, "/proc/curproc")) == expected);
}

TEST_CASE("A process directory lists the era's nodes in its order, skipping absent ones") {
  ProcfsMachine m8(Era::FreeBSD8);
  kern::Pid a = m8.spawn_as(1001);
  kern::Pid other = m8.spawn_as(1002);
  std::vector<std::string> own{"file", "osrel",  "status", "rlimit", "regs", "notepg",  "note", "mem",
                               "map",  "fpregs", "etype",  "dbregs", "ctl",  "cmdline", "..",   "."};
  CHECK(ProcfsMachine::names_of(m8.list(a, fmt::format("/proc/{}", a.value()))) == own);
  // Another user's process: only the nodes without p_candebug().
  std::vector<std::string> foreign{"file", "status", "rlimit", "map", "etype", "ctl", "cmdline", "..", "."};
  CHECK(ProcfsMachine::names_of(m8.list(a, fmt::format("/proc/{}", other.value()))) == foreign);
  CHECK(m8.open(a, fmt::format("/proc/{}/mem", other.value()), vfs::kORdonly).error() == Errno::Enoent);

  ProcfsMachine m4(Era::FreeBSD4);
  kern::Pid b = m4.spawn_as(1001);
  std::vector<vfs::Dirent> records = m4.list(b, fmt::format("/proc/{}", b.value()));
  REQUIRE(records.size() == 15);
  CHECK(records[2].name == "mem");
  CHECK(records[2].fileno == static_cast<std::uint32_t>(16 * (b.value() + 1) + 4));
  CHECK(records[14].name == "file");
}

TEST_CASE("getattr reports each era's modes, owners, sizes and inode numbers") {
  ProcfsMachine m(Era::FreeBSD4);
  kern::Pid a = m.spawn_as(1001);
  vfs::KResult<vfs::Stat> mem = vfs::kern_stat(m.ctx(a), fmt::format("/proc/{}/mem", a.value()));
  REQUIRE(mem.ok());
  CHECK((mem.value().mode & 07777) == 0640);
  CHECK(mem.value().uid == vfs::Uid(1001));
  CHECK(mem.value().ino == static_cast<std::uint32_t>(16 * (a.value() + 1) + 4));
  CHECK(mem.value().atime.sec == m.tm.kernel.time_of_day().sec);
  vfs::KResult<vfs::Stat> regs = vfs::kern_stat(m.ctx(a), fmt::format("/proc/{}/regs", a.value()));
  REQUIRE(regs.ok());
  CHECK(regs.value().size == 176);
  vfs::KResult<vfs::Stat> dir = vfs::kern_stat(m.ctx(a), fmt::format("/proc/{}", a.value()));
  REQUIRE(dir.ok());
  CHECK(dir.value().nlink == 15);
  CHECK(dir.value().size == 512);
  vfs::KResult<vfs::Stat> link = vfs::kern_lstat(m.ctx(a), "/proc/curproc");
  REQUIRE(link.ok());
  CHECK(link.value().size == static_cast<std::int64_t>(std::to_string(a.value()).size()));
  CHECK((link.value().mode & 07777) == 0444);
}

TEST_CASE("curproc is a link to the reader's pid; leading zeros name the same process") {
  ProcfsMachine m(Era::FreeBSD8);
  kern::Pid a = m.spawn_as(1001);
  base::Bytes buffer(64);
  vfs::KResult<std::size_t> n = vfs::kern_readlink(m.ctx(a), "/proc/curproc", buffer);
  REQUIRE(n.ok());
  CHECK(std::string(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n.value())) ==
        std::to_string(a.value()));
  CHECK(m.cat(a, "/proc/curproc/status") == m.cat(a, fmt::format("/proc/00{}/status", a.value())));
  n = vfs::kern_readlink(m.ctx(a), "/proc/curproc/file", buffer);
  REQUIRE(n.ok());
  CHECK(std::string(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n.value())) == "unknown");
}

TEST_CASE("Lookups of missing names, too large pids and name changes fail as each era says") {
  ProcfsMachine m8(Era::FreeBSD8);
  kern::Pid a = m8.spawn_as(1001);
  CHECK(m8.open(a, "/proc/99999/status", vfs::kORdonly).error() == Errno::Enoent);
  CHECK(m8.open(a, "/proc/100000/status", vfs::kORdonly).error() == Errno::Enoent);
  CHECK(m8.open(a, "/proc/self/status", vfs::kORdonly).error() == Errno::Enoent);
  CHECK(vfs::kern_unlink(m8.ctx(a), "/proc/curproc").error() == Errno::Eopnotsupp);
  ProcfsMachine m4(Era::FreeBSD4);
  kern::Pid b = m4.spawn_as(1001);
  CHECK(vfs::kern_unlink(m4.ctx(b), "/proc/curproc").error() == Errno::Erofs);
  CHECK(m4.open(b, "/proc/new", vfs::kOWronly | vfs::kOCreat).error() == Errno::Erofs);
}

TEST_CASE("status reads the kernel's process and slices by offset") {
  ProcfsMachine m(Era::FreeBSD8);
  kern::Pid a = m.spawn_as(1001);
  std::string status = m.cat(a, fmt::format("/proc/{}/status", a.value()));
  CHECK(status.starts_with(fmt::format("script {} 1 ", a.value())));
  INFO(status);
  CHECK(status.ends_with(" 1001 1001 20,20 -\n"));
  int fd = m.open_ok(a, "/proc/curproc/status", vfs::kORdonly);
  vfs::KResult<std::string> head = m.read(a, fd, 6);
  REQUIRE(head.ok());
  CHECK(head.value() == "script");
  vfs::KResult<std::string> rest = m.read(a, fd);
  REQUIRE(rest.ok());
  CHECK("script" + rest.value() == status);
  CHECK(m.write(a, fd, "x").error() == Errno::Ebadf);
}

TEST_CASE("Text files answer writes with the era's error; note and notepg never work") {
  ProcfsMachine m4(Era::FreeBSD4);
  kern::Pid root = m4.tm.spawn();
  int status = m4.open_ok(root, "/proc/curproc/status", vfs::kORdwr);
  CHECK(m4.write(root, status, "x").error() == Errno::Eopnotsupp);
  int note = m4.open_ok(root, "/proc/curproc/note", vfs::kORdwr);
  CHECK(m4.read(root, note).error() == Errno::Einval);
  CHECK(m4.write(root, note, "hup").error() == Errno::Eopnotsupp);
  CHECK(m4.write(root, note, std::string(65, 'x')).error() == Errno::Emsgsize);
  ProcfsMachine m8(Era::FreeBSD8);
  kern::Pid a = m8.spawn_as(1001);
  int note8 = m8.open_ok(a, "/proc/curproc/note", vfs::kOWronly);
  CHECK(m8.write(a, note8, "hup\n").error() == Errno::Eopnotsupp);
}

TEST_CASE("O_TRUNC fails on FreeBSD 8's procfs and is accepted by FreeBSD 4's") {
  ProcfsMachine m8(Era::FreeBSD8);
  kern::Pid a = m8.spawn_as(1001);
  CHECK(m8.open(a, "/proc/curproc/ctl", vfs::kOWronly | vfs::kOTrunc).error() == Errno::Eopnotsupp);
  CHECK(m8.open(a, "/proc/curproc/ctl", vfs::kOWronly | vfs::kOAppend).ok());
  ProcfsMachine m4(Era::FreeBSD4);
  kern::Pid b = m4.spawn_as(1001);
  CHECK(m4.open(b, "/proc/curproc/ctl", vfs::kOWronly | vfs::kOTrunc).ok());
}

TEST_CASE("Modes refuse other users, and only root reads a write-only node in FreeBSD 4") {
  ProcfsMachine m4(Era::FreeBSD4);
  kern::Pid a = m4.spawn_as(1001);
  kern::Pid b = m4.spawn_as(1002);
  CHECK(m4.open(b, fmt::format("/proc/{}/ctl", a.value()), vfs::kOWronly).error() == Errno::Eacces);
  CHECK(m4.open(a, "/proc/curproc/ctl", vfs::kORdonly).error() == Errno::Eacces);
  kern::Pid root = m4.tm.spawn();
  int fd = m4.open_ok(root, fmt::format("/proc/{}/ctl", a.value()), vfs::kORdonly);
  CHECK(m4.read(root, fd).error() == Errno::Eopnotsupp);
}

TEST_CASE("FreeBSD 4 mem: an exclusive write open is refused while a write open is recorded") {
  ProcfsMachine m(Era::FreeBSD4);
  kern::Pid a = m.spawn_as(1001);
  int fd = m.open_ok(a, "/proc/curproc/mem", vfs::kOWronly);
  CHECK(m.open(a, "/proc/curproc/mem", vfs::kOWronly | vfs::kOExcl).error() == Errno::Ebusy);
  REQUIRE(vfs::kern_close(m.ctx(a), m.fdt(a), fd).ok());
  // The plain write open left FWRITE behind (spec §5.2).
  CHECK(m.open(a, "/proc/curproc/mem", vfs::kOWronly | vfs::kOExcl).error() == Errno::Ebusy);
}

TEST_CASE("rlimit, etype and cmdline come from the process") {
  ProcfsMachine m(Era::FreeBSD8);
  kern::SpawnSpec spec;
  spec.cred = kern::testing::user_cred(1001);
  spec.comm = "sleep";
  spec.argv = {"sleep", "60"};
  kern::Pid a = m.tm.spawn(spec);
  CHECK(m.cat(a, "/proc/curproc/cmdline") == std::string("sleep\0"
                                                         "60\0",
                                                         9));
  CHECK(m.cat(a, "/proc/curproc/rlimit").starts_with("cpu -1 -1\n"));
  CHECK(m.cat(a, "/proc/curproc/osrel").back() == '\n');
}

TEST_CASE("osrel takes digits in FreeBSD 8") {
  ProcfsMachine m(Era::FreeBSD8);
  kern::Pid a = m.spawn_as(1001);
  int fd = m.open_ok(a, "/proc/curproc/osrel", vfs::kORdwr);
  REQUIRE(m.write(a, fd, "700055\n").ok());
  CHECK(m.tm.proc(a).osrel == 700055);
  CHECK(m.write(a, fd, "7x").error() == Errno::Einval);
  CHECK(m.cat(a, "/proc/curproc/osrel") == "700055\n");
}

TEST_CASE("statfs reports procfs's counts per era") {
  ProcfsMachine m(Era::FreeBSD8);
  kern::Pid a = m.spawn_as(1001);
  vfs::KResult<vfs::Statfs> st = vfs::kern_statfs(m.ctx(a), "/proc");
  REQUIRE(st.ok());
  CHECK(st.value().fstypename == "procfs");
  CHECK(st.value().mntfromname == "procfs");
  CHECK(st.value().counts.blocks == 1);
  CHECK(st.value().counts.files == 1);
}

}  // namespace
}  // namespace procfs_test
