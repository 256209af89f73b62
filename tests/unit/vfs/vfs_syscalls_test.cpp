// The file system call cores: open flag semantics (O_CREAT, O_EXCL, O_TRUNC and its era-
// dependent place, EISDIR, O_DIRECTORY, O_NOFOLLOW), read/write/lseek on a shared offset,
// getdirentries records and offsets, stat and its struct layouts, ioctl, access, chdir,
// readlink and the name-changing calls.
#include "model/vfs/vfs_syscalls.h"

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
using procsim::vfs::testing::PseudoFs;

MemfsNodeSpec spec(std::uint32_t mode) {
  MemfsNodeSpec result;
  result.at(kBootTime);
  result.mode = mode;
  return result;
}

Errno open_error(Machine& machine, const VfsContext& ctx, std::string_view path, OpenFlags flags) {
  auto result = kern_open(ctx, machine.fdt, path, flags, 0666);
  REQUIRE(result.is_error());
  return result.error();
}

}  // namespace

TEST_CASE("O_CREAT makes a file owned by its creator, in the directory's group, with the umask applied") {
  Machine machine;
  VfsContext ctx = machine.user_ctx();
  int fd = kern_open(ctx, machine.fdt, "/tmp/out", kOWronly | kOCreat | kOTrunc, 0666).value();
  CHECK(kern_write(ctx, machine.fdt, fd, bytes_of("hello\n")).value() == 6);
  Stat sb = kern_stat(ctx, "/tmp/out").value();
  CHECK(sb.mode == (0100000 | 0644));
  CHECK(sb.uid == Uid(1001));
  CHECK(sb.gid == Gid(0));
  CHECK(sb.size == 6);
  CHECK(sb.nlink == 1);
  CHECK(sb.mtime == machine.now);
  CHECK(sb.dev == 0x5a00);
}

TEST_CASE("O_EXCL on an existing name is EEXIST, even through a symbolic link") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  CHECK(open_error(machine, ctx, "/bin/ps", kOWronly | kOCreat | kOExcl) == Errno::Eexist);
  REQUIRE(machine.memfs->make_symlink("/tmp/dangling", "/tmp/nothing", spec(0755)).ok());
  CHECK(open_error(machine, ctx, "/tmp/dangling", kOWronly | kOCreat | kOExcl) == Errno::Eexist);
  // Without O_EXCL the link is followed and its target created.
  CHECK(kern_open(ctx, machine.fdt, "/tmp/dangling", kOWronly | kOCreat, 0644).ok());
  CHECK(kern_stat(ctx, "/tmp/nothing").ok());
}

TEST_CASE("a file the open created is not checked against its own mode") {
  Machine machine;
  VfsContext ctx = machine.user_ctx();
  CHECK(kern_open(ctx, machine.fdt, "/tmp/locked", kORdwr | kOCreat, 0).ok());
  CHECK(open_error(machine, ctx, "/tmp/locked", kORdwr) == Errno::Eacces);
}

TEST_CASE("O_TRUNC empties an existing file") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  REQUIRE(machine.memfs->make_file("/tmp/data", base::Bytes{'a', 'b', 'c'}, spec(0644)).ok());
  REQUIRE(kern_open(ctx, machine.fdt, "/tmp/data", kOWronly | kOTrunc, 0).ok());
  CHECK(kern_stat(ctx, "/tmp/data").value().size == 0);
}

TEST_CASE("in 8.x a refused truncation closes the freshly opened file again") {
  Machine machine(Era::FreeBSD8);
  PseudoFs& fs = machine.mount_pseudo();
  CHECK(open_error(machine, machine.root_ctx(), "/proc/mem", kOWronly | kOTrunc) == Errno::Eopnotsupp);
  CHECK(fs.opens == std::vector<std::uint64_t>{PseudoFs::Mem});
  CHECK(fs.close_usecounts == std::vector<std::uint32_t>{1});  // the last close, as mem's hook sees it
  CHECK(machine.fdt.open_fds().empty());
  CHECK(machine.vfs.files().open_count() == 0);
}

