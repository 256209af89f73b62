// The procfs `cmdline` file with each era's fallback rules (spec/procfs.md §3.5): the cached
// arguments when the reader may see them, else 16 raw bytes of p_comm (FreeBSD 4) or p_comm up to
// its NUL (FreeBSD 8) for another process, else the reader's own argv from its memory. 4.4BSD
// has no cmdline node. The 9.3 variant that reads any process's argv is not modelled.
#pragma once

#include <string>

#include "model/procfs/profile.h"
#include "model/procfs/snapshot.h"
#include "model/vfs/errno.h"

namespace procsim::procfs {

// FreeBSD 4 reads at most this many bytes of the reader's own argv.
inline constexpr std::size_t kCmdlineOwnArgvMax = 256;

// The whole cmdline text. EFAULT when the reader's own argv is needed but unreadable.
vfs::KResult<std::string> fill_cmdline(const ProcSnapshot& target, const ReaderView& reader, Era era);

}  // namespace procsim::procfs
