// The bridge from the kernel's live state to the pure inputs of procfs's fill functions and
// decision tables: a ProcSnapshot of one process, the reader's view of a target under kern's
// policies, and the ctl state machine's view of a target. Terminal device numbers come from a
// small table of the terminal names the simulator creates; jail host names are not modelled.
#pragma once

#include "model/kern/kernel.h"
#include "model/procfs/ctl.h"
#include "model/procfs/profile.h"
#include "model/procfs/snapshot.h"

namespace procsim::procfs {

// kern.ps_arg_cache_limit: longer argument lists are not cached (spec §3.5).
inline constexpr std::size_t kPsArgCacheLimit = 256;

// `reader_prison` is the prison of the process reading, which FreeBSD 8 names jails relative to.
ProcSnapshot snapshot_of(kern::Kernel& kernel, const kern::Proc& p,
                         vfs::PrisonId reader_prison = vfs::kPrison0);

// prison_name(): a jail's name as a reader in `reader` sees it. Unnamed jails are named by their
// id, a child's full name being its parent's, a dot and its own ("1.2"); the reader's own jail
// is "0", and a jail beneath the reader's loses the reader's leading components.
std::string prison_name(const kern::PrisonTree& prisons, vfs::PrisonId reader, vfs::PrisonId target);

// make_reader_view() over the kernel's policies.
ReaderView reader_view_of(const kern::Kernel& kernel, const kern::Proc& reader, const kern::Proc& target);

CtlTarget ctl_target_of(const kern::Kernel& kernel, const kern::Proc& target);

}  // namespace procsim::procfs
