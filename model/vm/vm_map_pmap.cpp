// The software pmap of a VmMap: which virtual pages are mapped to which resident pages with
// what protection, the translation cache user accesses go through, and the map's invariant
// check. Physical addresses, PTE bits other than protection, and superpages are not modelled.
#include "model/vm/vm_map.h"

namespace procsim::vm {

void VmMap::invalidate_translations() {
  for (Translation& slot : m_translations) slot = Translation{};
}

const PmapMapping* VmMap::pmap_lookup(VmOffset page_va) const {
  PROCSIM_ASSERT(page_aligned(page_va));
  auto found = m_pmap.find(page_va);
  return found == m_pmap.end() ? nullptr : &found->second;
}

void VmMap::pmap_enter(VmOffset page_va, Page& page, Prot prot) {
  PROCSIM_ASSERT(page_aligned(page_va));
  PROCSIM_ASSERT(page_va >= m_min_offset && page_va < m_max_offset);
  PmapMapping& mapping = m_pmap[page_va];
  if (mapping.page != nullptr) {
    PROCSIM_ASSERT(mapping.page->pmap_mappings > 0);
    --mapping.page->pmap_mappings;
  }
  mapping.page = &page;
  mapping.prot = static_cast<Prot>(prot | VM_PROT_READ);
  ++page.pmap_mappings;
  ++m_generation;
  invalidate_translations();
}

void VmMap::pmap_remove(VmOffset start, VmOffset end) {
  auto it = m_pmap.lower_bound(start);
  bool changed = false;
  while (it != m_pmap.end() && it->first < end) {
    PROCSIM_ASSERT(it->second.page->pmap_mappings > 0);
    --it->second.page->pmap_mappings;
    it = m_pmap.erase(it);
    changed = true;
  }
  if (!changed) return;
  ++m_generation;
  invalidate_translations();
}

// pmap_protect() only ever takes permissions away; without READ the mappings go entirely.
void VmMap::pmap_protect(VmOffset start, VmOffset end, Prot prot) {
  if ((prot & VM_PROT_READ) == 0) {
    pmap_remove(start, end);
    return;
  }
  bool changed = false;
  for (auto it = m_pmap.lower_bound(start); it != m_pmap.end() && it->first < end; ++it) {
    Prot narrowed = static_cast<Prot>(it->second.prot & (prot | VM_PROT_READ));
    changed = changed || narrowed != it->second.prot;
    it->second.prot = narrowed;
  }
  if (!changed) return;
  ++m_generation;
  invalidate_translations();
}

// pmap_is_prefaultable(): nothing mapped at the page yet, but its page-table page exists, i.e.
// something in the same page-table span is mapped.
bool VmMap::pmap_is_prefaultable(VmOffset page_va) const {
  if (m_pmap.count(page_va) != 0) return false;
  VmOffset span = m_traits.page_table_span_bytes;
  VmOffset base = page_va - page_va % span;
  auto it = m_pmap.lower_bound(base);
  return it != m_pmap.end() && it->first < base + span;
}

std::uint64_t VmMap::pmap_resident_pages(VmOffset start, VmOffset end) const {
  std::uint64_t count = 0;
  for (auto it = m_pmap.lower_bound(start); it != m_pmap.end() && it->first < end; ++it) ++count;
  return count;
}

const VmMap::Translation* VmMap::translate(VmOffset page_va) {
  const PmapMapping* mapping = pmap_lookup(page_va);
  if (mapping == nullptr) return nullptr;
  Translation& slot = m_translations[slot_for(page_va)];
  slot.page_va = page_va;
  slot.host = mapping->page->bytes.data();
  slot.prot = mapping->prot;
  return &slot;
}

void VmMap::check_invariants() const {
  std::uint64_t total = 0;
  VmOffset previous_end = m_min_offset;
  for (const MapEntry& entry : m_entries) {
    PROCSIM_ASSERT(entry.start < entry.end);
    PROCSIM_ASSERT(page_aligned(entry.start) && page_aligned(entry.end));
    PROCSIM_ASSERT(entry.start >= previous_end);
    PROCSIM_ASSERT(entry.end <= m_max_offset);
    previous_end = entry.end;
    total += entry.size();
    if (!entry.object.has_value()) continue;
    const VmObject& object = m_objects.get(*entry.object);
    PROCSIM_ASSERT(object.ref_count > 0);
    PROCSIM_ASSERT_MSG(!entry.charge_uid.has_value() || !object.charge_uid.has_value() ||
                           entry.needs_copy(),
                       "entry and object both charged");
  }
  PROCSIM_ASSERT(total == m_size_bytes);
  for (const auto& [va, mapping] : m_pmap) {
    PROCSIM_ASSERT(mapping.page != nullptr && mapping.page->pmap_mappings > 0);
    PROCSIM_ASSERT((mapping.prot & VM_PROT_READ) != 0);
    const MapEntry* entry = entry_containing(va);
    PROCSIM_ASSERT_MSG(entry != nullptr, "pmap maps a page outside every entry");
    // A pending copy must fault on the first write.
    PROCSIM_ASSERT(!entry->needs_copy() || (mapping.prot & VM_PROT_WRITE) == 0);
  }
}

}  // namespace procsim::vm
