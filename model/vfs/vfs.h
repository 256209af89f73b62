// The VFS of one simulated machine: the mount list in mount order (what df and mount show),
// the system open file table and the character device switch. Everything hangs off one Vfs
// instance; there is no rootvnode global. Unmounting is not modelled: file systems stay mounted
// until the machine is torn down.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "model/vfs/device.h"
#include "model/vfs/errno.h"
#include "model/vfs/file.h"
#include "model/vfs/mount.h"
#include "model/vfs/vnode.h"

namespace procsim::vfs {

// kern.maxfiles unless the machine sets another.
inline constexpr std::size_t kDefaultMaxFiles = 12328;

class Vfs {
 public:
  explicit Vfs(Era era, std::size_t maxfiles = kDefaultMaxFiles);
  Vfs(const Vfs&) = delete;
  Vfs& operator=(const Vfs&) = delete;
  // Unmounts in reverse mount order. Every descriptor table and VnodeRef must be gone.
  ~Vfs();

  Era era() const { return m_era; }

  // Mounts the root file system ("/"); it is MNT_ROOTFS. Only once.
  KResult<Mount*> mount_root(std::unique_ptr<FileSystem> filesystem, MountOptions options);
  // Mounts on the directory `covered` (from namei). ENOTDIR if it is not a directory, EBUSY if
  // something is mounted there already.
  KResult<Mount*> mount(std::unique_ptr<FileSystem> filesystem, VnodeRef covered, MountOptions options);

  bool has_root() const { return !m_mounts.empty(); }
  // rootvnode: the root directory of the root file system.
  Vnode& root_vnode() const;
  // The mounts in mount order (getfsstat order).
  std::vector<Mount*> mounts() const;

  FileRegistry& files() { return m_files; }
  DeviceSwitch& devices() { return m_devices; }

  // A serial for the next vnode, in allocation order across all mounts.
  std::uint64_t next_vnode_serial() { return m_next_vnode_serial++; }

 private:
  KResult<Mount*> add_mount(std::unique_ptr<FileSystem> filesystem, VnodeRef covered, MountOptions options);

  Era m_era;
  DeviceSwitch m_devices;
  std::vector<std::unique_ptr<Mount>> m_mounts;
  FileRegistry m_files;
  std::uint64_t m_next_vnode_serial = 1;
};

}  // namespace procsim::vfs
