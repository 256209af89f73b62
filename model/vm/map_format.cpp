// procfs map lines after 8.3 procfs_map.c (spec/procfs.md §3.2): columns from the entry, its
// top object (counts, flags, private residency when shadow_count == 1) and the deepest object
// of its shadow chain (type, vnode path); the charge column takes the entry's charge first,
// then the top object's.
#include "model/vm/map_format.h"

#include <fmt/format.h>

namespace procsim::vm {

std::uint64_t object_kernel_address(ObjectId id, const KernelAddressModel& model) {
  PROCSIM_ASSERT(id.value() != 0);
  return model.base + static_cast<std::uint64_t>(id.value()) * model.stride;
}

namespace {

// One row per object type, in enum order. PHYS and DEAD fall to "default" and SG reads as
// "device", as the 8.3 switch does.
struct ObjectTypeRow {
  ObjectType type;
  std::string_view map_name;
};
constexpr ObjectTypeRow kObjectTypes[] = {
    {ObjectType::OBJT_DEFAULT, "default"}, {ObjectType::OBJT_SWAP, "swap"},
    {ObjectType::OBJT_VNODE, "vnode"},     {ObjectType::OBJT_DEVICE, "device"},
    {ObjectType::OBJT_PHYS, "default"},    {ObjectType::OBJT_DEAD, "default"},
    {ObjectType::OBJT_SG, "device"},
};

}  // namespace

std::string_view map_type_name(ObjectType type) {
  const ObjectTypeRow& row = kObjectTypes[static_cast<std::size_t>(type)];
  PROCSIM_ASSERT(row.type == type);
  return row.map_name;
}

MapLineColumns describe_entry(const VmMap& map, const MapEntry& entry,
                              const MapFormatOptions& options) {
  MapLineColumns columns;
  columns.start = entry.start;
  columns.end = entry.end;
  columns.protection = entry.protection;
  columns.cow = (entry.eflags & MAP_ENTRY_COW) != 0;
  columns.needs_copy = entry.needs_copy();
  columns.resident = static_cast<std::int32_t>(map.pmap_resident_pages(entry.start, entry.end));
  columns.type = "none";
  columns.path = "-";
  std::optional<Uid> charge = entry.charge_uid;
  if (entry.object.has_value()) {
    const VmObjectStore& objects = map.objects();
    const VmObject& top = objects.get(*entry.object);
    if (top.shadow_count() == 1)
      columns.private_resident = static_cast<std::int32_t>(top.resident_page_count());
    if (!charge.has_value()) charge = top.charge_uid;
    const VmObject* deepest = &top;
    while (deepest->backing_object.has_value()) deepest = &objects.get(*deepest->backing_object);
    columns.type = map_type_name(deepest->type);
    if (deepest->type == ObjectType::OBJT_VNODE && !deepest->vnode->path().empty())
      columns.path = deepest->vnode->path();
    columns.object_address =
        options.hide_object_address ? 0 : object_kernel_address(top.id, options.kernel_addresses);
    columns.ref_count = top.ref_count;
    columns.shadow_count = top.shadow_count();
    columns.flags = top.flags;
  }
  columns.charged = charge.has_value();
  columns.charge_uid = charge.has_value() ? static_cast<std::int32_t>(charge->value()) : -1;
  return columns;
}

namespace {

// Kernel printf's %p: "0x" and lowercase hex, except that NULL prints as a bare "0".
std::string kernel_pointer(std::uint64_t address) {
  return address == 0 ? std::string("0") : fmt::format("0x{:x}", address);
}

}  // namespace

std::string format_map_line(const MapLineColumns& c, MapFormat format) {
  std::string line = fmt::format(
      "0x{:x} 0x{:x} {} {} {} {}{}{} {} {} 0x{:x} {} {} {}", c.start, c.end, c.resident,
      c.private_resident, kernel_pointer(c.object_address),
      (c.protection & VM_PROT_READ) != 0 ? "r" : "-",
      (c.protection & VM_PROT_WRITE) != 0 ? "w" : "-",
      (c.protection & VM_PROT_EXECUTE) != 0 ? "x" : "-", c.ref_count, c.shadow_count, c.flags,
      c.cow ? "COW" : "NCOW", c.needs_copy ? "NC" : "NNC", c.type);
  switch (format) {
    case MapFormat::B2_Guess:
      break;
    case MapFormat::C1_Pre2009:
      line += fmt::format(" {}", c.path);
      break;
    case MapFormat::C2_2009:
      line += fmt::format(" {} {} {}", c.path, c.charged ? "CH" : "NCH", c.charge_uid);
      break;
  }
  line += '\n';
  return line;
}

std::string format_map(const VmMap& map, const MapFormatOptions& options) {
  std::string text;
  for (const MapEntry& entry : map.entries()) {
    if ((entry.eflags & MAP_ENTRY_IS_SUB_MAP) != 0) continue;
    text += format_map_line(describe_entry(map, entry, options), options.format);
  }
  return text;
}

}  // namespace procsim::vm
