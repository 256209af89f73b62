// x86 instruction encoding as GNU as does it: 66/REX prefixes, opcode, ModRM/SIB with the
// shortest displacement a known constant allows (disp32 for symbols), the accumulator and
// sign-extended imm8 forms where the value is known, rel8/rel32 branches, and in 32-bit mode
// the moffs forms of mov for the accumulator and an absolute address.
#include <fmt/format.h>

#include "model/machine/asm/x86_asm.h"

namespace procsim::machine::assembly::x86asm {
namespace {

AsmError error_at(int line, int column, std::string message) {
  return AsmError{line, column, std::move(message)};
}

bool fits_int8(std::int64_t value) { return value >= -128 && value <= 127; }
bool fits_int32(std::int64_t value) { return value >= INT32_MIN && value <= INT32_MAX; }

// The value as the low `size` bytes sign-extended.
std::int64_t as_signed(std::int64_t value, unsigned size) {
  if (size >= 8) return value;
  unsigned shift = 64 - 8 * size;
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(value) << shift) >> shift;
}

// Whether GNU as picks a sign-extended imm8 form: the value must be representable in the
// operand (signed or unsigned) and equal the sign extension of its low byte. Out-of-range
// values are truncated into the full-size form instead.
bool takes_imm8(std::int64_t value, unsigned size) {
  bool in_range = size == 2   ? value >= -32768 && value <= 65535
                  : size == 4 ? value >= INT32_MIN && value <= static_cast<std::int64_t>(UINT32_MAX)
                              : fits_int32(value);
  return in_range && fits_int8(as_signed(value, size));
}

struct Rm {
  bool is_reg = true;
  Reg reg;
  const MemRef* mem = nullptr;
};

// Everything an instruction's bytes are made from.
struct Encoding {
  bool opsize16 = false;
  bool rex_w = false;
  std::vector<std::uint8_t> opcode;
  bool has_opcode_reg = false;  // +r in the last opcode byte
  Reg opcode_reg;
  bool has_modrm = false;
  std::uint8_t digit = 0;  // ModRM.reg when it is an opcode extension
  bool reg_is_register = false;
  Reg reg;
  Rm rm;
  unsigned imm_size = 0;
  std::int64_t imm = 0;
  unsigned moffs_size = 0;  // A0-A3: absolute address bytes
  std::int64_t moffs = 0;
};

Encoding opcode_only(std::uint8_t opcode) {
  Encoding e;
  e.opcode = {opcode};
  return e;
}

class Encoder {
 public:
  Encoder(const XInsn& insn, std::uint64_t address, const SymbolTable* symbols, bool mode64, base::Bytes& out)
      : m_insn(insn), m_address(address), m_symbols(symbols), m_mode64(mode64), m_out(out) {}

  base::Result<void, AsmError> encode();

 private:
  AsmError error(int column, std::string message) const {
    return error_at(m_insn.line, column, std::move(message));
  }
  AsmError mismatch() const {
    return error(m_insn.column, fmt::format("operand type mismatch for '{}'", m_insn.mnemonic));
  }
  const XOperand& operand(std::size_t i) const { return m_insn.operands.at(i); }
  std::size_t count() const { return m_insn.operands.size(); }
  bool is(std::size_t i, OperandKind kind) const { return m_insn.operands.at(i).kind == kind; }
  bool is_rm(std::size_t i) const { return is(i, OperandKind::Reg) || is(i, OperandKind::Mem); }
  Rm rm_of(std::size_t i) const {
    const XOperand& o = operand(i);
    return o.kind == OperandKind::Reg ? Rm{true, o.reg, nullptr} : Rm{false, {}, &o.mem};
  }
  base::Result<std::int64_t, AsmError> value(const Expr& expr,
                                             const std::optional<std::int64_t>& known) const {
    if (known) return *known;
    if (m_symbols == nullptr) return 0;
    return evaluate(expr, *m_symbols, m_insn.line);
  }
  base::Result<std::int64_t, AsmError> checked_imm(std::size_t i, unsigned size) const;
  Encoding sized(std::uint8_t size_opcode_byte, std::uint8_t full_opcode) const;

