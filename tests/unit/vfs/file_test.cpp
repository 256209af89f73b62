// Descriptor tables: lowest-free allocation, the EMFILE and ENFILE limits, EBADF, dup/dup2 and
// their era differences, close-on-exec, and fork sharing one file (and its offset).
#include "model/vfs/file.h"

#include <array>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "tests/unit/vfs/vfs_fixture.h"

namespace {

using namespace procsim::vfs;  // NOLINT: test brevity
namespace base = procsim::base;
using procsim::vfs::testing::Machine;

int open_ps(Machine& machine) {
  return kern_open(machine.root_ctx(), machine.fdt, "/bin/ps", kORdonly, 0).value();
}

}  // namespace

TEST_CASE("open takes the lowest free descriptor") {
  Machine machine;
  CHECK(open_ps(machine) == 0);
  CHECK(open_ps(machine) == 1);
  CHECK(open_ps(machine) == 2);
  REQUIRE(kern_close(machine.root_ctx(), machine.fdt, 1).ok());
  CHECK(open_ps(machine) == 1);
  CHECK(open_ps(machine) == 3);
  CHECK(machine.fdt.open_fds() == std::vector<int>{0, 1, 2, 3});
}

TEST_CASE("the descriptor limit gives EMFILE, and the check comes before the lookup") {
  Machine machine;
  machine.fdt.set_fd_limit(3);
  for (int i = 0; i < 3; ++i) open_ps(machine);
  CHECK(kern_open(machine.root_ctx(), machine.fdt, "/bin/ps", kORdonly, 0).error() == Errno::Emfile);
  CHECK(kern_open(machine.root_ctx(), machine.fdt, "/nonexistent", kORdonly, 0).error() == Errno::Emfile);
  CHECK(machine.fdt.dup(0).error() == Errno::Emfile);
}

TEST_CASE("the system-wide file limit gives ENFILE") {
  Machine machine;
  machine.vfs.files().set_maxfiles(2);
  open_ps(machine);
  open_ps(machine);
  CHECK(kern_open(machine.root_ctx(), machine.fdt, "/bin/ps", kORdonly, 0).error() == Errno::Enfile);
  // dup shares a file: it needs a descriptor, not a file.
  CHECK(machine.fdt.dup(0).ok());
  CHECK(machine.vfs.files().open_count() == 2);
}

TEST_CASE("operations on a descriptor that is not open are EBADF") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  std::array<std::uint8_t, 4> buffer{};
  CHECK(kern_close(ctx, machine.fdt, 5).error() == Errno::Ebadf);
  CHECK(kern_close(ctx, machine.fdt, -1).error() == Errno::Ebadf);
  CHECK(kern_read(ctx, machine.fdt, 0, buffer).error() == Errno::Ebadf);
  CHECK(kern_fstat(ctx, machine.fdt, 0).error() == Errno::Ebadf);
  CHECK(machine.fdt.dup(7).error() == Errno::Ebadf);
  int fd = open_ps(machine);
  REQUIRE(kern_close(ctx, machine.fdt, fd).ok());
  CHECK(kern_close(ctx, machine.fdt, fd).error() == Errno::Ebadf);
}

TEST_CASE("dup2 replaces an open descriptor and shares the file") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  int a = open_ps(machine);
  int b = kern_open(ctx, machine.fdt, "/dev/null", kOWronly, 0).value();
  File* file_a = machine.fdt.get(a).value();
  CHECK(file_a->refcount() == 1);
  CHECK(machine.fdt.dup2(a, b, ctx).value() == b);
  CHECK(machine.fdt.get(b).value() == file_a);
  CHECK(file_a->refcount() == 2);
  CHECK(machine.vfs.files().open_count() == 1);  // /dev/null's file was closed
  CHECK(machine.fdt.dup2(a, a, ctx).value() == a);
  CHECK(machine.fdt.dup2(a, 40, ctx).value() == 40);
  CHECK(machine.fdt.open_fds() == std::vector<int>{0, 1, 40});
}

