// The `note` and `notepg` files (spec/procfs.md §5.1), never implemented in any era: what a read
// and a write of them return. The vnode-ops eras check the write's offset (EINVAL) and size
// (more than PROCFS_NOTELEN = 64 bytes: EMSGSIZE) before giving up with EOPNOTSUPP; FreeBSD 8
// trims the text and gives up; a read is EINVAL (vnode-ops eras) or EBADF (write-only pseudofs
// node).
#pragma once

#include <cstddef>
#include <cstdint>

#include "model/procfs/profile.h"
#include "model/vfs/errno.h"
#include "sim/base/bytes.h"

namespace procsim::procfs {

inline constexpr std::size_t kProcfsNoteLen = 64;

// The error a write of `data` at file offset `offset` returns. Never succeeds.
vfs::Errno note_write_error(Era era, base::ByteSpan data, std::int64_t offset);

// The error a read returns. Never succeeds.
vfs::Errno note_read_error(Era era);

}  // namespace procsim::procfs
