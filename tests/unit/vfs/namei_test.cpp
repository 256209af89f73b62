// Path lookup: the errors a shell and procfs see (ENOENT, ENOTDIR, EACCES, ELOOP,
// ENAMETOOLONG, EISDIR), "..", mount crossing, symbolic links and the lookup intents passed to
// file systems.
#include "model/vfs/namei.h"

#include <string>

#include <doctest/doctest.h>

#include "tests/unit/vfs/vfs_fixture.h"

namespace {

using namespace procsim::vfs;  // NOLINT: test brevity
namespace base = procsim::base;
using procsim::vfs::testing::kBootTime;
using procsim::vfs::testing::Machine;
using procsim::vfs::testing::PseudoFs;

KResult<NameiResult> lookup(const VfsContext& ctx, std::string_view path, bool follow = true) {
  NameiRequest request;
  request.path = path;
  request.follow = follow;
  return namei(ctx, request);
}

Errno lookup_error(const VfsContext& ctx, std::string_view path, bool follow = true) {
  auto result = lookup(ctx, path, follow);
  REQUIRE(result.is_error());
  return result.error();
}

std::uint64_t ino_of(const Vnode& vp) { return vp.fs_data(); }

MemfsNodeSpec spec(std::uint32_t mode) {
  MemfsNodeSpec result;
  result.at(kBootTime);
  result.mode = mode;
  return result;
}

}  // namespace

TEST_CASE("absolute and relative paths resolve to the same vnode") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  auto absolute = lookup(ctx, "/bin/ps");
  REQUIRE(absolute.ok());
  CHECK(ino_of(*absolute.value().vp) == 1554);
  auto relative = lookup(ctx, "bin//ps");
  REQUIRE(relative.ok());
  CHECK(relative.value().vp.get() == absolute.value().vp.get());
  CHECK(lookup(ctx, "./bin/../bin/./ps").value().vp.get() == absolute.value().vp.get());
}

TEST_CASE("a result holds a use reference until it is dropped") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  Vnode* vp = nullptr;
  {
    auto result = lookup(ctx, "/bin/ps");
    vp = result.value().vp.get();
    CHECK(vp->usecount() == 1);
  }
  CHECK(vp->usecount() == 0);
}

TEST_CASE("the empty path is ENOENT and a missing component is ENOENT") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  CHECK(lookup_error(ctx, "") == Errno::Enoent);
  CHECK(lookup_error(ctx, "/nonexistent") == Errno::Enoent);
  CHECK(lookup_error(ctx, "/bin/nonexistent/x") == Errno::Enoent);
}

TEST_CASE("a regular file used as a directory is ENOTDIR, with or without a trailing slash") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  CHECK(lookup_error(ctx, "/bin/ps/x") == Errno::Enotdir);
  CHECK(lookup_error(ctx, "/bin/ps/") == Errno::Enotdir);
  CHECK(lookup(ctx, "/bin/").ok());
}

TEST_CASE("a directory without search permission is EACCES for others but not for root") {
  Machine machine;
  REQUIRE(machine.memfs->make_directory("/secret", spec(0700)).ok());
  REQUIRE(machine.memfs->make_file("/secret/key", {}, spec(0644)).ok());
  CHECK(lookup_error(machine.user_ctx(), "/secret/key") == Errno::Eacces);
  CHECK(lookup(machine.root_ctx(), "/secret/key").ok());
  // Naming the directory itself needs no search permission in it.
  CHECK(lookup(machine.user_ctx(), "/secret").ok());
}

TEST_CASE("a component of 256 bytes or a path of 1024 bytes is ENAMETOOLONG") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  CHECK(lookup_error(ctx, "/" + std::string(256, 'a')) == Errno::Enametoolong);
  // NAME_MAX itself is fine: the name is merely missing.
  CHECK(lookup_error(ctx, "/" + std::string(255, 'a')) == Errno::Enoent);
  std::string long_path;
  while (long_path.size() < 1024) long_path += "/.";
  long_path.resize(1024);
  CHECK(lookup_error(ctx, long_path) == Errno::Enametoolong);
  long_path.resize(1023);  // PATH_MAX counts the NUL: 1023 bytes still resolve
  CHECK(lookup(ctx, long_path).ok());
}

TEST_CASE("symbolic links are followed in the middle and, when asked, at the end") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  REQUIRE(machine.memfs->make_symlink("/usr", "/bin", spec(0755)).ok());
  REQUIRE(machine.memfs->make_symlink("/bin/pslink", "ps", spec(0755)).ok());
  CHECK(ino_of(*lookup(ctx, "/usr/ps").value().vp) == 1554);
  CHECK(ino_of(*lookup(ctx, "/bin/pslink").value().vp) == 1554);
  auto no_follow = lookup(ctx, "/bin/pslink", false);
  CHECK(no_follow.value().vp->type() == VType::VLNK);
  // A trailing slash forces the link to be followed, and then needs a directory.
  CHECK(lookup(ctx, "/usr/", false).value().vp->type() == VType::VDIR);
  CHECK(lookup_error(ctx, "/bin/pslink/", false) == Errno::Enotdir);
}

TEST_CASE("a relative link resolves from the directory holding it, .. included") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  REQUIRE(machine.memfs->make_symlink("/tmp/up", "../bin", spec(0755)).ok());
  CHECK(ino_of(*lookup(ctx, "/tmp/up/ps").value().vp) == 1554);
}

