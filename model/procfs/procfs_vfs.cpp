// The procfs mount: vnodes cached per (node, pid) while their process lives, revoked at its exit
// (spec/procfs.md §1.4, §8.5), statfs as each era reports it (§8.6) and the mount call.
#include "model/procfs/procfs_vfs.h"

#include <utility>
#include <vector>

#include "model/vfs/namei.h"
#include "sim/base/assert.h"

namespace procsim::procfs {

namespace {

constexpr std::uint64_t kPidMask = 0xffffffffULL;

vfs::VType vtype_of(VnodeKind kind) {
  switch (kind) {
    case VnodeKind::Directory: return vfs::VType::VDIR;
    case VnodeKind::Regular: return vfs::VType::VREG;
    case VnodeKind::Symlink: return vfs::VType::VLNK;
  }
  PROCSIM_UNREACHABLE();
}

}  // namespace

std::uint64_t pack_vnode_key(Node node, kern::Pid pid) {
  PROCSIM_ASSERT(pid.value() >= 0);
  return (std::uint64_t{static_cast<std::uint8_t>(node)} << 32) | static_cast<std::uint64_t>(pid.value());
}

Node key_node(std::uint64_t key) {
  auto raw = static_cast<std::uint8_t>(key >> 32);
  PROCSIM_ASSERT(raw < kNodeCount);
  return static_cast<Node>(raw);
}

kern::Pid key_pid(std::uint64_t key) { return kern::Pid(static_cast<std::int32_t>(key & kPidMask)); }

ProcfsFileSystem::ProcfsFileSystem(kern::Kernel& kernel, Era era, ProcfsSeams seams)
    : m_kernel(&kernel), m_era(era), m_seams(std::move(seams)), m_ops(*this) {}

ProcfsFileSystem::~ProcfsFileSystem() = default;

vfs::KResult<void> ProcfsFileSystem::attach(vfs::Mount& mount) {
  PROCSIM_ASSERT(m_mount == nullptr);
  m_mount = &mount;
  (void)vnode_for(Node::Root, kern::Pid(0));
  return {};
}

vfs::Vnode& ProcfsFileSystem::root() { return vnode_for(Node::Root, kern::Pid(0)); }

// FreeBSD 4: f_files = maxproc, f_ffree = maxproc - nprocs; FreeBSD 8: files 1, ffree 0. Both:
// one block of PAGE_SIZE, none free.
vfs::StatfsCounts ProcfsFileSystem::statfs() const {
  vfs::StatfsCounts counts;
  counts.bsize = vfs::kPageSize;
  counts.iosize = vfs::kPageSize;
  counts.blocks = 1;
  counts.bfree = 0;
  counts.bavail = 0;
  if (m_era == Era::FreeBSD8) {
    counts.files = 1;
    counts.ffree = 0;
  } else {
    std::uint64_t maxproc = m_kernel->config().params.maxproc;
    auto nprocs = static_cast<std::int64_t>(m_kernel->allproc().size());
    counts.files = maxproc;
    counts.ffree = static_cast<std::int64_t>(maxproc) - nprocs;
  }
  return counts;
}

vfs::Vnode& ProcfsFileSystem::vnode_for(Node node, kern::Pid pid) {
  PROCSIM_ASSERT(m_mount != nullptr);
  std::uint64_t key = pack_vnode_key(node, pid);
  auto found = m_vnodes.find(key);
  if (found != m_vnodes.end()) {
    PROCSIM_ASSERT(!found->second->is_dead());
    return *found->second;
  }
  const NodeRow& row = node_row(m_era, node);
  vfs::Vnode& vp = m_mount->allocate_vnode(vtype_of(row.kind), m_ops, key);
  m_vnodes.emplace(key, &vp);
  PROCSIM_ASSERT(vp.fs_data() == key);
  return vp;
}

void ProcfsFileSystem::revoke_process(kern::Pid pid) {
  std::vector<vfs::Vnode*> doomed;
  for (const auto& [key, vp] : m_vnodes) {
    if (key_node(key) != Node::Root && key_node(key) != Node::Curproc && key_pid(key) == pid) {
      doomed.push_back(vp);
    }
  }
  // vgone() reclaims through forget(), which edits m_vnodes: collect first.
  for (vfs::Vnode* vp : doomed) vfs::vgone(*vp);
  PROCSIM_ASSERT(doomed.empty() || m_vnodes.find(pack_vnode_key(Node::ProcDir, pid)) == m_vnodes.end());
}

void ProcfsFileSystem::forget(const vfs::Vnode& vp) {
  std::uint64_t key = vp.fs_data();
  auto found = m_vnodes.find(key);
  PROCSIM_ASSERT(found != m_vnodes.end() && found->second == &vp);
  m_vnodes.erase(found);
  m_mem_states.erase(key);
}

MemOpenState& ProcfsFileSystem::mem_state(const vfs::Vnode& vp) {
  PROCSIM_ASSERT(key_node(vp.fs_data()) == Node::Mem);
  return m_mem_states[vp.fs_data()];
}

vfs::KResult<vfs::Mount*> mount_procfs(vfs::Vfs& vfs, kern::Kernel& kernel, Era era, std::string_view on,
                                       ProcfsSeams seams) {
  PROCSIM_ASSERT(vfs.has_root());
  const vfs::Gid wheel(0);
  vfs::Ucred root_cred =
      vfs::make_ucred(vfs::kRootUid, std::span<const vfs::Gid>(&wheel, 1), vfs::group_rules(era));
  vfs::VfsContext ctx{root_cred, &vfs.root_vnode(), &vfs.root_vnode(), 0, era, {}};
  vfs::NameiRequest request;
  request.path = on;
  vfs::NameiResult nd = TRY(vfs::namei(ctx, request));
  auto filesystem = std::make_unique<ProcfsFileSystem>(kernel, era, std::move(seams));
  ProcfsFileSystem* fs = filesystem.get();
  vfs::MountOptions options;
  options.from = "procfs";
  options.on = std::string(on);
  vfs::Mount* mount = TRY(vfs.mount(std::move(filesystem), std::move(nd.vp), std::move(options)));
  kernel.add_exit_hook([fs](kern::Proc& p) { fs->revoke_process(p.pid()); });
  // spec/procfs.md §4.4, README decision: in FreeBSD 4 a ctl `wait` sleeping on the target is
  // woken when the target stops, and (so that it cannot sleep forever) when it exits. 4.4BSD's
  // loop is the same and gets the same waker.
  if (era != Era::FreeBSD8) {
    auto wake_waiters = [&kernel](kern::Proc& p) {
      kernel.wakeup(kern::WaitChannel{kern::WaitChannel::Kind::Proc, p.pid().value()});
    };
    kernel.add_stop_hook(wake_waiters);
    kernel.add_exit_hook(wake_waiters);
  }
  return mount;
}

}  // namespace procsim::procfs
