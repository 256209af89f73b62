// arm64 encodings for the subset, choosing forms as GNU as does: scaled unsigned offsets, else
// ldur/stur; add/sub immediates shifted by 12 when that is the only fit; negative add/sub/cmp
// immediates flipped; mov as movz, movn, then orr with a bitmask, or add for sp.
#include <fmt/format.h>

#include "model/machine/arm64_bitmask.h"
#include "model/machine/asm/arm64_asm.h"

namespace procsim::machine::assembly::arm64asm {
namespace {

AsmError error_at(int line, int column, std::string message) {
  return AsmError{line, column, std::move(message)};
}

class Encoder {
 public:
  Encoder(const AInsn& insn, std::uint64_t address, const SymbolTable* symbols)
      : m_insn(insn), m_address(address), m_symbols(symbols) {}

  base::Result<std::uint32_t, AsmError> encode();

 private:
  AsmError error(int column, std::string message) const {
    return error_at(m_insn.line, column, std::move(message));
  }
  AsmError mismatch() const {
    return error(m_insn.column, fmt::format("operand mismatch for '{}'", m_insn.mnemonic));
  }
  std::size_t count() const { return m_insn.operands.size(); }
  const AOperand& op(std::size_t i) const { return m_insn.operands.at(i); }
  bool is_reg(std::size_t i) const { return i < count() && op(i).kind == AKind::Reg; }
  bool is_imm(std::size_t i) const {
    return i < count() && (op(i).kind == AKind::Imm || (op(i).kind == AKind::Target && op(i).known));
  }
  bool is_shift(std::size_t i) const { return i < count() && op(i).kind == AKind::Shift; }

  base::Result<std::int64_t, AsmError> constant(std::size_t i) const {
    if (op(i).known) return *op(i).known;
    return base::fail(error(op(i).column, "immediate must be an absolute constant"));
  }
  base::Result<std::int64_t, AsmError> target(std::size_t i) const {
    if (m_symbols == nullptr) return static_cast<std::int64_t>(m_address);
    return evaluate(op(i).imm, *m_symbols, m_insn.line);
  }
  // A register field: sp and zr are allowed only where the encoding says.
  base::Result<std::uint32_t, AsmError> field(std::size_t i, bool sp_ok, bool zr_ok) const {
    if (!is_reg(i)) return base::fail(mismatch());
    const AReg& reg = op(i).reg;
    if ((reg.is_sp && !sp_ok) || (reg.is_zr && !zr_ok))
      return base::fail(error(op(i).column, fmt::format("operand mismatch for '{}'", m_insn.mnemonic)));
    return reg.number;
  }
  base::Result<bool, AsmError> same_width(std::initializer_list<std::size_t> regs) const {
    bool is64 = op(*regs.begin()).reg.is64;
    for (std::size_t i : regs) {
      if (!is_reg(i)) return base::fail(mismatch());
      if (op(i).reg.is64 != is64) return base::fail(mismatch());
    }
    return is64;
  }

  base::Result<std::uint32_t, AsmError> mov_wide();
  base::Result<std::uint32_t, AsmError> mov();
  base::Result<std::uint32_t, AsmError> add_sub(std::uint8_t variant, std::size_t rd, std::size_t rn,
                                                std::size_t rm, bool rd_is_zr);
  base::Result<std::uint32_t, AsmError> logical(std::uint8_t variant, std::size_t rd, std::size_t rn,
                                                std::size_t rm, bool rd_is_zr);
  base::Result<std::uint32_t, AsmError> shift();
  base::Result<std::uint32_t, AsmError> mul_div();
  base::Result<std::uint32_t, AsmError> branch();
  base::Result<std::uint32_t, AsmError> test_branch();
  base::Result<std::uint32_t, AsmError> load_store();
  base::Result<std::uint32_t, AsmError> load_literal(std::uint32_t rt, bool is64);
  base::Result<std::uint32_t, AsmError> load_store_pair();
  base::Result<std::uint32_t, AsmError> cond_select();
  base::Result<std::uint32_t, AsmError> alias_with_zero(bool logical_form);
  base::Result<std::uint32_t, AsmError> address();