TEST_CASE("in 4.x the truncation comes before the file system sees the open") {
  Machine machine(Era::FreeBSD4);
  PseudoFs& fs = machine.mount_pseudo();
  CHECK(open_error(machine, machine.root_ctx(), "/proc/mem", kOWronly | kOTrunc) == Errno::Eopnotsupp);
  CHECK(fs.opens.empty());
  CHECK(fs.close_usecounts.empty());
  CHECK(machine.fdt.open_fds().empty());
}

TEST_CASE("O_EXLOCK asks the file system for a lock; a refusal closes the file again") {
  Machine machine;
  PseudoFs& fs = machine.mount_pseudo();
  VfsContext ctx = machine.root_ctx();
  CHECK(open_error(machine, ctx, "/proc/status", kORdonly | kOExlock) == Errno::Eopnotsupp);
  CHECK(fs.opens == std::vector<std::uint64_t>{PseudoFs::Status});
  CHECK(fs.close_usecounts.size() == 1);
  int fd = kern_open(ctx, machine.fdt, "/bin/ps", kORdonly | kOShlock, 0).value();
  CHECK(machine.fdt.get(fd).value()->flags() == (kFRead | kFHaslock));
}

TEST_CASE("a vnode can be read without a descriptor") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  NameiRequest request;
  request.path = "/bin/ps";
  NameiResult nd = namei(ctx, request).value();
  std::array<std::uint8_t, 8> buffer{};
  CHECK(vn_read_at(ctx, *nd.vp, 1, buffer).value() == 8);  // "ELF", then the zeros of the sparse tail
  CHECK(buffer[0] == 'E');
  CHECK(buffer[3] == 0);
}

TEST_CASE("writing or truncating a directory is EISDIR; reading one is allowed") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  CHECK(open_error(machine, ctx, "/tmp", kOWronly) == Errno::Eisdir);
  CHECK(open_error(machine, ctx, "/tmp", kORdwr) == Errno::Eisdir);
  CHECK(open_error(machine, ctx, "/tmp", kORdonly | kOTrunc) == Errno::Eisdir);
  CHECK(open_error(machine, ctx, "/tmp", kOWronly | kOCreat) == Errno::Eisdir);
  CHECK(kern_open(ctx, machine.fdt, "/tmp", kORdonly, 0).ok());
}

TEST_CASE("O_DIRECTORY refuses a non-directory in 8.x; O_NOFOLLOW refuses a link with EMLINK") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  CHECK(open_error(machine, ctx, "/bin/ps", kORdonly | kODirectory) == Errno::Enotdir);
  CHECK(kern_open(ctx, machine.fdt, "/tmp", kORdonly | kODirectory, 0).ok());
  REQUIRE(machine.memfs->make_symlink("/tmp/link", "/bin/ps", spec(0755)).ok());
  CHECK(open_error(machine, ctx, "/tmp/link", kORdonly | kONofollow) == Errno::Emlink);
  CHECK(kern_open(ctx, machine.fdt, "/tmp/link", kORdonly, 0).ok());
}

TEST_CASE("the access mode O_ACCMODE is EINVAL; permissions are checked for existing files") {
  Machine machine;
  CHECK(open_error(machine, machine.root_ctx(), "/bin/ps", kOAccmode) == Errno::Einval);
  CHECK(open_error(machine, machine.user_ctx(), "/bin/ps", kOWronly) == Errno::Eacces);
  CHECK(kern_open(machine.user_ctx(), machine.fdt, "/bin/ps", kORdonly, 0).ok());
  CHECK(kern_open(machine.root_ctx(), machine.fdt, "/bin/ps", kOWronly, 0).ok());
}

TEST_CASE("reads need FREAD and writes need FWRITE") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  int reader = kern_open(ctx, machine.fdt, "/bin/ps", kORdonly, 0).value();
  int writer = kern_open(ctx, machine.fdt, "/dev/null", kOWronly, 0).value();
  std::array<std::uint8_t, 4> buffer{};
  CHECK(kern_write(ctx, machine.fdt, reader, bytes_of("x")).error() == Errno::Ebadf);
  CHECK(kern_read(ctx, machine.fdt, writer, buffer).error() == Errno::Ebadf);
  CHECK(kern_write(ctx, machine.fdt, writer, bytes_of("swallowed")).value() == 9);
}

