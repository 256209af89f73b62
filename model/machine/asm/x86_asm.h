// x86 assembler internals: AT&T operands parsed into XInsn, then encoded the way GNU as 2.40
// encodes them (accumulator short forms, imm8 forms for known small constants, REX only when
// needed, jmp/jcc relaxed from rel8 to rel32). Shared by the parser and the encoder files.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/machine/asm/isa.h"

namespace procsim::machine::assembly::x86asm {

struct Reg {
  std::uint8_t number = 0;  // 0..15; 16..19 are ah, ch, dh, bh
  std::uint8_t size = 0;    // bytes
  bool needs_rex = false;   // spl, bpl, sil, dil, r8b..r15b and every r8-r15 form
  bool is_rip = false;
};

struct MemRef {
  bool has_base = false;
  bool has_index = false;
  bool rip_relative = false;
  Reg base;
  Reg index;
  std::uint8_t scale_shift = 0;
  Expr disp;
  std::optional<std::int64_t> disp_known;  // a constant known when the statement was read
};

enum class OperandKind : std::uint8_t { Reg, Imm, Mem, Target };

struct XOperand {
  OperandKind kind = OperandKind::Reg;
  bool indirect = false;  // `*` before a jmp/call operand
  Reg reg;
  Expr imm;  // Imm and Target
  std::optional<std::int64_t> imm_known;
  MemRef mem;
  int column = 0;
  std::string text;
};

// Instruction families: each has its own operand rules and encoder.
enum class Family : std::uint8_t {
  Alu,
  Test,
  Mov,
  Movabs,
  Unary,
  Shift,
  Imul,
  Lea,
  Push,
  Pop,
  Jmp,
  Jcc,
  Call,
  Ret,
  Fixed,
  Movx,
  Setcc,
  Cmov,
  Xchg,
  Int,
};

struct XInsn {
  Family family = Family::Fixed;
  std::uint8_t sub = 0;             // alu kind, condition, shift kind, unary kind; Movx: source size
  bool sign_extend = false;         // Movx
  std::uint8_t size = 0;            // operand size in bytes (0: none)
  std::vector<XOperand> operands;   // in AT&T order (source first)
  std::vector<std::uint8_t> fixed;  // Fixed: the bytes
  std::string mnemonic;
  int line = 0;
  int column = 0;
  bool long_form = false;  // relaxed jmp/jcc
  std::size_t fixed_size = 0;
};

// Parses an instruction statement into an XInsn (operand sizes checked, forms chosen).
base::Result<XInsn, AsmError> parse_instruction(const Statement& statement, const SymbolTable& symbols,
                                                bool mode64);

// Encodes `insn` at `address`. With symbols == nullptr, symbolic values count as 0 and range
// checks are skipped: that is how sizes are measured.
base::Result<void, AsmError> encode_instruction(const XInsn& insn, std::uint64_t address,
                                                const SymbolTable* symbols, bool mode64, base::Bytes& out);

bool is_relaxable(const XInsn& insn);

}  // namespace procsim::machine::assembly::x86asm