  const AInsn& m_insn;
  std::uint64_t m_address;
  const SymbolTable* m_symbols;
};

std::uint32_t sf(bool is64) { return is64 ? 0x80000000u : 0; }

base::Result<std::uint32_t, AsmError> Encoder::mov_wide() {
  if (count() < 2 || count() > 3 || !is_imm(1)) return base::fail(mismatch());
  std::uint32_t rd = TRY(field(0, false, true));
  bool is64 = op(0).reg.is64;
  std::int64_t value = TRY(constant(1));
  unsigned shift = 0;
  if (count() == 3) {
    if (!is_shift(2) || op(2).shift != ShiftKind::Lsl) return base::fail(mismatch());
    shift = op(2).amount;
  }
  if (shift % 16 != 0 || shift >= (is64 ? 64u : 32u) || value < 0 || value > 0xFFFF)
    return base::fail(error(op(1).column, "immediate out of range"));
  return m_insn.base | sf(is64) | ((shift / 16) << 21) | (static_cast<std::uint32_t>(value) << 5) | rd;
}

// The single-instruction forms of `mov Rd, #imm`, in GNU as's order of preference.
std::optional<std::uint32_t> mov_immediate(std::uint64_t value, bool is64, std::uint32_t rd) {
  unsigned width = is64 ? 64 : 32;
  if (!is64) value &= 0xFFFFFFFF;
  std::uint64_t mask = is64 ? ~std::uint64_t{0} : 0xFFFFFFFF;
  for (unsigned hw = 0; hw < width / 16; ++hw) {
    std::uint64_t chunk = std::uint64_t{0xFFFF} << (16 * hw);
    if ((value & ~chunk) == 0)
      return 0x52800000u | sf(is64) | (hw << 21) | static_cast<std::uint32_t>((value >> (16 * hw)) << 5) | rd;
  }
  for (unsigned hw = 0; hw < width / 16; ++hw) {
    std::uint64_t chunk = std::uint64_t{0xFFFF} << (16 * hw);
    std::uint64_t inverted = ~value & mask;
    if ((inverted & ~chunk) == 0)
      return 0x12800000u | sf(is64) | (hw << 21) | static_cast<std::uint32_t>((inverted >> (16 * hw)) << 5) |
             rd;
  }
  if (auto fields = arm64::encode_bitmask(value, width))
    return 0x32000000u | sf(is64) | *fields | (31u << 5) | rd;
  return std::nullopt;
}

base::Result<std::uint32_t, AsmError> Encoder::mov() {
  if (count() != 2 || !is_reg(0)) return base::fail(mismatch());
  const AReg& rd = op(0).reg;
  if (is_imm(1)) {
    std::int64_t value = TRY(constant(1));
    auto word = mov_immediate(static_cast<std::uint64_t>(value), rd.is64, rd.number);
    if (rd.is_sp) {  // movz/movn cannot write sp; orr with a bitmask can
      auto fields = arm64::encode_bitmask(static_cast<std::uint64_t>(value), rd.is64 ? 64 : 32);
      word = fields ? std::optional<std::uint32_t>(0x32000000u | sf(rd.is64) | *fields | (31u << 5) | 31u)
                    : std::nullopt;
    }
    if (!word)
      return base::fail(
          error(op(1).column, fmt::format("immediate cannot be moved by a single instruction")));
    return *word;
  }
  if (!is_reg(1) || op(1).reg.is64 != rd.is64) return base::fail(mismatch());
  const AReg& rm = op(1).reg;
  if (rd.is_sp || rm.is_sp) return 0x11000000u | sf(rd.is64) | (std::uint32_t{rm.number} << 5) | rd.number;
  return 0x2A0003E0u | sf(rd.is64) | (std::uint32_t{rm.number} << 16) | rd.number;
}

// add/adds/sub/subs (variant bit 1: sub, bit 0: set flags) with an immediate, a shifted
// register, or (when sp is involved) an extended register.
base::Result<std::uint32_t, AsmError> Encoder::add_sub(std::uint8_t variant, std::size_t rd_index,
                                                       std::size_t rn_index, std::size_t rm_index,
                                                       bool rd_is_zr) {
  bool set_flags = (variant & 1) != 0;
  bool subtract = (variant & 2) != 0;
  bool is64 = op(rn_index).reg.is64;
  if (!is_reg(rn_index) || (!rd_is_zr && (!is_reg(rd_index) || op(rd_index).reg.is64 != is64)))
    return base::fail(mismatch());
  bool immediate = is_imm(rm_index) || (rm_index < count() && op(rm_index).kind == AKind::Imm);
  bool uses_sp = op(rn_index).reg.is_sp || (!rd_is_zr && op(rd_index).reg.is_sp);
  // Register 31 as Rd is sp in the immediate and extended forms (zr when setting flags), zr in
  // the shifted-register form.
  bool rd_sp_form = immediate || uses_sp;
  std::uint32_t rd = rd_is_zr ? 31 : TRY(field(rd_index, rd_sp_form && !set_flags, !rd_sp_form || set_flags));
  if (immediate) {
    std::uint32_t rn = TRY(field(rn_index, true, false));
    const AOperand& imm = op(rm_index);
    std::int64_t value = 0;
    if (imm.lo12)
      value = m_symbols == nullptr ? 0 : TRY(target(rm_index)) & 0xFFF;
    else
      value = TRY(constant(rm_index));
    unsigned shift = 0;
    if (is_shift(rm_index + 1)) {
      if (op(rm_index + 1).shift != ShiftKind::Lsl ||
          (op(rm_index + 1).amount != 0 && op(rm_index + 1).amount != 12))
        return base::fail(error(op(rm_index + 1).column, "shift must be lsl #0 or lsl #12"));
      shift = op(rm_index + 1).amount;
    } else if (rm_index + 1 < count()) {
      return base::fail(mismatch());
    }
    if (value < 0 && shift == 0 && !imm.lo12) {
      value = -value;
      subtract = !subtract;
    }
    if (shift == 0 && value > 0xFFF && (value & 0xFFF) == 0 && value <= 0xFFF000) {
      value >>= 12;
      shift = 12;
    }
    if (value < 0 || value > 0xFFF) return base::fail(error(imm.column, "immediate out of range"));
    return 0x11000000u | sf(is64) | (subtract ? 0x40000000u : 0) | (set_flags ? 0x20000000u : 0) |
           (shift == 12 ? 0x400000u : 0) | (static_cast<std::uint32_t>(value) << 10) | (rn << 5) | rd;
  }
  if (!is_reg(rm_index) || op(rm_index).reg.is64 != is64) return base::fail(mismatch());
  std::uint32_t rm = TRY(field(rm_index, false, true));
  std::uint32_t opbits = sf(is64) | (subtract ? 0x40000000u : 0) | (set_flags ? 0x20000000u : 0);
  if (uses_sp) {
    std::uint32_t rn = TRY(field(rn_index, true, false));
    std::uint32_t option = is64 ? 3 : 2;  // uxtx / uxtw, which is lsl #0 with sp
    if (rm_index + 1 < count()) return base::fail(mismatch());
    return 0x0B200000u | opbits | (rm << 16) | (option << 13) | (rn << 5) | rd;
  }
  std::uint32_t rn = TRY(field(rn_index, false, true));
  std::uint32_t shift = 0;
  std::uint32_t amount = 0;
  if (is_shift(rm_index + 1)) {
    if (op(rm_index + 1).shift == ShiftKind::Ror) return base::fail(mismatch());
    shift = static_cast<std::uint32_t>(op(rm_index + 1).shift);
    amount = op(rm_index + 1).amount;
    if (amount >= (is64 ? 64u : 32u))
      return base::fail(error(op(rm_index + 1).column, "shift amount out of range"));
  } else if (rm_index + 1 < count()) {
    return base::fail(mismatch());
  }
  return 0x0B000000u | opbits | (shift << 22) | (rm << 16) | (amount << 10) | (rn << 5) | rd;
}

// Logical operations; variant bits 0-1: and/orr/eor/ands, bit 2: inverted (bic/orn/eon/bics).
base::Result<std::uint32_t, AsmError> Encoder::logical(std::uint8_t variant, std::size_t rd_index,
                                                       std::size_t rn_index, std::size_t rm_index,
                                                       bool rd_is_zr) {
  std::uint32_t opc = variant & 3;
  bool invert = (variant & 4) != 0;
  if (!is_reg(rn_index) || (!rd_is_zr && !is_reg(rd_index))) return base::fail(mismatch());
  bool is64 = op(rn_index).reg.is64;
  if (!rd_is_zr && op(rd_index).reg.is64 != is64) return base::fail(mismatch());
  std::uint32_t rn = TRY(field(rn_index, false, true));
  if (is_imm(rm_index)) {
    if (invert && variant != 4) return base::fail(mismatch());  // only bic has an immediate alias
    std::uint32_t rd = rd_is_zr ? 31 : TRY(field(rd_index, opc != 3, true));
    auto value = static_cast<std::uint64_t>(TRY(constant(rm_index)));
    if (invert) value = ~value;
    auto fields = arm64::encode_bitmask(value, is64 ? 64 : 32);
    if (!fields || rm_index + 1 < count())
      return base::fail(error(op(rm_index).column, "immediate out of range"));
    return 0x12000000u | sf(is64) | (opc << 29) | *fields | (rn << 5) | rd;
  }
  std::uint32_t rd = rd_is_zr ? 31 : TRY(field(rd_index, false, true));
  if (!is_reg(rm_index) || op(rm_index).reg.is64 != is64) return base::fail(mismatch());
  std::uint32_t rm = TRY(field(rm_index, false, true));
  std::uint32_t shift = 0;
  std::uint32_t amount = 0;
  if (is_shift(rm_index + 1)) {
    shift = static_cast<std::uint32_t>(op(rm_index + 1).shift);
    amount = op(rm_index + 1).amount;
    if (amount >= (is64 ? 64u : 32u))
      return base::fail(error(op(rm_index + 1).column, "shift amount out of range"));
  } else if (rm_index + 1 < count()) {
    return base::fail(mismatch());
  }
  return 0x0A000000u | sf(is64) | (opc << 29) | (shift << 22) | (invert ? 0x200000u : 0) | (rm << 16) |
         (amount << 10) | (rn << 5) | rd;
}

base::Result<std::uint32_t, AsmError> Encoder::shift() {
  if (count() != 3) return base::fail(mismatch());
  bool is64 = TRY(same_width({0, 1}));
  std::uint32_t rd = TRY(field(0, false, true));
  std::uint32_t rn = TRY(field(1, false, true));
  unsigned kind = m_insn.variant;
  if (is_reg(2)) {
    if (op(2).reg.is64 != is64) return base::fail(mismatch());
    std::uint32_t rm = TRY(field(2, false, true));
    return 0x1AC02000u | sf(is64) | (kind << 10) | (rm << 16) | (rn << 5) | rd;
  }
  if (!is_imm(2)) return base::fail(mismatch());
  std::int64_t amount = TRY(constant(2));
  unsigned width = is64 ? 64 : 32;
  if (amount < 0 || amount >= width) return base::fail(error(op(2).column, "shift amount out of range"));
  auto s = static_cast<std::uint32_t>(amount);
  std::uint32_t n = is64 ? 0x400000u : 0;
  std::uint32_t regs = (rn << 5) | rd;
  switch (kind) {
    case 0:
      return 0x53000000u | sf(is64) | n | (((width - s) % width) << 16) | ((width - 1 - s) << 10) | regs;
    case 1: return 0x53000000u | sf(is64) | n | (s << 16) | ((width - 1) << 10) | regs;
    case 2: return 0x13000000u | sf(is64) | n | (s << 16) | ((width - 1) << 10) | regs;
    default: return 0x13800000u | sf(is64) | n | (rn << 16) | (s << 10) | regs;  // ror = extr
  }
}

base::Result<std::uint32_t, AsmError> Encoder::mul_div() {
  if (count() != m_insn.variant) return base::fail(mismatch());
  bool is64 = TRY(same_width({0, 1, 2}));
  std::uint32_t rd = TRY(field(0, false, true));
  std::uint32_t rn = TRY(field(1, false, true));
  std::uint32_t rm = TRY(field(2, false, true));
  std::uint32_t ra = 0;
  if (count() == 4) {
    TRY(same_width({0, 3}));
    ra = TRY(field(3, false, true)) << 10;
  }
  return m_insn.base | sf(is64) | (rm << 16) | ra | (rn << 5) | rd;
}

base::Result<std::uint32_t, AsmError> Encoder::branch() {
  if (m_insn.family == AFamily::TestBranch) return test_branch();
  std::size_t label = m_insn.family == AFamily::CompareBranch ? 1 : 0;
  if (count() != label + 1 || op(label).kind != AKind::Target) return base::fail(mismatch());
  std::int64_t offset = TRY(target(label)) - static_cast<std::int64_t>(m_address);
  bool wide = m_insn.family == AFamily::Branch;
  std::int64_t limit = wide ? (std::int64_t{1} << 27) : (std::int64_t{1} << 20);
  if (m_symbols != nullptr && ((offset & 3) != 0 || offset < -limit || offset >= limit))
    return base::fail(error(op(label).column, "branch target out of range"));
  auto scaled = static_cast<std::uint32_t>(offset >> 2);
  if (wide) return m_insn.base | (scaled & 0x3FFFFFF);
  std::uint32_t low = (scaled & 0x7FFFF) << 5;
  if (m_insn.family == AFamily::BranchCond) return m_insn.base | low | m_insn.cond;
  std::uint32_t rt = TRY(field(0, false, true));
  return m_insn.base | sf(op(0).reg.is64) | low | rt;
}

// tbz/tbnz Rt, #bit, label: bit 5 of the bit number goes to bit 31, bits 4-0 to bits 23-19.
base::Result<std::uint32_t, AsmError> Encoder::test_branch() {
  if (count() != 3 || !is_imm(1) || op(2).kind != AKind::Target) return base::fail(mismatch());
  std::uint32_t rt = TRY(field(0, false, true));
  std::int64_t bit = TRY(constant(1));
  if (bit < 0 || bit >= (op(0).reg.is64 ? 64 : 32))
    return base::fail(error(op(1).column, "bit number out of range"));
  std::int64_t offset = TRY(target(2)) - static_cast<std::int64_t>(m_address);
  if (m_symbols != nullptr && ((offset & 3) != 0 || offset < -(1 << 15) || offset >= (1 << 15)))
    return base::fail(error(op(2).column, "branch target out of range"));
  auto b = static_cast<std::uint32_t>(bit);
  return m_insn.base | ((b >> 5) << 31) | ((b & 31) << 19) |
         ((static_cast<std::uint32_t>(offset >> 2) & 0x3FFF) << 5) | rt;
}

base::Result<std::uint32_t, AsmError> Encoder::load_literal(std::uint32_t rt, bool is64) {
  std::int64_t offset = TRY(target(1)) - static_cast<std::int64_t>(m_address);
  if (m_symbols != nullptr && ((offset & 3) != 0 || offset < -(1 << 20) || offset >= (1 << 20)))
    return base::fail(error(op(1).column, "literal out of range"));
  bool ldrsw = (m_insn.variant & 8) != 0;
  std::uint32_t opcode = ldrsw ? 0x98000000u : (is64 ? 0x58000000u : 0x18000000u);
  return opcode | ((static_cast<std::uint32_t>(offset >> 2) & 0x7FFFF) << 5) | rt;
}

base::Result<std::uint32_t, AsmError> Encoder::load_store() {
  std::uint8_t v = m_insn.variant;
  bool load = (v & 1) != 0;
  bool sign = (v & 8) != 0;
  bool unscaled_only = (v & 16) != 0;
  if (count() < 2 || !is_reg(0)) return base::fail(mismatch());
  std::uint32_t rt = TRY(field(0, false, true));
  bool is64 = op(0).reg.is64;
  unsigned size = (v >> 1) & 3;
  if (size == 3)
    size = is64 ? 3 : 2;  // ldr/str: by register width
  else if (!sign && is64)
    return base::fail(mismatch());
  if (sign && size == 2 && !is64) return base::fail(mismatch());
  std::uint32_t opc = load ? (sign ? (is64 ? 2u : 3u) : 1u) : 0u;
  if (op(1).kind == AKind::Target && load && !unscaled_only && count() == 2) return load_literal(rt, is64);
  if (op(1).kind != AKind::Mem) return base::fail(mismatch());
  const AOperand& mem = op(1);
  std::uint32_t rn = mem.base.number;
  std::uint32_t top = (size << 30) | (opc << 22) | (rn << 5) | rt;
  AddressMode mode = mem.mode;
  std::int64_t offset = *mem.known;
  if (count() == 3) {
    if (mode != AddressMode::Offset || mem.has_index || offset != 0 || !is_imm(2))
      return base::fail(mismatch());
    mode = AddressMode::PostIndex;
    offset = TRY(constant(2));
  } else if (count() != 2) {
    return base::fail(mismatch());
  }
  if (mem.has_index) {
    if (mem.index.is_sp || !mem.index.is64 || mode != AddressMode::Offset) return base::fail(mismatch());
    if (mem.index_shifted && mem.index_amount != size && mem.index_amount != 0)
      return base::fail(error(mem.column, "shift amount must be 0 or the access size"));
    // S says the index is scaled; for bytes GNU as sets it whenever `lsl #0` is written.
    std::uint32_t s = mem.index_shifted && mem.index_amount == size ? 1 : 0;
    return 0x38206800u | top | (std::uint32_t{mem.index.number} << 16) | (s << 12);
  }
  bool scaled_fit = !unscaled_only && mode == AddressMode::Offset && offset >= 0 &&
                    (offset & ((1 << size) - 1)) == 0 && (offset >> size) <= 0xFFF;
  if (scaled_fit) return 0x39000000u | top | (static_cast<std::uint32_t>(offset >> size) << 10);
  if (offset < -256 || offset > 255) return base::fail(error(mem.column, "offset out of range"));
  std::uint32_t index_bits = mode == AddressMode::PreIndex    ? 0xC00u
                             : mode == AddressMode::PostIndex ? 0x400u
                                                              : 0u;
  return 0x38000000u | top | index_bits | ((static_cast<std::uint32_t>(offset) & 0x1FF) << 12);
}

base::Result<std::uint32_t, AsmError> Encoder::load_store_pair() {
  if (count() < 3 || count() > 4 || op(2).kind != AKind::Mem || op(2).has_index)
    return base::fail(mismatch());
  bool is64 = TRY(same_width({0, 1}));
  std::uint32_t rt = TRY(field(0, false, true));
  std::uint32_t rt2 = TRY(field(1, false, true));
  const AOperand& mem = op(2);
  AddressMode mode = mem.mode;
  std::int64_t offset = *mem.known;
  if (count() == 4) {
    if (mode != AddressMode::Offset || offset != 0 || !is_imm(3)) return base::fail(mismatch());
    mode = AddressMode::PostIndex;
    offset = TRY(constant(3));
  }
  unsigned scale = is64 ? 3 : 2;
  if ((offset & ((1 << scale) - 1)) != 0 || (offset >> scale) < -64 || (offset >> scale) > 63)
    return base::fail(error(mem.column, "offset out of range"));
  std::uint32_t mode_bits = mode == AddressMode::PostIndex  ? 0x00800000u
                            : mode == AddressMode::PreIndex ? 0x01800000u
                                                            : 0x01000000u;
  return (is64 ? 0x80000000u : 0) | 0x28000000u | mode_bits | (m_insn.variant == 1 ? 0x400000u : 0) |
         ((static_cast<std::uint32_t>(offset >> scale) & 0x7F) << 15) | (rt2 << 10) |
         (std::uint32_t{mem.base.number} << 5) | rt;
}

base::Result<std::uint32_t, AsmError> Encoder::cond_select() {
  if (m_insn.family == AFamily::CondSet) {
    if (count() != 2 || op(1).kind != AKind::Cond) return base::fail(mismatch());
    if (op(1).cond >= 14) return base::fail(error(op(1).column, "condition must not be al or nv"));
    std::uint32_t rd = TRY(field(0, false, true));
    std::uint32_t cond = op(1).cond ^ 1u;
    return m_insn.base | sf(op(0).reg.is64) | (31u << 16) | (cond << 12) | (31u << 5) | rd;
  }
  if (count() != 4 || op(3).kind != AKind::Cond) return base::fail(mismatch());
  bool is64 = TRY(same_width({0, 1, 2}));
  std::uint32_t rd = TRY(field(0, false, true));
  std::uint32_t rn = TRY(field(1, false, true));
  std::uint32_t rm = TRY(field(2, false, true));
  return m_insn.base | sf(is64) | (rm << 16) | (std::uint32_t{op(3).cond} << 12) | (rn << 5) | rd;
}

// neg/negs Rd, Rm{, shift} = sub/subs Rd, zr, Rm; mvn Rd, Rm{, shift} = orn Rd, zr, Rm.
base::Result<std::uint32_t, AsmError> Encoder::alias_with_zero(bool logical_form) {
  if (count() < 2 || count() > 3 || !is_reg(0) || !is_reg(1)) return base::fail(mismatch());
  AInsn copy = m_insn;
  AOperand zero = op(1);
  zero.reg = AReg{31, op(1).reg.is64, false, true};
  copy.operands.insert(copy.operands.begin() + 1, zero);
  Encoder expanded(copy, m_address, m_symbols);
  return logical_form ? expanded.logical(m_insn.variant, 0, 1, 2, false)
                      : expanded.add_sub(m_insn.variant, 0, 1, 2, false);
}

// adr: a byte offset; adrp: a page offset.
base::Result<std::uint32_t, AsmError> Encoder::address() {
  if (count() != 2 || !is_reg(0) || !op(0).reg.is64 || op(1).kind != AKind::Target)
    return base::fail(mismatch());
  std::uint32_t rd = TRY(field(0, false, true));
  std::int64_t destination = TRY(target(1));
  std::int64_t offset =
      m_insn.variant == 1
          ? ((destination & ~std::int64_t{0xFFF}) - static_cast<std::int64_t>(m_address & ~0xFFFull)) >> 12
          : destination - static_cast<std::int64_t>(m_address);
  if (m_symbols != nullptr && (offset < -(1 << 20) || offset >= (1 << 20)))
    return base::fail(error(op(1).column, "address out of range"));
  auto imm = static_cast<std::uint32_t>(offset);
  return m_insn.base | ((imm & 3) << 29) | (((imm >> 2) & 0x7FFFF) << 5) | rd;
}

base::Result<std::uint32_t, AsmError> Encoder::encode() {
  switch (m_insn.family) {
    case AFamily::MovWide: return mov_wide();
    case AFamily::Mov: return mov();
    case AFamily::AddSub:
      if (count() < 3 || count() > 4) return base::fail(mismatch());
      return add_sub(m_insn.variant, 0, 1, 2, false);
    case AFamily::Compare:
      if (count() < 2 || count() > 3) return base::fail(mismatch());
      return add_sub(m_insn.variant, 0, 0, 1, true);
    case AFamily::Negate: return alias_with_zero(false);
    case AFamily::Logical:
      if (count() < 3 || count() > 4) return base::fail(mismatch());
      return logical(m_insn.variant, 0, 1, 2, false);
    case AFamily::Test:
      if (count() < 2 || count() > 3) return base::fail(mismatch());
      return logical(m_insn.variant, 0, 0, 1, true);
    case AFamily::Mvn: return alias_with_zero(true);
    case AFamily::Shift: return shift();
    case AFamily::MulDiv: return mul_div();
    case AFamily::Branch:
    case AFamily::BranchCond:
    case AFamily::CompareBranch:
    case AFamily::TestBranch: return branch();
    case AFamily::BranchReg: {
      if (count() == 0 && m_insn.variant == 1) return m_insn.base | (30u << 5);
      if (count() != 1 || !is_reg(0) || !op(0).reg.is64) return base::fail(mismatch());
      return m_insn.base | (TRY(field(0, false, true)) << 5);
    }
    case AFamily::LoadStore: return load_store();
    case AFamily::LoadStorePair: return load_store_pair();
    case AFamily::Adr: return address();
    case AFamily::Fixed:
      if (count() != 0) return base::fail(mismatch());
      return m_insn.base;
    case AFamily::Exception: {
      if (count() != 1 || !is_imm(0)) return base::fail(mismatch());
      std::int64_t value = TRY(constant(0));
      if (value < 0 || value > 0xFFFF) return base::fail(error(op(0).column, "immediate out of range"));
      return m_insn.base | (static_cast<std::uint32_t>(value) << 5);
    }
    case AFamily::CondSelect:
    case AFamily::CondSet: return cond_select();
  }
  PROCSIM_UNREACHABLE();
}

class Arm64InstructionSet final : public InstructionSet {
 public:
  const Dialect& dialect() const override { return m_dialect; }

