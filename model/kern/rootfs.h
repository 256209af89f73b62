// The root file system a machine boots with: a memfs laid out like a small FreeBSD system
// (/bin, /sbin, /usr, /usr/bin, /usr/sbin, /dev, /etc, /tmp, /home and the empty /proc that
// procfs mounts on), owned by root:wheel, with the device nodes of kDeviceNodes in /dev. memfs
// hands out inode numbers in creation order from 3 (the root is UFS's ROOTINO, 2), so the
// layout table below also fixes every inode number. devfs itself is not modelled: /dev is a
// plain directory of device nodes in every era.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "model/vfs/memfs.h"
#include "model/vfs/vfs.h"

namespace procsim::kern {

struct RootDirectoryRow {
  std::string_view path;
  std::uint32_t mode;
};

// Creation order, hence inode order: /bin is 3, /sbin 4, ..., /proc 12, then /dev's nodes.
inline constexpr std::array<RootDirectoryRow, 10> kRootDirectories = {{
    {"/bin", 0755},
    {"/sbin", 0755},
    {"/usr", 0755},
    {"/usr/bin", 0755},
    {"/usr/sbin", 0755},
    {"/dev", 0755},
    {"/etc", 0755},
    {"/tmp", 01777},
    {"/home", 0755},
    {"/proc", 0555},
}};

// The root file system: the Vfs that owns it and the memfs mounted as "/".
struct RootFileSystem {
  std::unique_ptr<vfs::Vfs> vfs;
  vfs::Memfs* memfs = nullptr;
};

// Builds and mounts the root. Every node carries `boot_time` as its four timestamps. The device
// drivers are not attached here: the kernel does that (TtyTable::attach).
RootFileSystem make_root_filesystem(vfs::Era era, vfs::Timespec boot_time, std::size_t maxfiles);

}  // namespace procsim::kern
