// The mount list of one machine. Root first; each later mount covers a directory of an earlier
// one (8.3 kern/vfs_mount.c vfs_domount: ENOTDIR, EBUSY). Teardown unmounts newest first.
#include "model/vfs/vfs.h"

#include <utility>

#include "sim/base/assert.h"

namespace procsim::vfs {

Vfs::Vfs(Era era, std::size_t maxfiles) : m_era(era), m_files(era, maxfiles) {}

Vfs::~Vfs() {
  for (auto it = m_mounts.rbegin(); it != m_mounts.rend(); ++it) (*it)->deactivate();
  while (!m_mounts.empty()) m_mounts.pop_back();
}

KResult<Mount*> Vfs::mount_root(std::unique_ptr<FileSystem> filesystem, MountOptions options) {
  PROCSIM_ASSERT_MSG(m_mounts.empty(), "the root file system is mounted once");
  if (options.on.empty()) options.on = "/";
  return add_mount(std::move(filesystem), VnodeRef(), std::move(options));
}

KResult<Mount*> Vfs::mount(std::unique_ptr<FileSystem> filesystem, VnodeRef covered, MountOptions options) {
  PROCSIM_ASSERT(has_root());
  PROCSIM_ASSERT(covered);
  if (covered->type() != VType::VDIR) return base::fail(Errno::Enotdir);
  if (covered->mounted_here() != nullptr) return base::fail(Errno::Ebusy);
  return add_mount(std::move(filesystem), std::move(covered), std::move(options));
}

KResult<Mount*> Vfs::add_mount(std::unique_ptr<FileSystem> filesystem, VnodeRef covered,
                               MountOptions options) {
  std::size_t index = m_mounts.size();
  // Without a number from the caller, a mount gets one the way vfs_getnewfsid() forms its first
  // word: major 255 and a per-boot sequence number as the minor.
  std::uint32_t fsid = options.fsid.value_or(makedev(255, static_cast<std::uint32_t>(index)));
  auto mount = std::make_unique<Mount>(*this, index, std::move(filesystem), std::move(options), fsid);
  TRY(mount->activate(std::move(covered)));
  m_mounts.push_back(std::move(mount));
  PROCSIM_ASSERT(m_mounts.back()->index() == index);
  return m_mounts.back().get();
}

Vnode& Vfs::root_vnode() const {
  PROCSIM_ASSERT(has_root());
  return m_mounts.front()->root();
}

std::vector<Mount*> Vfs::mounts() const {
  std::vector<Mount*> result;
  result.reserve(m_mounts.size());
  for (const auto& mount : m_mounts) result.push_back(mount.get());
  return result;
}

}  // namespace procsim::vfs