  base::Result<std::size_t, AsmError> parse(const Statement& statement, const SymbolTable& symbols) override {
    AInsn insn = TRY(parse_arm64(statement, symbols));
    TRY(encode_arm64(insn, 0, nullptr));  // operand errors are reported where the statement is read
    m_insns.push_back(std::move(insn));
    return m_insns.size() - 1;
  }

  std::size_t size(std::size_t, std::uint64_t, const AddressEstimate&, bool) override { return 4; }

  base::Result<void, AsmError> encode(std::size_t id, std::uint64_t address, const SymbolTable& symbols,
                                      base::Bytes& out) const override {
    std::uint32_t word = TRY(encode_arm64(m_insns.at(id), address, &symbols));
    for (unsigned i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(word >> (8 * i)));
    return {};
  }

  // GNU as fills code alignment with zero bytes up to a word boundary, then nop words.
  void pad_text(std::size_t count, base::Bytes& out) const override {
    out.insert(out.end(), count % 4, 0);
    for (std::size_t i = 0; i < count / 4; ++i) out.insert(out.end(), {0x1f, 0x20, 0x03, 0xd5});
  }

 private:
  Dialect m_dialect{CommentSyntax{false, true, true}, true, 4, false};
  std::vector<AInsn> m_insns;
};

}  // namespace

base::Result<std::uint32_t, AsmError> encode_arm64(const AInsn& insn, std::uint64_t address,
                                                   const SymbolTable* symbols) {
  Encoder encoder(insn, address, symbols);
  return encoder.encode();
}

}  // namespace procsim::machine::assembly::arm64asm

namespace procsim::machine::assembly {

std::unique_ptr<InstructionSet> make_arm64_assembler() {
  return std::make_unique<arm64asm::Arm64InstructionSet>();
}

}  // namespace procsim::machine::assembly
