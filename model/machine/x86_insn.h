// Decoded x86 instructions (internal to model/machine): the decoder turns real machine code of
// 32-bit or 64-bit mode into Insn values, the engine executes them. Anything outside the
// modelled subset decodes as Op::Illegal and raises SIGILL in the simulated process; x87, SSE,
// string instructions, segment overrides for fs/gs and 16-bit addressing are not modelled.
#pragma once

#include <cstddef>
#include <cstdint>

#include "model/machine/cpu.h"
#include "model/machine/decode_cache.h"

namespace procsim::machine::x86 {

enum class Op : std::uint8_t {
  Illegal,
  Truncated,  // the instruction runs past the fetchable bytes
  Alu,        // sub: 0 add, 1 or, 2 adc, 3 sbb, 4 and, 5 sub, 6 xor, 7 cmp
  Test,
  Mov,
  Movx,  // movzx/movsx/movsxd; sub: source size, sign flag in bit 7
  Lea,
  IncDec,  // sub: 0 inc, 1 dec
  Not,
  Neg,
  Shift,  // sub: 0 rol, 1 ror, 4 shl, 5 shr, 7 sar
  Imul,   // dst = src * (imm, or dst when there is no immediate)
  Xchg,
  Cmov,   // sub: condition
  Setcc,  // sub: condition
  Push,
  Pop,
  Jcc,   // sub: condition; imm: target
  Jmp,   // imm: target
  Call,  // imm: target
  JmpIndirect,
  CallIndirect,
  Ret,  // imm: bytes to release after the return address
  Leave,
  ExtendAcc,  // cbw/cwde/cdqe
  SplitAcc,   // cwd/cdq/cqo
  Nop,
  CarryFlag,   // sub: 0 clc, 1 stc, 2 cmc
  Syscall,     // syscall (64-bit mode) or int $0x80 (32-bit mode)
  Int3,        // int3 or int $3
  Privileged,  // hlt, int $n for other n: general protection in user mode
};

enum class Kind : std::uint8_t { None, Reg, Mem, Imm };

// One operand. Registers are gpr indices; for byte operands 16..19 mean ah, ch, dh, bh.
struct Operand {
  Kind kind = Kind::None;
  std::uint8_t reg = 0;
};

inline constexpr std::uint8_t kHighByteBase = 16;

struct Insn {
  Op op = Op::Illegal;
  std::uint8_t length = 0;
  std::uint8_t size = 0;  // operand size in bytes
  std::uint8_t sub = 0;
  Operand dst;
  Operand src;
  Operand src2;  // imul's immediate
  // The memory operand, if any.
  std::uint8_t base = 0;
  std::uint8_t index = 0;
  std::uint8_t scale_shift = 0;
  bool has_base = false;
  bool has_index = false;
  bool rip_relative = false;
  std::int64_t disp = 0;
  std::int64_t imm = 0;
  std::uint8_t fast = 0;  // a specialised handler for hot register-only shapes (x86_exec.cpp); 0: none
};

// Decodes one instruction at `pc` from `bytes` (`available` of them valid). Never fails:
// unsupported encodings give Op::Illegal, running out of bytes gives Op::Truncated.
Insn decode(const std::uint8_t* bytes, std::size_t available, bool mode64, std::uint64_t pc);

class Engine {
 public:
  StopInfo run(CpuState& state, GuestMemory& memory, std::uint64_t max_instructions);
  void flush() { m_cache.clear(); }

 private:
  const Insn* instruction_at(std::uint64_t pc, GuestMemory& memory, bool mode64, StopInfo& stop);

  DecodeCache<Insn> m_cache;
  bool m_mode64 = true;
};

}  // namespace procsim::machine::x86