TEST_CASE("the offset is shared, lseek moves it, O_APPEND writes at the end regardless") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  int fd = kern_open(ctx, machine.fdt, "/tmp/log", kORdwr | kOCreat | kOAppend, 0644).value();
  REQUIRE(kern_write(ctx, machine.fdt, fd, bytes_of("one\n")).ok());
  CHECK(kern_lseek(ctx, machine.fdt, fd, 0, kSeekSet).value() == 0);
  REQUIRE(kern_write(ctx, machine.fdt, fd, bytes_of("two\n")).ok());
  CHECK(kern_lseek(ctx, machine.fdt, fd, 0, kSeekCur).value() == 8);
  CHECK(kern_lseek(ctx, machine.fdt, fd, -4, kSeekEnd).value() == 4);
  std::array<std::uint8_t, 16> buffer{};
  CHECK(kern_read(ctx, machine.fdt, fd, buffer).value() == 4);
  CHECK(std::string(buffer.begin(), buffer.begin() + 4) == "two\n");
  CHECK(kern_read(ctx, machine.fdt, fd, buffer).value() == 0);
  CHECK(kern_lseek(ctx, machine.fdt, fd, -9, kSeekEnd).error() == Errno::Einval);
  CHECK(kern_lseek(ctx, machine.fdt, fd, 0, 3).error() == Errno::Einval);
  CHECK(kern_lseek(ctx, machine.fdt, fd, 0, kSeekCur).value() == 8);  // failures leave it alone
}

TEST_CASE("character devices may seek to negative offsets") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  int fd = kern_open(ctx, machine.fdt, "/dev/null", kORdonly, 0).value();
  CHECK(kern_lseek(ctx, machine.fdt, fd, -5, kSeekSet).value() == -5);
}

TEST_CASE("a file listed larger than its contents reads zeros up to its size") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  int fd = kern_open(ctx, machine.fdt, "/bin/ps", kORdonly, 0).value();
  CHECK(kern_lseek(ctx, machine.fdt, fd, 90110, kSeekSet).ok());
  std::array<std::uint8_t, 8> buffer{0xff, 0xff, 0xff};
  CHECK(kern_read(ctx, machine.fdt, fd, buffer).value() == 2);
  CHECK(buffer[0] == 0);
  CHECK(buffer[1] == 0);
}

TEST_CASE("getdirentries returns UFS-style records: . and .. first, then creation order") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  REQUIRE(machine.memfs->make_file("/tmp/a", {}, spec(0644)).ok());
  REQUIRE(machine.memfs->make_file("/tmp/hello.txt", {}, spec(0644)).ok());
  std::uint64_t tmp_ino = machine.memfs->find("/tmp").value();
  int fd = kern_open(ctx, machine.fdt, "/tmp", kORdonly, 0).value();
  std::vector<std::uint8_t> buffer(4096);
  DirentriesResult first = kern_getdirentries(ctx, machine.fdt, fd, buffer).value();
  CHECK(first.basep == 0);
  REQUIRE(first.bytes == 512);
  auto records = decode_dirents(base::ByteSpan(buffer).first(first.bytes)).value();
  REQUIRE(records.size() == 4);
  CHECK(records[0] == Dirent{static_cast<std::uint32_t>(tmp_ino), 12, DirentType::Dir, "."});
  CHECK(records[1] == Dirent{2, 12, DirentType::Dir, ".."});
  CHECK(records[2].name == "a");
  CHECK(records[2].reclen == 12);
  CHECK(records[2].type == DirentType::Reg);
  // The last record of the block absorbs its rest: 512 - 36.
  CHECK(records[3].name == "hello.txt");
  CHECK(records[3].reclen == 476);
  // The raw bytes of the first record: d_fileno, d_reclen 12, DT_DIR, d_namlen 1, ".\0\0\0".
  CHECK(buffer[4] == 12);
  CHECK(buffer[6] == 4);
  CHECK(buffer[7] == 1);
  CHECK(buffer[8] == '.');
  CHECK(buffer[9] == 0);
  DirentriesResult second = kern_getdirentries(ctx, machine.fdt, fd, buffer).value();
  CHECK(second.basep == 512);
  CHECK(second.bytes == 0);
}

