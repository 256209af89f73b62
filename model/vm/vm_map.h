// A process address space after FreeBSD 8.3's vm_map (spec/kernel.md §5): entries in address
// order over VM objects, clipping and merging, insert/find/remove/protect/inherit, the fault
// lookup that resolves copy-on-write, stacks that grow down, vmspace_fork, the per-entry swap
// charges of §5.3, and a software pmap recording which pages this map has mapped (what procfs
// calls "resident"). Left out: submaps, wiring (wired_count stays 0), madvise, msync.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "model/vm/vm_object.h"
#include "model/vm/vm_types.h"
#include "sim/base/result.h"

namespace procsim::vm {

struct MapEntry {
  VmOffset start = 0;
  VmOffset end = 0;
  std::optional<ObjectId> object;
  std::uint64_t offset = 0;  // byte offset of `start` in the object
  EntryFlags eflags = 0;
  Prot protection = VM_PROT_NONE;
  Prot max_protection = VM_PROT_NONE;
  Inheritance inheritance = Inheritance::VM_INHERIT_COPY;
  std::uint32_t wired_count = 0;
  std::optional<Uid> charge_uid;  // "uip": the entry's own swap charge, for end - start bytes
  std::uint64_t avail_ssize = 0;  // growable stack entries: how much further they may grow

  std::uint64_t size() const { return end - start; }
  bool needs_copy() const { return (eflags & MAP_ENTRY_NEEDS_COPY) != 0; }
};

// One page-table entry of the software pmap. `prot` always includes READ: a valid x86 PTE can
// always be read.
struct PmapMapping {
  Page* page = nullptr;
  Prot prot = VM_PROT_NONE;
};

// Physical-map behaviour that differs between architectures.
struct PmapTraits {
  // pmap_copy() at fork copies the parent's mappings (amd64, i386); a no-op elsewhere.
  bool copy_on_fork = true;
  // Bytes mapped by one page-table page: fault-time prefaulting only fills neighbours whose
  // page-table page already exists (2 MiB on amd64 and PAE i386, 4 MiB on plain i386).
  std::uint64_t page_table_span_bytes = 2ULL << 20;
};

// The struct vmspace fields beside the map.
struct VmspaceSizes {
  VmOffset taddr = 0;
  VmOffset daddr = 0;
  VmOffset maxsaddr = 0;
  std::uint64_t tsize_pages = 0;
  std::uint64_t dsize_pages = 0;
  std::uint64_t ssize_pages = 0;
  std::uint64_t stack_grow_bytes = 128 * 1024;  // sgrowsiz
};

// What vm_map_lookup() found for a fault: the object and page index to look in, and the
// protection the page may be mapped with.
struct LookupResult {
  std::size_t entry_index = 0;
  ObjectId object;
  std::uint64_t pindex = 0;
  Prot prot = VM_PROT_NONE;
  bool wired = false;
};

// One address space. The object store must outlive every map that uses it.
class VmMap {
 public:
  VmMap(VmObjectStore& objects, VmOffset min_offset, VmOffset max_offset, PmapTraits traits = {});
  ~VmMap();  // vmspace_free(): removes every entry, releasing charges and object references
  VmMap(const VmMap&) = delete;
  VmMap& operator=(const VmMap&) = delete;

