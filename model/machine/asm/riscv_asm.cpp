// riscv64 assembler for the RV64IM subset in GNU as syntax, as `riscv64-linux-gnu-as
// -march=rv64g -mno-relax` assembles it: no compressed instructions, pseudo-instructions
// expanded as GNU as expands them (li, la, call, tail, load/store of a symbol), and out-of-range
// conditional branches relaxed to an inverted branch over a jal.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "model/machine/asm/isa.h"

namespace procsim::machine::assembly {
namespace {

enum class Format : std::uint8_t {
  R,       // rd, rs1, rs2
  I,       // rd, rs1, imm
  Shift,   // rd, rs1, shamt
  Load,    // rd, imm(rs1) | rd, symbol
  Store,   // rs2, imm(rs1) | rs2, symbol, temp
  Branch,  // rs1, rs2, label (relaxable)
  Upper,   // rd, imm20
  Jal,     // [rd,] label
  Jalr,    // rs | rd, imm(rs) | rd, rs, imm
  Fixed,   // the whole word
  Pseudo,  // expanded by name
};

struct Row {
  std::string_view name;
  Format format;
  std::uint32_t bits;  // opcode | funct3 << 12 | funct7 << 25 (or the whole word for Fixed)
};

constexpr std::uint32_t r_type(std::uint32_t opcode, std::uint32_t funct3, std::uint32_t funct7) {
  return opcode | (funct3 << 12) | (funct7 << 25);
}

constexpr std::array kRows = {
    Row{"add", Format::R, r_type(0x33, 0, 0)},
    Row{"sub", Format::R, r_type(0x33, 0, 0x20)},
    Row{"sll", Format::R, r_type(0x33, 1, 0)},
    Row{"slt", Format::R, r_type(0x33, 2, 0)},
    Row{"sltu", Format::R, r_type(0x33, 3, 0)},
    Row{"xor", Format::R, r_type(0x33, 4, 0)},
    Row{"srl", Format::R, r_type(0x33, 5, 0)},
    Row{"sra", Format::R, r_type(0x33, 5, 0x20)},
    Row{"or", Format::R, r_type(0x33, 6, 0)},
    Row{"and", Format::R, r_type(0x33, 7, 0)},
    Row{"mul", Format::R, r_type(0x33, 0, 1)},
    Row{"mulh", Format::R, r_type(0x33, 1, 1)},
    Row{"mulhsu", Format::R, r_type(0x33, 2, 1)},
    Row{"mulhu", Format::R, r_type(0x33, 3, 1)},
    Row{"div", Format::R, r_type(0x33, 4, 1)},
    Row{"divu", Format::R, r_type(0x33, 5, 1)},
    Row{"rem", Format::R, r_type(0x33, 6, 1)},
    Row{"remu", Format::R, r_type(0x33, 7, 1)},
    Row{"addw", Format::R, r_type(0x3B, 0, 0)},
    Row{"subw", Format::R, r_type(0x3B, 0, 0x20)},
    Row{"sllw", Format::R, r_type(0x3B, 1, 0)},
    Row{"srlw", Format::R, r_type(0x3B, 5, 0)},
    Row{"sraw", Format::R, r_type(0x3B, 5, 0x20)},
    Row{"mulw", Format::R, r_type(0x3B, 0, 1)},
    Row{"divw", Format::R, r_type(0x3B, 4, 1)},
    Row{"divuw", Format::R, r_type(0x3B, 5, 1)},
    Row{"remw", Format::R, r_type(0x3B, 6, 1)},
    Row{"remuw", Format::R, r_type(0x3B, 7, 1)},
    Row{"addi", Format::I, r_type(0x13, 0, 0)},
    Row{"slti", Format::I, r_type(0x13, 2, 0)},
    Row{"sltiu", Format::I, r_type(0x13, 3, 0)},
    Row{"xori", Format::I, r_type(0x13, 4, 0)},
    Row{"ori", Format::I, r_type(0x13, 6, 0)},
    Row{"andi", Format::I, r_type(0x13, 7, 0)},
    Row{"addiw", Format::I, r_type(0x1B, 0, 0)},
    Row{"slli", Format::Shift, r_type(0x13, 1, 0)},
    Row{"srli", Format::Shift, r_type(0x13, 5, 0)},
    Row{"srai", Format::Shift, r_type(0x13, 5, 0x20)},
    Row{"slliw", Format::Shift, r_type(0x1B, 1, 0)},
    Row{"srliw", Format::Shift, r_type(0x1B, 5, 0)},
    Row{"sraiw", Format::Shift, r_type(0x1B, 5, 0x20)},
    Row{"lb", Format::Load, r_type(0x03, 0, 0)},
    Row{"lh", Format::Load, r_type(0x03, 1, 0)},
    Row{"lw", Format::Load, r_type(0x03, 2, 0)},
    Row{"ld", Format::Load, r_type(0x03, 3, 0)},
    Row{"lbu", Format::Load, r_type(0x03, 4, 0)},
    Row{"lhu", Format::Load, r_type(0x03, 5, 0)},
    Row{"lwu", Format::Load, r_type(0x03, 6, 0)},
    Row{"sb", Format::Store, r_type(0x23, 0, 0)},
    Row{"sh", Format::Store, r_type(0x23, 1, 0)},
    Row{"sw", Format::Store, r_type(0x23, 2, 0)},
    Row{"sd", Format::Store, r_type(0x23, 3, 0)},
    Row{"beq", Format::Branch, r_type(0x63, 0, 0)},
    Row{"bne", Format::Branch, r_type(0x63, 1, 0)},
    Row{"blt", Format::Branch, r_type(0x63, 4, 0)},
    Row{"bge", Format::Branch, r_type(0x63, 5, 0)},
    Row{"bltu", Format::Branch, r_type(0x63, 6, 0)},
    Row{"bgeu", Format::Branch, r_type(0x63, 7, 0)},
    Row{"lui", Format::Upper, 0x37},
    Row{"auipc", Format::Upper, 0x17},
    Row{"jal", Format::Jal, 0x6F},
    Row{"jalr", Format::Jalr, 0x67},
    Row{"ecall", Format::Fixed, 0x00000073},
    Row{"ebreak", Format::Fixed, 0x00100073},
    Row{"fence", Format::Fixed, 0x0FF0000F},
    Row{"nop", Format::Fixed, 0x00000013},
};

// Pseudo-instructions with a fixed expansion into one base instruction.
enum class PseudoKind : std::uint8_t {
  Li,
  Mv,
  Not,
  Neg,
  Negw,
  SextW,
  Seqz,
  Snez,
  Sltz,
  Sgtz,
  BranchZero,
  BranchSwap,
  J,
  Jr,
  Ret,
  Call,
  Tail,
  La,
};

struct PseudoRow {
  std::string_view name;
  PseudoKind kind;
  std::string_view base;  // the branch it becomes (BranchZero/BranchSwap)
  bool zero_first;        // BranchZero: zero is rs1 (blez, bgtz)
};

constexpr std::array kPseudos = {
    PseudoRow{"li", PseudoKind::Li, "", false},
    PseudoRow{"mv", PseudoKind::Mv, "", false},
    PseudoRow{"not", PseudoKind::Not, "", false},
    PseudoRow{"neg", PseudoKind::Neg, "", false},
    PseudoRow{"negw", PseudoKind::Negw, "", false},
    PseudoRow{"sext.w", PseudoKind::SextW, "", false},
    PseudoRow{"seqz", PseudoKind::Seqz, "", false},
    PseudoRow{"snez", PseudoKind::Snez, "", false},
    PseudoRow{"sltz", PseudoKind::Sltz, "", false},
    PseudoRow{"sgtz", PseudoKind::Sgtz, "", false},
    PseudoRow{"beqz", PseudoKind::BranchZero, "beq", false},
    PseudoRow{"bnez", PseudoKind::BranchZero, "bne", false},
    PseudoRow{"bltz", PseudoKind::BranchZero, "blt", false},
    PseudoRow{"bgez", PseudoKind::BranchZero, "bge", false},
    PseudoRow{"blez", PseudoKind::BranchZero, "bge", true},
    PseudoRow{"bgtz", PseudoKind::BranchZero, "blt", true},
    PseudoRow{"bgt", PseudoKind::BranchSwap, "blt", false},
    PseudoRow{"ble", PseudoKind::BranchSwap, "bge", false},
    PseudoRow{"bgtu", PseudoKind::BranchSwap, "bltu", false},
    PseudoRow{"bleu", PseudoKind::BranchSwap, "bgeu", false},
    PseudoRow{"j", PseudoKind::J, "", false},
    PseudoRow{"jr", PseudoKind::Jr, "", false},
    PseudoRow{"ret", PseudoKind::Ret, "", false},
    PseudoRow{"call", PseudoKind::Call, "", false},
    PseudoRow{"tail", PseudoKind::Tail, "", false},
    PseudoRow{"la", PseudoKind::La, "", false},
    PseudoRow{"lla", PseudoKind::La, "", false},
};

constexpr std::array<std::string_view, 32> kAbiNames = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",  "a1",  "a2", "a3", "a4", "a5",
    "a6",   "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

AsmError error_at(int line, int column, std::string message) {
  return AsmError{line, column, std::move(message)};
}

std::optional<std::uint32_t> find_register(std::string_view text) {
  std::string name = to_lower(trim(text));
  if (name == "fp") return 8;
  for (std::size_t i = 0; i < kAbiNames.size(); ++i)
    if (kAbiNames[i] == name) return static_cast<std::uint32_t>(i);
  if (name.size() >= 2 && name.size() <= 3 && name[0] == 'x' &&
      std::all_of(name.begin() + 1, name.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
      !(name.size() == 3 && name[1] == '0')) {
    int number = std::stoi(name.substr(1));
    if (number < 32) return static_cast<std::uint32_t>(number);
  }
  return std::nullopt;
}

// An immediate: an expression, optionally wrapped in %hi(...) or %lo(...).
struct Imm {
  Expr expr;
  std::optional<std::int64_t> known;
  enum class Part : std::uint8_t { Whole, Hi, Lo } part = Part::Whole;
  int column = 0;
};

struct Instr {
  Format format = Format::Fixed;
  std::uint32_t bits = 0;
  PseudoKind pseudo = PseudoKind::Li;
  std::array<std::uint32_t, 3> regs{};
  Imm imm;
  bool has_symbol_address = false;  // load/store/la of a symbol (auipc pair)
  std::string mnemonic;
  int line = 0;
  int column = 0;
  bool long_form = false;  // relaxed branch
  std::size_t size = 4;
};

std::int64_t sext(std::int64_t value, unsigned bits) {
  unsigned shift = 64 - bits;
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(value) << shift) >> shift;
}

std::uint32_t i_type(std::uint32_t bits, std::uint32_t rd, std::uint32_t rs1, std::int64_t imm) {
  return bits | (rd << 7) | (rs1 << 15) | ((static_cast<std::uint32_t>(imm) & 0xFFF) << 20);
}
std::uint32_t s_type(std::uint32_t bits, std::uint32_t rs1, std::uint32_t rs2, std::int64_t imm) {
  auto u = static_cast<std::uint32_t>(imm);
  return bits | ((u & 0x1F) << 7) | (rs1 << 15) | (rs2 << 20) | (((u >> 5) & 0x7F) << 25);
}
std::uint32_t b_type(std::uint32_t bits, std::uint32_t rs1, std::uint32_t rs2, std::int64_t offset) {
  auto u = static_cast<std::uint32_t>(offset);
  return bits | (((u >> 11) & 1) << 7) | (((u >> 1) & 0xF) << 8) | (rs1 << 15) | (rs2 << 20) |
         (((u >> 5) & 0x3F) << 25) | (((u >> 12) & 1) << 31);
}
std::uint32_t u_type(std::uint32_t opcode, std::uint32_t rd, std::int64_t imm20) {
  return opcode | (rd << 7) | ((static_cast<std::uint32_t>(imm20) & 0xFFFFF) << 12);
}
std::uint32_t j_type(std::uint32_t rd, std::int64_t offset) {
  auto u = static_cast<std::uint32_t>(offset);
  return 0x6F | (rd << 7) | (((u >> 12) & 0xFF) << 12) | (((u >> 11) & 1) << 20) |
         (((u >> 1) & 0x3FF) << 21) | (((u >> 20) & 1) << 31);
}

// GNU as's constant synthesis: lui/addiw for 32-bit values, else the upper part built
// recursively, shifted into place, and the low 12 bits added.
void load_constant(std::uint32_t rd, std::int64_t value, std::vector<std::uint32_t>& out) {
  std::int64_t lower = sext(value & 0xFFF, 12);
  auto upper = static_cast<std::uint64_t>(value - lower);
  if (value < INT32_MIN || value > INT32_MAX) {
    unsigned shift = 12;
    while (((upper >> shift) & 1) == 0) ++shift;
    load_constant(rd, static_cast<std::int64_t>(upper) >> shift, out);
    out.push_back(i_type(r_type(0x13, 1, 0), rd, rd, shift));  // slli
    if (lower != 0) out.push_back(i_type(r_type(0x13, 0, 0), rd, rd, lower));
    return;
  }
  std::uint32_t base = 0;
  if (upper != 0) {
    out.push_back(u_type(0x37, rd, static_cast<std::int64_t>((upper & 0xFFFFFFFF) >> 12)));
    base = rd;
  }
  if (lower != 0 || base == 0) out.push_back(i_type(r_type(0x1B, 0, 0), rd, base, lower));  // addiw
}

std::vector<std::uint32_t> expand_li(std::uint32_t rd, std::int64_t value) {
  std::vector<std::uint32_t> out;
  if (value >= -2048 && value <= 2047)
    out.push_back(i_type(r_type(0x13, 0, 0), rd, 0, value));
  else
    load_constant(rd, value, out);
  return out;
}

class RiscvInstructionSet final : public InstructionSet {
 public:
  const Dialect& dialect() const override { return m_dialect; }

