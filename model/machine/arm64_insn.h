// Decoded arm64 (A64) instructions (internal to model/machine): the integer subset the
// assembler emits plus their general forms (any bitfield move, extended-register add, register
// offsets). SIMD/FP, atomics, exclusives and system registers decode as Illegal (SIGILL).
#pragma once

#include <cstdint>

#include "model/machine/cpu.h"
#include "model/machine/decode_cache.h"

namespace procsim::machine::arm64 {

enum class Op : std::uint8_t {
  Illegal,
  AddSubImm,     // imm = value (already shifted)
  AddSubShift,   // kind = shift type, amount
  AddSubExtend,  // kind = extend option, amount = left shift
  LogicalImm,    // kind = opc, imm = bitmask
  LogicalShift,  // kind = opc, negate = N, cond = shift type, amount
  MoveWide,      // kind = opc (0 movn, 2 movz, 3 movk), amount = shift, imm = imm16
  Bitfield,    // kind = opc (0 sbfm, 1 bfm, 2 ubfm), amount = immr, imm = wmask, target = tmask, size = imms
  Extract,     // amount = lsb
  ShiftVar,    // kind = 0 lsl, 1 lsr, 2 asr, 3 ror
  MulAdd,      // negate = msub
  Divide,      // sign = sdiv
  CondSelect,  // cond, kind bit 0 = increment, bit 1 = invert
  Branch,      // target; link
  BranchCond,  // cond, target
  CompareBranch,  // negate = cbnz, target
  TestBranch,     // negate = tbnz, amount = bit, target
  BranchReg,      // link
  Adr,            // target
  LoadStore,      // size, load, sign/to64, mode, imm = offset (Offset/Pre/Post), or register offset
  LoadLiteral,    // target, size, sign
  LoadStorePair,
  Nop,
  Svc,
  Brk,
};

enum class Mode : std::uint8_t { Offset, PreIndex, PostIndex, Register };

struct Insn {
  Op op = Op::Illegal;
  std::uint8_t rd = 0;  // also Rt
  std::uint8_t rn = 0;
  std::uint8_t rm = 0;  // also Rt2
  std::uint8_t ra = 0;
  bool sf = true;
  bool set_flags = false;
  bool negate = false;
  bool link = false;
  bool load = false;
  bool sign = false;
  bool to64 = false;  // sign-extending loads: into an X register
  std::uint8_t kind = 0;
  std::uint8_t cond = 0;
  std::uint8_t amount = 0;
  std::uint8_t size = 0;  // log2 of the access size
  Mode mode = Mode::Offset;
  std::int64_t imm = 0;
  std::uint64_t target = 0;
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

}  // namespace procsim::machine::arm64
