// AT&T syntax for the x86 subset: mnemonic tables (with b/w/l/q suffixes and condition-code
// families), the register table, operand parsing and the operand-size rules GNU as applies.
// Error texts follow GNU as where it has one, with the project's quoting.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "model/machine/asm/x86_asm.h"

namespace procsim::machine::assembly::x86asm {
namespace {

struct MnemonicRow {
  std::string_view name;
  Family family;
  std::uint8_t sub;
  bool takes_suffix;  // may carry b/w/l/q
  std::uint8_t fixed_length = 0;
  std::array<std::uint8_t, 3> fixed{};
  bool only64 = false;
};

constexpr MnemonicRow op(std::string_view name, Family family, std::uint8_t sub = 0, bool suffix = true) {
  return {name, family, sub, suffix, 0, {}, false};
}
constexpr MnemonicRow fixed(std::string_view name, std::array<std::uint8_t, 3> bytes, std::uint8_t length,
                            bool only64 = false) {
  return {name, Family::Fixed, 0, false, length, bytes, only64};
}

constexpr std::array kMnemonics = {
    op("add", Family::Alu, 0),
    op("or", Family::Alu, 1),
    op("adc", Family::Alu, 2),
    op("sbb", Family::Alu, 3),
    op("and", Family::Alu, 4),
    op("sub", Family::Alu, 5),
    op("xor", Family::Alu, 6),
    op("cmp", Family::Alu, 7),
    op("test", Family::Test),
    op("mov", Family::Mov),
    op("movabs", Family::Movabs),
    op("inc", Family::Unary, 0),
    op("dec", Family::Unary, 1),
    op("not", Family::Unary, 2),
    op("neg", Family::Unary, 3),
    op("rol", Family::Shift, 0),
    op("ror", Family::Shift, 1),
    op("shl", Family::Shift, 4),
    op("sal", Family::Shift, 4),
    op("shr", Family::Shift, 5),
    op("sar", Family::Shift, 7),
    op("imul", Family::Imul),
    op("lea", Family::Lea),
    op("push", Family::Push),
    op("pop", Family::Pop),
    op("xchg", Family::Xchg),
    op("jmp", Family::Jmp),
    op("call", Family::Call),
    op("ret", Family::Ret),
    op("int", Family::Int, 0, false),
    fixed("nop", {0x90}, 1),
    fixed("syscall", {0x0F, 0x05}, 2),
    fixed("int3", {0xCC}, 1),
    fixed("hlt", {0xF4}, 1),
    fixed("leave", {0xC9}, 1),
    fixed("clc", {0xF8}, 1),
    fixed("stc", {0xF9}, 1),
    fixed("cmc", {0xF5}, 1),
    fixed("cbtw", {0x66, 0x98}, 2),
    fixed("cwtl", {0x98}, 1),
    fixed("cltq", {0x48, 0x98}, 2, true),
    fixed("cwtd", {0x66, 0x99}, 2),
    fixed("cltd", {0x99}, 1),
    fixed("cqto", {0x48, 0x99}, 2, true),
};

// movz/movs with both sizes in the name: source size, destination size, sign.
struct MovxRow {
  std::string_view name;
  std::uint8_t from;
  std::uint8_t to;
  bool sign;
};
constexpr std::array kMovx = {
    MovxRow{"movzbw", 1, 2, false}, MovxRow{"movzbl", 1, 4, false}, MovxRow{"movzbq", 1, 8, false},
    MovxRow{"movzwl", 2, 4, false}, MovxRow{"movzwq", 2, 8, false}, MovxRow{"movsbw", 1, 2, true},
    MovxRow{"movsbl", 1, 4, true},  MovxRow{"movsbq", 1, 8, true},  MovxRow{"movswl", 2, 4, true},
    MovxRow{"movswq", 2, 8, true},  MovxRow{"movslq", 4, 8, true},
};

struct ConditionRow {
  std::string_view name;
  std::uint8_t code;
};
constexpr std::array kConditions = {
    ConditionRow{"o", 0},   ConditionRow{"no", 1},   ConditionRow{"b", 2},   ConditionRow{"c", 2},
    ConditionRow{"nae", 2}, ConditionRow{"ae", 3},   ConditionRow{"nb", 3},  ConditionRow{"nc", 3},
    ConditionRow{"e", 4},   ConditionRow{"z", 4},    ConditionRow{"ne", 5},  ConditionRow{"nz", 5},
    ConditionRow{"be", 6},  ConditionRow{"na", 6},   ConditionRow{"a", 7},   ConditionRow{"nbe", 7},
    ConditionRow{"s", 8},   ConditionRow{"ns", 9},   ConditionRow{"p", 10},  ConditionRow{"pe", 10},
    ConditionRow{"np", 11}, ConditionRow{"po", 11},  ConditionRow{"l", 12},  ConditionRow{"nge", 12},
    ConditionRow{"ge", 13}, ConditionRow{"nl", 13},  ConditionRow{"le", 14}, ConditionRow{"ng", 14},
    ConditionRow{"g", 15},  ConditionRow{"nle", 15},
};

struct RegRow {
  std::string_view name;
  std::uint8_t number;
  std::uint8_t size;
  bool needs_rex;
};

constexpr std::array kRegisters = {
    RegRow{"al", 0, 1, false},   RegRow{"cl", 1, 1, false},   RegRow{"dl", 2, 1, false},
    RegRow{"bl", 3, 1, false},   RegRow{"ah", 16, 1, false},  RegRow{"ch", 17, 1, false},
    RegRow{"dh", 18, 1, false},  RegRow{"bh", 19, 1, false},  RegRow{"spl", 4, 1, true},
    RegRow{"bpl", 5, 1, true},   RegRow{"sil", 6, 1, true},   RegRow{"dil", 7, 1, true},
    RegRow{"r8b", 8, 1, true},   RegRow{"r9b", 9, 1, true},   RegRow{"r10b", 10, 1, true},
    RegRow{"r11b", 11, 1, true}, RegRow{"r12b", 12, 1, true}, RegRow{"r13b", 13, 1, true},
    RegRow{"r14b", 14, 1, true}, RegRow{"r15b", 15, 1, true}, RegRow{"ax", 0, 2, false},
    RegRow{"cx", 1, 2, false},   RegRow{"dx", 2, 2, false},   RegRow{"bx", 3, 2, false},
    RegRow{"sp", 4, 2, false},   RegRow{"bp", 5, 2, false},   RegRow{"si", 6, 2, false},
    RegRow{"di", 7, 2, false},   RegRow{"r8w", 8, 2, true},   RegRow{"r9w", 9, 2, true},
    RegRow{"r10w", 10, 2, true}, RegRow{"r11w", 11, 2, true}, RegRow{"r12w", 12, 2, true},
    RegRow{"r13w", 13, 2, true}, RegRow{"r14w", 14, 2, true}, RegRow{"r15w", 15, 2, true},
    RegRow{"eax", 0, 4, false},  RegRow{"ecx", 1, 4, false},  RegRow{"edx", 2, 4, false},
    RegRow{"ebx", 3, 4, false},  RegRow{"esp", 4, 4, false},  RegRow{"ebp", 5, 4, false},
    RegRow{"esi", 6, 4, false},  RegRow{"edi", 7, 4, false},  RegRow{"r8d", 8, 4, true},
    RegRow{"r9d", 9, 4, true},   RegRow{"r10d", 10, 4, true}, RegRow{"r11d", 11, 4, true},
    RegRow{"r12d", 12, 4, true}, RegRow{"r13d", 13, 4, true}, RegRow{"r14d", 14, 4, true},
    RegRow{"r15d", 15, 4, true}, RegRow{"rax", 0, 8, false},  RegRow{"rcx", 1, 8, false},
    RegRow{"rdx", 2, 8, false},  RegRow{"rbx", 3, 8, false},  RegRow{"rsp", 4, 8, false},
    RegRow{"rbp", 5, 8, false},  RegRow{"rsi", 6, 8, false},  RegRow{"rdi", 7, 8, false},
    RegRow{"r8", 8, 8, true},    RegRow{"r9", 9, 8, true},    RegRow{"r10", 10, 8, true},
    RegRow{"r11", 11, 8, true},  RegRow{"r12", 12, 8, true},  RegRow{"r13", 13, 8, true},
    RegRow{"r14", 14, 8, true},  RegRow{"r15", 15, 8, true},
};

AsmError error_at(int line, int column, std::string message) {
  return AsmError{line, column, std::move(message)};
}

std::uint8_t suffix_size(char suffix) {
  switch (suffix) {
    case 'b': return 1;
    case 'w': return 2;
    case 'l': return 4;
    case 'q': return 8;
    default: return 0;
  }
}

char size_suffix(std::uint8_t size) {
  switch (size) {
    case 1: return 'b';
    case 2: return 'w';
    case 4: return 'l';
    default: return 'q';
  }
}

const ConditionRow* find_condition(std::string_view name) {
  auto found = std::find_if(kConditions.begin(), kConditions.end(),
                            [&](const ConditionRow& r) { return r.name == name; });
  return found == kConditions.end() ? nullptr : &*found;
}

const MnemonicRow* find_mnemonic(std::string_view name) {
  auto found = std::find_if(kMnemonics.begin(), kMnemonics.end(),
                            [&](const MnemonicRow& r) { return r.name == name; });
  return found == kMnemonics.end() ? nullptr : &*found;
}

base::Result<Reg, AsmError> parse_register(std::string_view text, int line, int column, bool mode64) {
  PROCSIM_ASSERT(!text.empty() && text[0] == '%');
  std::string name = to_lower(text.substr(1));
  if (name == "rip" && mode64) return Reg{0, 8, false, true};
  auto found =
      std::find_if(kRegisters.begin(), kRegisters.end(), [&](const RegRow& r) { return r.name == name; });
  bool valid = found != kRegisters.end() && (mode64 || (found->size != 8 && !found->needs_rex));
  if (!valid) return base::fail(error_at(line, column, fmt::format("bad register '{}'", text)));
  bool needs_rex = found->needs_rex || (found->number >= 8 && found->number < 16);
  return Reg{found->number, found->size, needs_rex, false};
}

base::Result<MemRef, AsmError> parse_memory(std::string_view text, int line, int column, bool mode64,
                                            const SymbolTable& symbols) {
  MemRef mem;
  std::size_t open = text.find('(');
  std::string_view disp = trim(text.substr(0, open));
  if (!disp.empty()) {
    mem.disp = TRY(parse_expression(disp, line, column));
    mem.disp_known = known_value(mem.disp, symbols);
  } else {
    mem.disp_known = 0;
  }
  if (open == std::string_view::npos) return mem;
  if (text.back() != ')')
    return base::fail(error_at(line, column, fmt::format("bad memory operand '{}'", text)));
  std::vector<Operand> parts;
  std::string_view inside = text.substr(open + 1, text.size() - open - 2);
  std::size_t start = 0;
  for (std::size_t i = 0; i <= inside.size(); ++i) {
    if (i < inside.size() && inside[i] != ',') continue;
    std::string_view piece = inside.substr(start, i - start);
    std::size_t lead = piece.find_first_not_of(" \t");
    int piece_column =
        column + static_cast<int>(open + 1 + start + (lead == std::string_view::npos ? 0 : lead));
    parts.push_back({std::string(trim(piece)), piece_column});
    start = i + 1;
  }
  if (parts.empty() || parts.size() > 3)
    return base::fail(error_at(line, column, fmt::format("bad memory operand '{}'", text)));
  std::uint8_t address_size = mode64 ? 8 : 4;
  auto address_register = [&](const Operand& part) -> base::Result<Reg, AsmError> {
    if (part.text.empty() || part.text[0] != '%')
      return base::fail(error_at(line, part.column, fmt::format("bad memory operand '{}'", text)));
    Reg reg = TRY(parse_register(part.text, line, part.column, mode64));
    if (!reg.is_rip && reg.size != address_size)
      return base::fail(
          error_at(line, part.column, fmt::format("'{}' is not a valid base/index expression", text)));
    return reg;
  };
  if (!parts[0].text.empty()) {
    mem.base = TRY(address_register(parts[0]));
    mem.has_base = true;
    mem.rip_relative = mem.base.is_rip;
  }
  if (parts.size() >= 2) {
    mem.index = TRY(address_register(parts[1]));
    mem.has_index = true;
    if (mem.index.is_rip || mem.index.number == 4 || mem.rip_relative)
      return base::fail(
          error_at(line, parts[1].column, fmt::format("'{}' is not a valid base/index expression", text)));
  }
  if (parts.size() == 3) {
    std::string_view scale = parts[2].text;
    int shift = scale == "1" ? 0 : scale == "2" ? 1 : scale == "4" ? 2 : scale == "8" ? 3 : -1;
    if (shift < 0)
      return base::fail(error_at(line, parts[2].column,
                                 fmt::format("scale factor of {} without an index register", scale)));
    mem.scale_shift = static_cast<std::uint8_t>(shift);
  }
  return mem;
}

base::Result<XOperand, AsmError> parse_operand(const Operand& source, int line, bool mode64, bool branch,
                                               const SymbolTable& symbols) {
  XOperand operand;
  operand.column = source.column;
  operand.text = source.text;
  std::string_view text = source.text;
  int column = source.column;
  if (!text.empty() && text[0] == '*') {
    operand.indirect = true;
    text = trim(text.substr(1));
    ++column;
  }
  if (text.empty()) return base::fail(error_at(line, column, "missing operand"));
  if (text[0] == '$') {
    operand.kind = OperandKind::Imm;
    operand.imm = TRY(parse_expression(text.substr(1), line, column + 1));
    operand.imm_known = known_value(operand.imm, symbols);
    // GNU as for i386 computes constants in 32 bits: $0xffffffff is -1 there.
    if (operand.imm_known && !mode64)
      operand.imm_known = static_cast<std::int32_t>(static_cast<std::uint32_t>(*operand.imm_known));
    return operand;
  }
  if (text.find(':') != std::string_view::npos)
    return base::fail(error_at(line, column, "segment overrides are not supported"));
  if (text[0] == '%') {
    operand.kind = OperandKind::Reg;
    operand.reg = TRY(parse_register(text, line, column, mode64));
    if (operand.reg.is_rip) return base::fail(error_at(line, column, "'%rip' can only be a memory base"));
    return operand;
  }
  if (branch && !operand.indirect) {
    operand.kind = OperandKind::Target;
    operand.imm = TRY(parse_expression(text, line, column));
    return operand;
  }
  operand.kind = OperandKind::Mem;
  operand.mem = TRY(parse_memory(text, line, column, mode64, symbols));
  return operand;
}

// The family row for a mnemonic, filling the size a suffix gives; nullptr if unknown.
struct Resolved {
  Family family = Family::Fixed;
  std::uint8_t sub = 0;
  std::uint8_t suffix = 0;
  bool sign_extend = false;
  const MnemonicRow* row = nullptr;
};

std::optional<Resolved> resolve_mnemonic(std::string_view name) {
  if (const MnemonicRow* row = find_mnemonic(name)) return Resolved{row->family, row->sub, 0, false, row};
  for (const MovxRow& movx : kMovx)
    if (movx.name == name) return Resolved{Family::Movx, movx.from, movx.to, movx.sign, nullptr};
  for (auto [prefix, family] :
       {std::pair{std::string_view("j"), Family::Jcc}, std::pair{std::string_view("set"), Family::Setcc},
        std::pair{std::string_view("cmov"), Family::Cmov}}) {
    if (name.substr(0, prefix.size()) != prefix) continue;
    std::string_view rest = name.substr(prefix.size());
    if (const ConditionRow* cc = find_condition(rest)) return Resolved{family, cc->code, 0, false, nullptr};
    if (family == Family::Cmov && !rest.empty() && suffix_size(rest.back()) != 0) {
      if (const ConditionRow* cc2 = find_condition(rest.substr(0, rest.size() - 1)))
        return Resolved{family, cc2->code, suffix_size(rest.back()), false, nullptr};
    }
  }
  if (name.size() > 1 && suffix_size(name.back()) != 0) {
    const MnemonicRow* row = find_mnemonic(name.substr(0, name.size() - 1));
    if (row != nullptr && row->takes_suffix)
      return Resolved{row->family, row->sub, suffix_size(name.back()), false, row};
  }
  return std::nullopt;
}

}  // namespace

base::Result<std::uint8_t, AsmError> operand_size(const XInsn& insn, std::uint8_t suffix, bool mode64);

base::Result<XInsn, AsmError> parse_instruction(const Statement& statement, const SymbolTable& symbols,
                                                bool mode64) {
  int line = statement.line;
  auto resolved = resolve_mnemonic(statement.mnemonic);
  if (!resolved)
    return base::fail(
        error_at(line, statement.column, fmt::format("unknown instruction '{}'", statement.mnemonic)));
  XInsn insn;
  insn.family = resolved->family;
  insn.sub = resolved->sub;
  insn.sign_extend = resolved->sign_extend;
  insn.mnemonic = statement.mnemonic;
  insn.line = line;
  insn.column = statement.column;
  if (resolved->row != nullptr && resolved->row->only64 && !mode64)
    return base::fail(error_at(line, statement.column,
                               fmt::format("'{}' is not supported in 32-bit mode", statement.mnemonic)));
  if (resolved->suffix == 8 && !mode64 && insn.family != Family::Movx)
    return base::fail(error_at(line, statement.column,
                               fmt::format("invalid instruction suffix for '{}'", statement.mnemonic)));
  bool branch = insn.family == Family::Jmp || insn.family == Family::Jcc || insn.family == Family::Call;
  for (const Operand& operand : statement.operands)
    insn.operands.push_back(TRY(parse_operand(operand, line, mode64, branch, symbols)));
  if (insn.family == Family::Fixed) {
    if (!insn.operands.empty())
      return base::fail(error_at(line, insn.operands[0].column,
                                 fmt::format("operand type mismatch for '{}'", insn.mnemonic)));
    insn.fixed.assign(resolved->row->fixed.begin(),
                      resolved->row->fixed.begin() + resolved->row->fixed_length);
    return insn;
  }
  if (insn.family == Family::Movx) {
    insn.sub = resolved->sub;
    insn.size = resolved->suffix;
    return insn;
  }
  insn.size = TRY(operand_size(insn, resolved->suffix, mode64));
  return insn;
}

// The operand size: the suffix if any, else the register operands', checking that they agree.
base::Result<std::uint8_t, AsmError> operand_size(const XInsn& insn, std::uint8_t suffix, bool mode64) {
  std::uint8_t size = suffix;
  for (std::size_t i = 0; i < insn.operands.size(); ++i) {
    const XOperand& operand = insn.operands[i];
    if (operand.kind != OperandKind::Reg) continue;
    bool shift_count = insn.family == Family::Shift && i == 0 && insn.operands.size() == 2;
    if (shift_count) continue;
    if (size == 0) {
      size = operand.reg.size;
      continue;
    }
    if (operand.reg.size == size) continue;
    if (suffix != 0) {
      return base::fail(error_at(
          insn.line, operand.column,
          fmt::format("incorrect register '{}' used with '{}' suffix", operand.text, size_suffix(suffix))));
    }
    return base::fail(
        error_at(insn.line, operand.column, fmt::format("operand size mismatch for '{}'", insn.mnemonic)));
  }
  bool stack_default = insn.family == Family::Push || insn.family == Family::Pop ||
                       insn.family == Family::Jmp || insn.family == Family::Call ||
                       insn.family == Family::Ret || insn.family == Family::Jcc ||
                       insn.family == Family::Int || insn.family == Family::Setcc;
  if (size == 0 && stack_default) size = insn.family == Family::Setcc ? 1 : (mode64 ? 8 : 4);
  if (insn.family == Family::Setcc && size != 1)
    return base::fail(
        error_at(insn.line, insn.column, fmt::format("operand size mismatch for '{}'", insn.mnemonic)));
  if (size == 0) {
    return base::fail(
        error_at(insn.line, insn.column,
                 fmt::format("no instruction mnemonic suffix given and no register operands; can't size '{}'",
                             insn.mnemonic)));
  }
  return size;
}

bool is_relaxable(const XInsn& insn) {
  return (insn.family == Family::Jmp || insn.family == Family::Jcc) && insn.operands.size() == 1 &&
         insn.operands[0].kind == OperandKind::Target;
}

}  // namespace procsim::machine::assembly::x86asm