TEST_CASE("getdirentries needs room for a whole directory block and a directory") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  int dir = kern_open(ctx, machine.fdt, "/tmp", kORdonly, 0).value();
  std::vector<std::uint8_t> small(100);
  CHECK(kern_getdirentries(ctx, machine.fdt, dir, small).error() == Errno::Einval);
  std::vector<std::uint8_t> odd(600);
  CHECK(kern_getdirentries(ctx, machine.fdt, dir, odd).value().bytes == 512);
  int file = kern_open(ctx, machine.fdt, "/bin/ps", kORdonly, 0).value();
  CHECK(kern_getdirentries(ctx, machine.fdt, file, odd).error() == Errno::Einval);
}

TEST_CASE("a directory spills into a second block when its records no longer fit") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  // 30 names of 12 bytes (16-byte records) after "." and "..": 24 + 30 * 16 = 504 bytes fit;
  // the 31st does not.
  for (int i = 0; i < 31; ++i) {
    std::string name = "/tmp/file" + std::string(i < 10 ? "00" : "0") + std::to_string(i);
    REQUIRE(machine.memfs->make_file(name, {}, spec(0644)).ok());
  }
  CHECK(kern_stat(ctx, "/tmp").value().size == 1024);
  int fd = kern_open(ctx, machine.fdt, "/tmp", kORdonly, 0).value();
  std::vector<std::uint8_t> buffer(512);
  DirentriesResult first = kern_getdirentries(ctx, machine.fdt, fd, buffer).value();
  auto records = decode_dirents(base::ByteSpan(buffer).first(first.bytes)).value();
  CHECK(records.size() == 32);
  CHECK(records.back().reclen == 16 + 8);
  DirentriesResult second = kern_getdirentries(ctx, machine.fdt, fd, buffer).value();
  CHECK(second.basep == 512);
  auto rest = decode_dirents(base::ByteSpan(buffer).first(second.bytes)).value();
  REQUIRE(rest.size() == 1);
  CHECK(rest[0].name == "file030");
  CHECK(rest[0].reclen == 512);
}

TEST_CASE("stat reports a listing's attributes and st_blocks from the storage used") {
  Machine machine;
  Stat sb = kern_stat(machine.root_ctx(), "/bin/ps").value();
  CHECK(sb.ino == 1554);
  CHECK(sb.mode == (0100000 | 0555));
  CHECK(sb.uid == Uid(3));
  CHECK(sb.gid == Gid(7));
  CHECK(sb.size == 90112);
  CHECK(sb.blocks == 176);
  CHECK(sb.blksize == 16384);
  CHECK(sb.mtime == kBootTime);
  Stat null_sb = kern_stat(machine.root_ctx(), "/dev/null").value();
  CHECK(null_sb.mode == (0020000 | 0666));
  CHECK(null_sb.rdev == makedev(2, 2));
}

TEST_CASE("lstat describes the link, stat its target") {
  Machine machine;
  REQUIRE(machine.memfs->make_symlink("/tmp/l", "/bin/ps", spec(0755)).ok());
  Stat link = kern_lstat(machine.root_ctx(), "/tmp/l").value();
  CHECK((link.mode & 0170000) == 0120000);
  CHECK(link.size == 7);
  CHECK(kern_stat(machine.root_ctx(), "/tmp/l").value().ino == 1554);
}

TEST_CASE("st_blksize is at least a page in 8.x and the file system's own before") {
  Vattr vap;
  vap.type = VType::VCHR;
  vap.blocksize = 512;
  Ucred cred = make_ucred(kRootUid, std::vector<Gid>{Gid(0)}, group_rules(Era::FreeBSD8));
  CHECK(vattr_to_stat(vap, Era::FreeBSD8, cred).value().blksize == 4096);
  CHECK(vattr_to_stat(vap, Era::FreeBSD4, cred).value().blksize == 512);
  vap.type = VType::VBAD;
  CHECK(vattr_to_stat(vap, Era::FreeBSD8, cred).error() == Errno::Ebadf);
}

