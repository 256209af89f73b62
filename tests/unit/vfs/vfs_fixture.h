// A small machine for VFS tests: a memfs root with /bin, /tmp, /dev and /proc, a second file
// system ("pseudo") that answers the way an 8.x procfs does (DELETE/RENAME lookups EOPNOTSUPP,
// setattr EOPNOTSUPP, a last-close hook that looks at the use count), credentials for root and
// an ordinary user, and a descriptor table.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/vfs/memfs.h"
#include "model/vfs/namei.h"
#include "model/vfs/vfs.h"
#include "model/vfs/vfs_syscalls.h"

namespace procsim::vfs::testing {

inline constexpr Timespec kBootTime{1243080000, 0};  // 2009-05-23 12:00:00 UTC

// A read-only pseudo file system: a root directory holding "mem" (mode 0600, owner root) and
// "status" (0444). Records what its vnode operations saw.
class PseudoFs final : public FileSystem, public VnodeOps {
 public:
  enum Node : std::uint64_t { Root = 1, Mem = 2, Status = 3 };

  std::string_view fstypename() const override { return "pseudo"; }
  KResult<void> attach(Mount& mount) override {
    m_mount = &mount;
    return {};
  }
  Vnode& root() override { return vnode(Root); }
  StatfsCounts statfs() const override {
    StatfsCounts counts;
    counts.bsize = counts.iosize = kPageSize;
    counts.blocks = 1;
    counts.files = 1;
    return counts;
  }

  KResult<Vnode*> lookup(Vnode& dvp, const ComponentName& cnp, const VfsContext&) override {
    if (cnp.is_last && (cnp.op == NameiOp::Delete || cnp.op == NameiOp::Rename)) {
      return base::fail(Errno::Eopnotsupp);
    }
    Vnode* found = nullptr;
    if (cnp.name == "." || cnp.name == "..") found = &dvp;  // ".." of the root never gets here
    if (cnp.name == "mem") found = &vnode(Mem);
    if (cnp.name == "status") found = &vnode(Status);
    if (found == nullptr) return base::fail(Errno::Enoent);
    vref(*found);
    return found;
  }
  KResult<Vattr> getattr(Vnode& vp, const VfsContext& ctx) override {
    Vattr vap;
    vap.type = vp.type();
    vap.mode = vp.fs_data() == Root ? 0555 : vp.fs_data() == Mem ? 0600 : 0444;
    vap.nlink = 1;
    vap.fileid = vp.fs_data();
    vap.blocksize = kPageSize;
    vap.atime = vap.mtime = vap.ctime = ctx.now;
    return vap;
  }
  KResult<void> open(Vnode& vp, std::uint32_t, const VfsContext&) override {
    opens.push_back(vp.fs_data());
    return {};
  }
  KResult<void> close(Vnode& vp, std::uint32_t, const VfsContext&) override {
    close_usecounts.push_back(vp.usecount());
    return {};
  }
  KResult<void> read(Vnode&, Uio& uio, IoFlags, const VfsContext&) override {
    static constexpr std::uint8_t kText[] = {'p', 'i', 'd', ' ', '7', '\n'};
    if (uio.offset() < static_cast<std::int64_t>(sizeof kText)) {
      uio.move_out(base::ByteSpan(kText).subspan(static_cast<std::size_t>(uio.offset())));
    }
    return {};
  }
  // pseudofs has no advisory locks.
  KResult<void> advlock(Vnode&, bool, const VfsContext&) override { return base::fail(Errno::Eopnotsupp); }
  void reclaim(Vnode& vp) override {
    reclaimed.push_back(vp.fs_data());
    m_vnodes[vp.fs_data()] = nullptr;
  }

  Vnode& vnode(std::uint64_t node) {
    if (m_vnodes[node] == nullptr) {
      m_vnodes[node] = &m_mount->allocate_vnode(node == Root ? VType::VDIR : VType::VREG, *this, node);
    }
    return *m_vnodes[node];
  }

  std::vector<std::uint64_t> opens;
  std::vector<std::uint32_t> close_usecounts;
  std::vector<std::uint64_t> reclaimed;

