// A64 decoding by encoding class (Arm ARM C4.1): each class is matched by a mask/value row of
// kClasses and decoded by its own small function; unallocated and unmodelled encodings stay
// Op::Illegal.
#include <array>

#include "model/machine/arm64_bitmask.h"
#include "model/machine/arm64_insn.h"

namespace procsim::machine::arm64 {
namespace {

std::uint32_t bits(std::uint32_t word, unsigned high, unsigned low) {
  return (word >> low) & ((1u << (high - low + 1)) - 1);
}
bool bit(std::uint32_t word, unsigned at) { return ((word >> at) & 1) != 0; }
std::uint8_t reg(std::uint32_t word, unsigned low) {
  return static_cast<std::uint8_t>(bits(word, low + 4, low));
}

std::int64_t sign_extend(std::uint64_t value, unsigned width) {
  unsigned shift = 64 - width;
  return static_cast<std::int64_t>(value << shift) >> shift;
}

Insn common(std::uint32_t w) {
  Insn insn;
  insn.rd = reg(w, 0);
  insn.rn = reg(w, 5);
  insn.rm = reg(w, 16);
  insn.sf = bit(w, 31);
  return insn;
}

Insn add_sub_imm(std::uint32_t w, std::uint64_t) {
  Insn insn = common(w);
  if (bit(w, 23)) return Insn{};  // add/sub with tags
  insn.op = Op::AddSubImm;
  insn.negate = bit(w, 30);
  insn.set_flags = bit(w, 29);
  insn.imm = static_cast<std::int64_t>(bits(w, 21, 10)) << (bit(w, 22) ? 12 : 0);
  return insn;
}

Insn logical_imm(std::uint32_t w, std::uint64_t) {
  Insn insn = common(w);
  auto mask = decode_bitmask(bits(w, 22, 22), bits(w, 21, 16), bits(w, 15, 10), insn.sf ? 64 : 32);
  if (!mask) return Insn{};
  insn.op = Op::LogicalImm;
  insn.kind = static_cast<std::uint8_t>(bits(w, 30, 29));
  insn.imm = static_cast<std::int64_t>(*mask);
  return insn;
}

Insn move_wide(std::uint32_t w, std::uint64_t) {
  Insn insn = common(w);
  std::uint32_t opc = bits(w, 30, 29);
  std::uint32_t hw = bits(w, 22, 21);
  if (opc == 1 || (!insn.sf && hw >= 2)) return Insn{};
  insn.op = Op::MoveWide;
  insn.kind = static_cast<std::uint8_t>(opc);
  insn.amount = static_cast<std::uint8_t>(hw * 16);
  insn.imm = bits(w, 20, 5);
  return insn;
}

// Arm ARM DecodeBitMasks with immediate == FALSE: the write mask and the top mask.
bool bitfield_masks(unsigned n, unsigned imms, unsigned immr, unsigned width, std::uint64_t& wmask,
                    std::uint64_t& tmask) {
  unsigned combined = (n << 6) | (~imms & 0x3f);
  if (combined == 0) return false;
  unsigned length = 31 - static_cast<unsigned>(__builtin_clz(combined));
  if (length < 1) return false;
  unsigned esize = 1u << length;
  unsigned levels = esize - 1;
  unsigned s = imms & levels;
  unsigned r = immr & levels;
  unsigned d = (s - r) & levels;
  auto ones = [](unsigned count) {
    return count >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << count) - 1;
  };
  std::uint64_t welem = ones(s + 1);
  std::uint64_t telem = ones(d + 1);
  if (r != 0) welem = ((welem >> r) | (welem << (esize - r))) & ones(esize);
  wmask = 0;
  tmask = 0;
  for (unsigned at = 0; at < width; at += esize) {
    wmask |= welem << at;
    tmask |= telem << at;
  }
  return true;
}

Insn bitfield(std::uint32_t w, std::uint64_t) {
  Insn insn = common(w);
  std::uint32_t opc = bits(w, 30, 29);
  unsigned n = bits(w, 22, 22);
  if (opc == 3 || n != (insn.sf ? 1u : 0u)) return Insn{};
  unsigned immr = bits(w, 21, 16);
  unsigned imms = bits(w, 15, 10);
  unsigned width = insn.sf ? 64 : 32;
  if (!insn.sf && (immr >= 32 || imms >= 32)) return Insn{};
  std::uint64_t wmask = 0;
  std::uint64_t tmask = 0;
  if (!bitfield_masks(n, imms, immr, width, wmask, tmask)) return Insn{};
  insn.op = Op::Bitfield;
  insn.kind = static_cast<std::uint8_t>(opc);
  insn.amount = static_cast<std::uint8_t>(immr);
  insn.size = static_cast<std::uint8_t>(imms);
  insn.imm = static_cast<std::int64_t>(wmask);
  insn.target = tmask;
  return insn;
}

Insn extract(std::uint32_t w, std::uint64_t) {
  Insn insn = common(w);
  unsigned n = bits(w, 22, 22);
  unsigned imms = bits(w, 15, 10);
  if (bits(w, 30, 29) != 0 || bit(w, 21) || n != (insn.sf ? 1u : 0u) || (!insn.sf && imms >= 32))
    return Insn{};
  insn.op = Op::Extract;
  insn.amount = static_cast<std::uint8_t>(imms);
  return insn;
}

Insn adr(std::uint32_t w, std::uint64_t pc) {
  Insn insn = common(w);
  insn.op = Op::Adr;
  std::int64_t offset = sign_extend((bits(w, 23, 5) << 2) | bits(w, 30, 29), 21);
  if (bit(w, 31)) {
    insn.target = (pc & ~std::uint64_t{0xFFF}) + static_cast<std::uint64_t>(offset * 4096);
  } else {
    insn.target = pc + static_cast<std::uint64_t>(offset);
  }
  return insn;
}

Insn branch(std::uint32_t w, std::uint64_t pc) {
  Insn insn;
  insn.op = Op::Branch;
  insn.link = bit(w, 31);
  insn.target = pc + static_cast<std::uint64_t>(sign_extend(bits(w, 25, 0), 26) * 4);
  return insn;
}

Insn branch_cond(std::uint32_t w, std::uint64_t pc) {
  Insn insn;
  insn.op = Op::BranchCond;
  insn.cond = static_cast<std::uint8_t>(bits(w, 3, 0));
  insn.target = pc + static_cast<std::uint64_t>(sign_extend(bits(w, 23, 5), 19) * 4);
  return insn;
}

Insn compare_branch(std::uint32_t w, std::uint64_t pc) {
  Insn insn = common(w);
  insn.op = bit(w, 25) ? Op::TestBranch : Op::CompareBranch;
  insn.negate = bit(w, 24);
  if (insn.op == Op::TestBranch) {
    insn.amount = static_cast<std::uint8_t>((bits(w, 31, 31) << 5) | bits(w, 23, 19));
    insn.target = pc + static_cast<std::uint64_t>(sign_extend(bits(w, 18, 5), 14) * 4);
    insn.sf = true;
  } else {
    insn.target = pc + static_cast<std::uint64_t>(sign_extend(bits(w, 23, 5), 19) * 4);
  }
  return insn;
}

Insn system(std::uint32_t w, std::uint64_t) {
  Insn insn;
  if ((w & 0xFFE0001F) == 0xD4000001) insn.op = Op::Svc;
  if ((w & 0xFFE0001F) == 0xD4200000) insn.op = Op::Brk;
  if ((w & 0xFFFFF01F) == 0xD503201F) insn.op = Op::Nop;  // the hint space: nop, yield, wfe...
  std::uint32_t branch_reg = w & 0xFFFFFC1F;
  if (branch_reg == 0xD61F0000 || branch_reg == 0xD63F0000 || branch_reg == 0xD65F0000) {
    insn.op = Op::BranchReg;
    insn.rn = reg(w, 5);
    insn.link = branch_reg == 0xD63F0000;
  }
  return insn;
}

Insn logical_shift(std::uint32_t w, std::uint64_t) {
  Insn insn = common(w);
  unsigned amount = bits(w, 15, 10);
  if (!insn.sf && amount >= 32) return Insn{};
  insn.op = Op::LogicalShift;
  insn.kind = static_cast<std::uint8_t>(bits(w, 30, 29));
  insn.negate = bit(w, 21);
  insn.cond = static_cast<std::uint8_t>(bits(w, 23, 22));
  insn.amount = static_cast<std::uint8_t>(amount);
  return insn;
}

Insn add_sub_reg(std::uint32_t w, std::uint64_t) {
  Insn insn = common(w);
  insn.negate = bit(w, 30);
  insn.set_flags = bit(w, 29);
  if (bit(w, 21)) {
    if (bits(w, 23, 22) != 0 || bits(w, 12, 10) > 4) return Insn{};
    insn.op = Op::AddSubExtend;
    insn.kind = static_cast<std::uint8_t>(bits(w, 15, 13));
    insn.amount = static_cast<std::uint8_t>(bits(w, 12, 10));
    return insn;
  }
  unsigned amount = bits(w, 15, 10);
  if (bits(w, 23, 22) == 3 || (!insn.sf && amount >= 32)) return Insn{};
  insn.op = Op::AddSubShift;
  insn.kind = static_cast<std::uint8_t>(bits(w, 23, 22));
  insn.amount = static_cast<std::uint8_t>(amount);
  return insn;
}

Insn cond_select(std::uint32_t w, std::uint64_t) {
  Insn insn = common(w);
  if (bit(w, 29) || bits(w, 11, 11) != 0) return Insn{};
  insn.op = Op::CondSelect;
  insn.cond = static_cast<std::uint8_t>(bits(w, 15, 12));
  insn.kind = static_cast<std::uint8_t>((bit(w, 10) ? 1 : 0) | (bit(w, 30) ? 2 : 0));
  return insn;
}

Insn two_source(std::uint32_t w, std::uint64_t) {
  Insn insn = common(w);
  if (bit(w, 29)) return Insn{};
  std::uint32_t opcode = bits(w, 15, 10);
  if (opcode == 2 || opcode == 3) {
    insn.op = Op::Divide;
    insn.sign = opcode == 3;
  } else if (opcode >= 8 && opcode <= 11) {
    insn.op = Op::ShiftVar;
    insn.kind = static_cast<std::uint8_t>(opcode - 8);
  }
  return insn;
}

Insn three_source(std::uint32_t w, std::uint64_t) {
  Insn insn = common(w);
  if (bits(w, 30, 29) != 0 || bits(w, 23, 21) != 0) return Insn{};
  insn.op = Op::MulAdd;
  insn.ra = reg(w, 10);
  insn.negate = bit(w, 15);
  return insn;
}

// size/opc of the single-register load/store classes: false for prefetch and unallocated pairs.
bool load_store_kind(std::uint32_t w, Insn& insn) {
  std::uint32_t size = bits(w, 31, 30);
  std::uint32_t opc = bits(w, 23, 22);
  if (opc >= 2 && (size == 3 || (size == 2 && opc == 3))) return false;
  insn.op = Op::LoadStore;
  insn.size = static_cast<std::uint8_t>(size);
  insn.load = opc != 0;
  insn.sign = opc >= 2;
  insn.to64 = opc == 2 || (size == 3 && opc == 1);
  insn.sf = insn.to64 || (!insn.sign && size == 3);
  return true;
}

Insn load_store(std::uint32_t w, std::uint64_t pc) {
  Insn insn = common(w);
  if (bit(w, 26)) return Insn{};  // SIMD&FP registers
  if ((w & 0x3B000000) == 0x18000000) {
    std::uint32_t opc = bits(w, 31, 30);
    if (opc == 3) return Insn{};
    insn.op = Op::LoadLiteral;
    insn.load = true;
    insn.size = opc == 1 ? 3 : 2;
    insn.sign = opc == 2;
    insn.sf = opc != 0;
    insn.target = pc + static_cast<std::uint64_t>(sign_extend(bits(w, 23, 5), 19) * 4);
    return insn;
  }
  if (!load_store_kind(w, insn)) return Insn{};
  if ((w & 0x3B000000) == 0x39000000) {
    insn.imm = static_cast<std::int64_t>(bits(w, 21, 10)) << insn.size;
    return insn;
  }
  if ((w & 0x3B200C00) == 0x38200800) {
    std::uint32_t option = bits(w, 15, 13);
    if ((option & 2) == 0) return Insn{};
    insn.mode = Mode::Register;
    insn.kind = static_cast<std::uint8_t>(option);
    insn.amount = static_cast<std::uint8_t>(bit(w, 12) ? insn.size : 0);
    return insn;
  }
  if ((w & 0x3B200000) != 0x38000000 || bits(w, 11, 10) == 2) return Insn{};
  insn.imm = sign_extend(bits(w, 20, 12), 9);
  insn.mode = bits(w, 11, 10) == 0 ? Mode::Offset : bits(w, 11, 10) == 1 ? Mode::PostIndex : Mode::PreIndex;
  return insn;
}

Insn load_store_pair(std::uint32_t w, std::uint64_t) {
  Insn insn = common(w);
  std::uint32_t opc = bits(w, 31, 30);
  if (bit(w, 26) || (opc != 0 && opc != 2)) return Insn{};
  insn.op = Op::LoadStorePair;
  insn.rd = reg(w, 0);
  insn.rm = reg(w, 10);  // Rt2
  insn.load = bit(w, 22);
  insn.size = opc == 2 ? 3 : 2;
  insn.sf = opc == 2;
  insn.imm = sign_extend(bits(w, 21, 15), 7) << insn.size;
  std::uint32_t mode = bits(w, 24, 23);
  insn.mode = mode == 1 ? Mode::PostIndex : mode == 3 ? Mode::PreIndex : Mode::Offset;
  return insn;
}

struct ClassRow {
  std::uint32_t mask;
  std::uint32_t value;
  Insn (*decode)(std::uint32_t, std::uint64_t);
};

constexpr std::array kClasses = {
    ClassRow{0x1F000000, 0x10000000, adr},
    ClassRow{0x1F800000, 0x11000000, add_sub_imm},
    ClassRow{0x1F800000, 0x12000000, logical_imm},
    ClassRow{0x1F800000, 0x12800000, move_wide},
    ClassRow{0x1F800000, 0x13000000, bitfield},
    ClassRow{0x1F800000, 0x13800000, extract},
    ClassRow{0x7C000000, 0x14000000, branch},
    ClassRow{0xFF000010, 0x54000000, branch_cond},
    ClassRow{0x7C000000, 0x34000000, compare_branch},
    ClassRow{0xFE000000, 0xD4000000, system},
    ClassRow{0xFE000000, 0xD6000000, system},
    ClassRow{0xFFFFF000, 0xD5032000, system},
    ClassRow{0x1F000000, 0x0A000000, logical_shift},
    ClassRow{0x1F000000, 0x0B000000, add_sub_reg},
    ClassRow{0x1FE00000, 0x1A800000, cond_select},
    ClassRow{0x5FE00000, 0x1AC00000, two_source},
    ClassRow{0x1F000000, 0x1B000000, three_source},
    ClassRow{0x3A000000, 0x28000000, load_store_pair},
    ClassRow{0x3B000000, 0x18000000, load_store},
    ClassRow{0x3A000000, 0x38000000, load_store},
};

}  // namespace

Insn decode(std::uint32_t word, std::uint64_t pc) {
  for (const ClassRow& row : kClasses) {
    if ((word & row.mask) == row.value) return row.decode(word, pc);
  }
  return Insn{};
}

}  // namespace procsim::machine::arm64
