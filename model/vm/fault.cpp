// vm_fault() after 8.3 vm_fault.c: look the address up (resolving copy-on-write), search the
// shadow chain for the page, copy it up on write, map it, prefault neighbours; and the slow
// path of user-memory access. The object flags a fault leaves (OBJ_COLORED on the object that
// received a page, OBJ_MIGHTBEDIRTY when mapped writable) show in procfs map.
#include "model/vm/fault.h"

#include <algorithm>
#include <array>

namespace procsim::vm {

namespace {

struct FoundPage {
  ObjectId object;
  std::uint64_t pindex = 0;
  Page* page = nullptr;
};

// The search loop of vm_fault(). Anonymous objects below the first have no pager, so they are
// skipped over; a vnode (or other pager-backed) object pages the data in; at the bottom of the
// chain the page is zero-filled in the first object.
KernReturn find_page(VmObjectStore& objects, ObjectId first, std::uint64_t first_pindex,
                     FoundPage& found) {
  ObjectId current = first;
  std::uint64_t pindex = first_pindex;
  for (;;) {
    VmObject& object = objects.get(current);
    if ((object.flags & OBJ_DEAD) != 0) return KernReturn::KERN_PROTECTION_FAILURE;
    if (Page* page = objects.lookup_page(current, pindex); page != nullptr) {
      found = {current, pindex, page};
      return KernReturn::KERN_SUCCESS;
    }
    bool has_pager = !object.is_anonymous();
    if (has_pager || current == first) {
      if (pindex >= object.size_pages) return KernReturn::KERN_PROTECTION_FAILURE;  // past EOF
      // vm_fault() colours an object the first time it allocates a page in it: here the page
      // the pager fills, or the first object's placeholder kept for a copy or a zero fill.
      object.flags |= OBJ_COLORED;
      if (has_pager) {
        found = {current, pindex, &objects.allocate_page(current, pindex)};
        return KernReturn::KERN_SUCCESS;
      }
    }
    if (!object.backing_object.has_value()) {
      found = {first, first_pindex, &objects.allocate_page(first, first_pindex)};
      return KernReturn::KERN_SUCCESS;
    }
    pindex += atop(object.backing_object_offset);
    current = *object.backing_object;
  }
}

// A write found the page in a backing object: give the first object its own copy. When the
// backing object is private to the first object the page simply moves up (the "COW optim").
FoundPage copy_up(VmObjectStore& objects, ObjectId first, std::uint64_t first_pindex,
                  const FoundPage& found) {
  const VmObject& backing = objects.get(found.object);
  const VmObject& top = objects.get(first);
  bool private_backing = backing.shadow_count() == 1 && backing.ref_count == 1 &&
                         !backing.has_handle() && backing.is_anonymous() &&
                         top.backing_object == found.object;
  if (private_backing) {
    objects.rename_page(found.object, found.pindex, first, first_pindex);
    return {first, first_pindex, objects.lookup_page(first, first_pindex)};
  }
  Page& copy = objects.allocate_page(first, first_pindex);
  copy.bytes = found.page->bytes;
  return {first, first_pindex, &copy};
}

// vm_fault_prefault(): map up to four resident pages on each side, read-only, nearest first;
// give up at the first neighbour whose page is not resident anywhere in the chain.
void prefault(VmMap& map, VmOffset fault_va, std::size_t entry_index) {
  static constexpr std::array<std::int64_t, 8> kOrder = {-1, 1, -2, 2, -3, 3, -4, 4};
  const MapEntry entry = map.entries()[entry_index];
  if (!entry.object.has_value()) return;
  VmObjectStore& objects = map.objects();
  VmOffset low = fault_va - 4 * kPageSize;
  if (low < entry.start) low = entry.start;
  else if (low > fault_va) low = 0;
  Prot prot = static_cast<Prot>((entry.protection & VM_PROT_EXECUTE) | VM_PROT_READ);
  for (std::int64_t distance : kOrder) {
    VmOffset va = fault_va + static_cast<VmOffset>(distance) * kPageSize;
    if (va > fault_va + 4 * kPageSize) va = 0;
    if (va < low || va >= entry.end || !map.pmap_is_prefaultable(va)) continue;
    ObjectId object = *entry.object;
    std::uint64_t pindex = atop(va - entry.start + entry.offset);
    Page* page = objects.lookup_page(object, pindex);
    while (page == nullptr && objects.get(object).type == ObjectType::OBJT_DEFAULT &&
           objects.get(object).backing_object.has_value()) {
      pindex += atop(objects.get(object).backing_object_offset);
      object = *objects.get(object).backing_object;
      page = objects.lookup_page(object, pindex);
    }
    if (page == nullptr) return;
    map.pmap_enter(va, *page, prot);
  }
}

}  // namespace

KernReturn vm_fault(VmMap& map, VmOffset addr, Prot fault_type, const Caller& caller,
                    FaultOptions options) {
  VmOffset va = trunc_page(addr);
  LookupResult lookup;
  KernReturn result = map.lookup(va, fault_type, caller, lookup);
  if (result == KernReturn::KERN_INVALID_ADDRESS && options.own_map) {
    if (map.grow_stack(va, caller) != KernReturn::KERN_SUCCESS) return KernReturn::KERN_FAILURE;
    result = map.lookup(va, fault_type, caller, lookup);
  }
  if (result != KernReturn::KERN_SUCCESS) return result;
  VmObjectStore& objects = map.objects();
  FoundPage found;
  result = find_page(objects, lookup.object, lookup.pindex, found);
  if (result != KernReturn::KERN_SUCCESS) return result;
  Prot prot = lookup.prot;
  if (found.object != lookup.object) {
    if ((fault_type & VM_PROT_WRITE) != 0)
      found = copy_up(objects, lookup.object, lookup.pindex, found);
    else
      prot &= static_cast<Prot>(~VM_PROT_WRITE);  // mapped read-only until the first write
  }
  PROCSIM_ASSERT(found.page != nullptr);
  if ((prot & VM_PROT_WRITE) != 0) objects.get(found.object).flags |= OBJ_MIGHTBEDIRTY;
  // With OVERRIDE_WRITE the lookup granted max_protection; the process's own view of the page
  // stays within the entry's current protection (a debugger's write never makes text writable
  // for the process itself).
  Prot mapped = static_cast<Prot>(prot & map.entries()[lookup.entry_index].protection);
  if (mapped != VM_PROT_NONE) map.pmap_enter(va, *found.page, mapped);
  if (options.own_map && !lookup.wired) prefault(map, va, lookup.entry_index);
  return KernReturn::KERN_SUCCESS;
}

namespace detail {

base::Result<void, UserFault> access_user_slow(VmMap& map, VmOffset addr, std::uint8_t* read_into,
                                               const std::uint8_t* write_from, std::size_t length,
                                               Prot access, const Caller& caller) {
  PROCSIM_ASSERT((access == VM_PROT_WRITE) == (write_from != nullptr));
  PROCSIM_ASSERT((access == VM_PROT_WRITE) || read_into != nullptr || length == 0);
  std::size_t done = 0;
  while (done < length) {
    VmOffset va = addr + done;
    if (va < addr) return base::fail(UserFault{va, access, KernReturn::KERN_INVALID_ADDRESS});
    VmOffset page = trunc_page(va);
    std::size_t chunk = std::min<std::size_t>(length - done, kPageSize - (va - page));
    const VmMap::Translation* translation = map.translate(page);
    if (translation == nullptr || (translation->prot & access) != access) {
      KernReturn result = vm_fault(map, page, access, caller);
      if (result != KernReturn::KERN_SUCCESS) return base::fail(UserFault{va, access, result});
      translation = map.translate(page);
      PROCSIM_ASSERT(translation != nullptr && (translation->prot & access) == access);
    }
    if (write_from != nullptr)
      std::memcpy(translation->host + (va - page), write_from + done, chunk);
    else
      std::memcpy(read_into + done, translation->host + (va - page), chunk);
    done += chunk;
  }
  return {};
}

}  // namespace detail

}  // namespace procsim::vm
