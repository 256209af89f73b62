// arm64 assembler internals: operands of GNU as aarch64 syntax parsed into AInsn, encoded into
// one 32-bit word each. Aliases resolve as GNU as resolves them (mov to movz/movn/orr/add,
// cmp/cmn/tst/neg/mvn/lsl/lsr/asr/cset, add with a negative immediate to sub).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/machine/asm/isa.h"

namespace procsim::machine::assembly::arm64asm {

struct AReg {
  std::uint8_t number = 0;  // 0..30; 31 is sp or zr as the flags say
  bool is64 = true;
  bool is_sp = false;
  bool is_zr = false;
};

enum class ShiftKind : std::uint8_t { Lsl, Lsr, Asr, Ror };

enum class AddressMode : std::uint8_t { Offset, PreIndex, PostIndex };

enum class AKind : std::uint8_t { Reg, Imm, Shift, Mem, Cond, Target };

struct AOperand {
  AKind kind = AKind::Imm;
  AReg reg;
  Expr imm;  // Imm, Target, Mem offset
  std::optional<std::int64_t> known;
  bool lo12 = false;  // `:lo12:sym`
  ShiftKind shift = ShiftKind::Lsl;
  unsigned amount = 0;  // Shift
  // Mem
  AReg base;
  bool has_index = false;
  AReg index;
  bool index_shifted = false;
  unsigned index_amount = 0;
  AddressMode mode = AddressMode::Offset;
  std::uint8_t cond = 0;  // Cond
  int column = 0;
  std::string text;
};

enum class AFamily : std::uint8_t {
  MovWide,
  Mov,
  AddSub,
  Compare,
  Negate,
  Logical,
  Test,
  Mvn,
  Shift,
  MulDiv,
  Branch,
  BranchCond,
  CompareBranch,
  TestBranch,
  BranchReg,
  LoadStore,
  LoadStorePair,
  Adr,
  Fixed,
  Exception,
  CondSelect,
  CondSet,
};

struct AInsn {
  AFamily family = AFamily::Fixed;
  std::uint32_t base = 0;  // the opcode bits of the row
  std::uint8_t variant = 0;
  std::uint8_t cond = 0;  // b.cond
  std::vector<AOperand> operands;
  std::string mnemonic;
  int line = 0;
  int column = 0;
};

base::Result<AInsn, AsmError> parse_arm64(const Statement& statement, const SymbolTable& symbols);

// Encodes at `address`; with symbols == nullptr labels count as 0 and ranges are not checked.
base::Result<std::uint32_t, AsmError> encode_arm64(const AInsn& insn, std::uint64_t address,
                                                   const SymbolTable* symbols);

}  // namespace procsim::machine::assembly::arm64asm
