// VM object life cycle and shadow chains, after 8.3 vm_object.c (spec/kernel.md §5.2):
// allocation, reference/deallocate with collapse-into-shadow, shadowing, collapse and bypass,
// coalescing, splitting, and the charge release when an object is destroyed (§5.3).
// No locking, paging-in-progress or swap blocks: the simulator is single threaded.
#include "model/vm/vm_object.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace procsim::vm {

BytesVnode::BytesVnode(std::string path, base::Bytes contents)
    : m_path(std::move(path)), m_contents(std::move(contents)) {}

void BytesVnode::read(std::uint64_t offset, base::MutableByteSpan out) const {
  std::fill(out.begin(), out.end(), std::uint8_t{0});
  if (offset >= m_contents.size()) return;
  std::size_t available = m_contents.size() - static_cast<std::size_t>(offset);
  std::size_t count = std::min(available, out.size());
  std::copy_n(m_contents.begin() + static_cast<std::ptrdiff_t>(offset), count, out.begin());
}

VmObjectStore::VmObjectStore(SwapAccount& swap) : m_swap(swap) {}

ObjectId VmObjectStore::next_id() {
  PROCSIM_ASSERT(m_next_id != 0);  // 2^32 objects would wrap; ids must never repeat
  return ObjectId(m_next_id++);
}

ObjectId VmObjectStore::allocate(ObjectType type, std::uint64_t size_pages) {
  ObjectId id = next_id();
  VmObject& object = m_objects[id];
  object.id = id;
  object.type = type;
  object.size_pages = size_pages;
  object.ref_count = 1;
  if (object.is_anonymous()) object.flags = OBJ_ONEMAPPING;
  return id;
}

ObjectId VmObjectStore::allocate_vnode_object(std::shared_ptr<const VnodeBacking> vnode) {
  PROCSIM_ASSERT(vnode != nullptr);
  ObjectId id = next_id();
  VmObject& object = m_objects[id];
  object.id = id;
  object.type = ObjectType::OBJT_VNODE;
  object.size_pages = atop(round_page(vnode->size_bytes()));
  object.ref_count = 0;
  object.vnode = std::move(vnode);
  return id;
}

void VmObjectStore::release_vnode_object(ObjectId id) {
  VmObject& object = get(id);
  PROCSIM_ASSERT(object.type == ObjectType::OBJT_VNODE);
  PROCSIM_ASSERT_MSG(object.ref_count == 0, "vnode object still mapped");
  PROCSIM_ASSERT(object.shadows.empty());
  terminate(id);
}

VmObject& VmObjectStore::get(ObjectId id) {
  auto found = m_objects.find(id);
  PROCSIM_ASSERT_MSG(found != m_objects.end(), "no such VM object");
  return found->second;
}

const VmObject& VmObjectStore::get(ObjectId id) const {
  auto found = m_objects.find(id);
  PROCSIM_ASSERT_MSG(found != m_objects.end(), "no such VM object");
  return found->second;
}

void VmObjectStore::reference(ObjectId id) {
  VmObject& object = get(id);
  PROCSIM_ASSERT((object.flags & OBJ_DEAD) == 0);
  ++object.ref_count;
}

// The ref_count == 1 special case of vm_object_deallocate(): an anonymous object left with one
// reference and one shadow is collapsed into that shadow. Returns true when it did, leaving
// the caller to drop the temporary reference on the shadow.
bool VmObjectStore::try_collapse_into_shadow(VmObject& object) {
  if (object.shadow_count() != 1 || object.has_handle() || !object.is_anonymous()) return false;
  VmObject& shadow = get(*object.shadows.begin());
  if ((shadow.flags & OBJ_DEAD) != 0 || shadow.has_handle() || !shadow.is_anonymous())
    return false;
  PROCSIM_ASSERT(shadow.ref_count >= 1);
  ++shadow.ref_count;  // held across the collapse, dropped by the caller's next iteration
  collapse(shadow.id);
  return true;
}

