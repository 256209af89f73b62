// proc_rwmem() (spec/kernel.md §2.5, spec/procfs.md §5.2): a debugger reading or writing another
// process's memory a page at a time. Reads fault with READ and may find the page in a backing
// object; writes fault with WRITE|OVERRIDE_WRITE, so max_protection governs and read-only text
// gets a private copy-on-write copy (the file never changes). Permission checks and the
// uio/offset bookkeeping belong to the callers (procfs mem, ptrace).
#pragma once

#include <cstddef>
#include <optional>

#include "model/vm/vm_map.h"
#include "sim/base/bytes.h"

namespace procsim::vm {

// Bytes moved before the first error, and that error (ENOMEM when swap for a copy-on-write was
// refused, EFAULT otherwise). A zero-length transfer moves nothing and cannot fail.
struct RwmemResult {
  std::size_t moved = 0;
  std::optional<VmErrno> error;
};

// `debugger` is the thread doing the access: a write that copies an uncharged entry charges the
// debugger's ruid for the whole entry (§5.3).
RwmemResult proc_rwmem_read(VmMap& target, VmOffset addr, base::MutableByteSpan out,
                            const Caller& debugger);
RwmemResult proc_rwmem_write(VmMap& target, VmOffset addr, base::ByteSpan in,
                             const Caller& debugger);

}  // namespace procsim::vm
