// The parts of 8.3 vm_map.c that resolve copy-on-write: vm_map_lookup() (shadowing a
// NEEDS_COPY entry on the first write, charging the faulting thread's ruid), stack growth, and
// vmspace_fork() with vm_map_copy_entry() and the fork charge (spec/kernel.md §5.2–5.3).
#include "model/vm/vm_map.h"

#include <algorithm>

namespace procsim::vm {

// First write to a NEEDS_COPY entry: reserve its size for the faulting thread unless it is
// already charged, shadow its object, then either give the reservation back (the object,
// not shadowed after all, carries a charge) or move it onto the new shadow.
KernReturn VmMap::resolve_needs_copy(MapEntry& entry, const Caller& caller) {
  ++m_timestamp;  // vm_map_lock_upgrade()
  std::uint64_t size = entry.size();
  if (!entry.charge_uid.has_value()) {
    if (!m_objects.swap().reserve(size, caller)) return KernReturn::KERN_RESOURCE_SHORTAGE;
    entry.charge_uid = caller.ruid;
  }
  m_objects.shadow(entry.object, entry.offset, size);
  entry.eflags &= ~MAP_ENTRY_NEEDS_COPY;
  VmObject& top = m_objects.get(*entry.object);
  if (top.charge_uid.has_value()) {
    m_objects.swap().release_by_uid(size, *entry.charge_uid);
    entry.charge_uid.reset();
  } else {
    m_objects.set_charge(top.id, *entry.charge_uid, size);
    entry.charge_uid.reset();
  }
  return KernReturn::KERN_SUCCESS;
}

KernReturn VmMap::lookup(VmOffset addr, Prot fault_type, const Caller& caller,
                         LookupResult& out) {
  std::size_t index = 0;
  if (!lookup_entry(addr, index)) return KernReturn::KERN_INVALID_ADDRESS;
  MapEntry& entry = m_entries[index];
  // OVERRIDE_WRITE (a debugger's write) is judged against max_protection: spec/kernel.md §2.5.
  bool override_write = (fault_type & VM_PROT_OVERRIDE_WRITE) != 0;
  Prot prot = override_write ? entry.max_protection : entry.protection;
  Prot access = fault_type & VM_PROT_ALL;
  if ((access & prot) != access) return KernReturn::KERN_PROTECTION_FAILURE;
  bool wired_cow = (entry.eflags & MAP_ENTRY_USER_WIRED) != 0 &&
                   (entry.eflags & MAP_ENTRY_COW) != 0;
  if (wired_cow && (access & VM_PROT_WRITE) != 0 && !override_write)
    return KernReturn::KERN_PROTECTION_FAILURE;
  out.wired = entry.wired_count != 0;
  if (out.wired) access = entry.protection;
  if (entry.needs_copy()) {
    if ((access & VM_PROT_WRITE) != 0) {
      KernReturn result = resolve_needs_copy(entry, caller);
      if (result != KernReturn::KERN_SUCCESS) return result;
    } else {
      prot &= static_cast<Prot>(~VM_PROT_WRITE);  // a read of a COW page must not allow writes
    }
  }
  if (!entry.object.has_value()) {
    ++m_timestamp;
    entry.object = m_objects.allocate(ObjectType::OBJT_DEFAULT, atop(entry.size()));
    entry.offset = 0;
    if (entry.charge_uid.has_value()) {
      m_objects.set_charge(*entry.object, *entry.charge_uid, entry.size());
      entry.charge_uid.reset();
    }
  }
  out.entry_index = index;
  out.object = *entry.object;
  out.pindex = atop(addr - entry.start + entry.offset);
  out.prot = prot;
  return KernReturn::KERN_SUCCESS;
}

// The entry that grows down to cover an unmapped address, if any. `next` is the index of the
// first entry above the address.
std::optional<std::size_t> VmMap::stack_entry_below(VmOffset addr, std::size_t next) const {
  PROCSIM_ASSERT(next == m_entries.size() || m_entries[next].start > addr);
  if (next > 0) PROCSIM_ASSERT((m_entries[next - 1].eflags & MAP_ENTRY_GROWS_UP) == 0);
  if (next == m_entries.size() || (m_entries[next].eflags & MAP_ENTRY_GROWS_DOWN) == 0)
    return std::nullopt;
  return next;
}

KernReturn VmMap::grow_stack(VmOffset addr, const Caller& caller) {
  std::size_t next = 0;
  if (lookup_entry(addr, next)) return KernReturn::KERN_SUCCESS;
  std::optional<std::size_t> stack_index = stack_entry_below(addr, next);
  if (!stack_index.has_value()) return KernReturn::KERN_SUCCESS;  // not a stack: not ours to fix
  MapEntry& stack = m_entries[*stack_index];
  VmOffset floor = next > 0 ? m_entries[next - 1].end : stack.start - stack.avail_ssize;
  std::uint64_t grow = round_page(stack.start - addr);
  std::uint64_t max_grow = stack.start - floor;
  if (grow > stack.avail_ssize) return KernReturn::KERN_NO_SPACE;
  if (grow > max_grow) {
    stack.avail_ssize = max_grow;
    unlock();
    return KernReturn::KERN_NO_SPACE;
  }
  bool is_procstack = addr >= m_vmspace.maxsaddr;
  std::uint64_t stack_bytes = ptoa(m_vmspace.ssize_pages);
  if (is_procstack && stack_bytes + grow > caller.rlimit_stack_cur) return KernReturn::KERN_NO_SPACE;
  std::uint64_t step = m_vmspace.stack_grow_bytes;
  grow = std::min((grow + step - 1) / step * step, stack.avail_ssize);
  if (is_procstack && stack_bytes + grow > caller.rlimit_stack_cur)
    grow = trunc_page(caller.rlimit_stack_cur) - stack_bytes;
  if (m_size_bytes + grow > caller.rlimit_vmem_cur) return KernReturn::KERN_NO_SPACE;
  VmOffset new_start = stack.start - grow;
  if (new_start < floor) {
    stack.avail_ssize = max_grow;
    new_start = floor;
  }
  VmOffset stack_start = stack.start;
  KernReturn result = insert_locked(
      {std::nullopt, 0, new_start, stack_start, stack.protection, stack.max_protection, 0}, caller);
  if (result == KernReturn::KERN_SUCCESS) {
    std::size_t grown_index = 0;
    PROCSIM_ASSERT(lookup_entry(stack_start - kPageSize, grown_index));
    MapEntry& grown = m_entries[grown_index];
    MapEntry& old_stack = m_entries[grown_index + 1];
    PROCSIM_ASSERT(old_stack.start == stack_start && grown.end == stack_start);
    std::uint64_t grown_bytes = grown.end - grown.start;
    grown.avail_ssize = old_stack.avail_ssize - std::min(old_stack.avail_ssize, grown_bytes);
    old_stack.eflags &= ~MAP_ENTRY_GROWS_DOWN;
    grown.eflags |= MAP_ENTRY_GROWS_DOWN;
    if (is_procstack) m_vmspace.ssize_pages += atop(grow);
  }
  unlock();
  return result;
}

// VM_INHERIT_SHARE: parent and child map one object; a pending copy is resolved first so the
// sharing is of the parent's current contents, and any entry charge moves to the object.
void VmMap::share_entry_for_fork(MapEntry& source) {
  if (!source.object.has_value()) {
    source.object = m_objects.allocate(ObjectType::OBJT_DEFAULT, atop(source.size()));
    source.offset = 0;
    if (source.charge_uid.has_value()) {
      m_objects.set_charge(*source.object, *source.charge_uid, source.size());
      source.charge_uid.reset();
    }
  }
  ObjectId object = *source.object;
  m_objects.reference(object);  // taken before shadowing so that a shadow is always made
  if (source.needs_copy()) {
    m_objects.shadow(source.object, source.offset, source.size());
    source.eflags &= ~MAP_ENTRY_NEEDS_COPY;
    m_objects.reference(*source.object);
    m_objects.deallocate(object);
    object = *source.object;
  }
  VmObject& shared = m_objects.get(object);
  shared.flags &= static_cast<ObjectFlags>(~OBJ_ONEMAPPING);
  if (source.charge_uid.has_value()) {
    m_objects.set_charge(object, *source.charge_uid, source.size());
    source.charge_uid.reset();
  }
}

// vm_map_copy_entry() for an unwired entry: both sides end up COW|NEEDS_COPY over one object,
// and every charged side gets a fresh charge in the forking thread's name (§5.3 fork row).
void VmMap::copy_entry_for_fork(MapEntry& source, MapEntry& copy, const Caller& caller,
                                std::uint64_t& fork_charge) {
  std::uint64_t size = source.size();
  if (!source.needs_copy())
    pmap_protect(source.start, source.end, static_cast<Prot>(source.protection & ~VM_PROT_WRITE));
  if (!source.object.has_value()) {
    copy.object.reset();
    copy.offset = 0;
    if (source.charge_uid.has_value()) {
      copy.charge_uid = caller.ruid;
      fork_charge += size;
    }
    return;
  }
  bool charged = entry_charged(source);
  VmObject& original = m_objects.get(*source.object);
  if (!original.has_handle() && original.is_anonymous()) {
    m_objects.collapse(original.id);
    if ((original.flags & (OBJ_NOSPLIT | OBJ_ONEMAPPING)) == OBJ_ONEMAPPING) {
      ObjectId split = m_objects.split(original.id, source.offset, atop(size));
      if (split != *source.object) {
        source.object = split;
        source.offset = 0;
      }
    }
  }
  VmObject& object = m_objects.get(*source.object);
  m_objects.reference(object.id);
  object.flags &= static_cast<ObjectFlags>(~OBJ_ONEMAPPING);
  if (source.charge_uid.has_value() && !source.needs_copy())
    m_objects.set_charge(object.id, *source.charge_uid, size);
  copy.object = object.id;
  if (charged) {
    copy.charge_uid = caller.ruid;
    fork_charge += size;
    if (!source.needs_copy()) {
      source.charge_uid = caller.ruid;
      fork_charge += size;
    }
  }
  source.eflags |= MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY;
  copy.eflags |= MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY;
  copy.offset = source.offset;
}

// vmspace_map_entry_forked(): the child's size and text/data/stack page counts.
void VmMap::account_forked_entry(VmMap& child, const MapEntry& entry) const {
  child.m_size_bytes += entry.size();
  VmspaceSizes& sizes = child.m_vmspace;
  VmOffset data_end = m_vmspace.daddr + ptoa(m_vmspace.dsize_pages);
  VmOffset text_end = m_vmspace.taddr + ptoa(m_vmspace.tsize_pages);
  if ((entry.eflags & (MAP_ENTRY_GROWS_DOWN | MAP_ENTRY_GROWS_UP)) != 0) {
    sizes.ssize_pages += atop(round_page(entry.size()));
  } else if (entry.start >= m_vmspace.daddr && entry.start < data_end) {
    sizes.dsize_pages += atop(round_page(std::min(entry.end, data_end) - entry.start));
  } else if (entry.start >= m_vmspace.taddr && entry.start < text_end) {
    sizes.tsize_pages += atop(round_page(std::min(entry.end, text_end) - entry.start));
  }
}

// pmap_copy(): the child starts with the parent's translations (already write-protected
// where copy-on-write applies), as amd64 and i386 do.
void VmMap::pmap_copy_to(VmMap& child, const MapEntry& entry) const {
  if (!m_traits.copy_on_fork) return;
  for (auto it = m_pmap.lower_bound(entry.start); it != m_pmap.end() && it->first < entry.end;
       ++it) {
    if (child.pmap_lookup(it->first) == nullptr)
      child.pmap_enter(it->first, *it->second.page, it->second.prot);
  }
}

std::unique_ptr<VmMap> VmMap::fork_uncharged(const Caller& caller, std::uint64_t& fork_charge) {
  auto child = std::make_unique<VmMap>(m_objects, m_min_offset, m_max_offset, m_traits);
  child->m_vmspace.taddr = m_vmspace.taddr;
  child->m_vmspace.daddr = m_vmspace.daddr;
  child->m_vmspace.maxsaddr = m_vmspace.maxsaddr;
  child->m_vmspace.stack_grow_bytes = m_vmspace.stack_grow_bytes;
  for (std::size_t i = 0; i < m_entries.size(); ++i) {
    PROCSIM_ASSERT((m_entries[i].eflags & MAP_ENTRY_IS_SUB_MAP) == 0);
    switch (m_entries[i].inheritance) {
      case Inheritance::VM_INHERIT_NONE:
        break;
      case Inheritance::VM_INHERIT_SHARE: {
        share_entry_for_fork(m_entries[i]);
        MapEntry copy = m_entries[i];
        copy.eflags &= ~(MAP_ENTRY_USER_WIRED | MAP_ENTRY_IN_TRANSITION);
        copy.wired_count = 0;
        child->m_entries.push_back(copy);
        account_forked_entry(*child, copy);
        pmap_copy_to(*child, m_entries[i]);
        break;
      }
      case Inheritance::VM_INHERIT_COPY: {
        MapEntry copy = m_entries[i];
        copy.eflags &= ~(MAP_ENTRY_USER_WIRED | MAP_ENTRY_IN_TRANSITION);
        copy.wired_count = 0;
        copy.object.reset();
        copy.charge_uid.reset();
        account_forked_entry(*child, copy);
        copy_entry_for_fork(m_entries[i], copy, caller, fork_charge);
        child->m_entries.push_back(copy);
        pmap_copy_to(*child, m_entries[i]);
        break;
      }
    }
  }
  unlock();
  child->unlock();
  return child;
}

base::Result<std::unique_ptr<VmMap>, VmErrno> VmMap::fork(const Caller& caller) {
  std::uint64_t fork_charge = 0;
  std::unique_ptr<VmMap> child = fork_uncharged(caller, fork_charge);
  if (!m_objects.swap().reserve(fork_charge, caller)) {
    // The child's entries release their charges when it is freed: force the matching
    // reservation first so the books balance (8.3 fork1()).
    m_objects.swap().reserve_force(fork_charge, caller);
    child.reset();
    return base::fail(VmErrno::Enomem);
  }
  return child;
}

}  // namespace procsim::vm
