// memfs: the in-memory root file system standing in for a UFS disk: directories, files, links
// and device nodes with owner, group, mode, times, link count and scenario-chosen inode numbers
// (so "1554 -r-xr-xr-x bin bin 90112" can be reproduced), read back in UFS's directory layout.
// Left out: hard links, UFS's reuse of freed directory slots (memfs appends), indirect blocks in
// block counts, quotas, ACLs, and setattr rules beyond owner-or-root.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/vfs/device.h"
#include "model/vfs/errno.h"
#include "model/vfs/mount.h"
#include "model/vfs/vnode.h"
#include "sim/base/bytes.h"

namespace procsim::vfs {

// ROOTINO: the inode number of a UFS root directory.
inline constexpr std::uint64_t kMemfsRootIno = 2;
// DIRBLKSIZ: the directory block, which no entry crosses.
inline constexpr std::size_t kDirBlockSize = 512;

// The geometry a memfs reports, as newfs would have chosen it.
struct MemfsParams {
  std::uint32_t block_size = 16384;                 // fs_bsize: va_blocksize, f_iosize
  std::uint32_t fragment_size = 2048;               // fs_fsize: f_bsize, the unit files are allocated in
  std::uint64_t total_fragments = 262144;           // f_blocks
  std::uint64_t total_inodes = 65536;               // f_files
  std::uint32_t minfree_percent = 8;                // the reserve only root may fill (f_bavail)
  std::uint32_t max_short_symlink = 120;            // links shorter than this live in the inode: no blocks
  std::uint64_t first_free_ino = 3;                 // where automatic inode numbers start
  std::uint64_t max_file_bytes = 64 * 1024 * 1024;  // EFBIG beyond: a limit on simulated disk use
};

// The attributes of a node made at boot or by a scenario.
struct MemfsNodeSpec {
  std::uint32_t mode = 0755;  // permission bits (07777)
  Uid uid{0};
  Gid gid{0};
  std::optional<std::uint64_t> ino;  // chosen inode number; the lowest free one otherwise
  Timespec atime;
  Timespec mtime;
  Timespec ctime;
  Timespec birthtime;
  std::uint32_t flags = 0;
  // Regular files: the size stat reports when it exceeds the contents (the rest reads as
  // zeros), so a small simulated program can list as the 90112-byte binary it stands for.
  std::optional<std::uint64_t> size;
  // The storage stat reports (st_blocks * 512), when a listing's block total must match.
  std::optional<std::uint64_t> bytes;

  // The same time for all four timestamps.
  MemfsNodeSpec& at(Timespec time);
};

// One node as stored. Directories keep their entries in creation order.
struct MemfsNode {
  struct Entry {
    std::string name;
    std::uint64_t ino;
  };

  std::uint64_t ino = 0;
  VType type = VType::VNON;
  std::uint32_t mode = 0;
  Uid uid{0};
  Gid gid{0};
  std::uint32_t nlink = 0;
  Timespec atime;
  Timespec mtime;
  Timespec ctime;
  Timespec birthtime;
  std::uint32_t flags = 0;
  base::Bytes data;                    // VREG contents
  std::uint64_t size = 0;              // VREG: at least data.size()
  std::optional<std::uint64_t> bytes;  // storage override
  std::string target;                  // VLNK
  std::uint32_t rdev = kNodev;         // VCHR, VBLK
  std::uint64_t parent = 0;            // VDIR: the directory ".." names
  std::vector<Entry> entries;          // VDIR, without "." and ".."
  Vnode* vnode = nullptr;              // the vnode while one exists
};

class Memfs final : public FileSystem, public VnodeOps {
 public:
  Memfs(DeviceSwitch& devices, MemfsParams params, const MemfsNodeSpec& root);
  Memfs(const Memfs&) = delete;
  Memfs& operator=(const Memfs&) = delete;

  const MemfsParams& params() const { return m_params; }

  // ---- Building the tree (boot and scenario set-up; no permission checks). Paths are absolute
  // within this file system. Errors: ENOENT (missing parent), ENOTDIR, EEXIST (name or chosen
  // inode number taken), ENAMETOOLONG, EINVAL (an inode number below ROOTINO).
  KResult<std::uint64_t> make_directory(std::string_view path, const MemfsNodeSpec& spec);
  KResult<std::uint64_t> make_file(std::string_view path, base::Bytes contents, const MemfsNodeSpec& spec);
  KResult<std::uint64_t> make_symlink(std::string_view path, std::string_view target,
                                      const MemfsNodeSpec& spec);
  // A character (VCHR) or block (VBLK) device node.
  KResult<std::uint64_t> make_device(std::string_view path, VType type, std::uint32_t rdev,
                                     const MemfsNodeSpec& spec);
  // Replaces a regular file's contents.
  KResult<void> set_contents(std::uint64_t ino, base::Bytes contents);
  // Gives the regular file at `path` the attributes of `spec` (its inode number too), keeping
  // its contents and its place in the directory; returns the inode number. A new number makes
  // a new inode, and the old one goes as an unlinked file's does. Errors: ENOENT, EISDIR and
  // EFTYPE (not a regular file), EEXIST (the number is taken), EINVAL (below ROOTINO), EFBIG
  // (a size beyond max_file_bytes).
  KResult<std::uint64_t> replace_file(std::string_view path, const MemfsNodeSpec& spec);

