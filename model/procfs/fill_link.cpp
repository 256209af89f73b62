// curproc and file links. Facts: spec/procfs.md §1.5; FreeBSD 4 procfs_readlink() ("%ld",
// "unknown"), FreeBSD 8 procfs_docurproc() and procfs_doprocfile() of 2011 into a PATH_MAX sbuf.
#include "model/procfs/fill_link.h"

#include <fmt/format.h>

#include "sim/base/assert.h"

namespace procsim::procfs {

vfs::KResult<std::string> fill_curproc_link(Era era, kern::Pid reader) {
  PROCSIM_ASSERT_MSG(profile(era).curproc == CurprocForm::Symlink, "4.4BSD's curproc is not a link");
  PROCSIM_ASSERT(reader.value() >= 0);
  return fmt::format("{}", reader.value());
}

vfs::KResult<std::string> fill_file_link(Era era, const std::optional<std::string>& path) {
  const NodeRow& file = node_row(era, Node::File);
  PROCSIM_ASSERT_MSG(file.kind == VnodeKind::Symlink, "4.4BSD's file node is not a link");
  std::string target = path.value_or("unknown");
  // pfs_readlink() builds the target in a PATH_MAX sbuf, which keeps one byte for its NUL.
  if (era == Era::FreeBSD8 && target.size() >= kPathMax) return base::fail(vfs::Errno::Enametoolong);
  return target;
}

}  // namespace procsim::procfs
