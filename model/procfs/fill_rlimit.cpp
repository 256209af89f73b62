// rlimit. The line format and the per-era line count live with the kernel's limits
// (kern::format_rlimit_file, kern::rlimit_era_rules); procfs only picks the era. spec §3.3
#include "model/procfs/fill_rlimit.h"

#include "model/kern/rlimit.h"
#include "sim/base/assert.h"

namespace procsim::procfs {

vfs::KResult<std::string> fill_rlimit(const ProcSnapshot& target, const ReaderView& reader, Era era) {
  (void)reader;
  PROCSIM_ASSERT_MSG(find_node(era, Node::Rlimit) != nullptr, "the era has no rlimit node");
  const kern::RlimitEraRules& rules = kern::rlimit_era_rules(era);
  PROCSIM_ASSERT(rules.procfs_lines > 0);
  return kern::format_rlimit_file(target.limits, rules);
}

}  // namespace procsim::procfs