  // vm_map_insert(): maps [start, end) of `object` (none: anonymous zero-fill) at `offset`.
  // On success the map owns the caller's reference to `object`; on failure the caller keeps it.
  KernReturn insert(std::optional<ObjectId> object, std::uint64_t offset, VmOffset start,
                    VmOffset end, Prot prot, Prot max, CowFlags cow, const Caller& caller);
  // vm_map_findspace(): lowest address >= start with `length` free bytes.
  std::optional<VmOffset> find_space(VmOffset start, std::uint64_t length) const;
  // vm_map_find(VMFS_ANY_SPACE): insert at the first fit at or above `addr`; sets `addr`.
  KernReturn find(std::optional<ObjectId> object, std::uint64_t offset, VmOffset& addr,
                  std::uint64_t length, Prot prot, Prot max, CowFlags cow, const Caller& caller);
  // vm_map_fixed(): replace whatever is at [start, start + length).
  KernReturn fixed(std::optional<ObjectId> object, std::uint64_t offset, VmOffset start,
                   std::uint64_t length, Prot prot, Prot max, CowFlags cow, const Caller& caller);
  // vm_map_stack(): a stack of max_ssize bytes at addrbos, of which sgrowsiz is mapped now.
  KernReturn stack(VmOffset addrbos, std::uint64_t max_ssize, Prot prot, Prot max, CowFlags cow,
                   const Caller& caller);
  // vm_map_growstack(): grows a stack down to cover `addr` if it lies in its reserved area.
  KernReturn grow_stack(VmOffset addr, const Caller& caller);
  // vm_map_remove(): munmap semantics, clipping partially covered entries.
  KernReturn remove(VmOffset start, VmOffset end);
  // vm_map_protect(): KERN_PROTECTION_FAILURE beyond max_protection; adding write to an
  // uncharged entry reserves swap (KERN_RESOURCE_SHORTAGE when refused).
  KernReturn protect(VmOffset start, VmOffset end, Prot new_prot, bool set_max,
                     const Caller& caller);
  // vm_map_inherit().
  KernReturn inherit(VmOffset start, VmOffset end, Inheritance inheritance);
  // vm_map_lookup() for a fault of `fault_type` (READ/WRITE/EXECUTE, optionally with
  // OVERRIDE_WRITE). Shadows a NEEDS_COPY entry on write; creates a missing object.
  KernReturn lookup(VmOffset addr, Prot fault_type, const Caller& caller, LookupResult& out);
  // vmspace_fork() followed by fork1()'s reservation of the fork charge: ENOMEM when refused,
  // after forcing the reservation so that freeing the half-built child balances the books.
  base::Result<std::unique_ptr<VmMap>, VmErrno> fork(const Caller& caller);
  // vmspace_fork() alone; `fork_charge` receives the bytes fork1() must reserve.
  std::unique_ptr<VmMap> fork_uncharged(const Caller& caller, std::uint64_t& fork_charge);

  // Inspection.
  const std::vector<MapEntry>& entries() const { return m_entries; }
  const MapEntry* entry_containing(VmOffset addr) const;
  VmOffset min_offset() const { return m_min_offset; }
  VmOffset max_offset() const { return m_max_offset; }
  std::uint64_t size_bytes() const { return m_size_bytes; }
  std::uint32_t timestamp() const { return m_timestamp; }
  VmObjectStore& objects() { return m_objects; }
  const VmObjectStore& objects() const { return m_objects; }
  VmspaceSizes& vmspace() { return m_vmspace; }
  const VmspaceSizes& vmspace() const { return m_vmspace; }
  const PmapTraits& pmap_traits() const { return m_traits; }

  // The software pmap.
  const PmapMapping* pmap_lookup(VmOffset page_va) const;
  void pmap_enter(VmOffset page_va, Page& page, Prot prot);
  void pmap_remove(VmOffset start, VmOffset end);
  void pmap_protect(VmOffset start, VmOffset end, Prot prot);
  bool pmap_is_prefaultable(VmOffset page_va) const;
  std::uint64_t pmap_resident_pages(VmOffset start, VmOffset end) const;
  // Bumped on every pmap change and every debugger write into executable memory: anything that
  // caches translations or decoded instructions of this map is stale when it moves.
  std::uint64_t generation() const { return m_generation; }
  void note_code_modified() { ++m_generation; invalidate_translations(); }