  base::Result<void, AsmError> alu();
  base::Result<void, AsmError> test();
  base::Result<void, AsmError> mov();
  base::Result<void, AsmError> unary();
  base::Result<void, AsmError> shift();
  base::Result<void, AsmError> imul();
  base::Result<void, AsmError> stack();
  base::Result<void, AsmError> branch();
  base::Result<void, AsmError> simple();
  base::Result<void, AsmError> xchg();
  base::Result<void, AsmError> emit(const Encoding& e);
  base::Result<void, AsmError> emit_memory(const Encoding& e, std::uint8_t reg_field,
                                           std::size_t length_so_far);

  const XInsn& m_insn;
  std::uint64_t m_address;
  const SymbolTable* m_symbols;
  bool m_mode64;
  base::Bytes& m_out;
};

// An encoding with the operand size applied: 66 for 16-bit, REX.W for 64-bit, and the
// byte-sized opcode when the size is 1.
Encoding Encoder::sized(std::uint8_t byte_opcode, std::uint8_t full_opcode) const {
  Encoding e;
  e.opsize16 = m_insn.size == 2;
  e.rex_w = m_insn.size == 8;
  e.opcode = {m_insn.size == 1 ? byte_opcode : full_opcode};
  return e;
}

base::Result<std::int64_t, AsmError> Encoder::checked_imm(std::size_t i, unsigned size) const {
  const XOperand& o = operand(i);
  std::int64_t v = TRY(value(o.imm, o.imm_known));
  if (m_symbols == nullptr) return v;
  // Like GNU as, narrower immediates are truncated to the operand; a 64-bit operation takes a
  // sign-extended 32-bit immediate, so anything else is an error there.
  if (size == 8 && !fits_int32(v))
    return base::fail(
        error(o.column, fmt::format("immediate {:#x} does not fit a sign-extended 32-bit field", v)));
  return v;
}

base::Result<void, AsmError> Encoder::alu() {
  std::uint8_t kind = m_insn.sub;
  if (count() != 2 || !is_rm(1)) return base::fail(mismatch());
  if (is(0, OperandKind::Imm)) {
    std::int64_t v = TRY(checked_imm(0, m_insn.size));
    const auto& known = operand(0).imm_known;
    bool acc = is(1, OperandKind::Reg) && operand(1).reg.number == 0;
    Encoding e = sized(0x80, 0x81);
    e.has_modrm = true;
    e.digit = kind;
    e.rm = rm_of(1);
    e.imm = v;
    e.imm_size = m_insn.size == 1 ? 1 : m_insn.size == 2 ? 2 : 4;
    if (m_insn.size != 1 && known && takes_imm8(*known, m_insn.size)) {
      e.opcode = {0x83};
      e.imm_size = 1;
    } else if (acc) {
      e.has_modrm = false;
      e.opcode = {static_cast<std::uint8_t>(kind * 8 + (m_insn.size == 1 ? 4 : 5))};
    }
    return emit(e);
  }
  if (!is(0, OperandKind::Reg) && !is(1, OperandKind::Reg)) return base::fail(mismatch());
  bool store = is(0, OperandKind::Reg);  // register source: r/m is the destination
  auto base = static_cast<std::uint8_t>(kind * 8 + (store ? 0 : 2));
  Encoding e = sized(base, static_cast<std::uint8_t>(base + 1));
  e.has_modrm = true;
  e.reg_is_register = true;
  e.reg = store ? operand(0).reg : operand(1).reg;
  e.rm = store ? rm_of(1) : rm_of(0);
  return emit(e);
}

base::Result<void, AsmError> Encoder::test() {
  if (count() != 2 || !is_rm(1)) return base::fail(mismatch());
  if (is(0, OperandKind::Imm)) {
    Encoding e = sized(0xF6, 0xF7);
    e.imm = TRY(checked_imm(0, m_insn.size));
    e.imm_size = m_insn.size == 1 ? 1 : m_insn.size == 2 ? 2 : 4;
    if (is(1, OperandKind::Reg) && operand(1).reg.number == 0) {
      e.opcode = {static_cast<std::uint8_t>(m_insn.size == 1 ? 0xA8 : 0xA9)};
      return emit(e);
    }
    e.has_modrm = true;
    e.rm = rm_of(1);
    return emit(e);
  }
  if (!is_rm(0) || (!is(0, OperandKind::Reg) && !is(1, OperandKind::Reg))) return base::fail(mismatch());
  bool first_is_reg = is(0, OperandKind::Reg);
  Encoding e = sized(0x84, 0x85);
  e.has_modrm = true;
  e.reg_is_register = true;
  e.reg = first_is_reg ? operand(0).reg : operand(1).reg;
  e.rm = first_is_reg ? rm_of(1) : rm_of(0);
  return emit(e);
}

base::Result<void, AsmError> Encoder::mov() {
  if (count() != 2 || !is_rm(1)) return base::fail(mismatch());
  std::uint8_t size = m_insn.size;
  if (m_insn.family == Family::Movabs) {
    if (!is(0, OperandKind::Imm) || !is(1, OperandKind::Reg) || size != 8) return base::fail(mismatch());
    Encoding e = sized(0xB0, 0xB8);
    e.has_opcode_reg = true;
    e.opcode_reg = operand(1).reg;
    e.imm = TRY(value(operand(0).imm, operand(0).imm_known));
    e.imm_size = 8;
    return emit(e);
  }
  if (is(0, OperandKind::Imm)) {
    const auto& known = operand(0).imm_known;
    bool to_reg = is(1, OperandKind::Reg);
    if (to_reg && (size != 8 || (known && !fits_int32(*known)))) {
      Encoding e = sized(0xB0, 0xB8);
      e.has_opcode_reg = true;
      e.opcode_reg = operand(1).reg;
      e.imm = TRY(value(operand(0).imm, known));
      if (size != 8) e.imm = TRY(checked_imm(0, size));
      e.imm_size = size;
      return emit(e);
    }
    Encoding e = sized(0xC6, 0xC7);
    e.has_modrm = true;
    e.rm = rm_of(1);
    e.imm = TRY(checked_imm(0, size));
    e.imm_size = size == 1 ? 1 : size == 2 ? 2 : 4;
    return emit(e);
  }
  if (!is_rm(0) || (!is(0, OperandKind::Reg) && !is(1, OperandKind::Reg))) return base::fail(mismatch());
  bool store = is(0, OperandKind::Reg);
  const XOperand& memory = store ? operand(1) : operand(0);
  const XOperand& reg = store ? operand(0) : operand(1);
  bool absolute = memory.kind == OperandKind::Mem && !memory.mem.has_base && !memory.mem.has_index;
  if (!m_mode64 && absolute && reg.reg.number == 0) {
    Encoding e = sized(store ? 0xA2 : 0xA0, store ? 0xA3 : 0xA1);
    e.moffs_size = 4;
    e.moffs = TRY(value(memory.mem.disp, memory.mem.disp_known));
    return emit(e);
  }
  Encoding e = sized(store ? 0x88 : 0x8A, store ? 0x89 : 0x8B);
  e.has_modrm = true;
  e.reg_is_register = true;
  e.reg = reg.reg;
  e.rm = store ? rm_of(1) : rm_of(0);
  return emit(e);
}

base::Result<void, AsmError> Encoder::unary() {
  if (count() != 1 || !is_rm(0)) return base::fail(mismatch());
  std::uint8_t kind = m_insn.sub;
  bool incdec = kind <= 1;
  if (!m_mode64 && incdec && is(0, OperandKind::Reg) && m_insn.size != 1) {
    Encoding e;
    e.opsize16 = m_insn.size == 2;
    e.opcode = {static_cast<std::uint8_t>(kind == 0 ? 0x40 : 0x48)};
    e.has_opcode_reg = true;
    e.opcode_reg = operand(0).reg;
    return emit(e);
  }
  Encoding e = incdec ? sized(0xFE, 0xFF) : sized(0xF6, 0xF7);
  e.has_modrm = true;
  e.digit = kind;  // inc /0, dec /1, not /2, neg /3
  e.rm = rm_of(0);
  return emit(e);
}

base::Result<void, AsmError> Encoder::shift() {
  std::size_t target = count() - 1;
  if (count() < 1 || count() > 2 || !is_rm(target)) return base::fail(mismatch());
  Encoding e = sized(0xD0, 0xD1);
  e.has_modrm = true;
  e.digit = m_insn.sub;
  e.rm = rm_of(target);
  if (count() == 1) return emit(e);
  const XOperand& amount = operand(0);
  if (amount.kind == OperandKind::Reg) {
    if (amount.reg.number != 1 || amount.reg.size != 1) return base::fail(mismatch());
    e.opcode = {static_cast<std::uint8_t>(m_insn.size == 1 ? 0xD2 : 0xD3)};
    return emit(e);
  }
  if (amount.kind != OperandKind::Imm) return base::fail(mismatch());
  if (amount.imm_known && *amount.imm_known == 1) return emit(e);
  e.opcode = {static_cast<std::uint8_t>(m_insn.size == 1 ? 0xC0 : 0xC1)};
  e.imm = TRY(checked_imm(0, 1));
  e.imm_size = 1;
  return emit(e);
}

base::Result<void, AsmError> Encoder::imul() {
  if (m_insn.size == 1 || count() < 2 || count() > 3) return base::fail(mismatch());
  std::size_t last = count() - 1;
  if (!is(last, OperandKind::Reg)) return base::fail(mismatch());
  Encoding e = sized(0, 0);
  e.has_modrm = true;
  e.reg_is_register = true;
  e.reg = operand(last).reg;
  if (!is(0, OperandKind::Imm)) {
    if (count() != 2 || !is_rm(0)) return base::fail(mismatch());
    e.opcode = {0x0F, 0xAF};
    e.rm = rm_of(0);
    return emit(e);
  }
  std::size_t source = count() == 3 ? 1 : last;
  if (!is_rm(source)) return base::fail(mismatch());
  e.rm = rm_of(source);
  e.imm = TRY(checked_imm(0, m_insn.size));
  const auto& known = operand(0).imm_known;
  bool short_imm = known && takes_imm8(*known, m_insn.size);
  e.opcode = {static_cast<std::uint8_t>(short_imm ? 0x6B : 0x69)};
  e.imm_size = short_imm ? 1 : m_insn.size == 2 ? 2 : 4;
  return emit(e);
}

base::Result<void, AsmError> Encoder::stack() {
  bool push = m_insn.family == Family::Push;
  std::uint8_t stack_size = m_mode64 ? 8 : 4;
  if (count() != 1 || (m_insn.size != stack_size && m_insn.size != 2)) return base::fail(mismatch());
  Encoding e;
  e.opsize16 = m_insn.size == 2;
  if (is(0, OperandKind::Reg)) {
    e.opcode = {static_cast<std::uint8_t>(push ? 0x50 : 0x58)};
    e.has_opcode_reg = true;
    e.opcode_reg = operand(0).reg;
    return emit(e);
  }
  if (is(0, OperandKind::Mem)) {
    e.opcode = {static_cast<std::uint8_t>(push ? 0xFF : 0x8F)};
    e.has_modrm = true;
    e.digit = push ? 6 : 0;
    e.rm = rm_of(0);
    return emit(e);
  }
  if (!push || !is(0, OperandKind::Imm)) return base::fail(mismatch());
  const auto& known = operand(0).imm_known;
  bool short_imm = known && takes_imm8(*known, m_insn.size);
  e.opcode = {static_cast<std::uint8_t>(short_imm ? 0x6A : 0x68)};
  e.imm = TRY(checked_imm(0, m_insn.size));
  e.imm_size = short_imm ? 1 : (m_insn.size == 2 ? 2 : 4);
  return emit(e);
}

base::Result<void, AsmError> Encoder::branch() {
  if (count() != 1) return base::fail(mismatch());
  const XOperand& target = operand(0);
  Family family = m_insn.family;
  if (target.indirect) {
    if (family == Family::Jcc || !is_rm(0)) return base::fail(mismatch());
    if (target.kind == OperandKind::Reg && target.reg.size != (m_mode64 ? 8 : 4))
      return base::fail(mismatch());
    Encoding e;
    e.opcode = {0xFF};
    e.has_modrm = true;
    e.digit = family == Family::Call ? 2 : 4;
    e.rm = rm_of(0);
    return emit(e);
  }
  if (target.kind != OperandKind::Target) return base::fail(mismatch());
  bool is_long = family == Family::Call || m_insn.long_form;
  std::size_t length = family == Family::Jcc ? (is_long ? 6 : 2) : (is_long ? 5 : 2);
  std::int64_t destination = TRY(value(target.imm, std::nullopt));
  std::int64_t displacement = destination - static_cast<std::int64_t>(m_address + length);
  if (!m_mode64) displacement = as_signed(displacement, 4);
  if (m_symbols != nullptr && is_long && !fits_int32(displacement))
    return base::fail(error(target.column, "branch target out of range"));
  if (m_symbols != nullptr && !is_long && !fits_int8(displacement))
    return base::fail(error(target.column, "branch target out of range"));
  std::uint8_t cc = m_insn.sub;
  if (family == Family::Call) m_out.push_back(0xE8);
  if (family == Family::Jmp) m_out.push_back(is_long ? 0xE9 : 0xEB);
  if (family == Family::Jcc && is_long)
    m_out.insert(m_out.end(), {0x0F, static_cast<std::uint8_t>(0x80 + cc)});
  if (family == Family::Jcc && !is_long) m_out.push_back(static_cast<std::uint8_t>(0x70 + cc));
  for (unsigned i = 0; i < (is_long ? 4u : 1u); ++i)
    m_out.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(displacement) >> (8 * i)));
  return {};
}