TEST_CASE("32 links in a row resolve and the 33rd is ELOOP; a loop is ELOOP") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  REQUIRE(machine.memfs->make_symlink("/tmp/l0", "/bin/ps", spec(0755)).ok());
  for (int i = 1; i <= 32; ++i) {
    std::string name = "/tmp/l" + std::to_string(i);
    REQUIRE(machine.memfs->make_symlink(name, "l" + std::to_string(i - 1), spec(0755)).ok());
  }
  CHECK(ino_of(*lookup(ctx, "/tmp/l31").value().vp) == 1554);  // 32 links
  CHECK(lookup_error(ctx, "/tmp/l32") == Errno::Eloop);        // 33 links
  REQUIRE(machine.memfs->make_symlink("/tmp/a", "b", spec(0755)).ok());
  REQUIRE(machine.memfs->make_symlink("/tmp/b", "a", spec(0755)).ok());
  CHECK(lookup_error(ctx, "/tmp/a") == Errno::Eloop);
  // Not following the last component never reads the loop.
  CHECK(lookup(ctx, "/tmp/a", false).ok());
}

TEST_CASE("a link whose expansion reaches PATH_MAX is ENAMETOOLONG") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  std::string target = "/" + std::string(250, 'x');
  for (int i = 0; i < 3; ++i) target += "/" + std::string(250, 'x');  // 1004 bytes
  REQUIRE(machine.memfs->make_symlink("/tmp/long", target, spec(0755)).ok());
  // 1004 + "/" + 18 more bytes + the NUL reach 1024.
  CHECK(lookup_error(ctx, "/tmp/long/" + std::string(18, 'y')) == Errno::Enametoolong);
  CHECK(lookup_error(ctx, "/tmp/long/" + std::string(17, 'y')) == Errno::Enoent);
}

TEST_CASE(".. stops at the root and at the process root") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  Vnode& root = machine.vfs.root_vnode();
  CHECK(lookup(ctx, "/..").value().vp.get() == &root);
  CHECK(lookup(ctx, "/../../bin/ps").ok());
  // A chrooted process cannot climb out of /bin.
  VnodeRef bin = std::move(lookup(ctx, "/bin").value().vp);
  VfsContext jailed{machine.root_cred, bin.get(), bin.get(), 400, machine.era, machine.now};
  CHECK(lookup(jailed, "/..").value().vp.get() == bin.get());
  CHECK(ino_of(*lookup(jailed, "../../ps").value().vp) == 1554);
}

TEST_CASE(".. from the root of a mounted file system goes to the parent of the covered directory") {
  Machine machine;
  PseudoFs& fs = machine.mount_pseudo();
  VfsContext ctx = machine.root_ctx();
  Vnode* proc_root = lookup(ctx, "/proc").value().vp.get();
  CHECK(proc_root == &fs.vnode(PseudoFs::Root));
  CHECK(proc_root->is_root());
  CHECK(lookup(ctx, "/proc/..").value().vp.get() == &machine.vfs.root_vnode());
  CHECK(ino_of(*lookup(ctx, "/proc/../bin/ps").value().vp) == 1554);
  // With the cwd inside the mount, ".." leaves it too.
  VfsContext inside{machine.root_cred, ctx.root, proc_root, 400, machine.era, machine.now};
  CHECK(ino_of(*lookup(inside, "../bin/ps").value().vp) == 1554);
  CHECK(lookup(inside, "mem").value().vp.get() == &fs.vnode(PseudoFs::Mem));
}

TEST_CASE("create lookups of a missing name return the parent; trailing slashes need a directory") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  NameiRequest request;
  request.path = "/tmp/newfile";
  request.op = NameiOp::Create;
  request.want_parent = true;
  auto result = namei(ctx, request);
  REQUIRE(result.ok());
  CHECK_FALSE(result.value().vp);
  CHECK(result.value().last_name == "newfile");
  CHECK(result.value().dvp.get() == lookup(ctx, "/tmp").value().vp.get());
  request.path = "/tmp/newdir/";
  CHECK(namei(ctx, request).error() == Errno::Enoent);
  request.will_be_dir = true;
  CHECK(namei(ctx, request).ok());
}

TEST_CASE("changing the name of / is EISDIR") {
  Machine machine;
  NameiRequest request;
  request.path = "/";
  request.op = NameiOp::Delete;
  CHECK(namei(machine.root_ctx(), request).error() == Errno::Eisdir);
  request.op = NameiOp::Lookup;
  CHECK(namei(machine.root_ctx(), request).ok());
}

TEST_CASE("the file system decides what a DELETE lookup in it answers") {
  Machine machine;
  machine.mount_pseudo();
  NameiRequest request;
  request.path = "/proc/mem";
  request.op = NameiOp::Delete;
  CHECK(namei(machine.root_ctx(), request).error() == Errno::Eopnotsupp);
  request.op = NameiOp::Rename;
  CHECK(namei(machine.root_ctx(), request).error() == Errno::Eopnotsupp);
  // Only the last component carries the intent.
  request.path = "/proc/./mem";
  request.op = NameiOp::Lookup;
  CHECK(namei(machine.root_ctx(), request).ok());
}

TEST_CASE("creating in a directory without write permission is EACCES") {
  Machine machine;
  NameiRequest request;
  request.path = "/bin/newfile";
  request.op = NameiOp::Create;
  request.want_parent = true;
  CHECK(namei(machine.user_ctx(), request).error() == Errno::Eacces);
  CHECK(namei(machine.root_ctx(), request).ok());
}
