// The procfs `map` file per era (spec/procfs.md §3.2): which of model/vm's line formats an era
// prints and the checks FreeBSD 8 makes inside the fill. The lines themselves (columns, object
// addresses, charges) are vm::format_map()'s; how a read's offset cuts them is text_read.h's.
// 4.4BSD has no map node.
#pragma once

#include <string>

#include "model/procfs/profile.h"
#include "model/procfs/snapshot.h"
#include "model/vfs/errno.h"
#include "model/vm/map_format.h"

namespace procsim::procfs {

// FreeBSD 4: the unconfirmed 12-token form; FreeBSD 8: the 15 tokens of the 2009 swap accounting.
vm::MapFormat map_format(Era era);

// The map text of `map` for `reader`. FreeBSD 8: p_candebug()'s error as it is, a 32-bit reader of
// a 64-bit target EOPNOTSUPP, and a 32-bit reader sees every object address as NULL. `addresses`
// is the kernel's fake object-address model (64- or 32-bit kernel).
vfs::KResult<std::string> fill_map(const vm::VmMap& map, const ReaderView& reader, Era era,
                                   const vm::KernelAddressModel& addresses);

}  // namespace procsim::procfs