// ret, int, setcc, cmov, lea, movz/movs.
base::Result<void, AsmError> Encoder::simple() {
  Encoding e;
  switch (m_insn.family) {
    case Family::Ret:
      if (count() == 0) return emit(opcode_only(0xC3));
      if (count() != 1 || !is(0, OperandKind::Imm)) return base::fail(mismatch());
      e.opcode = {0xC2};
      e.imm = TRY(checked_imm(0, 2));
      e.imm_size = 2;
      return emit(e);
    case Family::Int: {
      if (count() != 1 || !is(0, OperandKind::Imm)) return base::fail(mismatch());
      std::int64_t vector = TRY(checked_imm(0, 1));
      if (m_symbols != nullptr && (vector < 0 || vector > 255))
        return base::fail(
            error(operand(0).column, fmt::format("operand size mismatch for '{}'", m_insn.mnemonic)));
      if (operand(0).imm_known && *operand(0).imm_known == 3) return emit(opcode_only(0xCC));
      e.opcode = {0xCD};
      e.imm = vector;
      e.imm_size = 1;
      return emit(e);
    }
    case Family::Setcc:
      if (count() != 1 || !is_rm(0)) return base::fail(mismatch());
      e.opcode = {0x0F, static_cast<std::uint8_t>(0x90 + m_insn.sub)};
      e.has_modrm = true;
      e.rm = rm_of(0);
      return emit(e);
    case Family::Cmov:
    case Family::Lea:
    case Family::Movx: {
      if (count() != 2 || !is(1, OperandKind::Reg) || !is_rm(0) || m_insn.size == 1)
        return base::fail(mismatch());
      if (m_insn.family == Family::Lea && !is(0, OperandKind::Mem)) return base::fail(mismatch());
      e = sized(0, 0);
      e.has_modrm = true;
      e.reg_is_register = true;
      e.reg = operand(1).reg;
      e.rm = rm_of(0);
      if (m_insn.family == Family::Cmov) e.opcode = {0x0F, static_cast<std::uint8_t>(0x40 + m_insn.sub)};
      if (m_insn.family == Family::Lea) e.opcode = {0x8D};
      if (m_insn.family == Family::Movx) {
        if (operand(1).reg.size != m_insn.size ||
            (is(0, OperandKind::Reg) && operand(0).reg.size != m_insn.sub))
          return base::fail(mismatch());
        std::uint8_t second =
            static_cast<std::uint8_t>((m_insn.sign_extend ? 0xBE : 0xB6) + (m_insn.sub == 2 ? 1 : 0));
        e.opcode =
            m_insn.sub == 4 ? std::vector<std::uint8_t>{0x63} : std::vector<std::uint8_t>{0x0F, second};
      }
      return emit(e);
    }
    default: break;
  }
  PROCSIM_UNREACHABLE();
}

