// Mounted file systems: the mount flags (8.3 sys/sys/mount.h), statfs(2) data, the VFS
// operations one file system instance provides (struct vfsops as a C++ interface) and the Mount
// that owns a file system instance, its vnodes, its root and the directory it covers. Update
// mounts, unmount, export lists, quotas and the vfsconf registry are not modelled.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "model/vfs/errno.h"
#include "model/vfs/vnode.h"

namespace procsim::vfs {

class Vfs;

// Mount flags (8.3 sys/sys/mount.h). Only the flags a simulated mount can carry.
using MountFlags = std::uint64_t;
inline constexpr MountFlags kMntRdonly = 0x00000001;
inline constexpr MountFlags kMntSynchronous = 0x00000002;
inline constexpr MountFlags kMntNoexec = 0x00000004;
inline constexpr MountFlags kMntNosuid = 0x00000008;
inline constexpr MountFlags kMntUnion = 0x00000020;
inline constexpr MountFlags kMntAsync = 0x00000040;
inline constexpr MountFlags kMntLocal = 0x00001000;
inline constexpr MountFlags kMntQuota = 0x00002000;
inline constexpr MountFlags kMntRootfs = 0x00004000;
inline constexpr MountFlags kMntUser = 0x00008000;
inline constexpr MountFlags kMntSuiddir = 0x00100000;
inline constexpr MountFlags kMntSoftdep = 0x00200000;
inline constexpr MountFlags kMntNosymfollow = 0x00400000;
inline constexpr MountFlags kMntMultilabel = 0x04000000;
inline constexpr MountFlags kMntAcls = 0x08000000;
inline constexpr MountFlags kMntNoatime = 0x10000000;

// Every fact about one mount flag: its bit, its FreeBSD name and the word mount(8) prints for
// it (empty where mount(8) prints none). Rows are in bit order; mount(8)'s own print order is
// the printer's business.
struct MountFlagRow {
  MountFlags flag;
  std::string_view name;
  std::string_view mount_word;
};

inline constexpr std::array<MountFlagRow, 16> kMountFlagTable = {{
    {kMntRdonly, "MNT_RDONLY", "read-only"},
    {kMntSynchronous, "MNT_SYNCHRONOUS", "synchronous"},
    {kMntNoexec, "MNT_NOEXEC", "noexec"},
    {kMntNosuid, "MNT_NOSUID", "nosuid"},
    {kMntUnion, "MNT_UNION", "union"},
    {kMntAsync, "MNT_ASYNC", "asynchronous"},
    {kMntLocal, "MNT_LOCAL", "local"},
    {kMntQuota, "MNT_QUOTA", "with quotas"},
    {kMntRootfs, "MNT_ROOTFS", ""},
    {kMntUser, "MNT_USER", ""},
    {kMntSuiddir, "MNT_SUIDDIR", "suiddir"},
    {kMntSoftdep, "MNT_SOFTDEP", "soft-updates"},
    {kMntNosymfollow, "MNT_NOSYMFOLLOW", "nosymfollow"},
    {kMntMultilabel, "MNT_MULTILABEL", "multilabel"},
    {kMntAcls, "MNT_ACLS", "acls"},
    {kMntNoatime, "MNT_NOATIME", "noatime"},
}};

// What VFS_STATFS fills: the size and usage counts only the file system knows.
struct StatfsCounts {
  std::uint64_t bsize = 0;   // f_bsize: fundamental block size
  std::uint64_t iosize = 0;  // f_iosize: optimal transfer size
  std::uint64_t blocks = 0;
  std::uint64_t bfree = 0;
  std::int64_t bavail = 0;
  std::uint64_t files = 0;
  std::int64_t ffree = 0;
  std::uint32_t namemax = 255;
};

// struct statfs (8.3) as a value: the counts plus what the mount itself knows.
struct Statfs {
  StatfsCounts counts;
  MountFlags flags = 0;
  Uid owner{0};
  std::uint32_t fsid = 0;
  std::string fstypename;   // "ufs", "procfs"
  std::string mntfromname;  // "/dev/ad0s1a", "procfs"
  std::string mntonname;    // "/", "/proc"
};

// struct vfsops for one file system instance.
class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // vfc_name: "ufs", "procfs".
  virtual std::string_view fstypename() const = 0;
  // Flags the file system sets on its mount itself (MNT_LOCAL).
  virtual MountFlags own_flags() const { return kMntLocal; }
  // VFS_MOUNT: attaches to `mount` and allocates the root directory vnode from it. Called once.
  virtual KResult<void> attach(Mount& mount) = 0;
  // VFS_ROOT: the root directory vnode; the mount holds a use reference on it while mounted.
  virtual Vnode& root() = 0;
  // VFS_STATFS.
  virtual StatfsCounts statfs() const = 0;
};

// What a mount is told by whoever mounts it.
struct MountOptions {
  std::string from;                   // f_mntfromname
  std::string on;                     // f_mntonname: the path of the covered directory, "/" for the root
  MountFlags flags = 0;               // requested flags (MNT_RDONLY, MNT_NOSUID, ...)
  Uid owner{0};                       // f_owner: who mounted it
  std::optional<std::uint32_t> fsid;  // st_dev of its files; chosen by the Vfs when absent
};

// struct mount: one mounted file system instance. Owns the instance and every vnode allocated
// from it; the vnodes live until nobody references them and their file system lets them go.
class Mount {
 public:
  Mount(Vfs& vfs, std::size_t index, std::unique_ptr<FileSystem> filesystem, MountOptions options,
        std::uint32_t fsid);
  Mount(const Mount&) = delete;
  Mount& operator=(const Mount&) = delete;
  ~Mount();

  // Position in mount order: 0 is the root file system.
  std::size_t index() const { return m_index; }
  FileSystem& filesystem() const { return *m_filesystem; }
  MountFlags flags() const { return m_flags; }
  bool read_only() const { return (m_flags & kMntRdonly) != 0; }
  std::uint32_t fsid() const { return m_fsid; }
  const MountOptions& options() const { return m_options; }
  // The root directory (VV_ROOT); valid while mounted.
  Vnode& root() const;
  // mnt_vnodecovered: the directory this mount hides, or null for the root file system.
  Vnode* covered() const { return m_covered.get(); }
  // statfs(2) of this mount.
  Statfs statfs() const;

  // getnewvnode(): a new vnode of this mount with no references yet.
  Vnode& allocate_vnode(VType type, VnodeOps& ops, std::uint64_t fs_data);
  // Vnodes currently allocated, dead ones included.
  std::size_t vnode_count() const { return m_vnodes.size(); }

 private:
  friend class Vfs;
  friend void vrele(Vnode& vp);
  friend void vgone(Vnode& vp);

  // Called by the Vfs: attaches the file system, takes the root and covers `covered`.
  KResult<void> activate(VnodeRef covered);
  // Called by the Vfs before destruction: releases the root and the covered directory.
  void deactivate();
  void free_vnode(Vnode& vp);

  Vfs* m_vfs;
  std::size_t m_index;
  std::unique_ptr<FileSystem> m_filesystem;
  MountOptions m_options;
  MountFlags m_flags;
  std::uint32_t m_fsid;
  VnodeRef m_root;
  VnodeRef m_covered;
  std::map<std::uint64_t, std::unique_ptr<Vnode>> m_vnodes;  // by serial
};

}  // namespace procsim::vfs
