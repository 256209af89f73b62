// procfs as a mounted file system, one instance per mount and era: the vnode cache (one vnode per
// (node, pid), as FreeBSD 4's procfs_allocvp() list and FreeBSD 8's pfs_vncache keep them), the
// per-vnode state the vnode-ops eras keep (mem's exclusive-open bits), statfs, the exit hook that
// revokes a process's vnodes (spec/procfs.md §8.5) and mount_procfs(). Unmounting, NFS export and
// vnode recycling under memory pressure are not modelled: a vnode lives until its process exits.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "model/kern/kernel.h"
#include "model/procfs/access.h"
#include "model/procfs/procfs_vnops.h"
#include "model/procfs/profile.h"
#include "model/vfs/mount.h"
#include "model/vfs/vfs.h"
#include "model/vfs/vnode.h"
#include "sim/base/bytes.h"

namespace procsim::vm {
class VmMap;
}

namespace procsim::procfs {

// What procfs reads from layers that hang off a process but are wired up elsewhere (the
// executable, the address space, the machine registers). Each seam is optional; without it the
// node answers as the comment says.
struct ProcfsSeams {
  // The executable's full path: the `file` link (4.4BSD: the vnode lookup of `file` returns).
  // Without it (or when it answers none) the link reads "unknown" and 4.4BSD's lookup is ENOENT.
  std::function<std::optional<std::string>(const kern::Proc&)> text_path;
  // The process's VM map (default: its vmspace); none: no address space, so `map` is empty.
  std::function<const vm::VmMap*(const kern::Proc&)> vm_map;
  // The register image of a node (Regs, Fpregs, Dbregs) in the target's native layout, and a
  // write-back. Without them the register files fail with EIO (as for a swapped-out process).
  std::function<vfs::KResult<base::Bytes>(kern::Proc&, Node)> read_registers;
  std::function<vfs::KResult<void>(kern::Proc&, Node, base::ByteSpan)> write_registers;
  // Moves bytes at a target address: the count moved, or an error before any. Without them `mem`
  // uses the kernel's proc_rwmem().
  std::function<vfs::KResult<std::size_t>(kern::Proc&, std::uint64_t, base::MutableByteSpan)> read_memory;
  std::function<vfs::KResult<std::size_t>(kern::Proc&, std::uint64_t, base::ByteSpan)> write_memory;
  // sizeof(struct reg), fpreg, dbreg of a target for getattr (FreeBSD 4's st_size); amd64's by
  // default.
  RegisterSizes register_sizes{176, 512, 128};
  // sizeof(unsigned long) of the readers: 8 for LP64 (struct procfs_status of 32 bytes), 4 for
  // ILP32 (20 bytes).
  std::size_t long_bytes = 8;
};

class ProcfsFileSystem final : public vfs::FileSystem {
 public:
  ProcfsFileSystem(kern::Kernel& kernel, Era era, ProcfsSeams seams);
  ~ProcfsFileSystem() override;

  std::string_view fstypename() const override { return "procfs"; }
  vfs::KResult<void> attach(vfs::Mount& mount) override;
  vfs::Vnode& root() override;
  vfs::StatfsCounts statfs() const override;

  kern::Kernel& kernel() const { return *m_kernel; }
  Era era() const { return m_era; }
  const ProcfsSeams& seams() const { return m_seams; }

  // The vnode of `node` of process `pid` (pid 0 for the root and curproc), allocated on first
  // use. The caller gets no reference: take one before keeping it.
  vfs::Vnode& vnode_for(Node node, kern::Pid pid);
  // procfs_exit() / pfs_exit(): revokes every vnode of `pid`; descriptors on them answer as
  // deadfs from now on.
  void revoke_process(kern::Pid pid);
  // Forgets a vnode being reclaimed.
  void forget(const vfs::Vnode& vp);

  // The mem node's exclusive-open state of the vnode-ops eras, kept per vnode.
  MemOpenState& mem_state(const vfs::Vnode& vp);

 private:
  kern::Kernel* m_kernel;
  Era m_era;
  ProcfsSeams m_seams;
  ProcfsVnodeOps m_ops;
  vfs::Mount* m_mount = nullptr;
  std::map<std::uint64_t, vfs::Vnode*> m_vnodes;  // by (node, pid) key
  std::map<std::uint64_t, MemOpenState> m_mem_states;
};

// v_data of a procfs vnode: the node and the pid.
std::uint64_t pack_vnode_key(Node node, kern::Pid pid);
Node key_node(std::uint64_t key);
kern::Pid key_pid(std::uint64_t key);

// Mounts procfs of `era` on the directory `on` (normally /proc; it must exist and be a directory)
// and registers the kernel hooks: revocation at exit and, in the vnode-ops eras, the waker of a
// ctl `wait` when the target stops. The kernel must outlive nothing the mount owns: destroy the
// kernel before the Vfs.
vfs::KResult<vfs::Mount*> mount_procfs(vfs::Vfs& vfs, kern::Kernel& kernel, Era era,
                                       std::string_view on = "/proc", ProcfsSeams seams = {});

}  // namespace procsim::procfs