void VmObjectStore::deallocate(ObjectId id) {
  std::optional<ObjectId> current = id;
  while (current.has_value()) {
    VmObject& object = get(*current);
    PROCSIM_ASSERT_MSG(object.ref_count > 0, "vm_object_deallocate: deallocated too many times");
    --object.ref_count;
    if (object.type == ObjectType::OBJT_VNODE) return;  // the vnode keeps its object cached
    if (object.ref_count > 1) return;
    if (object.ref_count == 1) {
      if (object.shadow_count() == 0 && !object.has_handle() && object.is_anonymous()) {
        object.flags |= OBJ_ONEMAPPING;
        return;
      }
      ObjectId shadow_id = object.shadows.empty() ? object.id : *object.shadows.begin();
      if (!try_collapse_into_shadow(object)) return;
      current = shadow_id;  // `object` may be gone now: it was absorbed by its shadow
      continue;
    }
    std::optional<ObjectId> backing = object.backing_object;
    if (backing.has_value()) {
      get(*backing).shadows.erase(object.id);
      object.backing_object.reset();
    }
    PROCSIM_ASSERT((object.flags & OBJ_DEAD) == 0);
    terminate(object.id);
    current = backing;  // the dead object's reference on its backing object goes too
  }
}

void VmObjectStore::shadow(std::optional<ObjectId>& object, std::uint64_t& offset,
                           std::uint64_t length_bytes) {
  PROCSIM_ASSERT(page_aligned(length_bytes) && page_aligned(offset));
  if (object.has_value()) {
    const VmObject& source = get(*object);
    if (source.ref_count == 1 && !source.has_handle() && source.is_anonymous()) return;
  }
  ObjectId result_id = allocate(ObjectType::OBJT_DEFAULT, atop(length_bytes));
  VmObject& result = get(result_id);
  result.backing_object = object;
  result.backing_object_offset = offset;
  if (object.has_value()) {
    VmObject& source = get(*object);
    source.shadows.insert(result_id);
    result.flags |= source.flags & OBJ_COLORED;
  }
  offset = 0;
  object = result_id;
}

bool VmObjectStore::backing_fully_shadowed(const VmObject& object,
                                           const VmObject& backing) const {
  if (object.resident_page_count() == object.size_pages) return true;
  if (backing.type != ObjectType::OBJT_DEFAULT) return false;
  std::uint64_t first = atop(object.backing_object_offset);
  for (const auto& [pindex, page] : backing.pages) {
    if (pindex < first || pindex - first >= object.size_pages) continue;
    if (object.pages.count(pindex - first) == 0) return false;
  }
  return true;
}

// The backing object is referenced only by `object`: its pages move up (unless shadowed or
// out of range, then they are freed), `object` takes over its backing link, and it is
// destroyed, releasing its own charge.
void VmObjectStore::absorb_backing(VmObject& object, VmObject& backing) {
  PROCSIM_ASSERT(backing.ref_count == 1);
  backing.flags |= OBJ_DEAD;
  std::uint64_t first = atop(object.backing_object_offset);
  std::vector<std::uint64_t> indexes;
  for (const auto& entry : backing.pages) indexes.push_back(entry.first);
  for (std::uint64_t pindex : indexes) {
    bool out_of_range = pindex < first || pindex - first >= object.size_pages;
    if (out_of_range || object.pages.count(pindex - first) != 0) {
      free_page(backing, pindex);
      continue;
    }
    rename_page(backing.id, pindex, object.id, pindex - first);
  }
  backing.shadows.erase(object.id);
  if (backing.backing_object.has_value()) {
    VmObject& next = get(*backing.backing_object);
    next.shadows.erase(backing.id);
    next.shadows.insert(object.id);
  }
  object.backing_object = backing.backing_object;
  object.backing_object_offset += backing.backing_object_offset;
  backing.backing_object.reset();
  destroy(backing.id);
}

// `object` shadows every resident page of its (shared) backing object: it skips over it.
void VmObjectStore::bypass_backing(VmObject& object, VmObject& backing) {
  PROCSIM_ASSERT(backing.ref_count >= 2);
  backing.shadows.erase(object.id);
  object.backing_object = backing.backing_object;
  if (backing.backing_object.has_value()) {
    VmObject& next = get(*backing.backing_object);
    next.shadows.insert(object.id);
    reference(next.id);
    object.backing_object_offset += backing.backing_object_offset;
  }
  --backing.ref_count;
}