base::Result<void, AsmError> Encoder::xchg() {
  if (count() != 2 || !is_rm(0) || !is_rm(1)) return base::fail(mismatch());
  if (!is(0, OperandKind::Reg) && !is(1, OperandKind::Reg)) return base::fail(mismatch());
  bool both_regs = is(0, OperandKind::Reg) && is(1, OperandKind::Reg);
  if (both_regs && m_insn.size != 1) {
    bool first_acc = operand(0).reg.number == 0;
    bool second_acc = operand(1).reg.number == 0;
    bool keep_nop_meaning = first_acc && second_acc && m_mode64 && m_insn.size == 4;
    if ((first_acc || second_acc) && !keep_nop_meaning) {
      Encoding e = sized(0x90, 0x90);
      e.rex_w = e.rex_w && !(first_acc && second_acc);  // xchg %rax,%rax is plain nop
      e.has_opcode_reg = true;
      e.opcode_reg = first_acc ? operand(1).reg : operand(0).reg;
      return emit(e);
    }
  }
  Encoding e = sized(0x86, 0x87);
  e.has_modrm = true;
  e.reg_is_register = true;
  bool first_is_reg = is(0, OperandKind::Reg);
  e.reg = first_is_reg ? operand(0).reg : operand(1).reg;
  e.rm = first_is_reg ? rm_of(1) : rm_of(0);
  return emit(e);
}

