// Register files. Facts: spec/procfs.md §5.3; procfs_doregs() of 1993 and 2000 (kl = size -
// offset, EINVAL below zero, uio_offset = 0 afterwards, EBUSY for writes unless SSTOP) and FreeBSD
// 8's procfs_doprocregs()/procfs_doprocdbregs() (offset != 0 returns 0, EPERM, P_SHOULDSTOP, the
// SV_ILP32 rule, uiomove_frombuf()).
#include "model/procfs/fill_regs.h"

#include <algorithm>

#include "sim/base/assert.h"

namespace procsim::procfs {

using vfs::Errno;

namespace {

bool is_register_node(Node node) {
  return node == Node::Regs || node == Node::Fpregs || node == Node::Dbregs;
}

vfs::KResult<RegsPlan> plan_vnode_eras(const RegsRequest& request, std::size_t size) {
  if (request.offset < 0) return base::fail(Errno::Einval);
  if (static_cast<std::uint64_t>(request.offset) > size) return base::fail(Errno::Einval);
  return RegsPlan{};
}

vfs::KResult<RegsPlan> plan_freebsd8(const RegsRequest& request, bool stopped, const ReaderView& reader) {
  if (request.offset != 0) return RegsPlan{false, RegisterLayout::Native};
  if (!reader.can_debug()) return base::fail(Errno::Eperm);
  // dbregs may be read from a running process; regs and fpregs may not even be read.
  if (request.node != Node::Dbregs && !stopped) return base::fail(Errno::Ebusy);
  if (reader.reader_compat32 && !reader.target_compat32) return base::fail(Errno::Einval);
  return RegsPlan{true, reader.reader_compat32 ? RegisterLayout::Compat32 : RegisterLayout::Native};
}

}  // namespace

vfs::KResult<RegsPlan> plan_register_io(Era era, const RegsRequest& request, std::size_t size, bool stopped,
                                        const ReaderView& reader) {
  PROCSIM_ASSERT(is_register_node(request.node));
  PROCSIM_ASSERT(find_node(era, request.node) != nullptr);
  PROCSIM_ASSERT(!request.is_write || request.resid == request.data.size());
  switch (era) {
    case Era::Bsd44: return plan_vnode_eras(request, size);
    case Era::FreeBSD4:
      if (!reader.io_allowed) return base::fail(Errno::Eperm);
      return plan_vnode_eras(request, size);
    case Era::FreeBSD8: return plan_freebsd8(request, stopped, reader);
  }
  PROCSIM_UNREACHABLE();
}

RegsOutcome transfer_registers(Era era, const RegsRequest& request, base::ByteSpan image, bool stopped) {
  PROCSIM_ASSERT(is_register_node(request.node));
  PROCSIM_ASSERT(request.offset >= 0 && static_cast<std::uint64_t>(request.offset) <= image.size());
  PROCSIM_ASSERT(era != Era::FreeBSD8 || request.offset == 0);
  auto start = static_cast<std::size_t>(request.offset);
  std::size_t count = std::min(image.size() - start, request.resid);
  RegsOutcome outcome;
  outcome.moved = count;
  // The vnode-ops eras put the offset back to 0 after every access; FreeBSD 8 advances it.
  outcome.offset = era == Era::FreeBSD8 ? static_cast<std::int64_t>(count) : 0;
  if (!request.is_write) {
    outcome.bytes.assign(image.begin() + static_cast<std::ptrdiff_t>(start),
                         image.begin() + static_cast<std::ptrdiff_t>(start + count));
    return outcome;
  }
  if (!stopped) {
    outcome.error = Errno::Ebusy;
    return outcome;
  }
  base::Bytes updated(image.begin(), image.end());
  std::copy_n(request.data.begin(), count, updated.begin() + static_cast<std::ptrdiff_t>(start));
  outcome.write_back = std::move(updated);
  PROCSIM_ASSERT(outcome.write_back->size() == image.size());
  return outcome;
}

}  // namespace procsim::procfs
