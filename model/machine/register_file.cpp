// Table-driven fill and set of register structures, with the write checks of
// spec/kernel.md §1.7: EFL_SECURE/CS_SECURE for x86 struct reg, amd64 set_dbregs' DR7 rules,
// arm64's settable spsr bits. A write is validated in full before any member is stored.
#include "model/machine/register_file.h"

#include <algorithm>
#include <array>
#include <optional>

namespace procsim::machine {
namespace {

using enum RegSlot;

std::uint64_t read_slot(const CpuState& state, RegSlot slot, unsigned index) {
  const X87State& x87 = state.fp.x87;
  const DebugState& debug = state.debug;
  switch (slot) {
    case None: return 0;
    case Gpr: return state.gpr.at(index);
    case Pc: return state.pc;
    case Flags: return state.flags;
    case Selector: return state.segment.at(index);
    case X87Control: return x87.control;
    case X87Status: return x87.status;
    case X87Tag: return x87.tag;
    case X87Opcode: return x87.opcode;
    case X87InstructionPointer: return x87.instruction_pointer;
    case X87DataPointer: return x87.data_pointer;
    case X87InstructionSelector: return x87.instruction_selector;
    case X87DataSelector: return x87.data_selector;
    case Mxcsr: return x87.mxcsr;
    case MxcsrMask: return x87.mxcsr_mask;
    case Arm64Fpsr: return state.fp.arm64_fpsr;
    case Arm64Fpcr: return state.fp.arm64_fpcr;
    case RiscvFcsr: return state.fp.riscv_fcsr;
    case X86Debug: return (index == 4 || index == 5) ? 0 : debug.x86_dr.at(index);
    case Arm64DebugVersion: return debug.arm64_debug_version;
    case Arm64BreakpointCount: return debug.arm64_breakpoint_count;
    case Arm64WatchpointCount: return debug.arm64_watchpoint_count;
    case Arm64BreakAddress: return debug.arm64_breakpoints.at(index).address;
    case Arm64BreakControl: return debug.arm64_breakpoints.at(index).control;
    case Arm64WatchAddress: return debug.arm64_watchpoints.at(index).address;
    case Arm64WatchControl: return debug.arm64_watchpoints.at(index).control;
    case X87Stack:
    case Vector: break;
  }
  PROCSIM_UNREACHABLE();
}

template <typename T>
T narrow(std::uint64_t value) {
  return static_cast<T>(value);
}

void write_slot(CpuState& state, RegSlot slot, unsigned index, std::uint64_t value) {
  X87State& x87 = state.fp.x87;
  DebugState& debug = state.debug;
  switch (slot) {
    case Gpr: state.gpr.at(index) = value; return;
    case Pc: state.pc = value; return;
    case Flags: state.flags = value; return;
    case Selector: state.segment.at(index) = narrow<std::uint16_t>(value); return;
    case X87Control: x87.control = narrow<std::uint16_t>(value); return;
    case X87Status: x87.status = narrow<std::uint16_t>(value); return;
    case X87Tag: x87.tag = narrow<std::uint8_t>(value); return;
    case X87Opcode: x87.opcode = narrow<std::uint16_t>(value); return;
    case X87InstructionPointer: x87.instruction_pointer = value; return;
    case X87DataPointer: x87.data_pointer = value; return;
    case X87InstructionSelector: x87.instruction_selector = narrow<std::uint16_t>(value); return;
    case X87DataSelector: x87.data_selector = narrow<std::uint16_t>(value); return;
    case Mxcsr: x87.mxcsr = narrow<std::uint32_t>(value); return;
    case MxcsrMask: x87.mxcsr_mask = narrow<std::uint32_t>(value); return;
    case Arm64Fpsr: state.fp.arm64_fpsr = narrow<std::uint32_t>(value); return;
    case Arm64Fpcr: state.fp.arm64_fpcr = narrow<std::uint32_t>(value); return;
    case RiscvFcsr: state.fp.riscv_fcsr = value; return;
    case X86Debug: debug.x86_dr.at(index) = value; return;
    case Arm64BreakAddress: debug.arm64_breakpoints.at(index).address = value; return;
    case Arm64BreakControl: debug.arm64_breakpoints.at(index).control = narrow<std::uint32_t>(value); return;
    case Arm64WatchAddress: debug.arm64_watchpoints.at(index).address = value; return;
    case Arm64WatchControl: debug.arm64_watchpoints.at(index).control = narrow<std::uint32_t>(value); return;
    case None:
    case X87Stack:
    case Vector:
    case Arm64DebugVersion:
    case Arm64BreakpointCount:
    case Arm64WatchpointCount: break;
  }
  PROCSIM_UNREACHABLE();  // read-only slots have RegAccess::ReadOnly in every table
}

std::span<const std::uint8_t> byte_slot(const CpuState& state, RegSlot slot, unsigned index) {
  if (slot == X87Stack) return state.fp.x87.stack.at(index);
  PROCSIM_ASSERT(slot == Vector);
  return state.fp.vector.at(index);
}

std::span<std::uint8_t> byte_slot(CpuState& state, RegSlot slot, unsigned index) {
  if (slot == X87Stack) return state.fp.x87.stack.at(index);
  PROCSIM_ASSERT(slot == Vector);
  return state.fp.vector.at(index);
}

bool is_byte_slot(RegSlot slot) { return slot == X87Stack || slot == Vector; }

void store_scalar(base::MutableByteSpan out, std::size_t offset, unsigned width, std::uint64_t value) {
  switch (width) {
    case 1: base::store_le<std::uint8_t>(out, offset, narrow<std::uint8_t>(value)); return;
    case 2: base::store_le<std::uint16_t>(out, offset, narrow<std::uint16_t>(value)); return;
    case 4: base::store_le<std::uint32_t>(out, offset, narrow<std::uint32_t>(value)); return;
    case 8: base::store_le<std::uint64_t>(out, offset, value); return;
    default: break;
  }
  PROCSIM_UNREACHABLE();
}

std::uint64_t load_scalar(base::ByteSpan in, std::size_t offset, unsigned width) {
  switch (width) {
    case 1: return base::load_le<std::uint8_t>(in, offset);
    case 2: return base::load_le<std::uint16_t>(in, offset);
    case 4: return base::load_le<std::uint32_t>(in, offset);
    case 8: return base::load_le<std::uint64_t>(in, offset);
    default: break;
  }
  PROCSIM_UNREACHABLE();
}

// The value `bytes` holds for the first ReadWrite element mirroring (slot, index), if any.
std::optional<std::uint64_t> incoming(const RegLayout& layout, base::ByteSpan bytes, RegSlot slot,
                                      unsigned index) {
  for (const RegField& field : layout.fields) {
    if (field.slot != slot || field.access != RegAccess::ReadWrite || is_byte_slot(slot)) continue;
    if (index < field.slot_index || index >= field.slot_index + field.count) continue;
    unsigned element = index - field.slot_index;
    return load_scalar(bytes, field.element_offset(element), field.width);
  }
  return std::nullopt;
}

// EFL_SECURE and CS_SECURE (spec/kernel.md §1.7): flags may change only in PSL_USERCHANGE
// bits, and the code selector must carry RPL 3.
base::Result<void, MachineError> check_x86_regs(const RegLayout& layout, const CpuState& state,
                                                base::ByteSpan bytes) {
  auto flags = incoming(layout, bytes, Flags, 0);
  auto cs = incoming(layout, bytes, Selector, static_cast<unsigned>(Segment::Cs));
  PROCSIM_ASSERT(flags.has_value());
  PROCSIM_ASSERT(cs.has_value());
  if (((*flags ^ state.flags) & ~x86::kPslUserChange) != 0) return base::fail(MachineError::Invalid);
  if ((*cs & 3) != x86::kSelUpl) return base::fail(MachineError::Invalid);
  return {};
}

// amd64 set_dbregs (spec/kernel.md §1.7), applied to every x86 dbreg layout: no I/O
// breakpoints, no 8-byte length for a 32-bit thread, nothing in bits 32-63 of dr6/dr7, and no
// enabled breakpoint at or above the kernel's VM_MAXUSER_ADDRESS.
base::Result<void, MachineError> check_x86_dbregs(const RegLayout& layout, const CpuState& state,
                                                  base::ByteSpan bytes) {
  std::array<std::uint64_t, 8> dr{};
  for (unsigned i = 0; i < dr.size(); ++i) dr[i] = incoming(layout, bytes, X86Debug, i).value_or(0);
  bool thread_is_32bit = abi_info(state.abi).pointer_size_bytes == 4;
  std::uint64_t maxuser = arch_info(abi_info(state.abi).arch).vm_maxuser_address;
  std::uint64_t dr7 = dr[7];
  for (unsigned slot = 0; slot < 4; ++slot) {
    if (((dr7 >> x86::dr7_access_shift(slot)) & 3) == x86::kDr7AccessIo)
      return base::fail(MachineError::Invalid);
    if (thread_is_32bit && ((dr7 >> x86::dr7_len_shift(slot)) & 3) == x86::kDr7Len8)
      return base::fail(MachineError::Invalid);
  }
  if ((dr[6] >> 32) != 0 || (dr7 >> 32) != 0) return base::fail(MachineError::Invalid);
  for (unsigned slot = 0; slot < 4; ++slot) {
    bool enabled = ((dr7 >> x86::dr7_enable_shift(slot)) & 3) != 0;
    if (enabled && dr[slot] >= maxuser) return base::fail(MachineError::Invalid);
  }
  return {};
}

// arm64 set_dbregs refuses an enabled breakpoint or watchpoint on a kernel address
// (modern ptrace_machdep.c; not in the spec tables, recorded as unconfirmed).
base::Result<void, MachineError> check_arm64_dbregs(const RegLayout& layout, const CpuState& state,
                                                    base::ByteSpan bytes) {
  std::uint64_t maxuser = abi_info(state.abi).vm_maxuser_address;
  for (unsigned i = 0; i < 16; ++i) {
    bool break_enabled = (incoming(layout, bytes, Arm64BreakControl, i).value_or(0) & 1) != 0;
    bool watch_enabled = (incoming(layout, bytes, Arm64WatchControl, i).value_or(0) & 1) != 0;
    if (break_enabled && incoming(layout, bytes, Arm64BreakAddress, i).value_or(0) >= maxuser)
      return base::fail(MachineError::Invalid);
    if (watch_enabled && incoming(layout, bytes, Arm64WatchAddress, i).value_or(0) >= maxuser)
      return base::fail(MachineError::Invalid);
  }
  return {};
}

base::Result<void, MachineError> check_write(const RegLayout& layout, const CpuState& state,
                                             base::ByteSpan bytes) {
  switch (layout.write_rule) {
    case RegWriteRule::Plain:
    case RegWriteRule::Arm64Regs: return {};
    case RegWriteRule::X86Regs: return check_x86_regs(layout, state, bytes);
    case RegWriteRule::X86DbRegs: return check_x86_dbregs(layout, state, bytes);
    case RegWriteRule::Arm64DbRegs: return check_arm64_dbregs(layout, state, bytes);
  }
  PROCSIM_UNREACHABLE();
}

// arm64 set_regs takes only PSR_SETTABLE_64 (NZCV and SS) from the new spsr (modern
// machdep.c; unconfirmed in the spec).
constexpr std::uint64_t kArm64SettableSpsr =
    arm64::kPsrN | arm64::kPsrZ | arm64::kPsrC | arm64::kPsrV | arm64::kPsrSs;

}  // namespace

std::uint64_t read_field(const RegField& field, unsigned element, const CpuState& state) {
  PROCSIM_ASSERT(element < field.count);
  PROCSIM_ASSERT(!is_byte_slot(field.slot));
  if (field.access == RegAccess::Zero) return 0;
  std::uint64_t value = read_slot(state, field.slot, field.slot_index + element);
  if (field.width < 8) value &= (std::uint64_t{1} << (8 * field.width)) - 1;
  return value;
}

base::Bytes fill_registers(const RegLayout& layout, const CpuState& state) {
  base::Bytes out(layout.size_bytes, 0);
  for (const RegField& field : layout.fields) {
    if (field.access == RegAccess::Zero) continue;
    for (unsigned element = 0; element < field.count; ++element) {
      std::size_t offset = field.element_offset(element);
      unsigned index = field.slot_index + element;
      if (is_byte_slot(field.slot)) {
        auto source = byte_slot(state, field.slot, index);
        PROCSIM_ASSERT(source.size() >= field.width);
        std::copy_n(source.begin(), field.width, out.begin() + static_cast<std::ptrdiff_t>(offset));
        continue;
      }
      store_scalar(out, offset, field.width, read_slot(state, field.slot, index));
    }
  }
  PROCSIM_ASSERT(out.size() == layout.size_bytes);
  return out;
}

base::Result<void, MachineError> set_registers(const RegLayout& layout, CpuState& state,
                                               base::ByteSpan bytes) {
  PROCSIM_ASSERT(bytes.size() == layout.size_bytes);
  TRY(check_write(layout, state, bytes));
  std::uint64_t flags_before = state.flags;
  for (const RegField& field : layout.fields) {
    if (field.access != RegAccess::ReadWrite) continue;
    for (unsigned element = 0; element < field.count; ++element) {
      std::size_t offset = field.element_offset(element);
      unsigned index = field.slot_index + element;
      if (is_byte_slot(field.slot)) {
        auto target = byte_slot(state, field.slot, index);
        PROCSIM_ASSERT(target.size() >= field.width);
        std::copy_n(bytes.begin() + static_cast<std::ptrdiff_t>(offset), field.width, target.begin());
        continue;
      }
      write_slot(state, field.slot, index, load_scalar(bytes, offset, field.width));
    }
  }
  if (layout.write_rule == RegWriteRule::Arm64Regs)
    state.flags = (flags_before & ~kArm64SettableSpsr) | (state.flags & kArm64SettableSpsr);
  return {};
}

}  // namespace procsim::machine
