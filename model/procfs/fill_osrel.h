// The procfs `osrel` file of FreeBSD 8 (spec/procfs.md §3.6): reads print p_osrel as "%d\n";
// writes have their trailing whitespace trimmed, must then be all decimal digits (an empty
// string sets 0) and are checked for overflow the way the 2009 code checks it. The vnode-ops
// eras have no osrel node.
#pragma once

#include <cstdint>
#include <string>

#include "model/procfs/profile.h"
#include "model/procfs/snapshot.h"
#include "model/vfs/errno.h"
#include "sim/base/bytes.h"

namespace procsim::procfs {

vfs::KResult<std::string> fill_osrel(const ProcSnapshot& target, const ReaderView& reader, Era era);

// The p_osrel value a write of `data` sets, or EINVAL. The overflow test compares each step's
// 32-bit (wrapping) result with the previous value, so a ten-digit string whose step wraps to a
// larger number is accepted modulo 2^32 ("5000000000" sets 705032704), as the code behaves.
vfs::KResult<std::int32_t> parse_osrel_write(Era era, base::ByteSpan data);

}  // namespace procsim::procfs
