// x86 decoder: prefixes (66, REX, ignored flat segment overrides), then a row of the one-byte
// or 0F opcode table says what the instruction is and which operands it has; ModRM groups are
// resolved by a second small table. The tables are the list of supported instructions.
#include "model/machine/x86_insn.h"

#include <array>

namespace procsim::machine::x86 {
namespace {

enum class Args : std::uint8_t {
  None,
  RmReg,       // ModRM; dst = r/m, src = reg
  RegRm,       // ModRM; dst = reg, src = r/m
  RegRmImm,    // ModRM; dst = reg, src = r/m, src2 = imm (imul)
  Rm,          // ModRM; one r/m operand, meaning from the group table
  AccImm,      // dst = accumulator, src = imm
  OpReg,       // register in the low three opcode bits
  OpRegImm,    // mov reg, imm
  Rel,         // relative branch target
  Imm,         // push imm, int imm8, ret imm16
  MoffsLoad,   // A0/A1: accumulator <- [absolute]
  MoffsStore,  // A2/A3: [absolute] <- accumulator
};

enum class Width : std::uint8_t { Byte, Operand, Stack, Word };
enum class ImmSize : std::uint8_t { None, Byte, Word, Operand32, Full };
enum class Group : std::uint8_t { None, Alu, Shift, Unary, IncDecByte, Misc, PopRm, MovImm };

struct Row {
  Op op = Op::Illegal;
  std::uint8_t sub = 0;
  Args args = Args::None;
  Width width = Width::Operand;
  ImmSize imm = ImmSize::None;
  Group group = Group::None;
  bool only64 = false;  // valid in 64-bit mode only
  bool only32 = false;  // valid in 32-bit mode only
};

constexpr Row row(Op op, std::uint8_t sub, Args args, Width width, ImmSize imm = ImmSize::None) {
  return Row{op, sub, args, width, imm, Group::None, false, false};
}
constexpr Row group(Group which, Width width, ImmSize imm = ImmSize::None) {
  return Row{Op::Illegal, 0, Args::Rm, width, imm, which, false, false};
}

constexpr std::array<Row, 256> build_one_byte_table() {
  std::array<Row, 256> t{};
  for (std::uint8_t alu = 0; alu < 8; ++alu) {
    auto base = static_cast<std::size_t>(alu * 8);
    t[base + 0] = row(Op::Alu, alu, Args::RmReg, Width::Byte);
    t[base + 1] = row(Op::Alu, alu, Args::RmReg, Width::Operand);
    t[base + 2] = row(Op::Alu, alu, Args::RegRm, Width::Byte);
    t[base + 3] = row(Op::Alu, alu, Args::RegRm, Width::Operand);
    t[base + 4] = row(Op::Alu, alu, Args::AccImm, Width::Byte, ImmSize::Byte);
    t[base + 5] = row(Op::Alu, alu, Args::AccImm, Width::Operand, ImmSize::Operand32);
  }
  for (std::uint8_t r = 0; r < 8; ++r) {
    t[0x40 + r] = row(Op::IncDec, 0, Args::OpReg, Width::Operand);
    t[0x48 + r] = row(Op::IncDec, 1, Args::OpReg, Width::Operand);
    t[0x40 + r].only32 = t[0x48 + r].only32 = true;  // REX prefixes in 64-bit mode
    t[0x50 + r] = row(Op::Push, 0, Args::OpReg, Width::Stack);
    t[0x58 + r] = row(Op::Pop, 0, Args::OpReg, Width::Stack);
    t[0x90 + r] = row(Op::Xchg, 0, Args::OpReg, Width::Operand);
    t[0xB0 + r] = row(Op::Mov, 0, Args::OpRegImm, Width::Byte, ImmSize::Byte);
    t[0xB8 + r] = row(Op::Mov, 0, Args::OpRegImm, Width::Operand, ImmSize::Full);
  }
  for (std::uint8_t cc = 0; cc < 16; ++cc) t[0x70 + cc] = row(Op::Jcc, cc, Args::Rel, Width::Byte);
  t[0x63] = row(Op::Movx, 0x80 | 4, Args::RegRm, Width::Operand);
  t[0x63].only64 = true;
  t[0x68] = row(Op::Push, 0, Args::Imm, Width::Stack, ImmSize::Operand32);
  t[0x69] = row(Op::Imul, 0, Args::RegRmImm, Width::Operand, ImmSize::Operand32);
  t[0x6A] = row(Op::Push, 0, Args::Imm, Width::Stack, ImmSize::Byte);
  t[0x6B] = row(Op::Imul, 0, Args::RegRmImm, Width::Operand, ImmSize::Byte);
  t[0x80] = group(Group::Alu, Width::Byte, ImmSize::Byte);
  t[0x81] = group(Group::Alu, Width::Operand, ImmSize::Operand32);
  t[0x83] = group(Group::Alu, Width::Operand, ImmSize::Byte);
  t[0x84] = row(Op::Test, 0, Args::RmReg, Width::Byte);
  t[0x85] = row(Op::Test, 0, Args::RmReg, Width::Operand);
  t[0x86] = row(Op::Xchg, 0, Args::RmReg, Width::Byte);
  t[0x87] = row(Op::Xchg, 0, Args::RmReg, Width::Operand);
  t[0x88] = row(Op::Mov, 0, Args::RmReg, Width::Byte);
  t[0x89] = row(Op::Mov, 0, Args::RmReg, Width::Operand);
  t[0x8A] = row(Op::Mov, 0, Args::RegRm, Width::Byte);
  t[0x8B] = row(Op::Mov, 0, Args::RegRm, Width::Operand);
  t[0x8D] = row(Op::Lea, 0, Args::RegRm, Width::Operand);
  t[0x8F] = group(Group::PopRm, Width::Stack);
  t[0x98] = row(Op::ExtendAcc, 0, Args::None, Width::Operand);
  t[0x99] = row(Op::SplitAcc, 0, Args::None, Width::Operand);
  t[0xA0] = row(Op::Mov, 0, Args::MoffsLoad, Width::Byte);
  t[0xA1] = row(Op::Mov, 0, Args::MoffsLoad, Width::Operand);
  t[0xA2] = row(Op::Mov, 0, Args::MoffsStore, Width::Byte);
  t[0xA3] = row(Op::Mov, 0, Args::MoffsStore, Width::Operand);
  t[0xA8] = row(Op::Test, 0, Args::AccImm, Width::Byte, ImmSize::Byte);
  t[0xA9] = row(Op::Test, 0, Args::AccImm, Width::Operand, ImmSize::Operand32);
  t[0xC0] = group(Group::Shift, Width::Byte, ImmSize::Byte);
  t[0xC1] = group(Group::Shift, Width::Operand, ImmSize::Byte);
  t[0xC2] = row(Op::Ret, 0, Args::Imm, Width::Stack, ImmSize::Word);
  t[0xC3] = row(Op::Ret, 0, Args::None, Width::Stack);
  t[0xC6] = group(Group::MovImm, Width::Byte, ImmSize::Byte);
  t[0xC7] = group(Group::MovImm, Width::Operand, ImmSize::Operand32);
  t[0xC9] = row(Op::Leave, 0, Args::None, Width::Stack);
  t[0xCC] = row(Op::Int3, 0, Args::None, Width::Byte);
  t[0xCD] = row(Op::Privileged, 0, Args::Imm, Width::Byte, ImmSize::Byte);  // refined below
  t[0xD0] = group(Group::Shift, Width::Byte);
  t[0xD1] = group(Group::Shift, Width::Operand);
  t[0xD2] = group(Group::Shift, Width::Byte);
  t[0xD3] = group(Group::Shift, Width::Operand);
  t[0xE8] = row(Op::Call, 0, Args::Rel, Width::Operand);
  t[0xE9] = row(Op::Jmp, 0, Args::Rel, Width::Operand);
  t[0xEB] = row(Op::Jmp, 0, Args::Rel, Width::Byte);
  t[0xF4] = row(Op::Privileged, 0, Args::None, Width::Byte);
  t[0xF5] = row(Op::CarryFlag, 2, Args::None, Width::Byte);
  t[0xF8] = row(Op::CarryFlag, 0, Args::None, Width::Byte);
  t[0xF9] = row(Op::CarryFlag, 1, Args::None, Width::Byte);
  t[0xF6] = group(Group::Unary, Width::Byte);
  t[0xF7] = group(Group::Unary, Width::Operand);
  t[0xFE] = group(Group::IncDecByte, Width::Byte);
  t[0xFF] = group(Group::Misc, Width::Operand);
  return t;
}

constexpr std::array<Row, 256> build_two_byte_table() {
  std::array<Row, 256> t{};
  t[0x05] = row(Op::Syscall, 0, Args::None, Width::Byte);
  t[0x05].only64 = true;
  t[0x1F] = group(Group::None, Width::Operand);  // nop r/m: /0 only, checked in decode
  t[0x1F].op = Op::Nop;
  for (std::uint8_t cc = 0; cc < 16; ++cc) {
    t[0x40 + cc] = row(Op::Cmov, cc, Args::RegRm, Width::Operand);
    t[0x80 + cc] = row(Op::Jcc, cc, Args::Rel, Width::Operand);
    t[0x90 + cc] = row(Op::Setcc, cc, Args::Rm, Width::Byte);
  }
  t[0xAF] = row(Op::Imul, 0, Args::RegRm, Width::Operand);
  t[0xB6] = row(Op::Movx, 1, Args::RegRm, Width::Operand);
  t[0xB7] = row(Op::Movx, 2, Args::RegRm, Width::Operand);
  t[0xBE] = row(Op::Movx, 0x80 | 1, Args::RegRm, Width::Operand);
  t[0xBF] = row(Op::Movx, 0x80 | 2, Args::RegRm, Width::Operand);
  return t;
}

constexpr std::array<Row, 256> kOneByte = build_one_byte_table();
constexpr std::array<Row, 256> kTwoByte = build_two_byte_table();

// Reads bytes with a bound check; a read past `available` marks the decode truncated.
class Cursor {
 public:
  Cursor(const std::uint8_t* bytes, std::size_t available) : m_bytes(bytes), m_available(available) {}
  bool truncated() const { return m_truncated; }
  std::size_t position() const { return m_position; }
  std::uint8_t u8() {
    if (m_position >= m_available || m_position >= 15) {
      m_truncated = m_position < 15;
      m_too_long = m_position >= 15;
      return 0;
    }
    return m_bytes[m_position++];
  }
  bool too_long() const { return m_too_long; }
  std::int64_t signed_le(unsigned width) {
    std::uint64_t value = 0;
    for (unsigned i = 0; i < width; ++i) value |= std::uint64_t{u8()} << (8 * i);
    unsigned shift = 64 - 8 * width;
    return static_cast<std::int64_t>(value << shift) >> shift;
  }

