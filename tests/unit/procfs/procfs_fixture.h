// A booted kernel with procfs mounted on /proc in one era, for the vnode layer's tests: file
// operations run as a chosen process through vfs_syscalls.h with that process's credentials and
// descriptor table, on the test's own stack (calls that sleep run inside a host program instead).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

#include "model/procfs/procfs_vfs.h"
#include "model/vfs/dirent.h"
#include "model/vfs/vfs_syscalls.h"
#include "tests/unit/kern/kernel_test_support.h"

namespace procfs_test {

namespace procfs = procsim::procfs;
namespace vfs = procsim::vfs;
namespace kern = procsim::kern;
namespace base = procsim::base;

// The kernel's own root file system, with procfs mounted on its /proc. Each process uses its own
// descriptor table, so exit closes what it left open.
class ProcfsMachine {
 public:
  explicit ProcfsMachine(vfs::Era machine_era, procfs::ProcfsSeams seams = {})
      : era(machine_era), tm(kern::testing::checked_config(machine_era)) {
    REQUIRE(procfs::mount_procfs(tm.kernel.vfs(), tm.kernel, era, "/proc", std::move(seams)).ok());
  }

  // The context of process `pid` (its credentials as they are now).
  vfs::VfsContext ctx(kern::Pid pid) { return tm.kernel.vfs_context(tm.proc(pid)); }
  vfs::FileTable& fdt(kern::Pid pid) { return tm.kernel.fdtable(tm.proc(pid)); }

  kern::Pid spawn_as(std::uint32_t uid, std::optional<kern::Pid> ppid = std::nullopt) {
    return tm.spawn_as(uid, ppid);
  }

  vfs::KResult<int> open(kern::Pid as, std::string_view path, vfs::OpenFlags flags) {
    return vfs::kern_open(ctx(as), fdt(as), path, flags, 0);
  }

  int open_ok(kern::Pid as, std::string_view path, vfs::OpenFlags flags) {
    vfs::KResult<int> fd = open(as, path, flags);
    REQUIRE_MESSAGE(fd.ok(), path, ": ", vfs::errno_name(fd.ok() ? vfs::Errno::Eperm : fd.error()));
    return fd.value();
  }

  // One read of up to `size` bytes.
  vfs::KResult<std::string> read(kern::Pid as, int fd, std::size_t size = 4096) {
    base::Bytes buffer(size);
    std::size_t n = TRY(vfs::kern_read(ctx(as), fdt(as), fd, buffer));
    return std::string(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
  }

  vfs::KResult<std::size_t> write(kern::Pid as, int fd, std::string_view text) {
    return vfs::kern_write(ctx(as), fdt(as), fd, bytes_of(text));
  }

  // The whole text of a file, opened and closed by `as`.
  std::string cat(kern::Pid as, std::string_view path) {
    int fd = open_ok(as, path, vfs::kORdonly);
    vfs::KResult<std::string> text = read(as, fd);
    REQUIRE(text.ok());
    REQUIRE(vfs::kern_close(ctx(as), fdt(as), fd).ok());
    return text.value();
  }

  // Every record of one getdirentries call on `path`.
  std::vector<vfs::Dirent> list(kern::Pid as, std::string_view path, std::size_t buffer_bytes = 4096) {
    int fd = open_ok(as, path, vfs::kORdonly);
    base::Bytes buffer(buffer_bytes);
    vfs::KResult<vfs::DirentriesResult> got = vfs::kern_getdirentries(ctx(as), fdt(as), fd, buffer);
    REQUIRE(got.ok());
    buffer.resize(got.value().bytes);
    std::optional<std::vector<vfs::Dirent>> records = vfs::decode_dirents(buffer);
    REQUIRE(records.has_value());
    REQUIRE(vfs::kern_close(ctx(as), fdt(as), fd).ok());
    return *records;
  }

  static std::vector<std::string> names_of(const std::vector<vfs::Dirent>& records) {
    std::vector<std::string> names;
    for (const vfs::Dirent& record : records) names.push_back(record.name);
    return names;
  }

  static base::ByteSpan bytes_of(std::string_view text) {
    return base::ByteSpan(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  }

  vfs::Era era;
  kern::testing::TestMachine tm;
};

}  // namespace procfs_test
