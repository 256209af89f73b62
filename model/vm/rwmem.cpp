// proc_rwmem() as 8.3 sys_process.c does it: for each page, fault it in on the target's behalf,
// look it up again, find the page (through backing objects only when reading), and copy. A
// write into an executable mapping counts as modifying code, so instruction caches of the
// target are invalidated (FreeBSD syncs the I-cache there).
#include "model/vm/rwmem.h"

#include <algorithm>
#include <cstring>

#include "model/vm/fault.h"

namespace procsim::vm {

namespace {

// Faults one page for the transfer and returns the page to copy to or from, or the errno.
base::Result<Page*, VmErrno> page_for_transfer(VmMap& target, VmOffset page_va, bool writing,
                                               const Caller& debugger) {
  Prot request = writing ? Prot{VM_PROT_WRITE | VM_PROT_OVERRIDE_WRITE} : VM_PROT_READ;
  KernReturn result = vm_fault(target, page_va, request, debugger, FaultOptions{false});
  if (result == KernReturn::KERN_RESOURCE_SHORTAGE) return base::fail(VmErrno::Enomem);
  if (result != KernReturn::KERN_SUCCESS) return base::fail(VmErrno::Efault);
  LookupResult lookup;
  if (target.lookup(page_va, request, debugger, lookup) != KernReturn::KERN_SUCCESS)
    return base::fail(VmErrno::Efault);
  VmObjectStore& objects = target.objects();
  ObjectId object = lookup.object;
  std::uint64_t pindex = lookup.pindex;
  Page* page = objects.lookup_page(object, pindex);
  while (page == nullptr && !writing && objects.get(object).backing_object.has_value()) {
    pindex += atop(objects.get(object).backing_object_offset);
    object = *objects.get(object).backing_object;
    page = objects.lookup_page(object, pindex);
  }
  if (page == nullptr) return base::fail(VmErrno::Efault);
  return page;
}

bool executable(const VmMap& map, VmOffset page_va) {
  const MapEntry* entry = map.entry_containing(page_va);
  return entry != nullptr && (entry->protection & VM_PROT_EXECUTE) != 0;
}

RwmemResult transfer(VmMap& target, VmOffset addr, std::uint8_t* read_into,
                     const std::uint8_t* write_from, std::size_t length, const Caller& debugger) {
  bool writing = write_from != nullptr;
  RwmemResult result;
  while (result.moved < length) {
    VmOffset va = addr + result.moved;
    VmOffset page_va = trunc_page(va);
    std::size_t offset = static_cast<std::size_t>(va - page_va);
    std::size_t chunk = std::min<std::size_t>(kPageSize - offset, length - result.moved);
    base::Result<Page*, VmErrno> page = page_for_transfer(target, page_va, writing, debugger);
    if (page.is_error()) {
      result.error = page.error();
      break;
    }
    if (writing) {
      std::memcpy(page.value()->bytes.data() + offset, write_from + result.moved, chunk);
      if (executable(target, page_va)) target.note_code_modified();
    } else {
      std::memcpy(read_into + result.moved, page.value()->bytes.data() + offset, chunk);
    }
    result.moved += chunk;
  }
  PROCSIM_ASSERT(result.moved <= length);
  PROCSIM_ASSERT(result.error.has_value() || result.moved == length);
  return result;
}

}  // namespace

RwmemResult proc_rwmem_read(VmMap& target, VmOffset addr, base::MutableByteSpan out,
                            const Caller& debugger) {
  return transfer(target, addr, out.data(), nullptr, out.size(), debugger);
}

RwmemResult proc_rwmem_write(VmMap& target, VmOffset addr, base::ByteSpan in,
                             const Caller& debugger) {
  if (in.empty()) return {};
  return transfer(target, addr, nullptr, in.data(), in.size(), debugger);
}

}  // namespace procsim::vm
