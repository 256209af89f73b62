// The system-call table: one row per call the ABI knows, in number order, holding everything
// about it (number, name, argument formats for truss-style printing, handler). A row without a
// handler is a call the model does not implement yet: it fails with ENOSYS. A number without a
// row is nosys(): SIGSYS and ENOSYS, as FreeBSD does for an unknown call.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "model/kern/sysent.h"
#include "model/vfs/errno.h"

namespace procsim::kern {

class Kernel;
class Thread;

// td_retval[0..1].
using SyscallReturn = std::array<std::uint64_t, 2>;

// A handler runs on the calling thread's fiber and may sleep.
using SyscallHandler = vfs::KResult<SyscallReturn> (*)(Kernel& kernel, Thread& td,
                                                       const SyscallRequest& request);

struct SyscallRow {
  Sysno number;
  std::string_view name;
  std::uint8_t nargs;
  std::array<ArgFormat, 6> args;
  SyscallHandler handler;  // null: not modelled yet
};

inline constexpr std::size_t kSyscallCount = 62;
extern const std::array<SyscallRow, kSyscallCount> kSyscallTable;

// The row for a call number, or null.
const SyscallRow* syscall_row(std::uint32_t number);
// The row for a name as syscalls.master spells it ("wait4"), for parsing scenario lines.
const SyscallRow* syscall_row_by_name(std::string_view name);

}  // namespace procsim::kern