  base::Result<std::size_t, AsmError> parse(const Statement& statement, const SymbolTable& symbols) override {
    Instr instr = TRY(read(statement, symbols));
    std::vector<std::uint32_t> words = TRY(encode_words(instr, 0, nullptr));
    instr.size = words.size() * 4;
    m_instrs.push_back(std::move(instr));
    return m_instrs.size() - 1;
  }

  std::size_t size(std::size_t id, std::uint64_t address, const AddressEstimate& estimate,
                   bool may_grow) override {
    Instr& instr = m_instrs.at(id);
    if (instr.format != Format::Branch || !may_grow) return instr.size;
    // As GNU as's relaxed_branch_length: measured afresh each pass from the labels' current values.
    auto target = estimate.current(instr.imm.expr, instr.line);
    if (!target.ok()) return instr.size;
    std::int64_t offset = target.value() - static_cast<std::int64_t>(address);
    instr.long_form = offset < -4096 || offset > 4094;
    instr.size = instr.long_form ? 8 : 4;
    return instr.size;
  }

  base::Result<void, AsmError> encode(std::size_t id, std::uint64_t address, const SymbolTable& symbols,
                                      base::Bytes& out) const override {
    std::vector<std::uint32_t> words = TRY(encode_words(m_instrs.at(id), address, &symbols));
    PROCSIM_ASSERT(words.size() * 4 == m_instrs.at(id).size);
    for (std::uint32_t word : words)
      for (unsigned i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(word >> (8 * i)));
    return {};
  }

