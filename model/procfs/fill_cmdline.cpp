// cmdline's three sources in each era's order. Facts: spec/procfs.md §3.5; FreeBSD 4's
// procfs_docmdline() (ps_argsopen or CHECKIO for the cache, MAXCOMLEN raw bytes of p_comm for
// others, copyinstr() of the own argv into 256 bytes) and FreeBSD 8's 2011 procfs_doproccmdline().
#include "model/procfs/fill_cmdline.h"

#include <algorithm>

#include "sim/base/assert.h"

namespace procsim::procfs {

namespace {

// FreeBSD 4: MAXCOMLEN bytes of p_comm, the NUL and whatever follows it included.
std::string raw_comm(const ProcSnapshot& target, std::size_t maxcomlen) {
  std::string bytes = target.comm.substr(0, std::min(maxcomlen, target.comm.size()));
  bytes.resize(maxcomlen, '\0');
  return bytes;
}

// FreeBSD 4 reading its own argv: each string with its NUL while it fits in what is left of
// 256 bytes; the first string that does not fit ends the list without an error.
vfs::KResult<std::string> own_argv_freebsd4(const ProcSnapshot& target) {
  if (!target.argv_in_memory.has_value()) return base::fail(vfs::Errno::Efault);
  std::string out;
  for (const std::string& argument : *target.argv_in_memory) {
    std::size_t left = kCmdlineOwnArgvMax - out.size();
    if (argument.size() + 1 > left) break;
    out += argument;
    out += '\0';
  }
  PROCSIM_ASSERT(out.size() <= kCmdlineOwnArgvMax);
  return out;
}

// FreeBSD 8 reading its own argv: every string followed by a NUL.
vfs::KResult<std::string> own_argv_freebsd8(const ProcSnapshot& target) {
  if (!target.argv_in_memory.has_value()) return base::fail(vfs::Errno::Efault);
  std::string out;
  for (const std::string& argument : *target.argv_in_memory) {
    out += argument.substr(0, std::min(argument.find('\0'), argument.size()));
    out += '\0';
  }
  return out;
}

vfs::KResult<std::string> cmdline_freebsd4(const ProcSnapshot& target, const ReaderView& reader) {
  bool cache_allowed = reader.ps_argsopen || reader.io_allowed;
  if (target.cached_args.has_value() && cache_allowed) return *target.cached_args;
  if (reader.pid != target.pid) return raw_comm(target, profile(Era::FreeBSD4).maxcomlen);
  return own_argv_freebsd4(target);
}

vfs::KResult<std::string> cmdline_freebsd8(const ProcSnapshot& target, const ReaderView& reader) {
  if (target.cached_args.has_value() && reader.can_see) return *target.cached_args;
  if (reader.pid != target.pid) {
    // "%.*s" with MAXCOMLEN: p_comm up to its NUL, no terminator of its own.
    std::string_view comm = target.comm;
    comm = comm.substr(0, std::min(profile(Era::FreeBSD8).maxcomlen, comm.size()));
    return std::string(comm.substr(0, std::min(comm.find('\0'), comm.size())));
  }
  return own_argv_freebsd8(target);
}

}  // namespace

vfs::KResult<std::string> fill_cmdline(const ProcSnapshot& target, const ReaderView& reader, Era era) {
  PROCSIM_ASSERT_MSG(find_node(era, Node::Cmdline) != nullptr, "the era has no cmdline node");
  PROCSIM_ASSERT(target.comm.size() <= kCommBytesMax);
  switch (era) {
    case Era::Bsd44: break;
    case Era::FreeBSD4: return cmdline_freebsd4(target, reader);
    case Era::FreeBSD8: return cmdline_freebsd8(target, reader);
  }
  PROCSIM_UNREACHABLE();
}

}  // namespace procsim::procfs
