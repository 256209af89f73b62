// Building the boot root file system (see rootfs.h): the directories in table order, then the
// device nodes, each with the boot time as all four timestamps.
#include "model/kern/rootfs.h"

#include <string>

#include "model/kern/tty.h"
#include "sim/base/assert.h"

namespace procsim::kern {

namespace {

// The disk the root is mounted from, as mount(8) shows it per era.
// 4.4BSD's is the README's df line; FreeBSD 4 and 8 name ATA disk slices.
std::string_view root_device(vfs::Era era) { return era == vfs::Era::Bsd44 ? "/dev/wd0a" : "/dev/ad0s1a"; }

void populate(vfs::Memfs& memfs, vfs::Era era, vfs::Timespec boot_time) {
  for (const RootDirectoryRow& row : kRootDirectories) {
    vfs::MemfsNodeSpec spec;
    spec.at(boot_time);
    spec.mode = row.mode;
    PROCSIM_ASSERT(memfs.make_directory(row.path, spec).ok());
  }
  for (const DeviceNodeRow& row : kDeviceNodes) {
    vfs::MemfsNodeSpec spec;
    spec.at(boot_time);
    spec.mode = row.mode;
    std::string path = "/dev/" + std::string(row.name);
    PROCSIM_ASSERT(memfs.make_device(path, vfs::VType::VCHR, device_rdev(row, era), spec).ok());
  }
}

}  // namespace

RootFileSystem make_root_filesystem(vfs::Era era, vfs::Timespec boot_time, std::size_t maxfiles) {
  RootFileSystem root;
  root.vfs = std::make_unique<vfs::Vfs>(era, maxfiles);
  vfs::MemfsNodeSpec root_spec;
  root_spec.at(boot_time);
  root_spec.mode = 0755;
  auto memfs = std::make_unique<vfs::Memfs>(root.vfs->devices(), vfs::MemfsParams{}, root_spec);
  root.memfs = memfs.get();
  vfs::MountOptions options;
  options.from = std::string(root_device(era));
  options.on = "/";
  PROCSIM_ASSERT(root.vfs->mount_root(std::move(memfs), options).ok());
  populate(*root.memfs, era, boot_time);
  PROCSIM_ASSERT(root.memfs->find("/proc").value_or(0) == 2 + kRootDirectories.size());
  return root;
}

}  // namespace procsim::kern