  // ---- Looking at the tree.
  // The inode a path names (no links followed), or nullopt.
  std::optional<std::uint64_t> find(std::string_view path) const;
  const MemfsNode* node(std::uint64_t ino) const;
  std::size_t node_count() const { return m_nodes.size(); }
  // The directory as getdirentries reads it: "." and "..", then the entries in creation order,
  // packed into 512-byte blocks whose last record absorbs the rest of its block.
  base::Bytes directory_image(std::uint64_t ino) const;

  // ---- FileSystem
  std::string_view fstypename() const override { return "ufs"; }
  KResult<void> attach(Mount& mount) override;
  Vnode& root() override;
  StatfsCounts statfs() const override;

  // ---- VnodeOps
  KResult<Vnode*> lookup(Vnode& dvp, const ComponentName& cnp, const VfsContext& ctx) override;
  KResult<Vnode*> create(Vnode& dvp, const ComponentName& cnp, const Vattr& vap,
                         const VfsContext& ctx) override;
  KResult<Vnode*> mkdir(Vnode& dvp, const ComponentName& cnp, const Vattr& vap,
                        const VfsContext& ctx) override;
  KResult<Vnode*> symlink(Vnode& dvp, const ComponentName& cnp, const Vattr& vap, std::string_view target,
                          const VfsContext& ctx) override;
  KResult<void> remove(Vnode& dvp, Vnode& vp, const ComponentName& cnp, const VfsContext& ctx) override;
  KResult<void> rmdir(Vnode& dvp, Vnode& vp, const ComponentName& cnp, const VfsContext& ctx) override;
  KResult<void> rename(Vnode& fdvp, Vnode& fvp, const ComponentName& fcnp, Vnode& tdvp, Vnode* tvp,
                       const ComponentName& tcnp, const VfsContext& ctx) override;
  KResult<void> open(Vnode& vp, std::uint32_t fflags, const VfsContext& ctx) override;
  KResult<void> close(Vnode& vp, std::uint32_t fflags, const VfsContext& ctx) override;
  KResult<void> access(Vnode& vp, Accmode accmode, const VfsContext& ctx) override;
  KResult<Vattr> getattr(Vnode& vp, const VfsContext& ctx) override;
  KResult<void> setattr(Vnode& vp, const SetattrRequest& request, const VfsContext& ctx) override;
  KResult<void> read(Vnode& vp, Uio& uio, IoFlags ioflag, const VfsContext& ctx) override;
  KResult<void> write(Vnode& vp, Uio& uio, IoFlags ioflag, const VfsContext& ctx) override;
  KResult<void> ioctl(Vnode& vp, std::uint32_t command, base::MutableByteSpan data, std::uint32_t fflags,
                      const VfsContext& ctx) override;
  KResult<void> readdir(Vnode& vp, Uio& uio, const VfsContext& ctx) override;
  KResult<void> readlink(Vnode& vp, Uio& uio, const VfsContext& ctx) override;
  InactiveAction inactive(Vnode& vp) override;
  void reclaim(Vnode& vp) override;

 private:
  MemfsNode& node_of(const Vnode& vp);
  MemfsNode& node_at(std::uint64_t ino);
  KResult<std::uint64_t> allocate_ino(std::optional<std::uint64_t> wanted) const;
  KResult<MemfsNode*> parent_for_new(std::string_view path, std::string& name);
  MemfsNode& add_node(MemfsNode& dir, std::string_view name, MemfsNode node);
  MemfsNode* find_entry(const MemfsNode& dir, std::string_view name);
  void unlink_entry(MemfsNode& dir, std::string_view name);
  void drop_link(MemfsNode& node);
  Vnode& vnode_for(MemfsNode& node);
  KResult<Vnode*> referenced_vnode(MemfsNode& node);
  KResult<void> check_dir_write(MemfsNode& dir, const ComponentName& cnp, const VfsContext& ctx);
  KResult<void> check_sticky(const MemfsNode& dir, const MemfsNode& node, const VfsContext& ctx) const;
  KResult<MemfsNode*> new_child(Vnode& dvp, const ComponentName& cnp, VType type, std::uint32_t mode,
                                const VfsContext& ctx);
  std::uint64_t storage_bytes(const MemfsNode& node) const;
  std::uint64_t used_fragments() const;
  CharDevice* device_of(const MemfsNode& node) const;
  bool owner_or_root(const MemfsNode& node, const Ucred& cred) const;
  void touch_changed(MemfsNode& node, const VfsContext& ctx);
  KResult<void> rename_dir_checks(MemfsNode& fdir, MemfsNode& fn, MemfsNode& tdir, const VfsContext& ctx);
  KResult<void> write_regular(MemfsNode& node, Uio& uio, IoFlags ioflag, const VfsContext& ctx);
  KResult<void> set_size(MemfsNode& node, std::uint64_t size, const VfsContext& ctx);

  DeviceSwitch* m_devices;
  MemfsParams m_params;
  std::uint64_t m_root_ino;
  Mount* m_mount = nullptr;
  std::map<std::uint64_t, MemfsNode> m_nodes;  // by inode number
};

}  // namespace procsim::vfs
