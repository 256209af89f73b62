// map. Facts: spec/procfs.md §3.2; FreeBSD 8's procfs_doprocmap() (p_candebug, then the
// SV_ILP32 test) and model/vm's MapFormat rows, whose B2 form is marked unconfirmed there.
#include "model/procfs/fill_map.h"

#include "model/procfs/access.h"
#include "sim/base/assert.h"

namespace procsim::procfs {

vm::MapFormat map_format(Era era) {
  PROCSIM_ASSERT_MSG(find_node(era, Node::Map) != nullptr, "the era has no map node");
  return era == Era::FreeBSD8 ? vm::MapFormat::C2_2009 : vm::MapFormat::B2_Guess;
}

vfs::KResult<std::string> fill_map(const vm::VmMap& map, const ReaderView& reader, Era era,
                                   const vm::KernelAddressModel& addresses) {
  vm::MapFormatOptions options;
  options.format = map_format(era);
  options.kernel_addresses = addresses;
  if (era == Era::FreeBSD8) {
    TRY(pseudofs_map_gate(reader));
    options.hide_object_address = reader.reader_compat32;
  }
  std::string text = vm::format_map(map, options);
  PROCSIM_ASSERT(text.empty() || text.back() == '\n');
  return text;
}

}  // namespace procsim::procfs
