// VM objects as FreeBSD 8.3 keeps them (spec/kernel.md §5.1–5.2): typed page containers with
// reference and shadow counts, flags, a backing object for copy-on-write chains, a vnode for
// file-backed objects, and a swap charge. Pages hold real bytes. Left out: the swap pager's
// block map, page queues and paging I/O; OBJT_SWAP objects page like OBJT_DEFAULT ones.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "model/vm/swap_account.h"
#include "model/vm/vm_types.h"
#include "sim/base/bytes.h"

namespace procsim::vm {

// The file behind an OBJT_VNODE object, as the VM sees it: the name procfs prints and the
// bytes pages are filled from. The vfs layer implements it; the VM never writes through it, so
// a private (copy-on-write) mapping can never change the file.
class VnodeBacking {
 public:
  virtual ~VnodeBacking() = default;
  // The full path as vn_fullpath() would resolve it; empty when the name cache cannot.
  virtual std::string_view path() const = 0;
  virtual std::uint64_t size_bytes() const = 0;
  // Copies file bytes starting at `offset` into `out`; bytes past the end of file read as 0.
  virtual void read(std::uint64_t offset, base::MutableByteSpan out) const = 0;
};

// A vnode whose contents are a fixed byte string (program images, tests).
class BytesVnode final : public VnodeBacking {
 public:
  BytesVnode(std::string path, base::Bytes contents);
  std::string_view path() const override { return m_path; }
  std::uint64_t size_bytes() const override { return m_contents.size(); }
  void read(std::uint64_t offset, base::MutableByteSpan out) const override;

 private:
  std::string m_path;
  base::Bytes m_contents;
};

// One resident page. `pmap_mappings` counts the pmap entries (in any map) that point at it, so
// freeing a mapped page is caught as the bug it is.
struct Page {
  std::array<std::uint8_t, kPageSize> bytes{};
  std::uint32_t pmap_mappings = 0;
};

struct VmObject {
  ObjectId id;
  ObjectType type = ObjectType::OBJT_DEFAULT;
  std::uint64_t size_pages = 0;
  std::int32_t ref_count = 0;
  ObjectFlags flags = 0;
  std::optional<ObjectId> backing_object;
  std::uint64_t backing_object_offset = 0;  // bytes
  std::set<ObjectId> shadows;               // objects whose backing object this is
  std::shared_ptr<const VnodeBacking> vnode;  // the pager handle; OBJT_VNODE only
  std::optional<Uid> charge_uid;              // "uip": who the charge belongs to
  std::uint64_t charge_bytes = 0;
  std::map<std::uint64_t, std::unique_ptr<Page>> pages;  // by page index

  std::int32_t shadow_count() const { return static_cast<std::int32_t>(shadows.size()); }
  std::size_t resident_page_count() const { return pages.size(); }
  bool has_handle() const { return vnode != nullptr; }
  // DEFAULT and SWAP objects are "anonymous": collapsible, splittable, chargeable.
  bool is_anonymous() const {
    return type == ObjectType::OBJT_DEFAULT || type == ObjectType::OBJT_SWAP;
  }
};

// Owns every VM object of one simulated machine. Ids come from a counter and are never reused.
class VmObjectStore {
 public:
  explicit VmObjectStore(SwapAccount& swap);
  VmObjectStore(const VmObjectStore&) = delete;
  VmObjectStore& operator=(const VmObjectStore&) = delete;

  // vm_object_allocate(): one reference, OBJ_ONEMAPPING for anonymous types.
  ObjectId allocate(ObjectType type, std::uint64_t size_pages);
  // vnode_create_vobject(): the vnode's object with no references yet. It outlives its last
  // mapping (the page cache) until release_vnode_object().
  ObjectId allocate_vnode_object(std::shared_ptr<const VnodeBacking> vnode);
  // The vnode is being recycled: its object goes away. No references may remain.
  void release_vnode_object(ObjectId id);

  bool exists(ObjectId id) const { return m_objects.count(id) != 0; }
  VmObject& get(ObjectId id);
  const VmObject& get(ObjectId id) const;
  std::size_t object_count() const { return m_objects.size(); }
  SwapAccount& swap() { return m_swap; }

  void reference(ObjectId id);  // vm_object_reference()
  void deallocate(ObjectId id);  // vm_object_deallocate(): collapse or terminate as 8.3 does
  // vm_object_shadow(): replaces (object, offset) by a new shadow unless the object is an
  // unshared anonymous one.
  void shadow(std::optional<ObjectId>& object, std::uint64_t& offset, std::uint64_t length_bytes);
  void collapse(ObjectId id);  // vm_object_collapse()
  // vm_object_coalesce(): can `next_bytes` be appended after prev's mapping of prev_bytes?
  bool coalesce(std::optional<ObjectId> prev, std::uint64_t prev_offset, std::uint64_t prev_bytes,
                std::uint64_t next_bytes, bool reserved, const Caller& caller);
  // vm_object_split() of the part [offset, offset + size_pages) of `id` into a new object;
  // returns the new object, which holds the one reference the caller's entry had.
  ObjectId split(ObjectId id, std::uint64_t offset, std::uint64_t size_pages);

  // Sets the swap charge of an uncharged anonymous object.
  void set_charge(ObjectId id, Uid uid, std::uint64_t bytes);

  // Pages.
  Page* lookup_page(ObjectId id, std::uint64_t pindex);
  // A new zero-filled page (filled from the file for a vnode object).
  Page& allocate_page(ObjectId id, std::uint64_t pindex);
  // vm_page_rename(): moves a page between objects; it stays mapped where it was mapped.
  void rename_page(ObjectId from, std::uint64_t from_pindex, ObjectId to, std::uint64_t to_pindex);
  // vm_object_page_remove(..., OBJPR_NOTMAPPED) of [start, end); end == 0 means "to the end".
  void remove_pages(ObjectId id, std::uint64_t start, std::uint64_t end);

  // Checks the counting invariants of every object (shadow lists agree with backing links,
  // charges only on anonymous objects). For tests and debugging.
  void check_invariants() const;

 private:
  ObjectId next_id();
  void free_page(VmObject& object, std::uint64_t pindex);
  bool backing_fully_shadowed(const VmObject& object, const VmObject& backing) const;
  void absorb_backing(VmObject& object, VmObject& backing);
  void bypass_backing(VmObject& object, VmObject& backing);
  bool try_collapse_into_shadow(VmObject& object);
  void terminate(ObjectId id);  // vm_object_terminate() + vm_object_destroy()
  void destroy(ObjectId id);     // vm_object_destroy(): releases the charge, frees the id

  SwapAccount& m_swap;
  std::map<ObjectId, VmObject> m_objects;
  std::uint32_t m_next_id = 1;
};

}  // namespace procsim::vm