void VmObjectStore::collapse(ObjectId id) {
  VmObject& object = get(id);
  while (object.backing_object.has_value()) {
    VmObject& backing = get(*object.backing_object);
    bool collapsible = !backing.has_handle() && backing.is_anonymous() &&
                       (backing.flags & OBJ_DEAD) == 0 && !object.has_handle() &&
                       object.is_anonymous() && (object.flags & OBJ_DEAD) == 0;
    if (!collapsible) return;
    if (backing.ref_count == 1) {
      absorb_backing(object, backing);
      continue;
    }
    if (!backing_fully_shadowed(object, backing)) return;
    bypass_backing(object, backing);
  }
}

bool VmObjectStore::coalesce(std::optional<ObjectId> prev, std::uint64_t prev_offset,
                             std::uint64_t prev_bytes, std::uint64_t next_bytes, bool reserved,
                             const Caller& caller) {
  if (!prev.has_value()) return true;
  VmObject& object = get(*prev);
  if (!object.is_anonymous()) return false;
  collapse(object.id);
  if (object.backing_object.has_value()) return false;
  std::uint64_t prev_pages = atop(prev_bytes);
  std::uint64_t next_pages = atop(next_bytes);
  std::uint64_t next_pindex = atop(prev_offset) + prev_pages;
  if (object.ref_count > 1 && object.size_pages != next_pindex) return false;
  if (object.charge_uid.has_value()) {
    // A charged object must carry the extension's charge too (spec/kernel.md §5.3, insert row).
    if (!reserved && !m_swap.reserve_by_uid(ptoa(next_pages), *object.charge_uid, caller))
      return false;
    object.charge_bytes += ptoa(next_pages);
  }
  if (next_pindex < object.size_pages) remove_pages(object.id, next_pindex, next_pindex + next_pages);
  object.size_pages = std::max(object.size_pages, next_pindex + next_pages);
  return true;
}

ObjectId VmObjectStore::split(ObjectId id, std::uint64_t offset, std::uint64_t size_pages) {
  PROCSIM_ASSERT(page_aligned(offset));
  {
    const VmObject& original = get(id);
    if (!original.is_anonymous() || original.ref_count <= 1) return id;
  }
  ObjectId new_id = allocate(ObjectType::OBJT_DEFAULT, size_pages);
  VmObject& original = get(id);
  VmObject& split_off = get(new_id);
  if (original.backing_object.has_value()) {
    VmObject& source = get(*original.backing_object);
    source.shadows.insert(new_id);
    reference(source.id);
    source.flags &= static_cast<ObjectFlags>(~OBJ_ONEMAPPING);
    split_off.backing_object = source.id;
    split_off.backing_object_offset = original.backing_object_offset + offset;
  }
  if (original.charge_uid.has_value()) {
    PROCSIM_ASSERT_MSG(original.charge_bytes >= ptoa(size_pages), "orig_object->charge < 0");
    split_off.charge_uid = original.charge_uid;
    split_off.charge_bytes = ptoa(size_pages);
    original.charge_bytes -= ptoa(size_pages);
  }
  std::uint64_t first = atop(offset);
  std::vector<std::uint64_t> indexes;
  for (auto it = original.pages.lower_bound(first);
       it != original.pages.end() && it->first - first < size_pages; ++it)
    indexes.push_back(it->first);
  for (std::uint64_t pindex : indexes) rename_page(id, pindex, new_id, pindex - first);
  deallocate(id);
  return new_id;
}

void VmObjectStore::set_charge(ObjectId id, Uid uid, std::uint64_t bytes) {
  VmObject& object = get(id);
  PROCSIM_ASSERT_MSG(!object.charge_uid.has_value(), "OVERCOMMIT: object charged twice");
  PROCSIM_ASSERT(object.is_anonymous());
  object.charge_uid = uid;
  object.charge_bytes = bytes;
}

