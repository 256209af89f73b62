// The procfs `rlimit` file (spec/procfs.md §3.3): one "<name> <cur> <max>" line per resource in
// index order, RLIM_INFINITY as -1, as many lines as the era's kernel had limits. The lines
// themselves come from model/kern/rlimit.h; 4.4BSD has no rlimit node.
#pragma once

#include <string>

#include "model/procfs/profile.h"
#include "model/procfs/snapshot.h"
#include "model/vfs/errno.h"

namespace procsim::procfs {

vfs::KResult<std::string> fill_rlimit(const ProcSnapshot& target, const ReaderView& reader, Era era);

}  // namespace procsim::procfs