  // Zero to a halfword boundary, a c.nop for a leftover halfword, then nop words.
  void pad_text(std::size_t count, base::Bytes& out) const override {
    if (count % 2 != 0) out.push_back(0);
    if (count % 4 >= 2) out.insert(out.end(), {0x01, 0x00});
    for (std::size_t i = 0; i < count / 4; ++i) out.insert(out.end(), {0x13, 0x00, 0x00, 0x00});
  }

 private:
  base::Result<Instr, AsmError> read(const Statement& statement, const SymbolTable& symbols) const;
  base::Result<std::vector<std::uint32_t>, AsmError> encode_words(const Instr& instr, std::uint64_t address,
                                                                  const SymbolTable* symbols) const;
  base::Result<std::vector<std::uint32_t>, AsmError> encode_pseudo(const Instr& instr, std::uint64_t address,
                                                                   const SymbolTable* symbols) const;

  Dialect m_dialect{CommentSyntax{true, false, false}, true, 4, true};
  std::vector<Instr> m_instrs;
};

AsmError mismatch(const Statement& statement) {
  return error_at(statement.line, statement.column, fmt::format("illegal operands '{}'", statement.source));
}

base::Result<std::uint32_t, AsmError> register_operand(const Statement& statement, std::size_t index) {
  if (index >= statement.operands.size()) return base::fail(mismatch(statement));
  const Operand& operand = statement.operands[index];
  auto reg = find_register(operand.text);
  if (!reg)
    return base::fail(
        error_at(statement.line, operand.column, fmt::format("bad register '{}'", operand.text)));
  return *reg;
}

base::Result<Imm, AsmError> immediate_operand(std::string_view text, int line, int column,
                                              const SymbolTable& symbols) {
  Imm imm;
  imm.column = column;
  for (auto [prefix, part] : {std::pair{std::string_view("%hi("), Imm::Part::Hi},
                              std::pair{std::string_view("%lo("), Imm::Part::Lo}}) {
    if (text.substr(0, prefix.size()) != prefix) continue;
    if (text.back() != ')') return base::fail(error_at(line, column, "missing ')'"));
    imm.part = part;
    text = text.substr(prefix.size(), text.size() - prefix.size() - 1);
    column += static_cast<int>(prefix.size());
  }
  imm.expr = TRY(parse_expression(text, line, column));
  imm.known = known_value(imm.expr, symbols);
  return imm;
}

// "imm(reg)", "(reg)" or "%lo(sym)(reg)": the offset and the base register.
base::Result<bool, AsmError> memory_operand(const Statement& statement, const Operand& operand,
                                            const SymbolTable& symbols, Instr& instr, std::size_t base_slot) {
  std::string_view text = operand.text;
  if (text.empty() || text.back() != ')') return false;
  std::size_t open = text.rfind('(');
  auto base = find_register(text.substr(open + 1, text.size() - open - 2));
  if (!base) return false;
  instr.regs[base_slot] = *base;
  std::string_view offset = trim(text.substr(0, open));
  if (offset.empty()) {
    instr.imm.known = 0;
    return true;
  }
  instr.imm = TRY(immediate_operand(offset, statement.line, operand.column, symbols));
  return true;
}

base::Result<Imm, AsmError> immediate_at(const Statement& statement, std::size_t index,
                                         const SymbolTable& symbols) {
  const auto& ops = statement.operands;
  if (index >= ops.size()) return base::fail(mismatch(statement));
  return immediate_operand(ops[index].text, statement.line, ops[index].column, symbols);
}

base::Result<Instr, AsmError> read_pseudo(const Statement& statement, const SymbolTable& symbols,
                                          const PseudoRow& row, Instr instr) {
  const auto& ops = statement.operands;
  const PseudoRow* pseudo = &row;
  auto imm_at = [&](std::size_t index) { return immediate_at(statement, index, symbols); };
  instr.format = Format::Pseudo;
  instr.pseudo = pseudo->kind;
  switch (pseudo->kind) {
    case PseudoKind::Ret:
      if (!ops.empty()) return base::fail(mismatch(statement));
      return instr;
    case PseudoKind::J:
    case PseudoKind::Call:
    case PseudoKind::Tail:
      if (ops.size() != 1) return base::fail(mismatch(statement));
      instr.imm = TRY(imm_at(0));
      return instr;
    case PseudoKind::Jr:
      if (ops.size() != 1) return base::fail(mismatch(statement));
      instr.regs[0] = TRY(register_operand(statement, 0));
      return instr;
    case PseudoKind::Li:
    case PseudoKind::La:
      if (ops.size() != 2) return base::fail(mismatch(statement));
      instr.regs[0] = TRY(register_operand(statement, 0));
      instr.imm = TRY(imm_at(1));
      if (pseudo->kind == PseudoKind::Li && !instr.imm.known)
        return base::fail(error_at(statement.line, ops[1].column, "li needs an absolute constant"));
      return instr;
    case PseudoKind::BranchZero:
    case PseudoKind::BranchSwap: {
      bool zero = pseudo->kind == PseudoKind::BranchZero;
      if (ops.size() != (zero ? 2u : 3u)) return base::fail(mismatch(statement));
      auto base_row =
          std::find_if(kRows.begin(), kRows.end(), [&](const Row& r) { return r.name == pseudo->base; });
      instr.format = Format::Branch;
      instr.bits = base_row->bits;
      std::uint32_t a = TRY(register_operand(statement, 0));
      std::uint32_t b = zero ? 0 : TRY(register_operand(statement, 1));
      bool swap = zero ? pseudo->zero_first : true;
      instr.regs = {swap ? b : a, swap ? a : b, 0};
      instr.imm = TRY(imm_at(zero ? 1 : 2));
      return instr;
    }
    default:
      if (ops.size() != 2) return base::fail(mismatch(statement));
      instr.regs[0] = TRY(register_operand(statement, 0));
      instr.regs[1] = TRY(register_operand(statement, 1));
      return instr;
  }
  PROCSIM_UNREACHABLE();
}

base::Result<Instr, AsmError> read_base(const Statement& statement, const SymbolTable& symbols,
                                        const Row& row_ref, Instr instr) {
  const auto& ops = statement.operands;
  const Row* row = &row_ref;
  auto imm_at = [&](std::size_t index) { return immediate_at(statement, index, symbols); };
  instr.format = row->format;
  instr.bits = row->bits;
  switch (row->format) {
    case Format::Fixed:
      if (!ops.empty()) return base::fail(mismatch(statement));
      return instr;
    case Format::R:
      if (ops.size() != 3) return base::fail(mismatch(statement));
      for (std::size_t i = 0; i < 3; ++i) instr.regs[i] = TRY(register_operand(statement, i));
      return instr;
    case Format::I:
    case Format::Shift:
      if (ops.size() != 3) return base::fail(mismatch(statement));
      instr.regs[0] = TRY(register_operand(statement, 0));
      instr.regs[1] = TRY(register_operand(statement, 1));
      instr.imm = TRY(imm_at(2));
      return instr;
    case Format::Upper:
      if (ops.size() != 2) return base::fail(mismatch(statement));
      instr.regs[0] = TRY(register_operand(statement, 0));
      instr.imm = TRY(imm_at(1));
      return instr;
    case Format::Branch:
      if (ops.size() != 3) return base::fail(mismatch(statement));
      instr.regs[0] = TRY(register_operand(statement, 0));
      instr.regs[1] = TRY(register_operand(statement, 1));
      instr.imm = TRY(imm_at(2));
      return instr;
    case Format::Jal:
      if (ops.empty() || ops.size() > 2) return base::fail(mismatch(statement));
      instr.regs[0] = ops.size() == 2 ? TRY(register_operand(statement, 0)) : 1;
      instr.imm = TRY(imm_at(ops.size() - 1));
      return instr;
    case Format::Jalr: {
      instr.regs[0] = 1;
      instr.imm.known = 0;
      if (ops.size() == 1) {
        instr.regs[1] = TRY(register_operand(statement, 0));
      } else if (ops.size() == 2) {
        instr.regs[0] = TRY(register_operand(statement, 0));
        if (!TRY(memory_operand(statement, ops[1], symbols, instr, 1)))
          instr.regs[1] = TRY(register_operand(statement, 1));
      } else if (ops.size() == 3) {
        instr.regs[0] = TRY(register_operand(statement, 0));
        instr.regs[1] = TRY(register_operand(statement, 1));
        instr.imm = TRY(imm_at(2));
      } else {
        return base::fail(mismatch(statement));
      }
      return instr;
    }
    case Format::Load:
    case Format::Store: {
      bool store = row->format == Format::Store;
      if (ops.size() < 2 || ops.size() > 3) return base::fail(mismatch(statement));
      instr.regs[store ? 2 : 0] = TRY(register_operand(statement, 0));
      if (ops.size() == 2 && TRY(memory_operand(statement, ops[1], symbols, instr, 1))) return instr;
      if (store != (ops.size() == 3)) return base::fail(mismatch(statement));
      instr.has_symbol_address = true;  // auipc into rd (loads) or the temporary (stores)
      instr.imm = TRY(imm_at(1));
      instr.regs[1] = store ? TRY(register_operand(statement, 2)) : instr.regs[0];
      return instr;
    }
    case Format::Pseudo: break;
  }
  PROCSIM_UNREACHABLE();
}

base::Result<Instr, AsmError> RiscvInstructionSet::read(const Statement& statement,
                                                        const SymbolTable& symbols) const {
  Instr instr;
  instr.mnemonic = statement.mnemonic;
  instr.line = statement.line;
  instr.column = statement.column;
  auto pseudo = std::find_if(kPseudos.begin(), kPseudos.end(),
                             [&](const PseudoRow& r) { return r.name == statement.mnemonic; });
  auto row =
      std::find_if(kRows.begin(), kRows.end(), [&](const Row& r) { return r.name == statement.mnemonic; });
  if (pseudo == kPseudos.end() && row == kRows.end()) {
    return base::fail(error_at(statement.line, statement.column,
                               fmt::format("unknown instruction '{}'", statement.mnemonic)));
  }
  if (pseudo != kPseudos.end()) return read_pseudo(statement, symbols, *pseudo, instr);
  return read_base(statement, symbols, *row, instr);
}

base::Result<std::int64_t, AsmError> value_of(const Imm& imm, const SymbolTable* symbols, int line) {
  std::int64_t value = 0;
  if (imm.known)
    value = *imm.known;
  else if (symbols != nullptr)
    value = TRY(evaluate(imm.expr, *symbols, line));
  if (imm.part == Imm::Part::Lo) return sext(value & 0xFFF, 12);
  if (imm.part == Imm::Part::Hi) return ((value + 0x800) >> 12) & 0xFFFFF;
  return value;
}

// The %pcrel_hi/%pcrel_lo pair for `target` from `address`.
std::pair<std::int64_t, std::int64_t> pcrel(std::int64_t target, std::uint64_t address) {
  std::int64_t offset = target - static_cast<std::int64_t>(address);
  std::int64_t high = (offset + 0x800) >> 12;
  return {high & 0xFFFFF, offset - (high << 12)};
}

base::Result<std::vector<std::uint32_t>, AsmError> RiscvInstructionSet::encode_pseudo(
    const Instr& instr, std::uint64_t address, const SymbolTable* symbols) const {
  std::uint32_t rd = instr.regs[0];
  std::uint32_t rs = instr.regs[1];
  std::uint32_t addi = r_type(0x13, 0, 0);
  switch (instr.pseudo) {
    case PseudoKind::Li: return expand_li(rd, *instr.imm.known);
    case PseudoKind::Mv: return std::vector{i_type(addi, rd, rs, 0)};
    case PseudoKind::Not: return std::vector{i_type(r_type(0x13, 4, 0), rd, rs, -1)};
    case PseudoKind::Neg: return std::vector{r_type(0x33, 0, 0x20) | (rd << 7) | (rs << 20)};
    case PseudoKind::Negw: return std::vector{r_type(0x3B, 0, 0x20) | (rd << 7) | (rs << 20)};
    case PseudoKind::SextW: return std::vector{i_type(r_type(0x1B, 0, 0), rd, rs, 0)};
    case PseudoKind::Seqz: return std::vector{i_type(r_type(0x13, 3, 0), rd, rs, 1)};
    case PseudoKind::Snez: return std::vector{r_type(0x33, 3, 0) | (rd << 7) | (rs << 20)};
    case PseudoKind::Sltz: return std::vector{r_type(0x33, 2, 0) | (rd << 7) | (rs << 15)};
    case PseudoKind::Sgtz: return std::vector{r_type(0x33, 2, 0) | (rd << 7) | (rs << 20)};
    case PseudoKind::Jr: return std::vector{i_type(0x67, 0, rd, 0)};
    case PseudoKind::Ret: return std::vector{i_type(0x67, 0, 1, 0)};
    case PseudoKind::J: {
      std::int64_t offset =
          TRY(value_of(instr.imm, symbols, instr.line)) - static_cast<std::int64_t>(address);
      if (symbols != nullptr && (offset < -(1 << 20) || offset >= (1 << 20) || (offset & 1) != 0))
        return base::fail(error_at(instr.line, instr.imm.column, "jump target out of range"));
      return std::vector{j_type(0, symbols == nullptr ? 0 : offset)};
    }
    case PseudoKind::Call:
    case PseudoKind::Tail:
    case PseudoKind::La: {
      std::int64_t target = symbols == nullptr ? static_cast<std::int64_t>(address)
                                               : TRY(value_of(instr.imm, symbols, instr.line));
      auto [high, low] = pcrel(target, address);
      std::uint32_t link = instr.pseudo == PseudoKind::Call ? 1 : 0;
      std::uint32_t temp = instr.pseudo == PseudoKind::La ? rd : instr.pseudo == PseudoKind::Call ? 1 : 6;
      std::uint32_t second =
          instr.pseudo == PseudoKind::La ? i_type(addi, rd, rd, low) : i_type(0x67, link, temp, low);
      return std::vector{u_type(0x17, temp, high), second};
    }
    default: break;
  }
  PROCSIM_UNREACHABLE();
}

base::Result<std::int64_t, AsmError> checked_range(const Instr& instr, const SymbolTable* symbols,
                                                   std::int64_t value, std::int64_t low, std::int64_t high) {
  if (symbols != nullptr && (value < low || value > high))
    return base::fail(error_at(instr.line, instr.imm.column,
                               fmt::format("illegal operands '{}': value out of range", instr.mnemonic)));
  return value;
}

// Conditional branches (relaxed to an inverted branch over a jal when long) and jal.
base::Result<std::vector<std::uint32_t>, AsmError> encode_jump(const Instr& instr, std::uint64_t address,
                                                               const SymbolTable* symbols) {
  const auto& r = instr.regs;
  auto in_range = [&](std::int64_t value, std::int64_t low, std::int64_t high) {
    return checked_range(instr, symbols, value, low, high);
  };
  switch (instr.format) {
    case Format::Branch: {
      std::int64_t target = symbols == nullptr ? static_cast<std::int64_t>(address)
                                               : TRY(value_of(instr.imm, symbols, instr.line));
      std::int64_t offset = target - static_cast<std::int64_t>(address);
      if (!instr.long_form) {
        TRY(in_range(offset, -4096, 4094));
        return std::vector{b_type(instr.bits, r[0], r[1], offset)};
      }
      std::uint32_t inverted = instr.bits ^ (1u << 12);  // beq<->bne, blt<->bge, bltu<->bgeu
      std::int64_t jump = TRY(in_range(offset - 4, -(1 << 20), (1 << 20) - 2));
      return std::vector{b_type(inverted, r[0], r[1], 8), j_type(0, jump)};
    }
    case Format::Jal: {
      std::int64_t target = symbols == nullptr ? static_cast<std::int64_t>(address)
                                               : TRY(value_of(instr.imm, symbols, instr.line));
      std::int64_t offset =
          TRY(in_range(target - static_cast<std::int64_t>(address), -(1 << 20), (1 << 20) - 2));
      return std::vector{j_type(r[0], offset)};
    }
    default: break;
  }
  PROCSIM_UNREACHABLE();
}

base::Result<std::vector<std::uint32_t>, AsmError> RiscvInstructionSet::encode_words(
    const Instr& instr, std::uint64_t address, const SymbolTable* symbols) const {
  const auto& r = instr.regs;
  auto in_range = [&](std::int64_t value, std::int64_t low, std::int64_t high) {
    return checked_range(instr, symbols, value, low, high);
  };
  switch (instr.format) {
    case Format::Fixed: return std::vector{instr.bits};
    case Format::Pseudo: return encode_pseudo(instr, address, symbols);
    case Format::R: return std::vector{instr.bits | (r[0] << 7) | (r[1] << 15) | (r[2] << 20)};
    case Format::I: {
      std::int64_t raw = TRY(value_of(instr.imm, symbols, instr.line));
      std::int64_t imm = TRY(in_range(raw, -2048, 2047));
      return std::vector{i_type(instr.bits, r[0], r[1], imm)};
    }
    case Format::Shift: {
      bool word = (instr.bits & 0x7F) == 0x1B;
      std::int64_t raw = TRY(value_of(instr.imm, symbols, instr.line));
      std::int64_t amount = TRY(in_range(raw, 0, word ? 31 : 63));
      return std::vector{instr.bits | (r[0] << 7) | (r[1] << 15) |
                         (static_cast<std::uint32_t>(amount) << 20)};
    }
    case Format::Upper: {
      std::int64_t raw = TRY(value_of(instr.imm, symbols, instr.line));
      std::int64_t imm = TRY(in_range(raw, 0, 0xFFFFF));
      return std::vector{u_type(instr.bits, r[0], imm)};
    }
    case Format::Load:
    case Format::Store: {
      bool store = instr.format == Format::Store;
      if (instr.has_symbol_address) {
        std::int64_t target = symbols == nullptr ? static_cast<std::int64_t>(address)
                                                 : TRY(value_of(instr.imm, symbols, instr.line));
        auto [high, low] = pcrel(target, address);
        std::uint32_t second =
            store ? s_type(instr.bits, r[1], r[2], low) : i_type(instr.bits, r[0], r[1], low);
        return std::vector{u_type(0x17, r[1], high), second};
      }
      std::int64_t raw = TRY(value_of(instr.imm, symbols, instr.line));
      std::int64_t offset = TRY(in_range(raw, -2048, 2047));
      return std::vector{store ? s_type(instr.bits, r[1], r[2], offset)
                               : i_type(instr.bits, r[0], r[1], offset)};
    }
    case Format::Branch:
    case Format::Jal: return encode_jump(instr, address, symbols);
    case Format::Jalr: {
      std::int64_t raw = TRY(value_of(instr.imm, symbols, instr.line));
      std::int64_t offset = TRY(in_range(raw, -2048, 2047));
      return std::vector{i_type(instr.bits, r[0], r[1], offset)};
    }
  }
  PROCSIM_UNREACHABLE();
}

}  // namespace

std::unique_ptr<InstructionSet> make_riscv64_assembler() { return std::make_unique<RiscvInstructionSet>(); }

}  // namespace procsim::machine::assembly
