// Reading and writing a thread's registers as FreeBSD's byte-exact structures: fill_* builds
// the bytes a debugger or procfs `regs`/`fpregs`/`dbregs` reader sees, set_* applies bytes a
// debugger writes after the kernel's validation (spec/kernel.md §1.2, §1.7). The layout tables
// of reg_layout.h drive both; this file adds no per-architecture offsets of its own.
#pragma once

#include "model/machine/cpu_state.h"
#include "model/machine/machine_error.h"
#include "model/machine/reg_layout.h"
#include "sim/base/bytes.h"
#include "sim/base/result.h"

namespace procsim::machine {

// The structure's bytes, little-endian; padding and RegAccess::Zero members are 0.
base::Bytes fill_registers(const RegLayout& layout, const CpuState& state);

// Validates `bytes` (exactly layout.size_bytes long) against the layout's write rule and, if it
// passes, stores every ReadWrite member into `state`. On error `state` is unchanged.
base::Result<void, MachineError> set_registers(const RegLayout& layout, CpuState& state,
                                               base::ByteSpan bytes);

// One scalar member element (width <= 8), as fill would write it (zero-extended).
std::uint64_t read_field(const RegField& field, unsigned element, const CpuState& state);

}  // namespace procsim::machine
