// Vnode use counts, revocation and the VOP dispatch. The defaults of VnodeOps follow 8.3's
// default_vnodeops (kern/vfs_default.c); a revoked vnode answers as 8.3's dead_vnodeops
// (fs/deadfs/dead_vnops.c) through the vop_* functions, which check for death before every call.
#include "model/vfs/vnode.h"

#include <algorithm>
#include <cstring>

#include "model/vfs/mount.h"
#include "sim/base/assert.h"

namespace procsim::vfs {

// ---- Uio ---------------------------------------------------------------------------------------

Uio::Uio(UioRw rw, std::uint8_t* read_base, const std::uint8_t* write_base, std::size_t length,
         std::int64_t offset)
    : m_rw(rw),
      m_read_base(read_base),
      m_write_base(write_base),
      m_length(length),
      m_resid(length),
      m_offset(offset) {}

Uio Uio::for_read(base::MutableByteSpan buffer, std::int64_t offset) {
  return Uio(UioRw::Read, buffer.data(), nullptr, buffer.size(), offset);
}

Uio Uio::for_write(base::ByteSpan data, std::int64_t offset) {
  return Uio(UioRw::Write, nullptr, data.data(), data.size(), offset);
}

std::size_t Uio::move_out(base::ByteSpan source) {
  PROCSIM_ASSERT(m_rw == UioRw::Read);
  std::size_t count = std::min(source.size(), m_resid);
  if (count == 0) return 0;
  PROCSIM_ASSERT(m_read_base != nullptr);
  std::memcpy(m_read_base + transferred(), source.data(), count);
  m_resid -= count;
  m_offset += static_cast<std::int64_t>(count);
  PROCSIM_ASSERT(m_resid <= m_length);
  return count;
}

base::ByteSpan Uio::move_in(std::size_t count) {
  PROCSIM_ASSERT(m_rw == UioRw::Write);
  count = std::min(count, m_resid);
  if (count == 0) return {};
  PROCSIM_ASSERT(m_write_base != nullptr);
  base::ByteSpan taken(m_write_base + transferred(), count);
  m_resid -= count;
  m_offset += static_cast<std::int64_t>(count);
  PROCSIM_ASSERT(m_resid <= m_length);
  return taken;
}

void Uio::limit_resid(std::size_t resid) {
  PROCSIM_ASSERT(resid <= m_resid);
  // Shrinking the request keeps what was moved: the total length shrinks with the residue.
  m_length -= m_resid - resid;
  m_resid = resid;
}

// ---- VnodeOps defaults (default_vnodeops) ------------------------------------------------------

KResult<Vnode*> VnodeOps::lookup(Vnode&, const ComponentName&, const VfsContext&) {
  return base::fail(Errno::Enotdir);  // vop_nolookup
}
KResult<Vnode*> VnodeOps::create(Vnode&, const ComponentName&, const Vattr&, const VfsContext&) {
  return base::fail(Errno::Eopnotsupp);
}
KResult<Vnode*> VnodeOps::mkdir(Vnode&, const ComponentName&, const Vattr&, const VfsContext&) {
  return base::fail(Errno::Eopnotsupp);
}
KResult<Vnode*> VnodeOps::symlink(Vnode&, const ComponentName&, const Vattr&, std::string_view,
                                  const VfsContext&) {
  return base::fail(Errno::Eopnotsupp);
}
KResult<void> VnodeOps::remove(Vnode&, Vnode&, const ComponentName&, const VfsContext&) {
  return base::fail(Errno::Eopnotsupp);
}
KResult<void> VnodeOps::rmdir(Vnode&, Vnode&, const ComponentName&, const VfsContext&) {
  return base::fail(Errno::Eopnotsupp);
}
KResult<void> VnodeOps::rename(Vnode&, Vnode&, const ComponentName&, Vnode&, Vnode*, const ComponentName&,
                               const VfsContext&) {
  return base::fail(Errno::Eopnotsupp);  // vop_norename
}
KResult<void> VnodeOps::open(Vnode&, std::uint32_t, const VfsContext&) { return {}; }
KResult<void> VnodeOps::close(Vnode&, std::uint32_t, const VfsContext&) { return {}; }
KResult<void> VnodeOps::access(Vnode& vp, Accmode accmode, const VfsContext& ctx) {
  Vattr vap = TRY(getattr(vp, ctx));
  return vaccess_vattr(vap, accmode, ctx.cred);
}
KResult<Vattr> VnodeOps::getattr(Vnode&, const VfsContext&) { return base::fail(Errno::Eopnotsupp); }
KResult<void> VnodeOps::setattr(Vnode&, const SetattrRequest&, const VfsContext&) {
  return base::fail(Errno::Eopnotsupp);
}
KResult<void> VnodeOps::read(Vnode&, Uio&, IoFlags, const VfsContext&) {
  return base::fail(Errno::Eopnotsupp);
}
KResult<void> VnodeOps::write(Vnode&, Uio&, IoFlags, const VfsContext&) {
  return base::fail(Errno::Eopnotsupp);
}
KResult<void> VnodeOps::ioctl(Vnode&, std::uint32_t, base::MutableByteSpan, std::uint32_t,
                              const VfsContext&) {
  return base::fail(Errno::Enotty);
}
KResult<void> VnodeOps::readdir(Vnode&, Uio&, const VfsContext&) { return base::fail(Errno::Eopnotsupp); }
KResult<void> VnodeOps::readlink(Vnode&, Uio&, const VfsContext&) { return base::fail(Errno::Einval); }
KResult<void> VnodeOps::advlock(Vnode&, bool, const VfsContext&) { return {}; }
InactiveAction VnodeOps::inactive(Vnode&) { return InactiveAction::Keep; }
void VnodeOps::reclaim(Vnode&) {}

// ---- Vnode and use counts ----------------------------------------------------------------------

Vnode::Vnode(Mount& mount, std::uint64_t serial, VType type, VnodeOps& ops, std::uint64_t fs_data)
    : m_mount(&mount), m_serial(serial), m_type(type), m_ops(&ops), m_fs_data(fs_data) {
  PROCSIM_ASSERT(type != VType::VBAD);
}

Vnode::~Vnode() {
  // Freed only by its mount once nobody holds it, and never while something is mounted on it.
  PROCSIM_ASSERT(m_usecount == 0);
  PROCSIM_ASSERT(m_mounted_here == nullptr);
}

void vref(Vnode& vp) {
  PROCSIM_ASSERT(vp.m_usecount < UINT32_MAX);
  ++vp.m_usecount;
}

void vrele(Vnode& vp) {
  PROCSIM_ASSERT_MSG(vp.m_usecount > 0, "vrele of a vnode nobody references");
  --vp.m_usecount;
  if (vp.m_usecount > 0) return;
  Mount& mount = *vp.m_mount;
  if (vp.is_dead()) {
    mount.free_vnode(vp);
    return;
  }
  InactiveAction action = vp.m_ops->inactive(vp);
  // VOP_INACTIVE may not take references of its own.
  PROCSIM_ASSERT(vp.m_usecount == 0);
  if (action == InactiveAction::Keep) return;
  PROCSIM_ASSERT(!vp.is_root());
  vp.m_ops->reclaim(vp);
  vp.m_ops = nullptr;
  vp.m_type = VType::VBAD;
  mount.free_vnode(vp);
}

void vgone(Vnode& vp) {
  if (vp.is_dead()) return;
  PROCSIM_ASSERT_MSG(vp.m_mounted_here == nullptr, "revoking a directory something is mounted on");
  PROCSIM_ASSERT(!vp.is_root());
  vp.m_ops->reclaim(vp);
  vp.m_ops = nullptr;
  vp.m_type = VType::VBAD;
  PROCSIM_ASSERT(vp.is_dead());
  if (vp.m_usecount == 0) vp.m_mount->free_vnode(vp);
}

// ---- VnodeRef ----------------------------------------------------------------------------------

VnodeRef& VnodeRef::operator=(VnodeRef&& other) noexcept {
  if (this != &other) {
    reset();
    m_vnode = other.m_vnode;
    other.m_vnode = nullptr;
  }
  return *this;
}

VnodeRef VnodeRef::adopt(Vnode& vp) {
  PROCSIM_ASSERT(vp.usecount() > 0);
  VnodeRef ref;
  ref.m_vnode = &vp;
  return ref;
}

VnodeRef VnodeRef::acquire(Vnode& vp) {
  vref(vp);
  return adopt(vp);
}

Vnode& VnodeRef::operator*() const {
  PROCSIM_ASSERT(m_vnode != nullptr);
  return *m_vnode;
}

Vnode* VnodeRef::operator->() const {
  PROCSIM_ASSERT(m_vnode != nullptr);
  return m_vnode;
}

VnodeRef VnodeRef::share() const {
  PROCSIM_ASSERT(m_vnode != nullptr);
  return acquire(*m_vnode);
}

void VnodeRef::reset() {
  Vnode* vp = m_vnode;
  m_vnode = nullptr;
  if (vp != nullptr) vrele(*vp);
}

Vnode* VnodeRef::release() {
  Vnode* vp = m_vnode;
  m_vnode = nullptr;
  return vp;
}

// ---- VOP dispatch ------------------------------------------------------------------------------

namespace {

// A file system's create-like answer: a vnode the caller now holds a reference on.
KResult<VnodeRef> adopt_result(KResult<Vnode*> result) {
  Vnode* vp = TRY(std::move(result));
  PROCSIM_ASSERT(vp != nullptr);
  PROCSIM_ASSERT(vp->usecount() > 0);
  return VnodeRef::adopt(*vp);
}

// deadfs has VOP_PANIC for the directory-changing operations: namei never hands out a dead
// directory for them (its lookup answers ENOTDIR first).
void assert_live_directory(const Vnode& dvp) {
  PROCSIM_ASSERT_MSG(!dvp.is_dead(), "directory op on a dead vnode");
}

}  // namespace

KResult<VnodeRef> vop_lookup(Vnode& dvp, const ComponentName& cnp, const VfsContext& ctx) {
  if (dvp.is_dead()) return base::fail(Errno::Enotdir);  // dead_lookup
  PROCSIM_ASSERT(!cnp.name.empty());
  return adopt_result(dvp.ops()->lookup(dvp, cnp, ctx));
}

KResult<VnodeRef> vop_create(Vnode& dvp, const ComponentName& cnp, const Vattr& vap, const VfsContext& ctx) {
  assert_live_directory(dvp);
  return adopt_result(dvp.ops()->create(dvp, cnp, vap, ctx));
}

KResult<VnodeRef> vop_mkdir(Vnode& dvp, const ComponentName& cnp, const Vattr& vap, const VfsContext& ctx) {
  assert_live_directory(dvp);
  return adopt_result(dvp.ops()->mkdir(dvp, cnp, vap, ctx));
}

KResult<VnodeRef> vop_symlink(Vnode& dvp, const ComponentName& cnp, const Vattr& vap, std::string_view target,
                              const VfsContext& ctx) {
  assert_live_directory(dvp);
  return adopt_result(dvp.ops()->symlink(dvp, cnp, vap, target, ctx));
}

KResult<void> vop_remove(Vnode& dvp, Vnode& vp, const ComponentName& cnp, const VfsContext& ctx) {
  assert_live_directory(dvp);
  return dvp.ops()->remove(dvp, vp, cnp, ctx);
}

KResult<void> vop_rmdir(Vnode& dvp, Vnode& vp, const ComponentName& cnp, const VfsContext& ctx) {
  assert_live_directory(dvp);
  return dvp.ops()->rmdir(dvp, vp, cnp, ctx);
}

KResult<void> vop_rename(Vnode& fdvp, Vnode& fvp, const ComponentName& fcnp, Vnode& tdvp, Vnode* tvp,
                         const ComponentName& tcnp, const VfsContext& ctx) {
  if (fvp.is_dead()) return base::fail(Errno::Exdev);  // dead_rename
  assert_live_directory(fdvp);
  assert_live_directory(tdvp);
  return tdvp.ops()->rename(fdvp, fvp, fcnp, tdvp, tvp, tcnp, ctx);
}

KResult<void> vop_open(Vnode& vp, std::uint32_t fflags, const VfsContext& ctx) {
  if (vp.is_dead()) return base::fail(Errno::Enxio);  // dead_open
  return vp.ops()->open(vp, fflags, ctx);
}

KResult<void> vop_close(Vnode& vp, std::uint32_t fflags, const VfsContext& ctx) {
  if (vp.is_dead()) return {};  // the default VOP_NULL: no file system close runs
  return vp.ops()->close(vp, fflags, ctx);
}

KResult<void> vop_access(Vnode& vp, Accmode accmode, const VfsContext& ctx) {
  if (vp.is_dead()) return base::fail(Errno::Ebadf);
  return vp.ops()->access(vp, accmode, ctx);
}

KResult<Vattr> vop_getattr(Vnode& vp, const VfsContext& ctx) {
  if (vp.is_dead()) return base::fail(Errno::Ebadf);
  Vattr vap = TRY(vp.ops()->getattr(vp, ctx));
  PROCSIM_ASSERT(vap.type == vp.type());
  PROCSIM_ASSERT((vap.mode & ~kAllPerms) == 0);
  return vap;
}

KResult<void> vop_setattr(Vnode& vp, const SetattrRequest& request, const VfsContext& ctx) {
  if (vp.is_dead()) return base::fail(Errno::Ebadf);
  return vp.ops()->setattr(vp, request, ctx);
}

KResult<void> vop_read(Vnode& vp, Uio& uio, IoFlags ioflag, const VfsContext& ctx) {
  PROCSIM_ASSERT(uio.rw() == UioRw::Read);
  if (vp.is_dead()) {
    // dead_read: end of file for a terminal, EIO for everything else.
    if (vp.is_tty()) return {};
    return base::fail(Errno::Eio);
  }
  return vp.ops()->read(vp, uio, ioflag, ctx);
}

KResult<void> vop_write(Vnode& vp, Uio& uio, IoFlags ioflag, const VfsContext& ctx) {
  PROCSIM_ASSERT(uio.rw() == UioRw::Write);
  if (vp.is_dead()) return base::fail(Errno::Eio);  // dead_write
  return vp.ops()->write(vp, uio, ioflag, ctx);
}

KResult<void> vop_ioctl(Vnode& vp, std::uint32_t command, base::MutableByteSpan data, std::uint32_t fflags,
                        const VfsContext& ctx) {
  if (vp.is_dead()) return base::fail(Errno::Ebadf);
  return vp.ops()->ioctl(vp, command, data, fflags, ctx);
}

KResult<void> vop_readdir(Vnode& vp, Uio& uio, const VfsContext& ctx) {
  PROCSIM_ASSERT(uio.rw() == UioRw::Read);
  if (vp.is_dead()) return base::fail(Errno::Ebadf);
  return vp.ops()->readdir(vp, uio, ctx);
}

KResult<void> vop_readlink(Vnode& vp, Uio& uio, const VfsContext& ctx) {
  PROCSIM_ASSERT(uio.rw() == UioRw::Read);
  if (vp.is_dead()) return base::fail(Errno::Ebadf);
  return vp.ops()->readlink(vp, uio, ctx);
}

KResult<void> vop_advlock(Vnode& vp, bool exclusive, const VfsContext& ctx) {
  if (vp.is_dead()) return base::fail(Errno::Ebadf);
  return vp.ops()->advlock(vp, exclusive, ctx);
}

KResult<void> vaccess_vattr(const Vattr& vap, Accmode accmode, const Ucred& cred) {
  FileKind kind = vap.type == VType::VDIR ? FileKind::Directory : FileKind::NonDirectory;
  return vaccess(kind, vap.mode, vap.uid, vap.gid, accmode, cred);
}

}  // namespace procsim::vfs