TEST_CASE("struct stat is 96 bytes on i386 and 120 on LP64, fields at FreeBSD's offsets") {
  Stat sb;
  sb.dev = 0x11223344;
  sb.ino = 1554;
  sb.mode = 0100555;
  sb.nlink = 1;
  sb.uid = Uid(3);
  sb.gid = Gid(7);
  sb.atime = {0x1000, 5};
  sb.size = 90112;
  sb.blocks = 176;
  sb.blksize = 16384;
  sb.birthtime = {0x2000, 0};
  base::Bytes on_i386 = encode_stat(sb, StatAbi::I386);
  base::Bytes lp64 = encode_stat(sb, StatAbi::Lp64);
  REQUIRE(on_i386.size() == 96);
  REQUIRE(lp64.size() == 120);
  CHECK(stat_size(StatAbi::I386) == 96);
  for (const base::Bytes* bytes : {&on_i386, &lp64}) {
    CHECK(base::load_le<std::uint32_t>(*bytes, 0) == 0x11223344);
    CHECK(base::load_le<std::uint32_t>(*bytes, 4) == 1554);
    CHECK(base::load_le<std::uint16_t>(*bytes, 8) == 0100555);
    CHECK(base::load_le<std::uint32_t>(*bytes, 12) == 3);
    CHECK(base::load_le<std::uint32_t>(*bytes, 24) == 0x1000);
  }
  CHECK(base::load_le<std::int32_t>(on_i386, 28) == 5);  // atime's tv_nsec
  CHECK(base::load_le<std::int64_t>(on_i386, 48) == 90112);
  CHECK(base::load_le<std::int64_t>(on_i386, 56) == 176);
  CHECK(base::load_le<std::uint32_t>(on_i386, 64) == 16384);
  CHECK(base::load_le<std::int32_t>(on_i386, 80) == 0x2000);
  CHECK(base::load_le<std::int64_t>(lp64, 32) == 5);
  CHECK(base::load_le<std::int64_t>(lp64, 72) == 90112);
  CHECK(base::load_le<std::int64_t>(lp64, 80) == 176);
  CHECK(base::load_le<std::uint32_t>(lp64, 88) == 16384);
  CHECK(base::load_le<std::int64_t>(lp64, 104) == 0x2000);
}

TEST_CASE("ioctl: FIONREAD on a file, FIOCLEX on the descriptor, ENOTTY for the rest") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  int fd = kern_open(ctx, machine.fdt, "/bin/ps", kORdonly, 0).value();
  REQUIRE(kern_lseek(ctx, machine.fdt, fd, 100, kSeekSet).ok());
  std::array<std::uint8_t, 4> arg{};
  REQUIRE(kern_ioctl(ctx, machine.fdt, fd, kFionread, arg).ok());
  CHECK(base::load_le<std::int32_t>(arg, 0) == 90012);
  REQUIRE(kern_ioctl(ctx, machine.fdt, fd, kFioclex, arg).ok());
  CHECK(machine.fdt.close_on_exec(fd).value());
  base::store_le<std::int32_t>(arg, 0, 1);
  REQUIRE(kern_ioctl(ctx, machine.fdt, fd, kFionbio, arg).ok());
  CHECK((machine.fdt.get(fd).value()->flags() & kFNonblock) != 0);
  CHECK(kern_ioctl(ctx, machine.fdt, fd, 0x40047007, arg).error() == Errno::Enotty);
  CHECK(kern_ioctl(ctx, machine.fdt, 9, kFionread, arg).error() == Errno::Ebadf);
}

TEST_CASE("access(2) checks with the real ids, lookup included") {
  Machine machine;
  REQUIRE(machine.memfs->make_directory("/secret", spec(0700)).ok());
  CHECK(kern_access(machine.user_ctx(), "/bin/ps", kROk | kXOk).ok());
  CHECK(kern_access(machine.user_ctx(), "/bin/ps", kWOk).error() == Errno::Eacces);
  CHECK(kern_access(machine.user_ctx(), "/nonexistent", kFOk).error() == Errno::Enoent);
  // A set-user-id root process run by uid 1001: effective root, real user.
  Ucred setuid = machine.user_cred;
  setuid.uid = kRootUid;
  VfsContext ctx = machine.ctx(setuid);
  CHECK(kern_access(ctx, "/secret", kROk).error() == Errno::Eacces);
  CHECK(kern_open(ctx, machine.fdt, "/secret", kORdonly, 0).ok());
}