  // Translation cache for user accesses: page -> (host bytes, prot). Filled from the pmap,
  // emptied whenever the pmap changes (the only place translations come from), so a stale
  // entry can never outlive a COW copy, an unmap or a protection downgrade.
  struct Translation {
    VmOffset page_va = ~VmOffset{0};
    std::uint8_t* host = nullptr;
    Prot prot = VM_PROT_NONE;
  };
  const Translation* translate_cached(VmOffset page_va) const {
    const Translation& slot = m_translations[slot_for(page_va)];
    return slot.page_va == page_va ? &slot : nullptr;
  }
  const Translation* translate(VmOffset page_va);

  // Checks entry ordering, charge placement and pmap bookkeeping. For tests and debugging.
  void check_invariants() const;

 private:
  static constexpr std::size_t kTranslationSlots = 64;
  static std::size_t slot_for(VmOffset page_va) {
    return static_cast<std::size_t>(page_va / kPageSize) % kTranslationSlots;
  }
  void invalidate_translations();

  // The arguments of vm_map_insert().
  struct InsertRequest {
    std::optional<ObjectId> object;
    std::uint64_t offset = 0;
    VmOffset start = 0;
    VmOffset end = 0;
    Prot prot = VM_PROT_NONE;
    Prot max = VM_PROT_NONE;
    CowFlags cow = 0;
  };
  // How vm_map_insert's attempt to grow the previous entry ended.
  enum class Coalesce { NotPossible, ExtendedPrevious, SharesPreviousObject };

  // The entry containing addr (true), or the index where an entry starting at addr would go.
  bool lookup_entry(VmOffset addr, std::size_t& index) const;
  void clamp_range(VmOffset& start, VmOffset& end) const;  // VM_MAP_RANGE_CHECK
  void clip_start(std::size_t& index, VmOffset addr);
  void clip_end(std::size_t index, VmOffset addr);
  void give_clipped_entry_an_object(MapEntry& entry);
  void simplify_entry(std::size_t& index);
  bool can_merge(const MapEntry& first, const MapEntry& second) const;
  // ENTRY_CHARGED(): the entry, or its object when no copy is pending, carries a charge.
  bool entry_charged(const MapEntry& entry) const;
  KernReturn insert_locked(const InsertRequest& request, const Caller& caller);
  Coalesce try_extend_previous(std::size_t prev_index, const InsertRequest& request,
                               EntryFlags protoeflags, std::optional<Uid>& charge,
                               bool charge_prev_obj, std::optional<ObjectId>& object,
                               std::uint64_t& offset, const Caller& caller);
  void pmap_enter_object(const MapEntry& entry, bool partial);
  void delete_range(VmOffset start, VmOffset end);
  void delete_entry(std::size_t index);
  void truncate_object_for_delete(const MapEntry& entry);
  void process_deferred();
  KernReturn charge_for_write(std::size_t index, const Caller& caller);
  KernReturn resolve_needs_copy(MapEntry& entry, const Caller& caller);
  std::optional<std::size_t> stack_entry_below(VmOffset addr, std::size_t next) const;
  void copy_entry_for_fork(MapEntry& source, MapEntry& copy, const Caller& caller,
                           std::uint64_t& fork_charge);
  void share_entry_for_fork(MapEntry& source);
  void pmap_copy_to(VmMap& child, const MapEntry& entry) const;
  void account_forked_entry(VmMap& child, const MapEntry& entry) const;
  void unlock() {  // vm_map_unlock()
    ++m_timestamp;
    process_deferred();
  }

  VmObjectStore& m_objects;
  VmOffset m_min_offset;
  VmOffset m_max_offset;
  PmapTraits m_traits;
  std::vector<MapEntry> m_entries;  // sorted by start, non-overlapping
  std::uint64_t m_size_bytes = 0;
  std::uint32_t m_timestamp = 0;
  VmspaceSizes m_vmspace;
  // Objects of deleted entries, released at unlock in last-deleted-first order, as 8.3 does
  // with td_map_def_user.
  std::vector<ObjectId> m_deferred;
  std::map<VmOffset, PmapMapping> m_pmap;
  std::uint64_t m_generation = 0;
  std::array<Translation, kTranslationSlots> m_translations{};
};

}  // namespace procsim::vm