std::uint8_t low3(const Reg& reg) {
  return static_cast<std::uint8_t>(reg.number >= 16 ? reg.number - 16 + 4 : reg.number & 7);
}

base::Result<void, AsmError> Encoder::emit(const Encoding& e) {
  bool rex_r = e.reg_is_register && e.reg.number >= 8 && e.reg.number < 16;
  bool rex_b = (e.has_opcode_reg && e.opcode_reg.number >= 8 && e.opcode_reg.number < 16) ||
               (e.has_modrm && e.rm.is_reg && e.rm.reg.number >= 8 && e.rm.reg.number < 16) ||
               (e.has_modrm && !e.rm.is_reg && e.rm.mem->has_base && e.rm.mem->base.number >= 8);
  bool rex_x = e.has_modrm && !e.rm.is_reg && e.rm.mem->has_index && e.rm.mem->index.number >= 8;
  bool force = (e.reg_is_register && e.reg.needs_rex) || (e.has_opcode_reg && e.opcode_reg.needs_rex) ||
               (e.has_modrm && e.rm.is_reg && e.rm.reg.needs_rex);
  bool rex = e.rex_w || rex_r || rex_b || rex_x || force;
  for (const XOperand& o : m_insn.operands) {
    if (rex && o.kind == OperandKind::Reg && o.reg.number >= 16) {
      return base::fail(
          error(o.column,
                fmt::format("can't encode register '{}' in an instruction requiring REX prefix", o.text)));
    }
  }
  std::size_t start = m_out.size();
  if (e.opsize16) m_out.push_back(0x66);
  if (rex)
    m_out.push_back(static_cast<std::uint8_t>(0x40 | (e.rex_w ? 8 : 0) | (rex_r ? 4 : 0) | (rex_x ? 2 : 0) |
                                              (rex_b ? 1 : 0)));
  m_out.insert(m_out.end(), e.opcode.begin(), e.opcode.end());
  if (e.has_opcode_reg) m_out.back() = static_cast<std::uint8_t>(m_out.back() + low3(e.opcode_reg));
  if (e.has_modrm) {
    std::uint8_t reg_field = e.reg_is_register ? low3(e.reg) : e.digit;
    if (e.rm.is_reg) {
      m_out.push_back(static_cast<std::uint8_t>(0xC0 | (reg_field << 3) | low3(e.rm.reg)));
    } else {
      TRY(emit_memory(e, reg_field, m_out.size() - start));
    }
  }
  for (unsigned i = 0; i < e.moffs_size; ++i)
    m_out.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(e.moffs) >> (8 * i)));
  for (unsigned i = 0; i < e.imm_size; ++i)
    m_out.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(e.imm) >> (8 * i)));
  return {};
}

