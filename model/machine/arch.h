// The simulated architectures as data: one ArchInfo row per kernel architecture and one AbiInfo
// row per process ABI (a 32-bit i386 process on an amd64 kernel is its own ABI, "ia32").
// Rows hold the facts of spec/kernel.md §1: address-space limits, breakpoint instructions,
// single-step support, register-file sizes, etype names and system-call register roles.
// powerpc and 32-bit arm are not modelled.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "model/machine/machine_error.h"
#include "sim/base/result.h"

namespace procsim::machine {

// A kernel architecture, as chosen by `machine arch=A`.
enum class Arch : std::uint8_t { I386, Amd64, Arm64, Riscv64 };
inline constexpr std::size_t kArchCount = 4;

// A process ABI: which register layouts, system-call convention and instruction set a process
// uses. Ia32 is an i386 program running on an amd64 kernel (FreeBSD's COMPAT_FREEBSD32).
enum class Abi : std::uint8_t { I386, Amd64, Ia32, Arm64, Riscv64 };
inline constexpr std::size_t kAbiCount = 5;

// The instruction set the interpreter and the assembler use for a process.
enum class Isa : std::uint8_t { X86_32, X86_64, Aarch64, Rv64 };

// Where the PC points when a breakpoint instruction has trapped. spec/kernel.md §1.8
enum class BreakpointPc : std::uint8_t {
  AfterInstruction,  // x86: int3 is a trap, the saved rip is past it
  AtInstruction,     // arm64 brk, riscv ebreak: ELR/sepc are not advanced
};

// How a failed system call is told apart from a successful one. spec/kernel.md §1.6
enum class SyscallErrorReport : std::uint8_t {
  CarryFlag,      // x86 PSL_C in rflags, arm64 PSR_C in spsr; return register = errno
  ErrorRegister,  // riscv: t0 = 1 on error, 0 on success; a0 = errno
};

// One architecture's system-call register roles, as indices into CpuState::gpr.
struct SyscallConvention {
  std::uint8_t number_gpr = 0;
  std::array<std::uint8_t, 8> arg_gprs{};
  std::uint8_t arg_gpr_count = 0;  // arguments past these (all of them on i386) are on the stack
  std::uint8_t return_gpr = 0;
  std::uint8_t return2_gpr = 0;
  SyscallErrorReport error_report = SyscallErrorReport::CarryFlag;
  std::uint64_t carry_flag_mask = 0;  // CarryFlag: the bit in CpuState::flags
  std::uint8_t error_gpr = 0;         // ErrorRegister: the register that holds 0/1
};

// The breakpoint instruction a debugger plants, in memory byte order.
struct BreakpointInstruction {
  std::array<std::uint8_t, 4> bytes{};
  std::uint8_t size_bytes = 0;

  std::span<const std::uint8_t> view() const { return {bytes.data(), size_bytes}; }
};

// Every fact about one kernel architecture.
struct ArchInfo {
  Arch arch;
  std::string_view name;  // as written in `machine arch=...`
  std::uint32_t page_size_bytes;
  std::uint64_t vm_maxuser_address;  // VM_MAXUSER_ADDRESS of the native ABI
  bool has_hardware_single_step;     // false: PT_STEP / ctl step give EOPNOTSUPP
  BreakpointInstruction breakpoint;
  BreakpointPc breakpoint_pc;
  Abi native_abi;
  std::optional<Abi> compat_abi;  // the 32-bit ABI an amd64 kernel also runs
};

// Every fact about one process ABI.
struct AbiInfo {
  Abi abi;
  std::string_view name;
  Arch arch;          // the kernel architecture it runs on
  Arch program_arch;  // the architecture a program for it is written for
  Isa isa;
  std::uint8_t pointer_size_bytes;
  std::string_view sv_name;  // p_sysent->sv_name, what procfs `etype` prints
  std::uint64_t vm_maxuser_address;
  std::uint64_t usrstack;          // top of the initial stack
  std::uint64_t text_base;         // where the assembler places .text (link address)
  std::uint64_t data_segment_gap;  // .data starts this far past the page after .text
  std::uint16_t reg_size_bytes;    // struct reg / reg32
  std::uint16_t fpreg_size_bytes;
  std::uint16_t dbreg_size_bytes;
  SyscallConvention syscall;
  std::uint8_t syscall_instruction_size_bytes;
  std::uint16_t initial_fpu_control;  // x87 control word after exec; 0 for non-x86
};

const ArchInfo& arch_info(Arch arch);
const AbiInfo& abi_info(Abi abi);
std::span<const ArchInfo> all_archs();
std::span<const AbiInfo> all_abis();

// "i386", "amd64", "arm64", "riscv64"; nullopt for anything else.
std::optional<Arch> arch_from_name(std::string_view name);

// The ABI of a program written for `program_arch` on a `kernel` machine: the native ABI when the
// two agree, Ia32 for i386 on amd64, NotSupported otherwise.
base::Result<Abi, MachineError> program_abi(Arch kernel, Arch program_arch);

}  // namespace procsim::machine