TEST_CASE("chdir needs a searchable directory and changes where relative paths start") {
  Machine machine;
  REQUIRE(machine.memfs->make_directory("/secret", spec(0700)).ok());
  CHECK(kern_chdir(machine.user_ctx(), machine.fdt, "/bin/ps").error() == Errno::Enotdir);
  CHECK(kern_chdir(machine.user_ctx(), machine.fdt, "/secret").error() == Errno::Eacces);
  REQUIRE(kern_chdir(machine.user_ctx(), machine.fdt, "/bin").ok());
  CHECK(kern_stat(machine.user_ctx(), "ps").value().ino == 1554);
  int fd = kern_open(machine.root_ctx(), machine.fdt, "/tmp", kORdonly, 0).value();
  REQUIRE(kern_fchdir(machine.root_ctx(), machine.fdt, fd).ok());
  CHECK(machine.fdt.cdir()->fs_data() == machine.memfs->find("/tmp").value());
}

TEST_CASE("readlink returns the link text and refuses other files with EINVAL") {
  Machine machine;
  REQUIRE(machine.memfs->make_symlink("/tmp/l", "/bin/ps", spec(0755)).ok());
  std::array<std::uint8_t, 64> buffer{};
  CHECK(kern_readlink(machine.root_ctx(), "/tmp/l", buffer).value() == 7);
  CHECK(std::string(buffer.begin(), buffer.begin() + 7) == "/bin/ps");
  std::array<std::uint8_t, 4> short_buffer{};
  CHECK(kern_readlink(machine.root_ctx(), "/tmp/l", short_buffer).value() == 4);
  CHECK(kern_readlink(machine.root_ctx(), "/bin/ps", buffer).error() == Errno::Einval);
}

TEST_CASE("an unlinked file stays readable through an open descriptor") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  REQUIRE(machine.memfs->make_file("/tmp/gone", base::Bytes{'x', 'y'}, spec(0644)).ok());
  std::size_t nodes = machine.memfs->node_count();
  int fd = kern_open(ctx, machine.fdt, "/tmp/gone", kORdonly, 0).value();
  REQUIRE(kern_unlink(ctx, "/tmp/gone").ok());
  CHECK(kern_stat(ctx, "/tmp/gone").error() == Errno::Enoent);
  CHECK(kern_fstat(ctx, machine.fdt, fd).value().nlink == 0);
  CHECK(machine.read_all(ctx, fd) == "xy");
  REQUIRE(kern_close(ctx, machine.fdt, fd).ok());
  CHECK(machine.memfs->node_count() == nodes - 1);
}

TEST_CASE("unlink, mkdir, rmdir and rename follow the shell's expectations") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  CHECK(kern_unlink(ctx, "/tmp").error() == Errno::Eperm);
  REQUIRE(kern_mkdir(ctx, machine.fdt, "/tmp/d", 0777).ok());
  CHECK(kern_stat(ctx, "/tmp/d").value().mode == (0040000 | 0755));
  CHECK(kern_mkdir(ctx, machine.fdt, "/tmp/d", 0777).error() == Errno::Eexist);
  CHECK(kern_stat(ctx, "/tmp").value().nlink == 3);
  REQUIRE(kern_open(ctx, machine.fdt, "/tmp/d/f", kOWronly | kOCreat, 0644).ok());
  CHECK(kern_rmdir(ctx, "/tmp/d").error() == Errno::Enotempty);
  CHECK(kern_rmdir(ctx, "/tmp/d/.").error() == Errno::Einval);
  REQUIRE(kern_rename(ctx, "/tmp/d/f", "/tmp/g").ok());
  CHECK(kern_stat(ctx, "/tmp/g").ok());
  REQUIRE(kern_rmdir(ctx, "/tmp/d").ok());
  CHECK(kern_stat(ctx, "/tmp").value().nlink == 2);
  REQUIRE(kern_symlink(ctx, machine.fdt, "g", "/tmp/s").ok());
  CHECK(kern_lstat(ctx, "/tmp/s").value().mode == (0120000 | 0755));
  CHECK(kern_symlink(ctx, machine.fdt, "g", "/tmp/s").error() == Errno::Eexist);
}