 private:
  const std::uint8_t* m_bytes;
  std::size_t m_available;
  std::size_t m_position = 0;
  bool m_truncated = false;
  bool m_too_long = false;
};

struct Prefixes {
  bool opsize16 = false;
  std::uint8_t rex = 0;  // 0: none
  bool rex_w() const { return (rex & 8) != 0; }
  std::uint8_t r() const { return (rex & 4) ? 8 : 0; }
  std::uint8_t x() const { return (rex & 2) ? 8 : 0; }
  std::uint8_t b() const { return (rex & 1) ? 8 : 0; }
};

std::uint8_t operand_size(Width width, const Prefixes& prefixes, bool mode64) {
  switch (width) {
    case Width::Byte: return 1;
    case Width::Word: return 2;
    case Width::Stack: return prefixes.opsize16 ? 2 : (mode64 ? 8 : 4);
    case Width::Operand: return prefixes.rex_w() ? 8 : (prefixes.opsize16 ? 2 : 4);
  }
  PROCSIM_UNREACHABLE();
}

// Without any REX prefix, byte registers 4..7 are ah, ch, dh, bh.
std::uint8_t register_for(std::uint8_t reg, std::uint8_t size, const Prefixes& prefixes) {
  if (size == 1 && prefixes.rex == 0 && reg >= 4 && reg < 8)
    return static_cast<std::uint8_t>(kHighByteBase + reg - 4);
  return reg;
}

// Parses ModRM (and SIB, displacement) into `insn`; returns the reg field (REX.R applied).
std::uint8_t parse_modrm(Cursor& cursor, const Prefixes& prefixes, bool mode64, Insn& insn, Operand& rm,
                         std::uint8_t rm_size) {
  std::uint8_t modrm = cursor.u8();
  auto mod = static_cast<std::uint8_t>(modrm >> 6);
  auto reg = static_cast<std::uint8_t>(((modrm >> 3) & 7) | prefixes.r());
  auto low = static_cast<std::uint8_t>(modrm & 7);
  if (mod == 3) {
    rm = {Kind::Reg, register_for(static_cast<std::uint8_t>(low | prefixes.b()), rm_size, prefixes)};
    return reg;
  }
  rm = {Kind::Mem, 0};
  if (low == 4) {
    std::uint8_t sib = cursor.u8();
    insn.scale_shift = static_cast<std::uint8_t>(sib >> 6);
    insn.index = static_cast<std::uint8_t>(((sib >> 3) & 7) | prefixes.x());
    insn.has_index = insn.index != 4;
    auto base = static_cast<std::uint8_t>(sib & 7);
    insn.has_base = !(base == 5 && mod == 0);
    insn.base = static_cast<std::uint8_t>(base | prefixes.b());
    if (!insn.has_base) insn.disp = cursor.signed_le(4);
  } else if (low == 5 && mod == 0) {
    insn.rip_relative = mode64;
    insn.disp = cursor.signed_le(4);
  } else {
    insn.has_base = true;
    insn.base = static_cast<std::uint8_t>(low | prefixes.b());
  }
  if (mod == 1) insn.disp = cursor.signed_le(1);
  if (mod == 2) insn.disp = cursor.signed_le(4);
  return reg;
}

std::int64_t read_immediate(Cursor& cursor, ImmSize imm, std::uint8_t size) {
  switch (imm) {
    case ImmSize::None: return 0;
    case ImmSize::Byte: return cursor.signed_le(1);
    case ImmSize::Word: return static_cast<std::int64_t>(static_cast<std::uint16_t>(cursor.signed_le(2)));
    case ImmSize::Operand32: return cursor.signed_le(size == 2 ? 2 : 4);
    case ImmSize::Full: return cursor.signed_le(size);
  }
  PROCSIM_UNREACHABLE();
}

// Resolves a ModRM group from its reg field: sets op/sub, may change the operand size or add
// an immediate. False when the reg field selects something outside the subset.
bool resolve_group(Group which, std::uint8_t field, std::uint8_t opcode, Insn& insn, ImmSize& imm,
                   std::uint8_t stack_size) {
  switch (which) {
    case Group::None: return field == 0;
    case Group::Alu:
      insn.op = Op::Alu;
      insn.sub = field;
      return opcode != 0x82;
    case Group::Shift:
      insn.op = Op::Shift;
      insn.sub = field == 6 ? 4 : field;
      return field != 2 && field != 3;
    case Group::Unary:
      if (field == 0) {
        insn.op = Op::Test;
        imm = opcode == 0xF6 ? ImmSize::Byte : ImmSize::Operand32;
        return true;
      }
      insn.op = field == 2 ? Op::Not : Op::Neg;
      return field == 2 || field == 3;
    case Group::IncDecByte:
      insn.op = Op::IncDec;
      insn.sub = field;
      return field <= 1;
    case Group::Misc:
      if (field <= 1) {
        insn.op = Op::IncDec;
        insn.sub = field;
        return true;
      }
      insn.size = stack_size;
      if (field == 2) {
        insn.op = Op::CallIndirect;
        return true;
      }
      if (field == 4) {
        insn.op = Op::JmpIndirect;
        return true;
      }
      if (field == 6) {
        insn.op = Op::Push;
        return true;
      }
      return false;
    case Group::PopRm: insn.op = Op::Pop; return field == 0;
    case Group::MovImm: insn.op = Op::Mov; return field == 0;
  }
  PROCSIM_UNREACHABLE();
}

// Fills the operands of `insn` from the row's argument form.
bool decode_operands(const Row& row, std::uint8_t opcode, Cursor& cursor, const Prefixes& prefixes,
                     bool mode64, Insn& insn) {
  std::uint8_t size = insn.size;
  ImmSize imm = row.imm;
  auto rm_size = static_cast<std::uint8_t>((insn.op == Op::Movx) ? (insn.sub & 0x7F) : size);
  switch (row.args) {
    case Args::None: break;
    case Args::RmReg:
    case Args::RegRm:
    case Args::RegRmImm: {
      Operand rm;
      std::uint8_t reg = parse_modrm(cursor, prefixes, mode64, insn, rm, rm_size);
      Operand r{Kind::Reg, register_for(reg, size, prefixes)};
      insn.dst = row.args == Args::RmReg ? rm : r;
      insn.src = row.args == Args::RmReg ? r : rm;
      if (row.args == Args::RegRmImm) insn.src2 = {Kind::Imm, 0};
      break;
    }
    case Args::Rm: {
      std::uint8_t field = parse_modrm(cursor, prefixes, mode64, insn, insn.dst, size) & 7;
      if (!resolve_group(row.group, field, opcode, insn, imm, operand_size(Width::Stack, prefixes, mode64)))
        return false;
      if (insn.op == Op::Shift && imm == ImmSize::None) {
        bool by_cl = opcode == 0xD2 || opcode == 0xD3;
        insn.src = by_cl ? Operand{Kind::Reg, kRcx} : Operand{Kind::Imm, 0};
        insn.imm = 1;
      } else if (imm != ImmSize::None) {
        insn.src = {Kind::Imm, 0};
      }
      break;
    }
    case Args::AccImm:
      insn.dst = {Kind::Reg, kRax};
      insn.src = {Kind::Imm, 0};
      break;
    case Args::OpReg:
    case Args::OpRegImm: {
      auto reg = static_cast<std::uint8_t>((opcode & 7) | prefixes.b());
      insn.dst = {Kind::Reg, register_for(reg, size, prefixes)};
      if (row.args == Args::OpRegImm) insn.src = {Kind::Imm, 0};
      if (row.op == Op::Xchg) insn.src = {Kind::Reg, kRax};
      break;
    }
    case Args::Rel: {
      std::int64_t rel = cursor.signed_le(size == 1 ? 1 : 4);
      insn.imm = rel;  // made absolute by the caller once the length is known
      return true;
    }
    case Args::Imm: insn.src = {Kind::Imm, 0}; break;
    case Args::MoffsLoad:
    case Args::MoffsStore: {
      Operand acc{Kind::Reg, kRax};
      Operand mem{Kind::Mem, 0};
      insn.disp = cursor.signed_le(mode64 ? 8 : 4);
      insn.dst = row.args == Args::MoffsLoad ? acc : mem;
      insn.src = row.args == Args::MoffsLoad ? mem : acc;
      break;
    }
  }
  if (imm != ImmSize::None) insn.imm = read_immediate(cursor, imm, size);
  return true;
}

Insn truncated_insn() {
  Insn insn;
  insn.op = Op::Truncated;
  return insn;
}

// int $3 is a breakpoint like int3; int $0x80 is the i386 system-call gate; any other vector
// has a kernel-only gate and faults (T_PROTFLT).
Op int_instruction(std::int64_t vector, bool mode64) {
  if (vector == 3) return Op::Int3;
  if (vector == 0x80 && !mode64) return Op::Syscall;
  return Op::Privileged;
}

}  // namespace

Insn decode(const std::uint8_t* bytes, std::size_t available, bool mode64, std::uint64_t pc) {
  Cursor cursor(bytes, available);
  Prefixes prefixes;
  std::uint8_t byte = cursor.u8();
  while (byte == 0x66 || byte == 0x2E || byte == 0x3E || byte == 0x26 || byte == 0x36) {
    if (byte == 0x66) prefixes.opsize16 = true;
    byte = cursor.u8();
  }
  if (mode64 && (byte & 0xF0) == 0x40) {
    prefixes.rex = byte;
    byte = cursor.u8();
  }
  const Row* row = &kOneByte[byte];
  std::uint8_t opcode = byte;
  if (byte == 0x0F) {
    opcode = cursor.u8();
    row = &kTwoByte[opcode];
  }
  Insn insn;
  insn.op = row->op;
  insn.sub = row->sub;
  insn.size = operand_size(row->width, prefixes, mode64);
  bool known = (row->op != Op::Illegal || row->group != Group::None) && !(row->only64 && !mode64) &&
               !(row->only32 && mode64);
  bool ok = known && decode_operands(*row, opcode, cursor, prefixes, mode64, insn);
  if (cursor.truncated()) return truncated_insn();
  if (!ok || cursor.too_long()) return Insn{};
  insn.length = static_cast<std::uint8_t>(cursor.position());
  std::uint64_t next = pc + insn.length;
  if (row->args == Args::Rel)
    insn.imm = static_cast<std::int64_t>(next + static_cast<std::uint64_t>(insn.imm));
  if (!mode64 && row->args == Args::Rel) insn.imm &= 0xFFFFFFFF;
  if (byte == 0xCD) insn.op = int_instruction(insn.imm & 0xFF, mode64);
  if (insn.op == Op::Lea && insn.src.kind != Kind::Mem) return Insn{};
  if (row->args == Args::Rel && prefixes.opsize16) return Insn{};  // 16-bit branches: not modelled
  if (byte == 0x90 && prefixes.b() == 0) insn.op = Op::Nop;
  return insn;
}

}  // namespace procsim::machine::x86
