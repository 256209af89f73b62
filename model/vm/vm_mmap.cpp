// mmap/munmap/mprotect/break after 8.3 vm_mmap.c and vm_unix.c: page rounding of the arguments,
// the placement hint above the largest possible heap, copy-on-write for private file mappings,
// VM_INHERIT_SHARE for MAP_SHARED, and each call's translation of KERN_* results.
#include "model/vm/vm_mmap.h"

namespace procsim::vm {

namespace {

CowFlags cow_flags_for(std::uint32_t flags, bool anonymous) {
  CowFlags cow = 0;
  if (!anonymous) cow = (flags & kMapPrefaultRead) != 0 ? MAP_PREFAULT : MAP_PREFAULT_PARTIAL;
  if ((flags & (kMapAnon | kMapShared)) == 0) cow |= MAP_COPY_ON_WRITE;
  if ((flags & kMapNosync) != 0) cow |= MAP_DISABLE_SYNCER;
  if ((flags & kMapNocore) != 0) cow |= MAP_DISABLE_COREDUMP;
  return cow;
}

// vm_mmap(): everything after the system call has normalised its arguments.
base::Result<void, VmErrno> vm_mmap(VmMap& map, VmOffset& addr, std::uint64_t size, Prot prot,
                                    Prot maxprot, std::uint32_t flags,
                                    std::optional<ObjectId> object, std::uint64_t foff,
                                    const Caller& caller) {
  if (size == 0) return {};
  size = round_page(size);
  if (map.size_bytes() + size > caller.rlimit_vmem_cur) return base::fail(VmErrno::Enomem);
  if (!page_aligned(foff)) return base::fail(VmErrno::Einval);
  bool fit = (flags & kMapFixed) == 0;
  if (fit)
    addr = round_page(addr);
  else if (!page_aligned(addr))
    return base::fail(VmErrno::Einval);
  bool anonymous = (flags & kMapAnon) != 0;
  if (anonymous) {
    object.reset();
    foff = 0;
  } else {
    PROCSIM_ASSERT(object.has_value());
    map.objects().reference(*object);
  }
  CowFlags cow = cow_flags_for(flags, anonymous);
  KernReturn result;
  if ((flags & kMapStack) != 0)
    result = map.stack(addr, size, prot, maxprot, cow | MAP_STACK_GROWS_DOWN, caller);
  else if (fit)
    result = map.find(object, foff, addr, size, prot, maxprot, cow, caller);
  else
    result = map.fixed(object, foff, addr, size, prot, maxprot, cow, caller);
  if (result != KernReturn::KERN_SUCCESS) {
    if (object.has_value()) map.objects().deallocate(*object);
  } else if ((flags & kMapShared) != 0) {
    result = map.inherit(addr, addr + size, Inheritance::VM_INHERIT_SHARE);
    if (result != KernReturn::KERN_SUCCESS) map.remove(addr, addr + size);
  }
  if (result != KernReturn::KERN_SUCCESS) return base::fail(errno_for_mmap(result));
  return {};
}

}  // namespace

base::Result<VmOffset, VmErrno> sys_mmap(VmMap& map, const MmapArgs& args, const Caller& caller) {
  std::uint32_t flags = args.flags;
  Prot prot = args.prot & VM_PROT_ALL;
  std::uint64_t pos = args.pos;
  if (static_cast<std::int64_t>(args.len) < 0) return base::fail(VmErrno::Einval);
  if ((flags & kMapAnon) != 0 && args.object.has_value()) return base::fail(VmErrno::Einval);
  if ((flags & kMapStack) != 0) {
    bool read_write = (prot & (VM_PROT_READ | VM_PROT_WRITE)) == (VM_PROT_READ | VM_PROT_WRITE);
    if (args.object.has_value() || !read_write) return base::fail(VmErrno::Einval);
    flags |= kMapAnon;
    pos = 0;
  }
  if ((flags & kMapAnon) == 0 && !args.object.has_value()) return base::fail(VmErrno::Einval);
  std::uint64_t pageoff = pos & kPageMask;
  pos -= pageoff;
  std::uint64_t size = round_page(args.len + pageoff);
  VmOffset addr = args.addr;
  if ((flags & kMapFixed) != 0) {
    addr -= pageoff;
    if (!page_aligned(addr)) return base::fail(VmErrno::Einval);
    if (addr < map.min_offset() || addr + size > map.max_offset()) return base::fail(VmErrno::Einval);
    if (addr + size < addr) return base::fail(VmErrno::Einval);
  } else {
    // No hint, or a hint inside the space the heap could grow into: go above the largest heap.
    const VmspaceSizes& sizes = map.vmspace();
    VmOffset heap_top = round_page(sizes.daddr + args.rlimit_data_max);
    if (addr == 0 || (addr >= round_page(sizes.taddr) && addr < heap_top)) addr = heap_top;
  }
  Prot maxprot = (flags & kMapAnon) != 0 ? VM_PROT_ALL : args.maxprot;
  TRY(vm_mmap(map, addr, size, prot, maxprot, flags, args.object, pos, caller));
  return addr + pageoff;
}

base::Result<void, VmErrno> sys_munmap(VmMap& map, VmOffset addr, std::uint64_t len) {
  if (len == 0) return base::fail(VmErrno::Einval);
  std::uint64_t pageoff = addr & kPageMask;
  addr -= pageoff;
  std::uint64_t size = round_page(len + pageoff);
  if (addr + size < addr) return base::fail(VmErrno::Einval);
  if (addr < map.min_offset() || addr + size > map.max_offset()) return base::fail(VmErrno::Einval);
  map.remove(addr, addr + size);  // vm_map_delete() cannot fail
  return {};
}

base::Result<void, VmErrno> sys_mprotect(VmMap& map, VmOffset addr, std::uint64_t len, Prot prot,
                                         const Caller& caller) {
  prot &= VM_PROT_ALL;
  std::uint64_t pageoff = addr & kPageMask;
  addr -= pageoff;
  std::uint64_t size = round_page(len + pageoff);
  if (addr + size < addr) return base::fail(VmErrno::Einval);
  KernReturn result = map.protect(addr, addr + size, prot, false, caller);
  if (result != KernReturn::KERN_SUCCESS) return base::fail(errno_for_mprotect(result));
  return {};
}

base::Result<void, VmErrno> sys_obreak(VmMap& map, VmOffset new_break,
                                       std::uint64_t rlimit_data_cur, const Caller& caller) {
  VmspaceSizes& sizes = map.vmspace();
  VmOffset base = round_page(sizes.daddr);
  VmOffset wanted = round_page(new_break);
  VmOffset old = base + ptoa(sizes.dsize_pages);
  // A process over its limit may still shrink.
  if (wanted - base > rlimit_data_cur && wanted > old) return base::fail(VmErrno::Enomem);
  if (wanted > map.max_offset()) return base::fail(VmErrno::Enomem);
  if (wanted > old) {
    if (map.size_bytes() + (wanted - old) > caller.rlimit_vmem_cur)
      return base::fail(VmErrno::Enomem);
    KernReturn result = map.insert(std::nullopt, 0, old, wanted, VM_PROT_READ | VM_PROT_WRITE,
                                   VM_PROT_ALL, 0, caller);
    if (result != KernReturn::KERN_SUCCESS) return base::fail(VmErrno::Enomem);
    sizes.dsize_pages += atop(wanted - old);
  } else if (wanted < old) {
    map.remove(wanted, old);
    sizes.dsize_pages -= atop(old - wanted);
  }
  return {};
}

}  // namespace procsim::vm
