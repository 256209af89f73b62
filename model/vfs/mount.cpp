// Mounts: vnode allocation and release for one file system instance, its root and covered
// directory, and statfs(2) assembly (8.3 kern/vfs_mount.c, vfs_subr.c getnewvnode).
#include "model/vfs/mount.h"

#include <utility>

#include "model/vfs/vfs.h"
#include "sim/base/assert.h"

namespace procsim::vfs {

Mount::Mount(Vfs& vfs, std::size_t index, std::unique_ptr<FileSystem> filesystem, MountOptions options,
             std::uint32_t fsid)
    : m_vfs(&vfs),
      m_index(index),
      m_filesystem(std::move(filesystem)),
      m_options(std::move(options)),
      m_flags(m_options.flags),
      m_fsid(fsid) {
  PROCSIM_ASSERT(m_filesystem != nullptr);
  m_flags |= m_filesystem->own_flags();
  if (m_index == 0) m_flags |= kMntRootfs;
}

Mount::~Mount() {
  PROCSIM_ASSERT_MSG(!m_root && !m_covered, "a mount destroyed while still mounted");
  for (const auto& entry : m_vnodes) {
    PROCSIM_ASSERT_MSG(entry.second->usecount() == 0, "a vnode still referenced when its mount goes away");
  }
  // Vnodes go before the file system whose operations they point at.
  m_vnodes.clear();
}

Vnode& Mount::root() const {
  PROCSIM_ASSERT(m_root);
  return *m_root;
}

Statfs Mount::statfs() const {
  Statfs sb;
  sb.counts = m_filesystem->statfs();
  sb.flags = m_flags;
  sb.owner = m_options.owner;
  sb.fsid = m_fsid;
  sb.fstypename = std::string(m_filesystem->fstypename());
  sb.mntfromname = m_options.from;
  sb.mntonname = m_options.on;
  PROCSIM_ASSERT(!sb.fstypename.empty());
  return sb;
}

Vnode& Mount::allocate_vnode(VType type, VnodeOps& ops, std::uint64_t fs_data) {
  std::uint64_t serial = m_vfs->next_vnode_serial();
  auto vnode = std::unique_ptr<Vnode>(new Vnode(*this, serial, type, ops, fs_data));
  Vnode& result = *vnode;
  auto [position, inserted] = m_vnodes.emplace(serial, std::move(vnode));
  PROCSIM_ASSERT(inserted);
  PROCSIM_ASSERT(result.usecount() == 0);
  return result;
}

KResult<void> Mount::activate(VnodeRef covered) {
  PROCSIM_ASSERT(!m_root);
  TRY(m_filesystem->attach(*this));
  Vnode& root = m_filesystem->root();
  PROCSIM_ASSERT(&root.mount() == this);
  PROCSIM_ASSERT(root.type() == VType::VDIR);
  root.m_is_root = true;
  m_root = VnodeRef::acquire(root);
  if (covered) {
    PROCSIM_ASSERT(covered->m_mounted_here == nullptr);
    covered->m_mounted_here = this;
    m_covered = std::move(covered);
  }
  return {};
}

void Mount::deactivate() {
  if (m_covered) {
    PROCSIM_ASSERT(m_covered->m_mounted_here == this);
    m_covered->m_mounted_here = nullptr;
    m_covered.reset();
  }
  if (m_root) {
    // No longer a mount's root: its file system may now recycle it like any other vnode.
    m_root->m_is_root = false;
    m_root.reset();
  }
}

void Mount::free_vnode(Vnode& vp) {
  PROCSIM_ASSERT(&vp.mount() == this);
  PROCSIM_ASSERT(vp.usecount() == 0);
  std::size_t erased = m_vnodes.erase(vp.serial());
  PROCSIM_ASSERT(erased == 1);
}

}  // namespace procsim::vfs
