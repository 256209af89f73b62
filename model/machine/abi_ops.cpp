// exec_setregs per ABI and the system-call/single-step register conventions. The exec states
// follow 8.3 for x86 (i386 clears the whole frame first, so PSL_T is lost and %fs/%gs are the
// data selector) and the modern sources for arm64/riscv64 (x0/a0 = stack, lr/ra = entry).
// FPU state after exec is the kernel's initial FPU state.
#include "model/machine/abi_ops.h"

#include "model/machine/arch.h"

namespace procsim::machine {
namespace {

// User selectors, sys/x86/include/segments.h (spec/kernel.md §1.2).
constexpr std::uint16_t kUcode64Sel = 0x43;  // GUCODE_SEL 8 on amd64
constexpr std::uint16_t kUcode32Sel = 0x33;  // GUCODE32_SEL 6 on amd64, GUCODE_SEL 6 on i386
constexpr std::uint16_t kUdataSel = 0x3b;    // GUDATA_SEL 7
constexpr std::uint16_t kUfsSel = 0x13;      // GUFS32_SEL / GUFS_SEL 2
constexpr std::uint16_t kUgsSel = 0x1b;      // GUGS32_SEL / GUGS_SEL 3

constexpr std::uint32_t kInitialMxcsr = 0x1F80;
constexpr std::uint32_t kDefaultMxcsrMask = 0xFFBF;

void set_selectors(CpuState& state, std::uint16_t cs, std::uint16_t fs, std::uint16_t gs) {
  state.selector(Segment::Cs) = cs;
  state.selector(Segment::Ss) = kUdataSel;
  state.selector(Segment::Ds) = kUdataSel;
  state.selector(Segment::Es) = kUdataSel;
  state.selector(Segment::Fs) = fs;
  state.selector(Segment::Gs) = gs;
}

void set_x87_defaults(CpuState& state) {
  state.fp.x87.control = abi_info(state.abi).initial_fpu_control;
  state.fp.x87.mxcsr = kInitialMxcsr;
  state.fp.x87.mxcsr_mask = kDefaultMxcsrMask;
}

// Debug-architecture facts an arm64 CPU reports (ID_AA64DFR0_EL1 of a Cortex-A57: ARMv8 debug,
// 6 breakpoints, 4 watchpoints). CPU-dependent; the model's choice.
void set_arm64_debug_info(CpuState& state) {
  state.debug.arm64_debug_version = 6;
  state.debug.arm64_breakpoint_count = 6;
  state.debug.arm64_watchpoint_count = 4;
}

bool is_x86(const CpuState& state) {
  Isa isa = abi_info(state.abi).isa;
  return isa == Isa::X86_32 || isa == Isa::X86_64;
}

}  // namespace

CpuState exec_setregs(const CpuState& previous, Abi abi, std::uint64_t entry, std::uint64_t stack) {
  CpuState state;
  state.abi = abi;
  state.pc = entry;
  switch (abi) {
    case Abi::Amd64:
      state.gpr[x86::kRsp] = ((stack - 8) & ~std::uint64_t{0xF}) + 8;
      state.gpr[x86::kRdi] = stack;
      state.flags = x86::kPslUser | (is_x86(previous) ? previous.flags & x86::kPslT : 0);
      set_selectors(state, kUcode64Sel, kUfsSel, kUgsSel);
      set_x87_defaults(state);
      break;
    case Abi::I386:
      state.gpr[x86::kRsp] = stack;
      state.flags = x86::kPslUser;
      set_selectors(state, kUcode32Sel, kUdataSel, kUdataSel);
      set_x87_defaults(state);
      break;
    case Abi::Ia32:
      state.gpr[x86::kRsp] = stack;
      state.flags = x86::kPslUser;
      set_selectors(state, kUcode32Sel, kUfsSel, kUgsSel);
      set_x87_defaults(state);
      break;
    case Abi::Arm64:
      state.gpr[0] = stack;
      state.gpr[arm64::kSp] = stack & ~std::uint64_t{0xF};
      state.gpr[arm64::kLr] = entry;
      set_arm64_debug_info(state);
      break;
    case Abi::Riscv64:
      state.gpr[riscv::kA0] = stack;
      state.gpr[riscv::kSp] = stack & ~std::uint64_t{0xF};
      state.gpr[riscv::kRa] = entry;
      break;
  }
  PROCSIM_ASSERT(state.pc == entry);
  PROCSIM_ASSERT(stack_pointer(state) <= stack);
  return state;
}

CpuState initial_state(Abi abi, std::uint64_t entry, std::uint64_t stack) {
  CpuState blank;
  blank.abi = abi;
  return exec_setregs(blank, abi, entry, stack);
}

base::Result<void, MachineError> set_single_step(CpuState& state) {
  switch (abi_info(state.abi).isa) {
    case Isa::X86_32:
    case Isa::X86_64: state.flags |= x86::kPslT; return {};
    case Isa::Aarch64: state.flags |= arm64::kPsrSs; return {};
    case Isa::Rv64: return base::fail(MachineError::NotSupported);
  }
  PROCSIM_UNREACHABLE();
}

base::Result<void, MachineError> clear_single_step(CpuState& state) {
  switch (abi_info(state.abi).isa) {
    case Isa::X86_32:
    case Isa::X86_64: state.flags &= ~x86::kPslT; return {};
    case Isa::Aarch64: state.flags &= ~arm64::kPsrSs; return {};
    case Isa::Rv64: return base::fail(MachineError::NotSupported);
  }
  PROCSIM_UNREACHABLE();
}

bool single_step_enabled(const CpuState& state) {
  switch (abi_info(state.abi).isa) {
    case Isa::X86_32:
    case Isa::X86_64: return (state.flags & x86::kPslT) != 0;
    case Isa::Aarch64: return (state.flags & arm64::kPsrSs) != 0;
    case Isa::Rv64: return false;
  }
  PROCSIM_UNREACHABLE();
}

void set_pc(CpuState& state, std::uint64_t pc) {
  if (abi_info(state.abi).pointer_size_bytes == 4) pc &= 0xFFFFFFFF;
  state.pc = pc;
}

SyscallRequest syscall_request(const CpuState& state) {
  const AbiInfo& abi = abi_info(state.abi);
  const SyscallConvention& convention = abi.syscall;
  std::uint64_t mask = abi.pointer_size_bytes == 4 ? 0xFFFFFFFF : ~std::uint64_t{0};
  SyscallRequest request;
  request.number = state.gpr[convention.number_gpr] & mask;
  request.register_arg_count = convention.arg_gpr_count;
  for (unsigned i = 0; i < convention.arg_gpr_count; ++i)
    request.register_args[i] = state.gpr[convention.arg_gprs[i]] & mask;
  // amd64 and i386 both find further arguments above the return address of the libc stub.
  request.stack_args_address = (stack_pointer(state) + abi.pointer_size_bytes) & mask;
  PROCSIM_ASSERT(request.register_arg_count <= request.register_args.size());
  return request;
}

namespace {

// amd64 leaves the kernel with sysret: rcx = rip and r11 = rflags (8.3 exception.S).
void finish_trap(CpuState& state) {
  if (state.abi != Abi::Amd64) return;
  state.gpr[x86::kRcx] = state.pc;
  state.gpr[x86::kR11] = state.flags;
}

}  // namespace

void set_syscall_result(CpuState& state, std::uint64_t value, std::uint64_t value2) {
  const AbiInfo& abi = abi_info(state.abi);
  const SyscallConvention& convention = abi.syscall;
  std::uint64_t mask = abi.pointer_size_bytes == 4 ? 0xFFFFFFFF : ~std::uint64_t{0};
  state.gpr[convention.return_gpr] = value & mask;
  state.gpr[convention.return2_gpr] = value2 & mask;
  if (convention.error_report == SyscallErrorReport::CarryFlag) {
    state.flags &= ~convention.carry_flag_mask;
  } else {
    state.gpr[convention.error_gpr] = 0;
  }
  finish_trap(state);
}

void set_syscall_error(CpuState& state, int errno_value) {
  PROCSIM_ASSERT(errno_value > 0);
  const SyscallConvention& convention = abi_info(state.abi).syscall;
  state.gpr[convention.return_gpr] = static_cast<std::uint64_t>(errno_value);
  if (convention.error_report == SyscallErrorReport::CarryFlag) {
    state.flags |= convention.carry_flag_mask;
  } else {
    state.gpr[convention.error_gpr] = 1;
  }
  finish_trap(state);
}

void restart_syscall(CpuState& state) {
  std::uint8_t size = abi_info(state.abi).syscall_instruction_size_bytes;
  PROCSIM_ASSERT(size > 0);
  PROCSIM_ASSERT(state.pc >= size);
  state.pc -= size;
}

}  // namespace procsim::machine
