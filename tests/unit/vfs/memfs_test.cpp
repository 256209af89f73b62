// memfs: building a tree with chosen inode numbers and owners, listing order, the attributes a
// listing shows, device nodes routed to their drivers, and the UFS-like storage accounting.
#include "model/vfs/memfs.h"

#include <array>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "model/vfs/dirent.h"
#include "tests/unit/vfs/vfs_fixture.h"

namespace {

using namespace procsim::vfs;  // NOLINT: test brevity
namespace base = procsim::base;
using procsim::vfs::testing::bytes_of;
using procsim::vfs::testing::kBootTime;
using procsim::vfs::testing::Machine;

MemfsNodeSpec spec(std::uint32_t mode) {
  MemfsNodeSpec result;
  result.at(kBootTime);
  result.mode = mode;
  return result;
}

std::vector<std::string> listing(Machine& machine, std::string_view path) {
  std::vector<std::string> names;
  auto records = decode_dirents(machine.memfs->directory_image(machine.memfs->find(path).value())).value();
  for (const Dirent& record : records) names.push_back(record.name);
  return names;
}

// A terminal driver that records what reaches it.
class FakeTty final : public CharDevice {
 public:
  std::string_view name() const override { return "ttyp"; }
  bool is_tty() const override { return true; }
  KResult<void> write(std::uint32_t minor, Uio& uio, IoFlags, const VfsContext&) override {
    base::ByteSpan bytes = uio.move_in(uio.resid());
    written += std::to_string(minor) + ":" + std::string(bytes.begin(), bytes.end());
    return {};
  }
  KResult<void> close(std::uint32_t, std::uint32_t, const VfsContext&) override {
    ++closes;
    return {};
  }
  std::string written;
  int closes = 0;
};

}  // namespace

TEST_CASE("a directory lists . and .. first, then its entries in creation order") {
  Machine machine;
  REQUIRE(machine.memfs->make_file("/tmp/zeta", {}, spec(0644)).ok());
  REQUIRE(machine.memfs->make_file("/tmp/alpha", {}, spec(0644)).ok());
  REQUIRE(machine.memfs->make_directory("/tmp/mid", spec(0755)).ok());
  CHECK(listing(machine, "/tmp") == std::vector<std::string>{".", "..", "zeta", "alpha", "mid"});
  CHECK(listing(machine, "/") == std::vector<std::string>{".", "..", "bin", "tmp", "dev", "proc"});
}

TEST_CASE("the root's . and .. are both inode 2") {
  Machine machine;
  auto records = decode_dirents(machine.memfs->directory_image(kMemfsRootIno)).value();
  CHECK(records[0].fileno == 2);
  CHECK(records[1].fileno == 2);
  CHECK(machine.memfs->find("/").value() == 2);
  CHECK(machine.memfs->find("/bin/..").value() == 2);
}

TEST_CASE("chosen inode numbers are kept; a taken or reserved one is refused") {
  Machine machine;
  MemfsNodeSpec chosen = spec(0644);
  chosen.ino = 4000;
  CHECK(machine.memfs->make_file("/tmp/x", {}, chosen).value() == 4000);
  CHECK(machine.memfs->make_file("/tmp/y", {}, chosen).error() == Errno::Eexist);
  chosen.ino = 1;
  CHECK(machine.memfs->make_file("/tmp/y", {}, chosen).error() == Errno::Einval);
  // Automatic numbers take the lowest free one from 3 on.
  CHECK(machine.memfs->make_file("/tmp/z", {}, spec(0644)).value() ==
        8);  // 3..7 are /bin, /tmp, /dev, /proc, /dev/null
}

TEST_CASE("building refuses bad paths as a lookup would") {
  Machine machine;
  CHECK(machine.memfs->make_file("/nodir/x", {}, spec(0644)).error() == Errno::Enoent);
  CHECK(machine.memfs->make_file("/bin/ps/x", {}, spec(0644)).error() == Errno::Enotdir);
  CHECK(machine.memfs->make_file("/bin/ps", {}, spec(0644)).error() == Errno::Eexist);
  CHECK(machine.memfs->make_file("/tmp/" + std::string(256, 'n'), {}, spec(0644)).error() ==
        Errno::Enametoolong);
  CHECK(machine.memfs->make_directory("/", spec(0755)).error() == Errno::Eexist);
}

