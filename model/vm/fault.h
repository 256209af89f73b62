// Page faults and user-memory access: vm_fault() after 8.3 (page search down the shadow chain,
// copy-on-write of real bytes into the top object, zero fill, prefaulting of resident
// neighbours) and copyin/copyout-style helpers that fault page by page. Left out: read-ahead
// from files (only the faulting page is read in), wiring, and the page daemon.
#pragma once

#include <cstring>

#include "model/vm/vm_map.h"
#include "sim/base/bytes.h"
#include "sim/base/result.h"

namespace procsim::vm {

struct FaultOptions {
  // The faulting thread belongs to the map's own process. FreeBSD prefaults neighbours only
  // into curproc's pmap, and grows curproc's stack; a debugger touching another process's map
  // gets neither here. (8.3 would grow the debugger's own stack instead: not modelled.)
  bool own_map = true;
};

// vm_fault(): makes the page at `addr` resident and mapped for `fault_type` (READ, WRITE or
// EXECUTE, with OVERRIDE_WRITE for a debugger's write). Returns KERN_SUCCESS,
// KERN_INVALID_ADDRESS, KERN_PROTECTION_FAILURE, KERN_RESOURCE_SHORTAGE (swap refused for a
// copy-on-write) or KERN_FAILURE (stack growth refused).
KernReturn vm_fault(VmMap& map, VmOffset addr, Prot fault_type, const Caller& caller,
                    FaultOptions options = {});

// A user access that could not be satisfied: where, what kind, and why. The kernel turns it
// into EFAULT (copyin/copyout) or a signal (the CPU's own access).
struct UserFault {
  VmOffset addr = 0;
  Prot access = VM_PROT_NONE;
  KernReturn result = KernReturn::KERN_FAILURE;
};

namespace detail {
// Faults page by page and copies: into `read_into` for READ/EXECUTE, from `write_from` for
// WRITE. Bytes before a failing page stay copied.
base::Result<void, UserFault> access_user_slow(VmMap& map, VmOffset addr, std::uint8_t* read_into,
                                               const std::uint8_t* write_from, std::size_t length,
                                               Prot access, const Caller& caller);
}  // namespace detail

// Reads user memory as the process itself would (copyin). The fast path is one translation
// cache probe and a memcpy for an access within one page.
inline base::Result<void, UserFault> read_user(VmMap& map, VmOffset addr,
                                               base::MutableByteSpan out, const Caller& caller) {
  VmOffset page = trunc_page(addr);
  if (!out.empty() && addr - page + out.size() <= kPageSize) {
    const VmMap::Translation* hit = map.translate_cached(page);
    if (hit != nullptr && (hit->prot & VM_PROT_READ) != 0) {
      std::memcpy(out.data(), hit->host + (addr - page), out.size());
      return {};
    }
  }
  return detail::access_user_slow(map, addr, out.data(), nullptr, out.size(), VM_PROT_READ,
                                  caller);
}

// Writes user memory as the process itself would (copyout): copy-on-write happens here.
inline base::Result<void, UserFault> write_user(VmMap& map, VmOffset addr, base::ByteSpan in,
                                                const Caller& caller) {
  VmOffset page = trunc_page(addr);
  if (!in.empty() && addr - page + in.size() <= kPageSize) {
    const VmMap::Translation* hit = map.translate_cached(page);
    if (hit != nullptr && (hit->prot & VM_PROT_WRITE) != 0) {
      std::memcpy(hit->host + (addr - page), in.data(), in.size());
      return {};
    }
  }
  return detail::access_user_slow(map, addr, nullptr, in.data(), in.size(), VM_PROT_WRITE,
                                  caller);
}

// Instruction fetch: like read_user, but needs EXECUTE permission. (An architecture without
// no-execute page protection, such as plain i386, fetches with read_user instead.)
inline base::Result<void, UserFault> fetch_user(VmMap& map, VmOffset addr,
                                                base::MutableByteSpan out, const Caller& caller) {
  VmOffset page = trunc_page(addr);
  if (!out.empty() && addr - page + out.size() <= kPageSize) {
    const VmMap::Translation* hit = map.translate_cached(page);
    if (hit != nullptr && (hit->prot & VM_PROT_EXECUTE) != 0) {
      std::memcpy(out.data(), hit->host + (addr - page), out.size());
      return {};
    }
  }
  return detail::access_user_slow(map, addr, out.data(), nullptr, out.size(), VM_PROT_EXECUTE,
                                  caller);
}

}  // namespace procsim::vm
