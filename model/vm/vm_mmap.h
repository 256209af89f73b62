// The memory system calls at the VM boundary, after 8.3 vm_mmap.c and vm_unix.c: mmap (once the
// kernel has resolved the descriptor to an object and a maximum protection), munmap, mprotect
// and break. Argument checks and KERN_* → errno translation are FreeBSD's; descriptor checks,
// MAP_SHARED write-back to files and wiring (MAP_WIREFUTURE) are not here.
#pragma once

#include <cstdint>
#include <optional>

#include "model/vm/vm_map.h"
#include "sim/base/result.h"

namespace procsim::vm {

// mmap(2) flag bits (sys/mman.h). Not spelled MAP_SHARED etc.: host <sys/mman.h> defines those
// as macros.
constexpr std::uint32_t kMapShared = 0x0001;
constexpr std::uint32_t kMapPrivate = 0x0002;
constexpr std::uint32_t kMapFixed = 0x0010;
constexpr std::uint32_t kMapStack = 0x0400;
constexpr std::uint32_t kMapNosync = 0x0800;
constexpr std::uint32_t kMapAnon = 0x1000;
constexpr std::uint32_t kMapNocore = 0x00020000;
constexpr std::uint32_t kMapPrefaultRead = 0x00040000;

struct MmapArgs {
  VmOffset addr = 0;
  std::uint64_t len = 0;
  Prot prot = VM_PROT_NONE;
  std::uint32_t flags = 0;
  std::uint64_t pos = 0;
  // A file mapping: the vnode's object (the call takes its own reference) and the protection
  // the descriptor allows. Empty for MAP_ANON.
  std::optional<ObjectId> object;
  Prot maxprot = VM_PROT_ALL;
  std::uint64_t rlimit_data_max = kRlimInfinity;  // lim_max(RLIMIT_DATA), for address hints
};

// mmap(): the address mapped (plus the page offset of `pos`), or EINVAL/ENOMEM/EACCES.
base::Result<VmOffset, VmErrno> sys_mmap(VmMap& map, const MmapArgs& args, const Caller& caller);
// munmap(): EINVAL for an empty, wrapping or out-of-map range; holes are fine.
base::Result<void, VmErrno> sys_munmap(VmMap& map, VmOffset addr, std::uint64_t len);
// mprotect(): EACCES beyond max_protection, ENOMEM when swap for new write access is refused.
base::Result<void, VmErrno> sys_mprotect(VmMap& map, VmOffset addr, std::uint64_t len, Prot prot,
                                         const Caller& caller);
// obreak(): moves the end of the data segment to `new_break` (vm_daddr + vm_dsize pages).
base::Result<void, VmErrno> sys_obreak(VmMap& map, VmOffset new_break,
                                       std::uint64_t rlimit_data_cur, const Caller& caller);

}  // namespace procsim::vm