TEST_CASE("getattr reports what a long listing shows") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  Stat bin = kern_stat(ctx, "/bin").value();
  CHECK(bin.nlink == 2);
  CHECK(bin.size == 512);
  CHECK(bin.blocks == 4);  // one 2048-byte fragment
  Stat root = kern_stat(ctx, "/").value();
  CHECK(root.ino == 2);
  CHECK(root.nlink == 6);  // ".", "..", and the ".." of bin, tmp, dev and proc
  Stat tmp = kern_stat(ctx, "/tmp").value();
  CHECK((tmp.mode & 07777) == 01777);
  CHECK(tmp.atime == kBootTime);
  CHECK(tmp.birthtime == kBootTime);
  REQUIRE(machine.memfs->make_symlink("/tmp/short", "ps", spec(0755)).ok());
  CHECK(kern_lstat(ctx, "/tmp/short").value().blocks == 0);  // kept in the inode
}

TEST_CASE("an explicit storage size overrides the computed block count") {
  Machine machine;
  MemfsNodeSpec file = spec(0640);
  file.size = 118784;
  file.bytes = 118784;
  REQUIRE(machine.memfs->make_file("/tmp/mem", {}, file).ok());
  CHECK(kern_stat(machine.root_ctx(), "/tmp/mem").value().blocks == 232);
}

TEST_CASE("writes extend a file and update its times; reads update the access time") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  int fd = kern_open(ctx, machine.fdt, "/tmp/f", kORdwr | kOCreat, 0644).value();
  machine.now = {kBootTime.sec + 60, 0};
  VfsContext later = machine.root_ctx();
  REQUIRE(kern_lseek(later, machine.fdt, fd, 3, kSeekSet).ok());
  REQUIRE(kern_write(later, machine.fdt, fd, bytes_of("x")).ok());
  Stat sb = kern_fstat(later, machine.fdt, fd).value();
  CHECK(sb.size == 4);
  CHECK(sb.mtime == machine.now);
  REQUIRE(kern_lseek(later, machine.fdt, fd, 0, kSeekSet).ok());
  std::array<std::uint8_t, 8> buffer{};
  CHECK(kern_read(later, machine.fdt, fd, buffer).value() == 4);
  CHECK(buffer[0] == 0);  // the hole reads as zeros
  CHECK(buffer[3] == 'x');
}

TEST_CASE("the null and zero devices answer reads and writes as FreeBSD's do") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  REQUIRE(machine.memfs->make_device("/dev/zero", VType::VCHR, makedev(2, 12), spec(0666)).ok());
  machine.vfs.devices().attach(makedev(2, 12), machine.vfs.devices().zero_device());
  int null_fd = kern_open(ctx, machine.fdt, "/dev/null", kORdwr, 0).value();
  int zero_fd = kern_open(ctx, machine.fdt, "/dev/zero", kORdonly, 0).value();
  std::array<std::uint8_t, 16> buffer;
  buffer.fill(0xee);
  CHECK(kern_read(ctx, machine.fdt, null_fd, buffer).value() == 0);
  CHECK(kern_write(ctx, machine.fdt, null_fd, bytes_of("gone")).value() == 4);
  CHECK(kern_read(ctx, machine.fdt, zero_fd, buffer).value() == 16);
  CHECK(buffer[15] == 0);
  // O_TRUNC on a device is accepted and ignored: `> /dev/null` works.
  CHECK(kern_open(ctx, machine.fdt, "/dev/null", kOWronly | kOTrunc, 0).ok());
}

TEST_CASE("a device node without a driver cannot be opened: ENXIO") {
  Machine machine;
  REQUIRE(machine.memfs->make_device("/dev/ttyp9", VType::VCHR, makedev(5, 9), spec(0620)).ok());
  CHECK(kern_open(machine.root_ctx(), machine.fdt, "/dev/ttyp9", kORdwr, 0).error() == Errno::Enxio);
}

TEST_CASE("terminal nodes reach their driver, which hears only the last close") {
  Machine machine;
  FakeTty tty;
  machine.vfs.devices().attach(makedev(5, 0), tty);
  REQUIRE(machine.memfs->make_device("/dev/ttyp0", VType::VCHR, makedev(5, 0), spec(0620)).ok());
  VfsContext ctx = machine.root_ctx();
  int a = kern_open(ctx, machine.fdt, "/dev/ttyp0", kORdwr, 0).value();
  int b = kern_open(ctx, machine.fdt, "/dev/ttyp0", kOWronly, 0).value();
  CHECK(machine.fdt.get(a).value()->vnode()->is_tty());
  REQUIRE(kern_write(ctx, machine.fdt, b, bytes_of("hi")).ok());
  CHECK(tty.written == "0:hi");
  REQUIRE(kern_close(ctx, machine.fdt, a).ok());
  CHECK(tty.closes == 0);
  REQUIRE(kern_close(ctx, machine.fdt, b).ok());
  CHECK(tty.closes == 1);
}