 private:
  Mount* m_mount = nullptr;
  Vnode* m_vnodes[4] = {nullptr, nullptr, nullptr, nullptr};
};

// The machine. Member order matters: the descriptor table goes before the Vfs.
class Machine {
 public:
  explicit Machine(Era machine_era = Era::FreeBSD8)
      : era(machine_era),
        vfs(machine_era),
        root_cred(make_ucred(kRootUid, std::vector<Gid>{Gid(0)}, group_rules(machine_era))),
        user_cred(make_ucred(Uid(1001), std::vector<Gid>{Gid(20)}, group_rules(machine_era))),
        fdt(vfs.files()) {
    MemfsNodeSpec root_spec;
    root_spec.at(kBootTime);
    auto memfs_owner = std::make_unique<Memfs>(vfs.devices(), MemfsParams{}, root_spec);
    memfs = memfs_owner.get();
    MountOptions root_options;
    root_options.from = "/dev/ad0s1a";
    root_options.fsid = 0x5a00;
    PROCSIM_ASSERT(vfs.mount_root(std::move(memfs_owner), root_options).ok());
    populate();
    fdt.set_fd_limit(64);
    fdt.set_cdir(VnodeRef::acquire(vfs.root_vnode()));
    fdt.set_rdir(VnodeRef::acquire(vfs.root_vnode()));
  }

  VfsContext ctx(const Ucred& cred) const { return VfsContext{cred, fdt.rdir(), fdt.cdir(), 400, era, now}; }
  VfsContext root_ctx() const { return ctx(root_cred); }
  VfsContext user_ctx() const { return ctx(user_cred); }

  // Mounts the pseudo file system on /proc.
  PseudoFs& mount_pseudo() {
    auto owner = std::make_unique<PseudoFs>();
    PseudoFs& fs = *owner;
    NameiRequest request;
    request.path = "/proc";
    auto covered = namei(root_ctx(), request);
    PROCSIM_ASSERT(covered.ok());
    MountOptions options;
    options.from = "procfs";
    options.on = "/proc";
    PROCSIM_ASSERT(vfs.mount(std::move(owner), std::move(covered.value().vp), options).ok());
    return fs;
  }

  std::string read_all(const VfsContext& context, int fd) {
    std::string text;
    std::vector<std::uint8_t> buffer(64);
    while (true) {
      auto n = kern_read(context, fdt, fd, buffer);
      PROCSIM_ASSERT(n.ok());
      if (n.value() == 0) return text;
      text.append(reinterpret_cast<const char*>(buffer.data()), n.value());
    }
  }

  Era era;
  Timespec now{1243080600, 0};
  Vfs vfs;
  Memfs* memfs = nullptr;
  Ucred root_cred;
  Ucred user_cred;
  FileTable fdt;

 private:
  void populate() {
    MemfsNodeSpec dir;
    dir.at(kBootTime);
    PROCSIM_ASSERT(memfs->make_directory("/bin", dir).ok());
    MemfsNodeSpec tmp = dir;
    tmp.mode = 01777;
    PROCSIM_ASSERT(memfs->make_directory("/tmp", tmp).ok());
    PROCSIM_ASSERT(memfs->make_directory("/dev", dir).ok());
    MemfsNodeSpec proc = dir;
    proc.mode = 0555;
    PROCSIM_ASSERT(memfs->make_directory("/proc", proc).ok());
    MemfsNodeSpec ps;
    ps.at(kBootTime);
    ps.mode = 0555;
    ps.uid = Uid(3);  // bin
    ps.gid = Gid(7);
    ps.ino = 1554;
    ps.size = 90112;
    PROCSIM_ASSERT(memfs->make_file("/bin/ps", base::Bytes{0x7f, 'E', 'L', 'F'}, ps).ok());
    MemfsNodeSpec null_spec;
    null_spec.at(kBootTime);
    null_spec.mode = 0666;
    PROCSIM_ASSERT(memfs->make_device("/dev/null", VType::VCHR, makedev(2, 2), null_spec).ok());
    vfs.devices().attach(makedev(2, 2), vfs.devices().null_device());
  }
};

inline base::ByteSpan bytes_of(std::string_view text) {
  return base::ByteSpan(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

}  // namespace procsim::vfs::testing