base::Result<void, AsmError> Encoder::emit_memory(const Encoding& e, std::uint8_t reg_field,
                                                  std::size_t length_so_far) {
  const MemRef& mem = *e.rm.mem;
  std::int64_t disp = TRY(value(mem.disp, mem.disp_known));
  auto modrm = [&](unsigned mod, unsigned rm) {
    m_out.push_back(static_cast<std::uint8_t>((mod << 6) | (unsigned{reg_field} << 3) | rm));
  };
  auto sib = [&](unsigned index, unsigned base) {
    m_out.push_back(static_cast<std::uint8_t>((unsigned{mem.scale_shift} << 6) | (index << 3) | base));
  };
  unsigned disp_size = 4;
  if (mem.rip_relative) {
    // `label(%rip)` names the target; a plain number is the displacement itself.
    modrm(0, 5);
    std::uint64_t next = m_address + length_so_far + 1 + 4 + e.imm_size;
    if (!mem.disp.is_constant()) disp -= static_cast<std::int64_t>(next);
  } else if (!mem.has_base) {
    unsigned index = mem.has_index ? low3(mem.index) : 4;
    if (m_mode64 || mem.has_index) {
      modrm(0, 4);
      sib(index, 5);
    } else {
      modrm(0, 5);
    }
  } else {
    unsigned base = low3(mem.base);
    bool known = mem.disp_known.has_value();
    unsigned mod = known && disp == 0 && base != 5 ? 0 : known && fits_int8(disp) ? 1 : 2;
    disp_size = mod == 0 ? 0 : mod == 1 ? 1 : 4;
    bool needs_sib = mem.has_index || base == 4;
    modrm(mod, needs_sib ? 4 : base);
    if (needs_sib) sib(mem.has_index ? low3(mem.index) : 4, base);
  }
  if (m_symbols != nullptr && disp_size == 4) {
    bool ok =
        m_mode64 ? fits_int32(disp) : (disp >= INT32_MIN && disp <= static_cast<std::int64_t>(UINT32_MAX));
    if (!ok) return base::fail(error(m_insn.column, fmt::format("displacement {:#x} out of range", disp)));
  }
  for (unsigned i = 0; i < disp_size; ++i)
    m_out.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(disp) >> (8 * i)));
  return {};
}

base::Result<void, AsmError> Encoder::encode() {
  switch (m_insn.family) {
    case Family::Fixed: m_out.insert(m_out.end(), m_insn.fixed.begin(), m_insn.fixed.end()); return {};
    case Family::Alu: return alu();
    case Family::Test: return test();
    case Family::Mov:
    case Family::Movabs: return mov();
    case Family::Unary: return unary();
    case Family::Shift: return shift();
    case Family::Imul: return imul();
    case Family::Push:
    case Family::Pop: return stack();
    case Family::Jmp:
    case Family::Jcc:
    case Family::Call: return branch();
    case Family::Xchg: return xchg();
    case Family::Ret:
    case Family::Int:
    case Family::Setcc:
    case Family::Cmov:
    case Family::Lea:
    case Family::Movx: return simple();
  }
  PROCSIM_UNREACHABLE();
}

}  // namespace

base::Result<void, AsmError> encode_instruction(const XInsn& insn, std::uint64_t address,
                                                const SymbolTable* symbols, bool mode64, base::Bytes& out) {
  Encoder encoder(insn, address, symbols, mode64, out);
  return encoder.encode();
}

}  // namespace procsim::machine::assembly::x86asm