TEST_CASE("statfs counts the fragments and inodes in use") {
  Machine machine;
  StatfsCounts before = machine.memfs->statfs();
  MemfsNodeSpec big = spec(0644);
  big.size = 5000;  // three 2048-byte fragments
  REQUIRE(machine.memfs->make_file("/tmp/big", {}, big).ok());
  StatfsCounts after = machine.memfs->statfs();
  CHECK(before.bfree - after.bfree == 3);
  CHECK(before.ffree - after.ffree == 1);
  CHECK(after.blocks == 262144);
  CHECK(after.bavail == static_cast<std::int64_t>(after.bfree) - 262144 * 8 / 100);
}

TEST_CASE("a removed directory's vnode goes when its last user lets go") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  REQUIRE(kern_mkdir(ctx, machine.fdt, "/tmp/cwd", 0755).ok());
  std::size_t nodes = machine.memfs->node_count();
  REQUIRE(kern_chdir(ctx, machine.fdt, "/tmp/cwd").ok());
  REQUIRE(kern_rmdir(ctx, "/tmp/cwd").ok());
  CHECK(machine.memfs->node_count() == nodes);  // still the cwd
  // Creating in a removed directory fails.
  CHECK(kern_open(machine.root_ctx(), machine.fdt, "new", kOWronly | kOCreat, 0644).error() == Errno::Enoent);
  REQUIRE(kern_chdir(ctx, machine.fdt, "/").ok());
  CHECK(machine.memfs->node_count() == nodes - 1);
}

TEST_CASE("replace_file gives a file new attributes and inode number, keeping its contents and slot") {
  Machine machine;
  REQUIRE(machine.memfs->make_file("/tmp/a", base::Bytes{1, 2, 3}, spec(0755)).ok());
  REQUIRE(machine.memfs->make_file("/tmp/b", {}, spec(0644)).ok());
  std::uint64_t old_ino = machine.memfs->find("/tmp/a").value();
  MemfsNodeSpec stamp = spec(0555);
  stamp.ino = 4554;
  stamp.uid = Uid(3);
  stamp.gid = Gid(7);
  stamp.size = 90112;
  auto replaced = machine.memfs->replace_file("/tmp/a", stamp);
  REQUIRE(replaced.ok());
  CHECK(replaced.value() == 4554);
  CHECK(machine.memfs->node(old_ino) == nullptr);  // unused: gone with its name
  CHECK(listing(machine, "/tmp") == std::vector<std::string>{".", "..", "a", "b"});
  Stat sb = kern_stat(machine.root_ctx(), "/tmp/a").value();
  CHECK(sb.ino == 4554);
  CHECK(sb.mode == (0100000 | 0555));
  CHECK(sb.uid == Uid(3));
  CHECK(sb.gid == Gid(7));
  CHECK(sb.size == 90112);
  CHECK(sb.blocks == 176);  // 44 fragments of 2048 bytes
  CHECK(machine.memfs->node(4554)->data == base::Bytes{1, 2, 3});
  // Keeping the number changes the attributes in place.
  stamp.mode = 0500;
  CHECK(machine.memfs->replace_file("/tmp/a", stamp).value() == 4554);
  CHECK(kern_stat(machine.root_ctx(), "/tmp/a").value().mode == (0100000 | 0500));
}

TEST_CASE("replace_file refuses what is not a regular file and numbers in use") {
  Machine machine;
  MemfsNodeSpec stamp = spec(0644);
  CHECK(machine.memfs->replace_file("/tmp/none", stamp).error() == Errno::Enoent);
  CHECK(machine.memfs->replace_file("/tmp", stamp).error() == Errno::Eisdir);
  CHECK(machine.memfs->replace_file("/", stamp).error() == Errno::Eisdir);
  CHECK(machine.memfs->replace_file("/dev/null", stamp).error() == Errno::Eftype);
  REQUIRE(machine.memfs->make_file("/tmp/a", {}, spec(0644)).ok());
  stamp.ino = 2;
  CHECK(machine.memfs->replace_file("/tmp/a", stamp).error() == Errno::Eexist);
  stamp.ino = 1;
  CHECK(machine.memfs->replace_file("/tmp/a", stamp).error() == Errno::Einval);
  stamp.ino.reset();
  stamp.size = std::uint64_t{1} << 40;
  CHECK(machine.memfs->replace_file("/tmp/a", stamp).error() == Errno::Efbig);
}
