// The architecture-neutral register state of one thread: what the interpreters run on (plain
// integers, no layout) and what the register-file codecs translate to and from FreeBSD's
// byte-exact struct reg/fpreg/dbreg. Floating point and vector registers are carried as raw
// bytes only: no instruction in the interpreted subsets touches them.
#pragma once

#include <array>
#include <cstdint>

#include "model/machine/arch.h"

namespace procsim::machine {

inline constexpr std::size_t kGprCount = 32;

// x86 general registers in hardware encoding order (ModRM/REX numbering).
namespace x86 {
inline constexpr std::uint8_t kRax = 0, kRcx = 1, kRdx = 2, kRbx = 3, kRsp = 4, kRbp = 5, kRsi = 6, kRdi = 7,
                              kR8 = 8, kR9 = 9, kR10 = 10, kR11 = 11, kR12 = 12, kR13 = 13, kR14 = 14,
                              kR15 = 15;

// EFLAGS bits, sys/x86/include/psl.h (spec/kernel.md §1.6).
inline constexpr std::uint64_t kPslC = 0x1, kPslPf = 0x4, kPslAf = 0x10, kPslZ = 0x40, kPslN = 0x80,
                               kPslT = 0x100, kPslI = 0x200, kPslD = 0x400, kPslV = 0x800, kPslIopl = 0x3000,
                               kPslNt = 0x4000, kPslRf = 0x10000, kPslVm = 0x20000, kPslAc = 0x40000,
                               kPslVif = 0x80000, kPslVip = 0x100000, kPslId = 0x200000;
inline constexpr std::uint64_t kPslReservedDefault = 0x2;
inline constexpr std::uint64_t kPslUser = 0x202;
// PSL_USERCHANGE as of 8.3: C|PF|AF|Z|N|T|D|V|NT|AC|ID (modern adds PSL_RF).
inline constexpr std::uint64_t kPslUserChange = 0x244DD5;
static_assert((kPslC | kPslPf | kPslAf | kPslZ | kPslN | kPslT | kPslD | kPslV | kPslNt | kPslAc | kPslId) ==
              kPslUserChange);

// DR7 fields, sys/x86/include/reg.h (spec/kernel.md §1.7).
inline constexpr std::uint64_t kDr7LocalEnable = 0x1, kDr7GlobalEnable = 0x2;
inline constexpr std::uint64_t kDr7Len8 = 0x2, kDr7AccessIo = 0x2;
constexpr unsigned dr7_enable_shift(unsigned slot) { return 2 * slot; }
constexpr unsigned dr7_access_shift(unsigned slot) { return 16 + 4 * slot; }
constexpr unsigned dr7_len_shift(unsigned slot) { return 18 + 4 * slot; }

// Selector RPL of user mode (SEL_UPL).
inline constexpr std::uint16_t kSelUpl = 3;
}  // namespace x86

// Segment registers in x86 encoding order (the sreg field of ModRM).
enum class Segment : std::uint8_t { Es, Cs, Ss, Ds, Fs, Gs };
inline constexpr std::size_t kSegmentCount = 6;

namespace arm64 {
inline constexpr std::uint8_t kFp = 29, kLr = 30, kSp = 31;  // gpr[31] holds sp, not xzr
// PSTATE/SPSR bits (arm64 armreg.h): N Z C V and the software-step bit.
inline constexpr std::uint64_t kPsrN = 0x80000000, kPsrZ = 0x40000000, kPsrC = 0x20000000, kPsrV = 0x10000000,
                               kPsrSs = 0x200000;
}  // namespace arm64

namespace riscv {
inline constexpr std::uint8_t kZero = 0, kRa = 1, kSp = 2, kGp = 3, kTp = 4, kT0 = 5, kT1 = 6, kT2 = 7,
                              kS0 = 8, kS1 = 9, kA0 = 10, kA1 = 11, kA7 = 17, kS2 = 18, kT3 = 28;
}  // namespace riscv

// x87/SSE state in the fxsave sense (the form amd64 and i386-with-SSE kernels keep).
struct X87State {
  std::uint16_t control = 0;
  std::uint16_t status = 0;
  std::uint8_t tag = 0;  // abridged tag byte; FreeBSD copies it unconverted into save87
  std::uint16_t opcode = 0;
  std::uint64_t instruction_pointer = 0;
  std::uint64_t data_pointer = 0;
  std::uint16_t instruction_selector = 0;
  std::uint16_t data_selector = 0;
  std::uint32_t mxcsr = 0;
  std::uint32_t mxcsr_mask = 0;
  std::array<std::array<std::uint8_t, 10>, 8> stack{};  // st0..st7, 80-bit raw

  bool operator==(const X87State&) const = default;
};

struct FpState {
  X87State x87;
  // xmm0..xmm15 (x86), q0..q31 (arm64), fp_x[0..31] (riscv; 16 bytes each in struct fpreg).
  std::array<std::array<std::uint8_t, 16>, 32> vector{};
  std::uint32_t arm64_fpsr = 0;
  std::uint32_t arm64_fpcr = 0;
  std::uint64_t riscv_fcsr = 0;

  bool operator==(const FpState&) const = default;
};

struct Arm64HwPoint {
  std::uint64_t address = 0;
  std::uint32_t control = 0;

  bool operator==(const Arm64HwPoint&) const = default;
};

struct DebugState {
  std::array<std::uint64_t, 8> x86_dr{};  // dr0..dr7; dr4/dr5 always read as 0
  std::uint8_t arm64_debug_version = 0;
  std::uint8_t arm64_breakpoint_count = 0;
  std::uint8_t arm64_watchpoint_count = 0;
  std::array<Arm64HwPoint, 16> arm64_breakpoints{};
  std::array<Arm64HwPoint, 16> arm64_watchpoints{};

  bool operator==(const DebugState&) const = default;
};

// One thread's registers. For x86 the flags word is rflags; for arm64 it is spsr (NZCV in bits
// 31..28); for riscv it is sstatus. A 32-bit process keeps its values zero-extended.
struct CpuState {
  Abi abi = Abi::Amd64;
  std::array<std::uint64_t, kGprCount> gpr{};
  std::uint64_t pc = 0;
  std::uint64_t flags = 0;
  std::array<std::uint16_t, kSegmentCount> segment{};
  FpState fp;
  DebugState debug;

  std::uint16_t& selector(Segment which) { return segment[static_cast<std::size_t>(which)]; }
  std::uint16_t selector(Segment which) const { return segment[static_cast<std::size_t>(which)]; }
  bool operator==(const CpuState&) const = default;
};

// The stack pointer and PC, whatever the architecture.
std::uint64_t stack_pointer(const CpuState& state);
void set_stack_pointer(CpuState& state, std::uint64_t value);

}  // namespace procsim::machine
