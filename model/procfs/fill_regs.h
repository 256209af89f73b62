// Reads and writes of `regs`, `fpregs` and `dbregs` against a register image (spec/procfs.md
// §5.3): the checks made before the registers are read, then the copy. The vnode-ops eras copy
// min(size - offset, resid) bytes at the offset (offset > size: EINVAL) and reset the offset to 0
// after every access; FreeBSD 8 returns nothing at a non-zero offset, copies from the start and
// lets the offset advance. Encoding the image is model/machine's job.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "model/procfs/profile.h"
#include "model/procfs/snapshot.h"
#include "model/vfs/errno.h"
#include "sim/base/bytes.h"

namespace procsim::procfs {

// One read(2) or write(2) on a register file.
struct RegsRequest {
  Node node = Node::Regs;  // Regs, Fpregs or Dbregs
  bool is_write = false;
  std::int64_t offset = 0;  // the descriptor's offset
  std::size_t resid = 0;    // read: the buffer size; write: data.size()
  base::ByteSpan data;      // write: the bytes written
};

// Which layout the register image must be encoded in.
enum class RegisterLayout : std::uint8_t {
  Native,
  Compat32,  // FreeBSD 8: a 32-bit reader on a 64-bit kernel gets reg32/fpreg32/dbreg32
};

// What happens before the registers are read: nothing at all (FreeBSD 8 at a non-zero offset:
// 0 bytes), or a read of the registers in `layout`.
struct RegsPlan {
  bool reads_registers = true;
  RegisterLayout layout = RegisterLayout::Native;
};

// The checks in each era's order, up to the register read. `size` is the structure's size in
// the layout the era would use; `stopped` is P_SHOULDSTOP (the vnode-ops eras' SSTOP).
//   4.4BSD: offset beyond the structure or negative -> EINVAL.
//   FreeBSD 4: !io_allowed -> EPERM; then as 4.4BSD.
//   FreeBSD 8: offset != 0 -> no transfer; p_candebug failure -> EPERM (whatever its errno);
//     regs and fpregs of a running target -> EBUSY; a 32-bit reader of a 64-bit target -> EINVAL.
vfs::KResult<RegsPlan> plan_register_io(Era era, const RegsRequest& request, std::size_t size, bool stopped,
                                        const ReaderView& reader);

// The result of the copy.
struct RegsOutcome {
  base::Bytes bytes;                      // read: the bytes copied out
  std::size_t moved = 0;                  // bytes transferred either way
  std::optional<base::Bytes> write_back;  // write: the image to store into the registers
  std::int64_t offset = 0;                // the descriptor's offset afterwards
  std::optional<vfs::Errno> error;        // a write to a running target: EBUSY (after the copy)
};

// The copy, after plan_register_io() allowed it and the registers were read into `image`.
RegsOutcome transfer_registers(Era era, const RegsRequest& request, base::ByteSpan image, bool stopped);

}  // namespace procsim::procfs
