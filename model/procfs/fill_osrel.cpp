// osrel. Facts: spec/procfs.md §3.6; procfs_doosrel() of 2009 (sbuf_trim(), then a digit loop
// with "ov = osrel * 10 + digit; if (ov < osrel) EINVAL").
#include "model/procfs/fill_osrel.h"

#include <fmt/format.h>

#include "sim/base/assert.h"

namespace procsim::procfs {

namespace {

// The kernel's isspace(): space and \t \n \v \f \r.
bool is_kernel_space(std::uint8_t byte) { return byte == ' ' || (byte >= '\t' && byte <= '\r'); }

}  // namespace

vfs::KResult<std::string> fill_osrel(const ProcSnapshot& target, const ReaderView& reader, Era era) {
  (void)reader;
  PROCSIM_ASSERT_MSG(find_node(era, Node::Osrel) != nullptr, "the era has no osrel node");
  return fmt::format("{}\n", target.osrel);
}

vfs::KResult<std::int32_t> parse_osrel_write(Era era, base::ByteSpan data) {
  PROCSIM_ASSERT_MSG(find_node(era, Node::Osrel) != nullptr, "the era has no osrel node");
  std::size_t length = data.size();
  while (length > 0 && is_kernel_space(data[length - 1])) --length;
  std::uint32_t osrel = 0;  // the int of the C code, kept as its 32-bit pattern
  for (std::size_t i = 0; i < length; ++i) {
    std::uint8_t byte = data[i];
    if (byte < '0' || byte > '9') return base::fail(vfs::Errno::Einval);
    std::uint32_t next = osrel * 10u + static_cast<std::uint32_t>(byte - '0');
    if (static_cast<std::int32_t>(next) < static_cast<std::int32_t>(osrel))
      return base::fail(vfs::Errno::Einval);
    osrel = next;
  }
  PROCSIM_ASSERT(static_cast<std::int32_t>(osrel) >= 0);
  return static_cast<std::int32_t>(osrel);
}

}  // namespace procsim::procfs
