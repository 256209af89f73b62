// procfs's vnode operations for every era (spec/procfs.md §1, §3-§8): lookup of pids and node
// names, getattr from the era's table, access through the era's gates, open and close (mem's
// exclusivity and last-close release), read and write through the fill functions, the ctl state
// machine, note and osrel, readlink of curproc and file, readdir records and the PIOC ioctls.
// The pure decisions live in profile.h, access.h, dirent.h, ctl.h and the fill_* files; this
// layer finds the processes, applies effects to the kernel and owns offsets and sleeps.
#pragma once

#include <cstdint>
#include <optional>

#include "model/kern/kernel.h"
#include "model/procfs/ctl.h"
#include "model/procfs/profile.h"
#include "model/procfs/snapshot.h"
#include "model/vfs/vnode.h"

namespace procsim::procfs {

class ProcfsFileSystem;

class ProcfsVnodeOps final : public vfs::VnodeOps {
 public:
  explicit ProcfsVnodeOps(ProcfsFileSystem& fs) : m_fs(&fs) {}

  vfs::KResult<vfs::Vnode*> lookup(vfs::Vnode& dvp, const vfs::ComponentName& cnp,
                                   const vfs::VfsContext& ctx) override;
  vfs::KResult<void> open(vfs::Vnode& vp, std::uint32_t fflags, const vfs::VfsContext& ctx) override;
  vfs::KResult<void> close(vfs::Vnode& vp, std::uint32_t fflags, const vfs::VfsContext& ctx) override;
  vfs::KResult<void> access(vfs::Vnode& vp, vfs::Accmode accmode, const vfs::VfsContext& ctx) override;
  vfs::KResult<vfs::Vattr> getattr(vfs::Vnode& vp, const vfs::VfsContext& ctx) override;
  vfs::KResult<void> setattr(vfs::Vnode& vp, const vfs::SetattrRequest& request,
                             const vfs::VfsContext& ctx) override;
  vfs::KResult<void> read(vfs::Vnode& vp, vfs::Uio& uio, vfs::IoFlags ioflag,
                          const vfs::VfsContext& ctx) override;
  vfs::KResult<void> write(vfs::Vnode& vp, vfs::Uio& uio, vfs::IoFlags ioflag,
                           const vfs::VfsContext& ctx) override;
  vfs::KResult<void> ioctl(vfs::Vnode& vp, std::uint32_t command, base::MutableByteSpan data,
                           std::uint32_t fflags, const vfs::VfsContext& ctx) override;
  vfs::KResult<void> readdir(vfs::Vnode& vp, vfs::Uio& uio, const vfs::VfsContext& ctx) override;
  vfs::KResult<void> readlink(vfs::Vnode& vp, vfs::Uio& uio, const vfs::VfsContext& ctx) override;
  vfs::KResult<void> advlock(vfs::Vnode& vp, bool exclusive, const vfs::VfsContext& ctx) override;
  vfs::InactiveAction inactive(vfs::Vnode& vp) override;
  void reclaim(vfs::Vnode& vp) override;

 private:
  // The node's attributes as the era's table computes them; ENOENT when its process is gone or
  // (FreeBSD 8) the node is not visible to the caller.
  vfs::KResult<NodeAttributes> attributes(const vfs::Vnode& vp, const vfs::VfsContext& ctx) const;
  // The live process a node belongs to: FreeBSD 8 also hides P_WEXIT and unseen processes.
  kern::Proc* target_of(kern::Pid pid, const vfs::VfsContext& ctx) const;
  // FreeBSD 8's pfs_visible() for a node of a process.
  bool visible(Node node, kern::Pid pid, const vfs::VfsContext& ctx) const;
  kern::Proc* caller(const vfs::VfsContext& ctx) const;
  ReaderView reader_view(const vfs::VfsContext& ctx, const kern::Proc& target) const;

  vfs::KResult<vfs::Vnode*> lookup_in_root(vfs::Vnode& dvp, const vfs::ComponentName& cnp,
                                           const vfs::VfsContext& ctx);
  vfs::KResult<vfs::Vnode*> lookup_in_proc_dir(vfs::Vnode& dvp, const vfs::ComponentName& cnp,
                                               const vfs::VfsContext& ctx);
  vfs::KResult<vfs::Vnode*> lookup_text_vnode(kern::Proc& target, const vfs::VfsContext& ctx);
  // The checks every read and write makes before the node's own; the target on success.
  vfs::KResult<kern::Proc*> check_io(const vfs::Vnode& vp, bool is_write, const vfs::VfsContext& ctx) const;

  vfs::KResult<void> read_generated(Node node, kern::Proc& target, vfs::Uio& uio, const vfs::VfsContext& ctx);
  vfs::KResult<void> read_registers(Node node, kern::Proc& target, vfs::Uio& uio, const vfs::VfsContext& ctx);
  vfs::KResult<void> write_registers(Node node, kern::Proc& target, vfs::Uio& uio,
                                     const vfs::VfsContext& ctx);
  vfs::KResult<void> transfer_memory(kern::Proc& target, vfs::Uio& uio, const vfs::VfsContext& ctx);
  vfs::KResult<void> write_ctl(kern::Proc& target, vfs::Uio& uio, const vfs::VfsContext& ctx);
  vfs::KResult<void> run_ctl_wait(CtlWaitLoop loop, kern::Pid target_pid, const vfs::VfsContext& ctx);
  vfs::KResult<void> write_osrel(kern::Proc& target, vfs::Uio& uio);

  vfs::KResult<void> pioc(kern::Proc& target, std::uint32_t command, base::MutableByteSpan data,
                          const vfs::VfsContext& ctx);
  vfs::KResult<void> pioc_wait(kern::Proc& target, base::MutableByteSpan data, const vfs::VfsContext& ctx);
  void release_stops(kern::Pid pid);

  ProcfsFileSystem* m_fs;
};

}  // namespace procsim::procfs
