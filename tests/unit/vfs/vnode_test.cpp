// Vnode use counts, the VOP defaults, the uio and what a revoked (dead) vnode answers: the
// behaviour procfs relies on when a process exits under an open descriptor
// (spec/procfs.md §8.5: read/write EIO, fstat EBADF, ioctl ENOTTY, close 0).
#include "model/vfs/vnode.h"

#include <array>
#include <string>

#include <doctest/doctest.h>

#include "tests/unit/vfs/vfs_fixture.h"

namespace {

using namespace procsim::vfs;  // NOLINT: test brevity
namespace base = procsim::base;
using procsim::vfs::testing::bytes_of;
using procsim::vfs::testing::Machine;
using procsim::vfs::testing::PseudoFs;

// A file system that supplies nothing: every operation falls back to the defaults.
class BareOps final : public VnodeOps {};

}  // namespace

TEST_CASE("a uio moves at most resid bytes and advances the offset") {
  std::array<std::uint8_t, 4> buffer{};
  Uio uio = Uio::for_read(buffer, 10);
  CHECK(uio.move_out(bytes_of("abcdef")) == 4);
  CHECK(uio.resid() == 0);
  CHECK(uio.offset() == 14);
  CHECK(std::string(buffer.begin(), buffer.end()) == "abcd");
  CHECK(uio.move_out(bytes_of("x")) == 0);

  Uio write = Uio::for_write(bytes_of("hello"), 0);
  CHECK(std::string(reinterpret_cast<const char*>(write.move_in(2).data()), 2) == "he");
  CHECK(write.transferred() == 2);
  CHECK(write.move_in(10).size() == 3);
  CHECK(write.offset() == 5);
}

TEST_CASE("limiting a uio's residue keeps what was already transferred") {
  std::array<std::uint8_t, 16> buffer{};
  Uio uio = Uio::for_read(buffer, 0);
  uio.move_out(bytes_of("abc"));
  uio.limit_resid(5);
  CHECK(uio.transferred() == 3);
  CHECK(uio.resid() == 5);
}

TEST_CASE("the vnode operation defaults answer as FreeBSD's default_vnodeops") {
  BareOps ops;  // outlives the machine, whose mount keeps the vnode until teardown
  Machine machine;
  Vnode& vp = machine.vfs.root_vnode().mount().allocate_vnode(VType::VREG, ops, 0);
  VnodeRef ref = VnodeRef::acquire(vp);
  VfsContext ctx = machine.root_ctx();
  std::array<std::uint8_t, 8> buffer{};
  Uio uio = Uio::for_read(buffer, 0);
  ComponentName cnp{NameiOp::Lookup, "x", true, false, false};
  CHECK(vop_lookup(vp, cnp, ctx).error() == Errno::Enotdir);
  CHECK(vop_open(vp, 1, ctx).ok());
  CHECK(vop_close(vp, 1, ctx).ok());
  CHECK(vop_read(vp, uio, 0, ctx).error() == Errno::Eopnotsupp);
  CHECK(vop_getattr(vp, ctx).error() == Errno::Eopnotsupp);
  CHECK(vop_setattr(vp, SetattrRequest{}, ctx).error() == Errno::Eopnotsupp);
  CHECK(vop_ioctl(vp, 1, {}, 0, ctx).error() == Errno::Enotty);
  CHECK(vop_readlink(vp, uio, ctx).error() == Errno::Einval);
  CHECK(vop_readdir(vp, uio, ctx).error() == Errno::Eopnotsupp);
  // The default access check asks getattr, which this file system does not answer.
  CHECK(vop_access(vp, VREAD, ctx).error() == Errno::Eopnotsupp);
}

TEST_CASE("use references are counted and the last one lets the file system recycle the vnode") {
  Machine machine;
  PseudoFs& fs = machine.mount_pseudo();
  Vnode& mem = fs.vnode(PseudoFs::Mem);
  CHECK(mem.usecount() == 0);
  {
    VnodeRef first = VnodeRef::acquire(mem);
    VnodeRef second = first.share();
    CHECK(mem.usecount() == 2);
    second.reset();
    CHECK(mem.usecount() == 1);
  }
  // PseudoFs keeps its vnodes (the default inactive answer): still allocated, no references.
  CHECK(mem.usecount() == 0);
  CHECK(fs.reclaimed.empty());
}

