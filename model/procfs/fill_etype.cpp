// etype. FreeBSD 4's procfs_dotype() and FreeBSD 8's procfs_doproctype() print the same text
// (spec/procfs.md §3.4); only how a read's offset is honoured differs, which text_read.h handles.
#include "model/procfs/fill_etype.h"

#include "sim/base/assert.h"

namespace procsim::procfs {

vfs::KResult<std::string> fill_etype(const ProcSnapshot& target, const ReaderView& reader, Era era) {
  (void)reader;
  PROCSIM_ASSERT_MSG(find_node(era, Node::Etype) != nullptr, "the era has no etype node");
  bool named = target.abi_name.has_value() && !target.abi_name->empty();
  std::string text = (named ? *target.abi_name : std::string("Not Available")) + "\n";
  PROCSIM_ASSERT(text.size() >= 2);
  return text;
}

}  // namespace procsim::procfs
