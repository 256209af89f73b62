// The procfs `etype` file (spec/procfs.md §3.4): the name of the process's ABI (its sysentvec's
// sv_name) and a newline, or "Not Available\n" without one. Which name a process has is the
// kernel's business; 4.4BSD has no etype node.
#pragma once

#include <string>

#include "model/procfs/profile.h"
#include "model/procfs/snapshot.h"
#include "model/vfs/errno.h"

namespace procsim::procfs {

vfs::KResult<std::string> fill_etype(const ProcSnapshot& target, const ReaderView& reader, Era era);

}  // namespace procsim::procfs
