// arm64 (GNU as aarch64) syntax for the subset: the mnemonic table, register names, and
// operands: registers, #immediates (and :lo12:), shifts, [memory] forms, conditions, labels.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "model/machine/asm/arm64_asm.h"

namespace procsim::machine::assembly::arm64asm {
namespace {

struct Row {
  std::string_view name;
  AFamily family;
  std::uint32_t base;
  std::uint8_t variant;
};

// Load/store variants: bit 0 load, bits 1-2 size (log2 bytes, 3 = by register), bit 3 sign
// extend, bit 4 unscaled only (ldur/stur).
constexpr std::uint8_t ls(bool load, unsigned size_log2, bool sign = false, bool unscaled = false) {
  return static_cast<std::uint8_t>((load ? 1 : 0) | (size_log2 << 1) | (sign ? 8 : 0) | (unscaled ? 16 : 0));
}

constexpr std::array kRows = {
    Row{"movz", AFamily::MovWide, 0x52800000, 0},
    Row{"movn", AFamily::MovWide, 0x12800000, 0},
    Row{"movk", AFamily::MovWide, 0x72800000, 0},
    Row{"mov", AFamily::Mov, 0, 0},
    Row{"add", AFamily::AddSub, 0, 0},
    Row{"adds", AFamily::AddSub, 0, 1},
    Row{"sub", AFamily::AddSub, 0, 2},
    Row{"subs", AFamily::AddSub, 0, 3},
    Row{"cmn", AFamily::Compare, 0, 1},
    Row{"cmp", AFamily::Compare, 0, 3},
    Row{"neg", AFamily::Negate, 0, 2},
    Row{"negs", AFamily::Negate, 0, 3},
    Row{"and", AFamily::Logical, 0, 0},
    Row{"orr", AFamily::Logical, 0, 1},
    Row{"eor", AFamily::Logical, 0, 2},
    Row{"ands", AFamily::Logical, 0, 3},
    Row{"bic", AFamily::Logical, 0, 4},
    Row{"orn", AFamily::Logical, 0, 5},
    Row{"eon", AFamily::Logical, 0, 6},
    Row{"bics", AFamily::Logical, 0, 7},
    Row{"tst", AFamily::Test, 0, 3},
    Row{"mvn", AFamily::Mvn, 0, 5},
    Row{"lsl", AFamily::Shift, 0, 0},
    Row{"lsr", AFamily::Shift, 0, 1},
    Row{"asr", AFamily::Shift, 0, 2},
    Row{"ror", AFamily::Shift, 0, 3},
    Row{"mul", AFamily::MulDiv, 0x1B007C00, 3},
    Row{"madd", AFamily::MulDiv, 0x1B000000, 4},
    Row{"msub", AFamily::MulDiv, 0x1B008000, 4},
    Row{"udiv", AFamily::MulDiv, 0x1AC00800, 3},
    Row{"sdiv", AFamily::MulDiv, 0x1AC00C00, 3},
    Row{"b", AFamily::Branch, 0x14000000, 0},
    Row{"bl", AFamily::Branch, 0x94000000, 0},
    Row{"cbz", AFamily::CompareBranch, 0x34000000, 0},
    Row{"cbnz", AFamily::CompareBranch, 0x35000000, 0},
    Row{"tbz", AFamily::TestBranch, 0x36000000, 0},
    Row{"tbnz", AFamily::TestBranch, 0x37000000, 0},
    Row{"br", AFamily::BranchReg, 0xD61F0000, 0},
    Row{"blr", AFamily::BranchReg, 0xD63F0000, 0},
    Row{"ret", AFamily::BranchReg, 0xD65F0000, 1},
    Row{"ldr", AFamily::LoadStore, 0, ls(true, 3)},
    Row{"str", AFamily::LoadStore, 0, ls(false, 3)},
    Row{"ldrb", AFamily::LoadStore, 0, ls(true, 0)},
    Row{"strb", AFamily::LoadStore, 0, ls(false, 0)},
    Row{"ldrh", AFamily::LoadStore, 0, ls(true, 1)},
    Row{"strh", AFamily::LoadStore, 0, ls(false, 1)},
    Row{"ldrsb", AFamily::LoadStore, 0, ls(true, 0, true)},
    Row{"ldrsh", AFamily::LoadStore, 0, ls(true, 1, true)},
    Row{"ldrsw", AFamily::LoadStore, 0, ls(true, 2, true)},
    Row{"ldur", AFamily::LoadStore, 0, ls(true, 3, false, true)},
    Row{"stur", AFamily::LoadStore, 0, ls(false, 3, false, true)},
    Row{"ldurb", AFamily::LoadStore, 0, ls(true, 0, false, true)},
    Row{"sturb", AFamily::LoadStore, 0, ls(false, 0, false, true)},
    Row{"ldurh", AFamily::LoadStore, 0, ls(true, 1, false, true)},
    Row{"sturh", AFamily::LoadStore, 0, ls(false, 1, false, true)},
    Row{"ldp", AFamily::LoadStorePair, 0, 1},
    Row{"stp", AFamily::LoadStorePair, 0, 0},
    Row{"adr", AFamily::Adr, 0x10000000, 0},
    Row{"adrp", AFamily::Adr, 0x90000000, 1},
    Row{"nop", AFamily::Fixed, 0xD503201F, 0},
    Row{"svc", AFamily::Exception, 0xD4000001, 0},
    Row{"brk", AFamily::Exception, 0xD4200000, 0},
    Row{"csel", AFamily::CondSelect, 0x1A800000, 0},
    Row{"csinc", AFamily::CondSelect, 0x1A800400, 0},
    Row{"csinv", AFamily::CondSelect, 0x5A800000, 0},
    Row{"csneg", AFamily::CondSelect, 0x5A800400, 0},
    Row{"cset", AFamily::CondSet, 0x1A800400, 0},
    Row{"csetm", AFamily::CondSet, 0x5A800000, 0},
};

struct CondRow {
  std::string_view name;
  std::uint8_t code;
};
constexpr std::array kConditions = {
    CondRow{"eq", 0},  CondRow{"ne", 1},  CondRow{"cs", 2},  CondRow{"hs", 2},  CondRow{"cc", 3},
    CondRow{"lo", 3},  CondRow{"mi", 4},  CondRow{"pl", 5},  CondRow{"vs", 6},  CondRow{"vc", 7},
    CondRow{"hi", 8},  CondRow{"ls", 9},  CondRow{"ge", 10}, CondRow{"lt", 11}, CondRow{"gt", 12},
    CondRow{"le", 13}, CondRow{"al", 14}, CondRow{"nv", 15},
};

AsmError error_at(int line, int column, std::string message) {
  return AsmError{line, column, std::move(message)};
}

std::optional<std::uint8_t> find_condition(std::string_view name) {
  std::string lower = to_lower(name);
  for (const CondRow& row : kConditions)
    if (row.name == lower) return row.code;
  return std::nullopt;
}

std::optional<AReg> find_register(std::string_view text) {
  std::string name = to_lower(text);
  if (name == "sp") return AReg{31, true, true, false};
  if (name == "wsp") return AReg{31, false, true, false};
  if (name == "xzr") return AReg{31, true, false, true};
  if (name == "wzr") return AReg{31, false, false, true};
  if (name.size() < 2 || (name[0] != 'x' && name[0] != 'w')) return std::nullopt;
  std::string_view digits = std::string_view(name).substr(1);
  if (digits.size() > 2 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  if (digits.size() == 2 && digits[0] == '0') return std::nullopt;
  int number = std::stoi(std::string(digits));
  if (number > 30) return std::nullopt;
  return AReg{static_cast<std::uint8_t>(number), name[0] == 'x', false, false};
}

// Register-like text that is not a register: "x31", "w99", "q0".
bool looks_like_register(std::string_view text) {
  std::string name = to_lower(text);
  return name.size() >= 2 && (name[0] == 'x' || name[0] == 'w') &&
         std::all_of(name.begin() + 1, name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<ShiftKind> find_shift(std::string_view name) {
  std::string lower = to_lower(name);
  if (lower == "lsl") return ShiftKind::Lsl;
  if (lower == "lsr") return ShiftKind::Lsr;
  if (lower == "asr") return ShiftKind::Asr;
  if (lower == "ror") return ShiftKind::Ror;
  return std::nullopt;
}

base::Result<AOperand, AsmError> parse_immediate(std::string_view text, int line, int column,
                                                 const SymbolTable& symbols) {
  AOperand operand;
  operand.kind = AKind::Imm;
  if (!text.empty() && text[0] == '#') {
    text = text.substr(1);
    ++column;
  }
  if (text.substr(0, 6) == ":lo12:") {
    operand.lo12 = true;
    text = text.substr(6);
    column += 6;
  }
  operand.imm = TRY(parse_expression(text, line, column));
  operand.known = operand.lo12 ? std::nullopt : known_value(operand.imm, symbols);
  return operand;
}

// "lsl #3" or "lsl 3"; nullopt if the text is not a shift.
base::Result<std::optional<AOperand>, AsmError> parse_shift(std::string_view text, int line, int column,
                                                            const SymbolTable& symbols) {
  std::size_t space = text.find_first_of(" \t#");
  if (space == std::string_view::npos) return std::optional<AOperand>{};
  auto kind = find_shift(text.substr(0, space));
  if (!kind) return std::optional<AOperand>{};
  std::string_view rest = trim(text.substr(space));
  int rest_column = column + static_cast<int>(text.size() - rest.size());
  AOperand amount = TRY(parse_immediate(rest, line, rest_column, symbols));
  if (!amount.known || *amount.known < 0 || *amount.known > 63)
    return base::fail(error_at(line, rest_column, "shift amount out of range"));
  AOperand shift;
  shift.kind = AKind::Shift;
  shift.shift = *kind;
  shift.amount = static_cast<unsigned>(*amount.known);
  return std::optional<AOperand>{shift};
}

base::Result<AReg, AsmError> parse_register(std::string_view text, int line, int column) {
  auto reg = find_register(trim(text));
  if (!reg) return base::fail(error_at(line, column, fmt::format("bad register '{}'", trim(text))));
  return *reg;
}

base::Result<AOperand, AsmError> parse_memory(const Operand& source, int line, const SymbolTable& symbols) {
  std::string_view text = source.text;
  std::size_t close = text.find(']');
  if (close == std::string_view::npos) return base::fail(error_at(line, source.column, "missing ']'"));
  AOperand mem;
  mem.kind = AKind::Mem;
  std::string_view after = trim(text.substr(close + 1));
  if (after == "!") {
    mem.mode = AddressMode::PreIndex;
  } else if (!after.empty()) {
    return base::fail(error_at(line, source.column + static_cast<int>(close) + 1,
                               fmt::format("junk '{}' after address", after)));
  }
  std::vector<Operand> parts = split_operands(text.substr(1, close - 1), source.column + 1);
  if (parts.empty() || parts.size() > 3) return base::fail(error_at(line, source.column, "bad address"));
  mem.base = TRY(parse_register(parts[0].text, line, parts[0].column));
  if (!mem.base.is64 || mem.base.is_zr)
    return base::fail(error_at(line, parts[0].column, fmt::format("bad base register '{}'", parts[0].text)));
  mem.known = 0;
  if (parts.size() >= 2) {
    if (auto index = find_register(parts[1].text)) {
      mem.has_index = true;
      mem.index = *index;
      if (parts.size() == 3) {
        auto shift = TRY(parse_shift(parts[2].text, line, parts[2].column, symbols));
        if (!shift || shift->shift != ShiftKind::Lsl)
          return base::fail(error_at(line, parts[2].column, "only 'lsl' is supported on an index register"));
        mem.index_shifted = true;
        mem.index_amount = shift->amount;
      }
    } else {
      if (parts.size() == 3) return base::fail(error_at(line, parts[2].column, "bad address"));
      AOperand offset = TRY(parse_immediate(parts[1].text, line, parts[1].column, symbols));
      if (!offset.known)
        return base::fail(error_at(line, parts[1].column, "offset must be an absolute constant"));
      mem.imm = offset.imm;
      mem.known = offset.known;
    }
  }
  return mem;
}

base::Result<AOperand, AsmError> parse_operand(const Operand& source, int line, const SymbolTable& symbols) {
  std::string_view text = source.text;
  AOperand operand;
  if (text.empty()) return base::fail(error_at(line, source.column, "missing operand"));
  if (text[0] == '[') {
    operand = TRY(parse_memory(source, line, symbols));
  } else if (text[0] == '#' || text.substr(0, 6) == ":lo12:") {
    operand = TRY(parse_immediate(text, line, source.column, symbols));
  } else if (auto reg = find_register(text)) {
    operand.kind = AKind::Reg;
    operand.reg = *reg;
  } else if (looks_like_register(text)) {
    return base::fail(error_at(line, source.column, fmt::format("bad register '{}'", text)));
  } else if (auto shift = TRY(parse_shift(text, line, source.column, symbols))) {
    operand = *shift;
  } else if (auto cond = find_condition(text)) {
    operand.kind = AKind::Cond;
    operand.cond = *cond;
  } else {
    operand = TRY(parse_immediate(text, line, source.column, symbols));
    operand.kind = AKind::Target;  // a bare expression: a label, or an immediate without '#'
  }
  operand.column = source.column;
  operand.text = source.text;
  return operand;
}

}  // namespace

base::Result<AInsn, AsmError> parse_arm64(const Statement& statement, const SymbolTable& symbols) {
  AInsn insn;
  insn.mnemonic = statement.mnemonic;
  insn.line = statement.line;
  insn.column = statement.column;
  std::string_view name = statement.mnemonic;
  if (name.size() > 2 && name.substr(0, 2) == "b.") {
    auto cond = find_condition(name.substr(2));
    if (!cond)
      return base::fail(
          error_at(statement.line, statement.column, fmt::format("unknown instruction '{}'", name)));
    insn.family = AFamily::BranchCond;
    insn.base = 0x54000000;
    insn.cond = *cond;
  } else {
    auto row = std::find_if(kRows.begin(), kRows.end(), [&](const Row& r) { return r.name == name; });
    if (row == kRows.end())
      return base::fail(
          error_at(statement.line, statement.column, fmt::format("unknown instruction '{}'", name)));
    insn.family = row->family;
    insn.base = row->base;
    insn.variant = row->variant;
  }
  for (const Operand& operand : statement.operands)
    insn.operands.push_back(TRY(parse_operand(operand, statement.line, symbols)));
  return insn;
}

}  // namespace procsim::machine::assembly::arm64asm