Page* VmObjectStore::lookup_page(ObjectId id, std::uint64_t pindex) {
  VmObject& object = get(id);
  auto found = object.pages.find(pindex);
  return found == object.pages.end() ? nullptr : found->second.get();
}

Page& VmObjectStore::allocate_page(ObjectId id, std::uint64_t pindex) {
  VmObject& object = get(id);
  PROCSIM_ASSERT((object.flags & OBJ_DEAD) == 0);
  auto [it, inserted] = object.pages.emplace(pindex, std::make_unique<Page>());
  PROCSIM_ASSERT_MSG(inserted, "page already resident");
  if (object.vnode != nullptr) object.vnode->read(ptoa(pindex), it->second->bytes);
  return *it->second;
}

void VmObjectStore::rename_page(ObjectId from, std::uint64_t from_pindex, ObjectId to,
                                std::uint64_t to_pindex) {
  VmObject& source = get(from);
  VmObject& target = get(to);
  auto found = source.pages.find(from_pindex);
  PROCSIM_ASSERT(found != source.pages.end());
  auto [it, inserted] = target.pages.emplace(to_pindex, std::move(found->second));
  PROCSIM_ASSERT_MSG(inserted, "rename onto a resident page");
  source.pages.erase(found);
  PROCSIM_ASSERT(it->second != nullptr);
}

void VmObjectStore::free_page(VmObject& object, std::uint64_t pindex) {
  auto found = object.pages.find(pindex);
  PROCSIM_ASSERT(found != object.pages.end());
  PROCSIM_ASSERT_MSG(found->second->pmap_mappings == 0, "freeing mapped page");
  object.pages.erase(found);
}

void VmObjectStore::remove_pages(ObjectId id, std::uint64_t start, std::uint64_t end) {
  VmObject& object = get(id);
  std::vector<std::uint64_t> indexes;
  for (auto it = object.pages.lower_bound(start);
       it != object.pages.end() && (end == 0 || it->first < end); ++it)
    indexes.push_back(it->first);
  for (std::uint64_t pindex : indexes) free_page(object, pindex);
}

void VmObjectStore::terminate(ObjectId id) {
  VmObject& object = get(id);
  PROCSIM_ASSERT(object.ref_count == 0);
  PROCSIM_ASSERT(object.shadows.empty());
  object.flags |= OBJ_DEAD;
  remove_pages(id, 0, 0);
  destroy(id);
}

void VmObjectStore::destroy(ObjectId id) {
  VmObject& object = get(id);
  PROCSIM_ASSERT(object.pages.empty());
  if (object.charge_uid.has_value()) {
    PROCSIM_ASSERT_MSG(object.is_anonymous(), "vm_object_terminate: non-swap obj has cred");
    m_swap.release_by_uid(object.charge_bytes, *object.charge_uid);
  }
  m_objects.erase(id);
}

void VmObjectStore::check_invariants() const {
  for (const auto& [id, object] : m_objects) {
    PROCSIM_ASSERT(object.id == id);
    PROCSIM_ASSERT(object.ref_count >= 0);
    PROCSIM_ASSERT(object.ref_count > 0 || object.type == ObjectType::OBJT_VNODE);
    PROCSIM_ASSERT((object.flags & OBJ_DEAD) == 0);
    PROCSIM_ASSERT(object.charge_uid.has_value() || object.charge_bytes == 0);
    PROCSIM_ASSERT(!object.charge_uid.has_value() || object.is_anonymous());
    PROCSIM_ASSERT((object.type == ObjectType::OBJT_VNODE) == (object.vnode != nullptr));
    for (ObjectId shadow : object.shadows) {
      const VmObject& child = get(shadow);
      PROCSIM_ASSERT(child.backing_object == id);
    }
    if (object.backing_object.has_value()) {
      const VmObject& backing = get(*object.backing_object);
      PROCSIM_ASSERT(backing.shadows.count(id) == 1);
      PROCSIM_ASSERT(backing.ref_count >= backing.shadow_count());
    }
  }
}

}  // namespace procsim::vm