TEST_CASE("a revoked vnode answers as deadfs while descriptors still hold it") {
  Machine machine;
  PseudoFs& fs = machine.mount_pseudo();
  VfsContext ctx = machine.root_ctx();
  int fd = kern_open(ctx, machine.fdt, "/proc/mem", kORdwr, 0).value();
  Vnode* vp = machine.fdt.get(fd).value()->vnode();
  CHECK(machine.read_all(ctx, fd) == "pid 7\n");

  vgone(*vp);
  CHECK(vp->is_dead());
  CHECK(vp->type() == VType::VBAD);
  CHECK(vp->usecount() == 1);
  CHECK(fs.reclaimed == std::vector<std::uint64_t>{PseudoFs::Mem});

  std::array<std::uint8_t, 8> buffer{};
  CHECK(kern_read(ctx, machine.fdt, fd, buffer).error() == Errno::Eio);
  CHECK(kern_write(ctx, machine.fdt, fd, bytes_of("x")).error() == Errno::Eio);
  CHECK(kern_fstat(ctx, machine.fdt, fd).error() == Errno::Ebadf);
  std::array<std::uint8_t, 4> arg{};
  CHECK(kern_ioctl(ctx, machine.fdt, fd, 0x20047001, arg).error() == Errno::Enotty);
  CHECK(kern_getdirentries(ctx, machine.fdt, fd, buffer).error() == Errno::Einval);
  std::size_t closes_before = fs.close_usecounts.size();
  CHECK(kern_close(ctx, machine.fdt, fd).ok());
  // No file system close runs for a dead vnode.
  CHECK(fs.close_usecounts.size() == closes_before);
  // A new lookup gets a fresh, live vnode.
  int again = kern_open(ctx, machine.fdt, "/proc/mem", kORdonly, 0).value();
  CHECK_FALSE(machine.fdt.get(again).value()->vnode()->is_dead());
}

TEST_CASE("the rest of deadfs: lookup ENOTDIR, open ENXIO, getattr and access EBADF") {
  Machine machine;
  PseudoFs& fs = machine.mount_pseudo();
  VfsContext ctx = machine.root_ctx();
  VnodeRef held = VnodeRef::acquire(fs.vnode(PseudoFs::Status));
  vgone(*held);
  ComponentName cnp{NameiOp::Lookup, "x", true, false, false};
  CHECK(vop_lookup(*held, cnp, ctx).error() == Errno::Enotdir);
  CHECK(vop_open(*held, 1, ctx).error() == Errno::Enxio);
  CHECK(vop_getattr(*held, ctx).error() == Errno::Ebadf);
  CHECK(vop_access(*held, VREAD, ctx).error() == Errno::Ebadf);
  CHECK(vop_setattr(*held, SetattrRequest{}, ctx).error() == Errno::Ebadf);
  CHECK(vop_close(*held, 1, ctx).ok());
  vgone(*held);  // revoking twice changes nothing
  CHECK(held->is_dead());
}

TEST_CASE("a revoked terminal reads as end of file instead of EIO") {
  Machine machine;
  PseudoFs& fs = machine.mount_pseudo();
  VnodeRef tty = VnodeRef::acquire(fs.vnode(PseudoFs::Status));
  tty->set_tty(true);
  vgone(*tty);
  std::array<std::uint8_t, 8> buffer{};
  Uio uio = Uio::for_read(buffer, 0);
  CHECK(vop_read(*tty, uio, 0, machine.root_ctx()).ok());
  CHECK(uio.transferred() == 0);
}

TEST_CASE("a revoked vnode nobody holds is freed at once") {
  Machine machine;
  PseudoFs& fs = machine.mount_pseudo();
  Mount& mount = fs.vnode(PseudoFs::Root).mount();
  fs.vnode(PseudoFs::Status);
  std::size_t before = mount.vnode_count();
  vgone(fs.vnode(PseudoFs::Status));
  CHECK(mount.vnode_count() == before - 1);
}

TEST_CASE("the vnode type table gives each type its stat mode bits and dirent type") {
  CHECK(vtype_row(VType::VDIR).mode_type == 0040000);
  CHECK(vtype_row(VType::VLNK).dirent_type == DirentType::Lnk);
  CHECK(vtype_row(VType::VCHR).name == "VCHR");
  CHECK(vtype_row(VType::VBAD).mode_type == 0);
  for (std::size_t i = 0; i < kVTypeTable.size(); ++i)
    CHECK(static_cast<std::size_t>(kVTypeTable[i].type) == i);
  CHECK(makedev(2, 12) == 0x20c);
  CHECK(dev_major(makedev(5, 0x10003)) == 5);
  CHECK(dev_minor(makedev(5, 0x10003)) == 0x10003);
}
