// The procfs `map` file (spec/procfs.md §3.2): one line per map entry, in three eras' formats.
// describe_entry() gathers the columns from VM state; format_map_line() is a pure function of
// those columns. "Resident" counts the pages this map's software pmap has mapped in the entry;
// the object column shows a fake but stable kernel address derived from the object id.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/vm/vm_map.h"

namespace procsim::vm {

enum class MapFormat : std::uint8_t {
  C2_2009,      // 15 tokens: FreeBSD 8.0–9.3 after the RLIMIT_SWAP accounting commit
  C1_Pre2009,   // 13 tokens: the pseudofs form before it (no charge columns)
  B2_Guess,     // 12 tokens: the unconfirmed FreeBSD 4.x form (the 13-token one without path)
};

// Where fake kernel objects live: object id n prints as base + n * stride. procsim has no
// kernel heap, so this only has to be plausible, stable and non-NULL.
struct KernelAddressModel {
  std::uint64_t base = 0;
  std::uint64_t stride = 0;
};
constexpr KernelAddressModel kKernelAddresses64{0xfffffe0000000000ULL, 0x100};
constexpr KernelAddressModel kKernelAddresses32{0xc1000000ULL, 0x100};

std::uint64_t object_kernel_address(ObjectId id, const KernelAddressModel& model);

// Every column of one line, already computed.
struct MapLineColumns {
  VmOffset start = 0;
  VmOffset end = 0;
  std::int32_t resident = 0;
  std::int32_t private_resident = 0;
  std::uint64_t object_address = 0;  // 0 prints as "0" (kernel printf's %p of NULL)
  Prot protection = VM_PROT_NONE;
  std::int32_t ref_count = 0;
  std::int32_t shadow_count = 0;
  std::uint32_t flags = 0;
  bool cow = false;
  bool needs_copy = false;
  std::string_view type;  // "default", "vnode", "swap", "device" or "none"
  std::string_view path;  // "-" when not a vnode or unresolvable
  bool charged = false;
  std::int32_t charge_uid = -1;
};

struct MapFormatOptions {
  MapFormat format = MapFormat::C2_2009;
  KernelAddressModel kernel_addresses = kKernelAddresses64;
  // A 32-bit reader of a 64-bit kernel's map is shown NULL for every object (COMPAT_FREEBSD32
  // hides the 64-bit pointer).
  bool hide_object_address = false;
};

// The type name procfs prints for an object type (8.3 procfs_map.c switch).
std::string_view map_type_name(ObjectType type);

// Gathers the columns for one entry of `map`.
MapLineColumns describe_entry(const VmMap& map, const MapEntry& entry,
                              const MapFormatOptions& options);
// Formats one line, newline included.
std::string format_map_line(const MapLineColumns& columns, MapFormat format);
// The whole file: every entry of the map in address order.
std::string format_map(const VmMap& map, const MapFormatOptions& options);

}  // namespace procsim::vm