TEST_CASE("rename over an existing file keeps the target's place in the directory") {
  Machine machine;
  VfsContext ctx = machine.root_ctx();
  REQUIRE(machine.memfs->make_file("/tmp/first", base::Bytes{'1'}, spec(0644)).ok());
  REQUIRE(machine.memfs->make_file("/tmp/second", base::Bytes{'2'}, spec(0644)).ok());
  REQUIRE(machine.memfs->make_file("/tmp/third", base::Bytes{'3'}, spec(0644)).ok());
  REQUIRE(kern_rename(ctx, "/tmp/third", "/tmp/first").ok());
  auto records = decode_dirents(machine.memfs->directory_image(machine.memfs->find("/tmp").value())).value();
  REQUIRE(records.size() == 4);
  CHECK(records[2].name == "first");
  CHECK(records[3].name == "second");
  int fd = kern_open(ctx, machine.fdt, "/tmp/first", kORdonly, 0).value();
  CHECK(machine.read_all(ctx, fd) == "3");
}

TEST_CASE("the sticky /tmp protects other users' files") {
  Machine machine;
  REQUIRE(machine.memfs->make_file("/tmp/roots", {}, spec(0666)).ok());
  CHECK(kern_unlink(machine.user_ctx(), "/tmp/roots").error() == Errno::Eperm);
  CHECK(kern_unlink(machine.root_ctx(), "/tmp/roots").ok());
}

TEST_CASE("name changes inside the pseudo file system get its EOPNOTSUPP") {
  Machine machine;
  machine.mount_pseudo();
  VfsContext ctx = machine.root_ctx();
  CHECK(kern_unlink(ctx, "/proc/mem").error() == Errno::Eopnotsupp);
  CHECK(kern_rename(ctx, "/tmp", "/proc/x").error() == Errno::Eopnotsupp);
  CHECK(kern_unlink(ctx, "/proc").error() == Errno::Eperm);
}

TEST_CASE("statfs reports each mount, and the mounts come in mount order") {
  Machine machine;
  machine.mount_pseudo();
  Statfs root = kern_statfs(machine.root_ctx(), "/bin/ps").value();
  CHECK(root.fstypename == "ufs");
  CHECK(root.mntonname == "/");
  CHECK(root.mntfromname == "/dev/ad0s1a");
  CHECK(root.flags == (kMntLocal | kMntRootfs));
  CHECK(root.counts.bsize == 2048);
  CHECK(root.counts.iosize == 16384);
  Statfs proc = kern_statfs(machine.root_ctx(), "/proc/status").value();
  CHECK(proc.fstypename == "pseudo");
  CHECK(proc.mntonname == "/proc");
  CHECK(proc.counts.blocks == 1);
  std::vector<Mount*> mounts = machine.vfs.mounts();
  REQUIRE(mounts.size() == 2);
  CHECK(mounts[0]->options().on == "/");
  CHECK(mounts[1]->options().on == "/proc");
  CHECK(mounts[1]->fsid() != mounts[0]->fsid());
}

TEST_CASE("mounting on a non-directory or twice on one directory fails") {
  Machine machine;
  machine.mount_pseudo();
  NameiRequest request;
  request.path = "/bin/ps";
  auto file = namei(machine.root_ctx(), request);
  CHECK(machine.vfs.mount(std::make_unique<PseudoFs>(), std::move(file.value().vp), MountOptions{}).error() ==
        Errno::Enotdir);
  // "/proc" now names the mounted root; the covered directory is taken.
  Vnode* covered = machine.vfs.mounts()[1]->covered();
  CHECK(
      machine.vfs.mount(std::make_unique<PseudoFs>(), VnodeRef::acquire(*covered), MountOptions{}).error() ==
      Errno::Ebusy);
}

TEST_CASE("the mem rule: the file system's close sees a use count of 1 only at the last close") {
  Machine machine;
  PseudoFs& fs = machine.mount_pseudo();
  VfsContext ctx = machine.root_ctx();
  int a = kern_open(ctx, machine.fdt, "/proc/mem", kORdwr, 0).value();
  int b = kern_open(ctx, machine.fdt, "/proc/mem", kORdonly, 0).value();
  int c = machine.fdt.dup(a).value();
  REQUIRE(kern_close(ctx, machine.fdt, a).ok());  // c still holds the file: no close yet
  CHECK(fs.close_usecounts.empty());
  REQUIRE(kern_close(ctx, machine.fdt, c).ok());
  REQUIRE(kern_close(ctx, machine.fdt, b).ok());
  CHECK(fs.close_usecounts == std::vector<std::uint32_t>{2, 1});
}
