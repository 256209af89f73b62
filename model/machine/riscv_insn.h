// Decoded RV64IM instructions (internal to model/machine). Compressed (C), floating point, atomics
// and CSR instructions decode as Illegal (SIGILL); fence executes as a no-op.
#pragma once

#include <cstdint>

#include "model/machine/cpu.h"
#include "model/machine/decode_cache.h"

namespace procsim::machine::riscv {

enum class Op : std::uint8_t {
  Illegal,
  Lui,
  Auipc,
  Jal,
  Jalr,
  Branch,
  Load,
  Store,
  OpImm,
  OpImm32,
  OpReg,
  OpReg32,
  Ecall,
  Ebreak,
  Fence,
};

// The ALU operation of OpImm/OpReg (and their 32-bit forms).
enum class Alu : std::uint8_t {
  Add,
  Sub,
  Sll,
  Slt,
  Sltu,
  Xor,
  Srl,
  Sra,
  Or,
  And,
  Mul,
  Mulh,
  Mulhsu,
  Mulhu,
  Div,
  Divu,
  Rem,
  Remu,
};

struct Insn {
  Op op = Op::Illegal;
  Alu alu = Alu::Add;
  std::uint8_t rd = 0;
  std::uint8_t rs1 = 0;
  std::uint8_t rs2 = 0;
  std::uint8_t funct3 = 0;  // branch condition, load/store width and signedness
  std::int64_t imm = 0;     // Jal/Branch: the absolute target
};

Insn decode(std::uint32_t word, std::uint64_t pc);

class Engine {
 public:
  StopInfo run(CpuState& state, GuestMemory& memory, std::uint64_t max_instructions);
  void flush() { m_cache.clear(); }

 private:
  const Insn* instruction_at(std::uint64_t pc, GuestMemory& memory, StopInfo& stop);

  DecodeCache<Insn> m_cache;
};

}  // namespace procsim::machine::riscv