TEST_CASE("dup2 beyond the limit is EMFILE in 8.x and EBADF before") {
  Machine modern(Era::FreeBSD8);
  int fd = open_ps(modern);
  CHECK(modern.fdt.dup2(fd, 64, modern.root_ctx()).error() == Errno::Emfile);
  CHECK(modern.fdt.dup2(fd, -1, modern.root_ctx()).error() == Errno::Ebadf);
  CHECK(modern.fdt.dup2(9, 64, modern.root_ctx()).error() == Errno::Emfile);
  Machine old(Era::FreeBSD4);
  fd = open_ps(old);
  CHECK(old.fdt.dup2(fd, 64, old.root_ctx()).error() == Errno::Ebadf);
  CHECK(old.fdt.dup2(9, 64, old.root_ctx()).error() == Errno::Ebadf);
}

TEST_CASE("F_DUPFD takes the lowest descriptor at or above its argument; out of range is EINVAL") {
  Machine machine;
  int fd = open_ps(machine);
  CHECK(machine.fdt.dup_at_least(fd, 10).value() == 10);
  CHECK(machine.fdt.dup_at_least(fd, 10).value() == 11);
  CHECK(machine.fdt.dup_at_least(fd, 64).error() == Errno::Einval);
  CHECK(machine.fdt.dup_at_least(fd, -1).error() == Errno::Einval);
}

TEST_CASE("close-on-exec is per descriptor: dup clears it and exec closes the marked ones") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  int fd = kern_open(ctx, machine.fdt, "/bin/ps", kORdonly | kOCloexec, 0).value();
  CHECK(machine.fdt.close_on_exec(fd).value());
  int copy = machine.fdt.dup(fd).value();
  CHECK_FALSE(machine.fdt.close_on_exec(copy).value());
  int other = open_ps(machine);
  REQUIRE(machine.fdt.set_close_on_exec(other, true).ok());
  machine.fdt.close_marked_on_exec(ctx);
  CHECK(machine.fdt.open_fds() == std::vector<int>{copy});
}

TEST_CASE("O_CLOEXEC is ignored by FreeBSD 4, which does not know it") {
  Machine machine(Era::FreeBSD4);
  int fd = kern_open(machine.root_ctx(), machine.fdt, "/bin/ps", kORdonly | kOCloexec, 0).value();
  CHECK_FALSE(machine.fdt.close_on_exec(fd).value());
}

TEST_CASE("a forked table shares each file, so both processes move one offset") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  int fd = open_ps(machine);
  FileTable child = machine.fdt.fork_copy();
  File* file = machine.fdt.get(fd).value();
  CHECK(child.get(fd).value() == file);
  CHECK(file->refcount() == 2);
  CHECK(child.cdir() == machine.fdt.cdir());
  std::array<std::uint8_t, 2> buffer{};
  CHECK(kern_read(ctx, machine.fdt, fd, buffer).value() == 2);
  CHECK(kern_read(ctx, child, fd, buffer).value() == 2);
  CHECK(std::string(buffer.begin(), buffer.end()) == "LF");
  CHECK(file->offset() == 4);
  // The child's close leaves the parent's descriptor working.
  child.close_all(ctx);
  CHECK(file->refcount() == 1);
  CHECK(kern_lseek(ctx, machine.fdt, fd, 0, kSeekCur).value() == 4);
}

TEST_CASE("open flags print with FreeBSD's names and parse back") {
  CHECK(format_open_flags(kOWronly | kOCreat | kOTrunc) == "O_WRONLY|O_CREAT|O_TRUNC");
  CHECK(format_open_flags(kORdonly) == "O_RDONLY");
  CHECK(format_open_flags(kORdwr | kONonblock | 0x40000000) == "O_RDWR|O_NONBLOCK|0x40000000");
  CHECK(parse_open_flags("O_WRONLY|O_CREAT") == (kOWronly | kOCreat));
  CHECK(parse_open_flags("O_RDONLY|0x100000") == kOCloexec);
  CHECK_FALSE(parse_open_flags("O_WRONLY|").has_value());
  CHECK_FALSE(parse_open_flags("O_BOGUS").has_value());
  CHECK(kOCreat == 0x200);
  CHECK(kONofollow == 0x100);
  CHECK(kODirectory == 0x20000);
  CHECK(kOCloexec == 0x100000);
  CHECK(kOShlock == 0x10);
  CHECK(kOExlock == 0x20);
}

TEST_CASE("the file keeps the opener's credentials") {
  Machine machine;
  int fd = kern_open(machine.user_ctx(), machine.fdt, "/bin/ps", kORdonly, 0).value();
  CHECK(machine.fdt.get(fd).value()->cred().uid == Uid(1001));
  CHECK(machine.fdt.get(fd).value()->flags() == kFRead);
}
