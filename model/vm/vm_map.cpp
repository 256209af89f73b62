// Map entries, clipping, insertion, removal and protection after 8.3 vm_map.c, with the swap
// charge transitions of spec/kernel.md §5.3 at the places FreeBSD makes them. Every write-locked
// operation ends in unlock(), which bumps the timestamp and releases the objects of deleted
// entries, as vm_map_unlock() does. Fork and the fault lookup live in vm_map_fork.cpp.
#include "model/vm/vm_map.h"

#include <algorithm>

namespace procsim::vm {

VmMap::VmMap(VmObjectStore& objects, VmOffset min_offset, VmOffset max_offset, PmapTraits traits)
    : m_objects(objects), m_min_offset(min_offset), m_max_offset(max_offset), m_traits(traits) {
  PROCSIM_ASSERT(min_offset < max_offset);
  PROCSIM_ASSERT(page_aligned(min_offset) && page_aligned(max_offset));
  PROCSIM_ASSERT(traits.page_table_span_bytes >= kPageSize);
}

VmMap::~VmMap() {
  delete_range(m_min_offset, m_max_offset);
  process_deferred();
  PROCSIM_ASSERT(m_entries.empty());
  PROCSIM_ASSERT(m_pmap.empty());
}

bool VmMap::lookup_entry(VmOffset addr, std::size_t& index) const {
  auto next = std::upper_bound(m_entries.begin(), m_entries.end(), addr,
                               [](VmOffset value, const MapEntry& entry) {
                                 return value < entry.start;
                               });
  index = static_cast<std::size_t>(next - m_entries.begin());
  if (index > 0 && m_entries[index - 1].end > addr) {
    --index;
    return true;
  }
  return false;
}

const MapEntry* VmMap::entry_containing(VmOffset addr) const {
  std::size_t index = 0;
  return lookup_entry(addr, index) ? &m_entries[index] : nullptr;
}

void VmMap::clamp_range(VmOffset& start, VmOffset& end) const {
  start = std::max(start, m_min_offset);
  end = std::min(end, m_max_offset);
  start = std::min(start, end);
}

// An entry about to be split gets its object now, so both halves share one (and the entry's
// charge moves to it); an existing object takes the charge unless the entry is still COW.
void VmMap::give_clipped_entry_an_object(MapEntry& entry) {
  if (!entry.object.has_value()) {
    entry.object = m_objects.allocate(ObjectType::OBJT_DEFAULT, atop(entry.size()));
    entry.offset = 0;
    if (entry.charge_uid.has_value()) {
      m_objects.set_charge(*entry.object, *entry.charge_uid, entry.size());
      entry.charge_uid.reset();
    }
    return;
  }
  if (!entry.needs_copy() && entry.charge_uid.has_value()) {
    m_objects.set_charge(*entry.object, *entry.charge_uid, entry.size());
    entry.charge_uid.reset();
  }
}

// _vm_map_clip_start(): the entry at `index` is split so that a new entry ends at `addr`;
// `index` is left on the part that starts at `addr`.
void VmMap::clip_start(std::size_t& index, VmOffset addr) {
  if (addr <= m_entries[index].start) return;
  simplify_entry(index);
  MapEntry& entry = m_entries[index];
  PROCSIM_ASSERT(addr > entry.start && addr < entry.end);
  give_clipped_entry_an_object(entry);
  MapEntry front = entry;
  front.end = addr;
  entry.offset += addr - entry.start;
  entry.start = addr;
  m_objects.reference(*front.object);
  m_entries.insert(m_entries.begin() + static_cast<std::ptrdiff_t>(index), front);
  ++index;
}

// _vm_map_clip_end(): the entry at `index` is split so that it ends at `addr`.
void VmMap::clip_end(std::size_t index, VmOffset addr) {
  if (addr >= m_entries[index].end) return;
  MapEntry& entry = m_entries[index];
  PROCSIM_ASSERT(addr > entry.start);
  give_clipped_entry_an_object(entry);
  MapEntry back = entry;
  back.start = addr;
  back.offset += addr - entry.start;
  entry.end = addr;
  m_objects.reference(*back.object);
  m_entries.insert(m_entries.begin() + static_cast<std::ptrdiff_t>(index) + 1, back);
}

bool VmMap::can_merge(const MapEntry& first, const MapEntry& second) const {
  return first.end == second.start && first.object == second.object &&
         (!first.object.has_value() || first.offset + first.size() == second.offset) &&
         first.eflags == second.eflags && first.protection == second.protection &&
         first.max_protection == second.max_protection &&
         first.inheritance == second.inheritance && first.wired_count == second.wired_count &&
         first.charge_uid == second.charge_uid;
}

// vm_map_simplify_entry(): merges the entry with identical neighbours. A neighbour's charge
// is simply dropped: the merged entry's charge covers the same bytes.
void VmMap::simplify_entry(std::size_t& index) {
  if ((m_entries[index].eflags & (MAP_ENTRY_IN_TRANSITION | MAP_ENTRY_IS_SUB_MAP)) != 0) return;
  if (index > 0 && can_merge(m_entries[index - 1], m_entries[index])) {
    MapEntry& entry = m_entries[index];
    const MapEntry& prev = m_entries[index - 1];
    entry.start = prev.start;
    entry.offset = prev.offset;
    if (prev.object.has_value()) m_objects.deallocate(*prev.object);
    m_entries.erase(m_entries.begin() + static_cast<std::ptrdiff_t>(index) - 1);
    --index;
  }
  if (index + 1 < m_entries.size() && can_merge(m_entries[index], m_entries[index + 1])) {
    const MapEntry& next = m_entries[index + 1];
    m_entries[index].end = next.end;
    if (next.object.has_value()) m_objects.deallocate(*next.object);
    m_entries.erase(m_entries.begin() + static_cast<std::ptrdiff_t>(index) + 1);
  }
}

namespace {

EntryFlags entry_flags_for(CowFlags cow) {
  EntryFlags flags = 0;
  if ((cow & MAP_COPY_ON_WRITE) != 0) flags |= MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY;
  if ((cow & MAP_NOFAULT) != 0) flags |= MAP_ENTRY_NOFAULT;
  if ((cow & MAP_DISABLE_SYNCER) != 0) flags |= MAP_ENTRY_NOSYNC;
  if ((cow & MAP_DISABLE_COREDUMP) != 0) flags |= MAP_ENTRY_NOCOREDUMP;
  return flags;
}

}  // namespace

bool VmMap::entry_charged(const MapEntry& entry) const {
  if (entry.charge_uid.has_value()) return true;
  return entry.object.has_value() && m_objects.get(*entry.object).charge_uid.has_value() &&
         !entry.needs_copy();
}

// The anonymous-insert arm of vm_map_insert(): extend the previous entry (and its object) over
// the new range when vm_object_coalesce() allows it.
VmMap::Coalesce VmMap::try_extend_previous(std::size_t prev_index, const InsertRequest& request,
                                           EntryFlags protoeflags, std::optional<Uid>& charge,
                                           bool charge_prev_obj, std::optional<ObjectId>& object,
                                           std::uint64_t& offset, const Caller& caller) {
  MapEntry& prev = m_entries[prev_index];
  bool stack = (request.cow & (MAP_STACK_GROWS_DOWN | MAP_STACK_GROWS_UP)) != 0;
  if (prev.eflags != protoeflags || stack || prev.end != request.start || prev.wired_count != 0)
    return Coalesce::NotPossible;
  bool same_charge = prev.charge_uid == charge ||
                     (prev.object.has_value() && m_objects.get(*prev.object).charge_uid == charge);
  if (!same_charge) return Coalesce::NotPossible;
  if (!m_objects.coalesce(prev.object, prev.offset, prev.size(), request.end - prev.end,
                          charge_prev_obj, caller))
    return Coalesce::NotPossible;
  if (prev.inheritance == Inheritance::VM_INHERIT_COPY && prev.protection == request.prot &&
      prev.max_protection == request.max) {
    m_size_bytes += request.end - prev.end;
    prev.end = request.end;
    simplify_entry(prev_index);
    return Coalesce::ExtendedPrevious;
  }
  object = prev.object;
  offset = prev.offset + prev.size();
  if (object.has_value()) m_objects.reference(*object);
  if (charge.has_value() && object.has_value() && m_objects.get(*object).charge_uid.has_value() &&
      !prev.needs_copy())
    charge.reset();  // the object already accounts for this uid
  return Coalesce::SharesPreviousObject;
}

// vm_map_insert() with the map already locked.
KernReturn VmMap::insert_locked(const InsertRequest& request, const Caller& caller) {
  std::optional<ObjectId> object = request.object;
  std::uint64_t offset = request.offset;
  if (request.start < m_min_offset || request.end > m_max_offset || request.start >= request.end)
    return KernReturn::KERN_INVALID_ADDRESS;
  PROCSIM_ASSERT(page_aligned(request.start) && page_aligned(request.end));
  std::size_t next = 0;
  if (lookup_entry(request.start, next)) return KernReturn::KERN_NO_SPACE;
  if (next < m_entries.size() && m_entries[next].start < request.end)
    return KernReturn::KERN_NO_SPACE;
  EntryFlags protoeflags = entry_flags_for(request.cow);
  PROCSIM_ASSERT((request.cow & MAP_NOFAULT) == 0 || !object.has_value());
  std::optional<Uid> charge;
  bool charge_prev_obj = false;
  bool exempt = (request.cow & (MAP_ACC_NO_CHARGE | MAP_NOFAULT)) != 0;
  bool needs_copy = (protoeflags & MAP_ENTRY_NEEDS_COPY) != 0;
  bool chargeable = (request.cow & MAP_ACC_CHARGED) != 0 ||
                    ((request.prot & VM_PROT_WRITE) != 0 && (needs_copy || !object.has_value()));
  if (!exempt && chargeable) {
    bool reserved_already = (request.cow & MAP_ACC_CHARGED) != 0;
    if (!reserved_already && !m_objects.swap().reserve(request.end - request.start, caller))
      return KernReturn::KERN_RESOURCE_SHORTAGE;
    PROCSIM_ASSERT(!object.has_value() || needs_copy ||
                   !m_objects.get(*object).charge_uid.has_value());
    charge = caller.ruid;
    charge_prev_obj = !object.has_value() && !needs_copy;
  }
  if (object.has_value()) {
    VmObject& target = m_objects.get(*object);
    if (target.ref_count > 1 || target.shadow_count() != 0)
      target.flags &= static_cast<ObjectFlags>(~OBJ_ONEMAPPING);
  } else if (next > 0) {
    Coalesce outcome = try_extend_previous(next - 1, request, protoeflags, charge,
                                           charge_prev_obj, object, offset, caller);
    if (outcome == Coalesce::ExtendedPrevious) return KernReturn::KERN_SUCCESS;
  }
  MapEntry entry;
  entry.start = request.start;
  entry.end = request.end;
  entry.object = object;
  entry.offset = offset;
  entry.eflags = protoeflags;
  entry.protection = request.prot;
  entry.max_protection = request.max;
  PROCSIM_ASSERT_MSG(!charge.has_value() || !entry_charged(entry),
                     "OVERCOMMIT: vm_map_insert leaks vm_map");
  entry.charge_uid = charge;
  m_entries.insert(m_entries.begin() + static_cast<std::ptrdiff_t>(next), entry);
  m_size_bytes += entry.size();
  if ((request.cow & (MAP_STACK_GROWS_DOWN | MAP_STACK_GROWS_UP)) == 0) simplify_entry(next);
  if ((request.cow & (MAP_PREFAULT | MAP_PREFAULT_PARTIAL)) != 0)
    pmap_enter_object(entry, (request.cow & MAP_PREFAULT_PARTIAL) != 0);
  return KernReturn::KERN_SUCCESS;
}

KernReturn VmMap::insert(std::optional<ObjectId> object, std::uint64_t offset, VmOffset start,
                         VmOffset end, Prot prot, Prot max, CowFlags cow, const Caller& caller) {
  KernReturn result = insert_locked({object, offset, start, end, prot, max, cow}, caller);
  unlock();
  return result;
}

// vm_map_pmap_enter(): maps the object's resident pages read-only ahead of any fault.
void VmMap::pmap_enter_object(const MapEntry& entry, bool partial) {
  constexpr std::uint64_t kMaxInitPt = 96;  // MAX_INIT_PT
  if ((entry.protection & (VM_PROT_READ | VM_PROT_EXECUTE)) == 0 || !entry.object.has_value())
    return;
  VmObject& object = m_objects.get(*entry.object);
  std::uint64_t first = atop(entry.offset);
  std::uint64_t count = atop(entry.size());
  if (partial && count > kMaxInitPt && object.resident_page_count() > kMaxInitPt) return;
  if (count + first > object.size_pages) {
    if (object.size_pages < first) return;
    count = object.size_pages - first;
  }
  Prot prot = static_cast<Prot>((entry.protection & VM_PROT_EXECUTE) | VM_PROT_READ);
  for (auto it = object.pages.lower_bound(first);
       it != object.pages.end() && it->first - first < count; ++it) {
    VmOffset va = entry.start + ptoa(it->first - first);
    if (pmap_lookup(va) == nullptr) pmap_enter(va, *it->second, prot);
  }
}

std::optional<VmOffset> VmMap::find_space(VmOffset start, std::uint64_t length) const {
  start = std::max(start, m_min_offset);
  if (start + length > m_max_offset || start + length < start) return std::nullopt;
  VmOffset candidate = start;
  for (const MapEntry& entry : m_entries) {
    if (entry.end <= candidate) continue;
    if (entry.start >= candidate + length) return candidate;
    candidate = entry.end;
  }
  if (candidate + length > m_max_offset || candidate + length < candidate) return std::nullopt;
  return candidate;
}

KernReturn VmMap::find(std::optional<ObjectId> object, std::uint64_t offset, VmOffset& addr,
                       std::uint64_t length, Prot prot, Prot max, CowFlags cow,
                       const Caller& caller) {
  std::optional<VmOffset> found = find_space(addr, length);
  if (!found.has_value()) {
    unlock();
    return KernReturn::KERN_NO_SPACE;
  }
  addr = *found;
  KernReturn result = insert_locked({object, offset, addr, addr + length, prot, max, cow}, caller);
  unlock();
  return result;
}

KernReturn VmMap::fixed(std::optional<ObjectId> object, std::uint64_t offset, VmOffset start,
                        std::uint64_t length, Prot prot, Prot max, CowFlags cow,
                        const Caller& caller) {
  VmOffset end = start + length;
  VmOffset clamped_start = start;
  VmOffset clamped_end = end;
  clamp_range(clamped_start, clamped_end);
  delete_range(clamped_start, clamped_end);
  KernReturn result = insert_locked({object, offset, start, end, prot, max, cow}, caller);
  unlock();
  return result;
}

KernReturn VmMap::stack(VmOffset addrbos, std::uint64_t max_ssize, Prot prot, Prot max,
                        CowFlags cow, const Caller& caller) {
  PROCSIM_ASSERT_MSG((cow & (MAP_STACK_GROWS_DOWN | MAP_STACK_GROWS_UP)) == MAP_STACK_GROWS_DOWN,
                     "only stacks that grow down are modelled");
  std::uint64_t init_ssize = std::min(max_ssize, m_vmspace.stack_grow_bytes);
  if (addrbos < m_min_offset || addrbos > m_max_offset || addrbos + max_ssize < addrbos)
    return KernReturn::KERN_NO_SPACE;
  std::size_t next = 0;
  KernReturn result = KernReturn::KERN_NO_SPACE;
  bool mapped = lookup_entry(addrbos, next);
  bool over_vmem = m_size_bytes + init_ssize > caller.rlimit_vmem_cur;
  bool reserved_area_taken =
      next < m_entries.size() && m_entries[next].start < addrbos + max_ssize;
  bool free_here = !mapped && !over_vmem && !reserved_area_taken;
  if (free_here) {
    VmOffset bottom = addrbos + max_ssize - init_ssize;
    result = insert_locked({std::nullopt, 0, bottom, bottom + init_ssize, prot, max, cow}, caller);
    if (result == KernReturn::KERN_SUCCESS) {
      std::size_t index = 0;
      PROCSIM_ASSERT(lookup_entry(bottom, index));
      MapEntry& entry = m_entries[index];
      PROCSIM_ASSERT(entry.start == bottom && entry.end == bottom + init_ssize);
      entry.avail_ssize = max_ssize - init_ssize;
      entry.eflags |= MAP_ENTRY_GROWS_DOWN;
    }
  }
  unlock();
  return result;
}

void VmMap::delete_range(VmOffset start, VmOffset end) {
  if (start == end) return;
  std::size_t index = 0;
  if (lookup_entry(start, index)) clip_start(index, start);
  while (index < m_entries.size() && m_entries[index].start < end) {
    clip_end(index, end);
    pmap_remove(m_entries[index].start, m_entries[index].end);
    delete_entry(index);
  }
}

// The object half of vm_map_entry_delete(): an object only this entry's range can see loses
// those pages, and if the range was its tail it shrinks, releasing that part of its charge.
void VmMap::truncate_object_for_delete(const MapEntry& entry) {
  VmObject& object = m_objects.get(*entry.object);
  bool only_mapping = (object.flags & (OBJ_NOSPLIT | OBJ_ONEMAPPING)) == OBJ_ONEMAPPING;
  if (object.ref_count == 1 || !only_mapping) return;
  m_objects.collapse(object.id);
  std::uint64_t first = atop(entry.offset);
  std::uint64_t last = first + atop(entry.size());
  m_objects.remove_pages(object.id, first, last);
  if (last >= object.size_pages && first < object.size_pages) {
    std::uint64_t dropped_pages = object.size_pages - first;
    object.size_pages = first;
    if (object.charge_uid.has_value()) {
      PROCSIM_ASSERT_MSG(object.charge_bytes >= ptoa(dropped_pages),
                         "vm_map_entry_delete: object->charge < 0");
      m_objects.swap().release_by_uid(ptoa(dropped_pages), *object.charge_uid);
      object.charge_bytes -= ptoa(dropped_pages);
    }
  }
}

void VmMap::delete_entry(std::size_t index) {
  MapEntry entry = m_entries[index];
  m_entries.erase(m_entries.begin() + static_cast<std::ptrdiff_t>(index));
  m_size_bytes -= entry.size();
  if (entry.charge_uid.has_value()) m_objects.swap().release_by_uid(entry.size(), *entry.charge_uid);
  if (!entry.object.has_value()) return;
  PROCSIM_ASSERT_MSG(!entry.charge_uid.has_value() ||
                         !m_objects.get(*entry.object).charge_uid.has_value() || entry.needs_copy(),
                     "OVERCOMMIT vm_map_entry_delete: both cred");
  truncate_object_for_delete(entry);
  m_deferred.push_back(*entry.object);
}

void VmMap::process_deferred() {
  std::vector<ObjectId> deferred;
  deferred.swap(m_deferred);
  for (auto it = deferred.rbegin(); it != deferred.rend(); ++it) m_objects.deallocate(*it);
}

KernReturn VmMap::remove(VmOffset start, VmOffset end) {
  clamp_range(start, end);
  delete_range(start, end);
  unlock();
  return KernReturn::KERN_SUCCESS;
}

// The accounting pass of vm_map_protect() for one entry gaining write access (§5.3).
KernReturn VmMap::charge_for_write(std::size_t index, const Caller& caller) {
  MapEntry& entry = m_entries[index];
  if (!entry.object.has_value() || entry.needs_copy()) {
    if (!m_objects.swap().reserve(entry.size(), caller)) return KernReturn::KERN_RESOURCE_SHORTAGE;
    entry.charge_uid = caller.ruid;
    return KernReturn::KERN_SUCCESS;
  }
  VmObject& object = m_objects.get(*entry.object);
  if (!object.is_anonymous()) return KernReturn::KERN_SUCCESS;
  // The whole object is charged: later clipped mappings of it cannot be told apart.
  PROCSIM_ASSERT_MSG(object.charge_bytes == 0, "vm_map_protect: object overcharged");
  if (!m_objects.swap().reserve(ptoa(object.size_pages), caller))
    return KernReturn::KERN_RESOURCE_SHORTAGE;
  m_objects.set_charge(object.id, caller.ruid, ptoa(object.size_pages));
  return KernReturn::KERN_SUCCESS;
}

KernReturn VmMap::protect(VmOffset start, VmOffset end, Prot new_prot, bool set_max,
                          const Caller& caller) {
  if (start == end) return KernReturn::KERN_SUCCESS;
  clamp_range(start, end);
  std::size_t first = 0;
  if (lookup_entry(start, first)) clip_start(first, start);
  for (std::size_t i = first; i < m_entries.size() && m_entries[i].start < end; ++i) {
    if ((new_prot & m_entries[i].max_protection) != new_prot) {
      unlock();
      return KernReturn::KERN_PROTECTION_FAILURE;
    }
  }
  for (std::size_t i = first; i < m_entries.size() && m_entries[i].start < end; ++i) {
    clip_end(i, end);
    const MapEntry& entry = m_entries[i];
    bool adds_write = ((new_prot & ~entry.protection) & VM_PROT_WRITE) != 0;
    if (set_max || !adds_write || entry_charged(entry)) continue;
    if (charge_for_write(i, caller) != KernReturn::KERN_SUCCESS) {
      unlock();
      return KernReturn::KERN_RESOURCE_SHORTAGE;
    }
  }
  for (std::size_t i = first; i < m_entries.size() && m_entries[i].start < end; ++i) {
    MapEntry& entry = m_entries[i];
    Prot old_prot = entry.protection;
    if (set_max) {
      entry.max_protection = new_prot;
      entry.protection = new_prot & old_prot;
    } else {
      entry.protection = new_prot;
    }
    if ((old_prot & ~entry.protection) != 0) {
      Prot mask = (entry.eflags & MAP_ENTRY_COW) != 0 ? Prot{VM_PROT_READ | VM_PROT_EXECUTE}
                                                       : VM_PROT_ALL;
      pmap_protect(entry.start, entry.end, entry.protection & mask);
    }
    simplify_entry(i);
  }
  unlock();
  return KernReturn::KERN_SUCCESS;
}

KernReturn VmMap::inherit(VmOffset start, VmOffset end, Inheritance inheritance) {
  if (start == end) return KernReturn::KERN_SUCCESS;
  clamp_range(start, end);
  std::size_t index = 0;
  if (lookup_entry(start, index)) clip_start(index, start);
  for (; index < m_entries.size() && m_entries[index].start < end; ++index) {
    clip_end(index, end);
    m_entries[index].inheritance = inheritance;
    simplify_entry(index);
  }
  unlock();
  return KernReturn::KERN_SUCCESS;
}

}  // namespace procsim::vm
