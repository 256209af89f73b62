// FreeBSD's register-file structures (struct reg, fpreg, dbreg and the ia32 reg32 family) as
// constexpr tables of fields: C member name, byte offset, width, element count and the CpuState
// slot each one mirrors. One table drives fill (encode), set (decode), the size checks, the
// unit tests of every offset and any display of registers by name. spec/kernel.md §1.1-§1.4
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "model/machine/arch.h"
#include "model/machine/cpu_state.h"

namespace procsim::machine {

enum class RegSet : std::uint8_t { Reg, FpReg, DbReg };

// Where a field's value lives in CpuState.
enum class RegSlot : std::uint8_t {
  None,  // padding or a dummy member: always 0
  Gpr,
  Pc,
  Flags,
  Selector,  // index = Segment enumerator
  X87Control,
  X87Status,
  X87Tag,
  X87Opcode,
  X87InstructionPointer,
  X87DataPointer,
  X87InstructionSelector,
  X87DataSelector,
  Mxcsr,
  MxcsrMask,
  X87Stack,  // 10 raw bytes per element
  Vector,    // 16 raw bytes per element
  Arm64Fpsr,
  Arm64Fpcr,
  RiscvFcsr,
  X86Debug,  // dr0..dr7
  Arm64DebugVersion,
  Arm64BreakpointCount,
  Arm64WatchpointCount,
  Arm64BreakAddress,
  Arm64BreakControl,
  Arm64WatchAddress,
  Arm64WatchControl,
};

// What fill and set do with a field.
enum class RegAccess : std::uint8_t {
  ReadWrite,  // filled from the state; set stores it
  ReadOnly,   // filled from the state; set ignores it (amd64 r_ds, ia32 r_gs)
  Zero,       // filled as 0; set ignores it (r_trapno, r_err, r_isp, dr4, dr5, dr8-dr15)
};

// The checks set_* makes before storing anything. spec/kernel.md §1.7
enum class RegWriteRule : std::uint8_t {
  Plain,        // no checks
  X86Regs,      // EFL_SECURE and CS_SECURE
  X86DbRegs,    // DR7 access/len fields, high bits of dr6/dr7, enabled addresses
  Arm64Regs,    // only NZCV and SS of spsr are settable
  Arm64DbRegs,  // breakpoint/watchpoint addresses below VM_MAXUSER_ADDRESS
};

struct RegField {
  std::string_view name;    // C member name ("r_rax", "x", "db_breakregs")
  std::string_view member;  // member of an array-of-struct element ("dbr_addr"), or ""
  std::uint16_t offset;     // of element 0
  std::uint8_t width;       // bytes per element: 1, 2, 4, 8, 10 or 16
  std::uint8_t count;       // number of elements, 1 for a scalar
  std::uint16_t stride;     // bytes between elements (count > 1)
  RegSlot slot;
  std::uint8_t slot_index;  // the slot index of element 0
  RegAccess access;
  std::uint8_t name_index;  // the C array index of element 0 (riscv t[3] starts at 3)

  std::uint16_t element_offset(unsigned element) const {
    return static_cast<std::uint16_t>(offset + element * stride);
  }
};

struct RegLayout {
  Abi abi;  // the ABI whose structures these are (Ia32 = the reg32 family)
  RegSet set;
  std::string_view name;  // "struct reg", "struct fpreg32", ...
  std::uint16_t size_bytes;
  std::span<const RegField> fields;
  RegWriteRule write_rule;
};

// The layout FreeBSD uses for `set` when the reader or writer has ABI `abi`.
const RegLayout& register_layout(Abi abi, RegSet set);
std::span<const RegLayout> all_register_layouts();

// Which layout a process of ABI `reader` sees when it reads `set` of a thread of ABI `target`:
// a 64-bit reader gets the kernel's native layout even for an ia32 target; a 32-bit reader of a
// 64-bit target gets EINVAL (spec/kernel.md §1.2, 8.3 procfs_regs.c).
base::Result<const RegLayout*, MachineError> layout_for_access(Abi reader, Abi target, RegSet set);

// "r_rax", "x[3]", "db_breakregs[2].dbr_ctrl".
std::string element_name(const RegField& field, unsigned element);

// The field and element called `name` (as element_name spells it), or nullptr.
struct FieldElement {
  const RegField* field = nullptr;
  unsigned element = 0;
};
FieldElement find_element(const RegLayout& layout, std::string_view name);

}  // namespace procsim::machine
