// note / notepg. Facts: spec/procfs.md §5.1; procfs_donote() with vfs_getuserstr() (offset, then
// size) in the vnode-ops eras, procfs_doprocnote() and pfs_read()'s PFS_RD check in FreeBSD 8.
#include "model/procfs/fill_note.h"

#include "sim/base/assert.h"

namespace procsim::procfs {

vfs::Errno note_write_error(Era era, base::ByteSpan data, std::int64_t offset) {
  PROCSIM_ASSERT(find_node(era, Node::Note) != nullptr);
  if (era == Era::FreeBSD8) return vfs::Errno::Eopnotsupp;
  if (offset != 0) return vfs::Errno::Einval;
  if (data.size() > kProcfsNoteLen) return vfs::Errno::Emsgsize;
  return vfs::Errno::Eopnotsupp;
}

vfs::Errno note_read_error(Era era) {
  PROCSIM_ASSERT(find_node(era, Node::Note) != nullptr);
  return era == Era::FreeBSD8 ? vfs::Errno::Ebadf : vfs::Errno::Einval;
}

}  // namespace procsim::procfs
