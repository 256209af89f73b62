// x86 execution: runs decoded instructions on CpuState with eager flag computation. Status
// flags follow the Intel SDM; where it calls a flag undefined (AF after logic ops and shifts,
// SF/ZF/PF after imul, OF after multi-bit shifts) the model picks one fixed value so runs are
// deterministic. Faults are precise: a faulting instruction changes nothing.
#include <array>
#include <bit>
#include <utility>

#include "model/machine/x86_insn.h"
#include "sim/base/bytes.h"

namespace procsim::machine::x86 {
namespace {

constexpr std::uint64_t kStatusFlags = kPslC | kPslPf | kPslAf | kPslZ | kPslN | kPslV;

constexpr std::uint64_t size_mask(unsigned size) {
  return size >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * size)) - 1;
}
constexpr std::uint64_t sign_bit(unsigned size) { return std::uint64_t{1} << (8 * size - 1); }

std::uint64_t sign_extend(std::uint64_t value, unsigned size) {
  if (size >= 8) return value;
  std::uint64_t sign = sign_bit(size);
  value &= size_mask(size);
  return (value ^ sign) - sign;
}

// PF is set when the low byte of a result has an even number of one bits.
constexpr std::array<bool, 256> kEvenParity = [] {
  std::array<bool, 256> table{};
  for (unsigned byte = 0; byte < 256; ++byte) table[byte] = (std::popcount(byte) & 1) == 0;
  return table;
}();

// SF, ZF and PF of a result, plus the given CF/OF/AF.
[[gnu::always_inline]] inline std::uint64_t result_flags(std::uint64_t result, unsigned size, bool carry,
                                                         bool overflow, bool adjust) {
  std::uint64_t flags = 0;
  result &= size_mask(size);
  if (carry) flags |= kPslC;
  if (overflow) flags |= kPslV;
  if (adjust) flags |= kPslAf;
  if (result == 0) flags |= kPslZ;
  if ((result & sign_bit(size)) != 0) flags |= kPslN;
  if (kEvenParity[result & 0xFF]) flags |= kPslPf;
  return flags;
}

[[gnu::always_inline]] inline bool condition_holds(std::uint64_t flags, unsigned cc) {
  bool zero = (flags & kPslZ) != 0;
  bool sign_ne_overflow = ((flags & kPslN) != 0) != ((flags & kPslV) != 0);
  bool result = false;
  switch (cc >> 1) {
    case 0: result = (flags & kPslV) != 0; break;
    case 1: result = (flags & kPslC) != 0; break;
    case 2: result = zero; break;
    case 3: result = (flags & kPslC) != 0 || zero; break;
    case 4: result = (flags & kPslN) != 0; break;
    case 5: result = (flags & kPslPf) != 0; break;
    case 6: result = sign_ne_overflow; break;
    case 7: result = zero || sign_ne_overflow; break;
    default: PROCSIM_UNREACHABLE();
  }
  return (cc & 1) != 0 ? !result : result;
}

enum class Outcome : std::uint8_t { Retired, Syscall, Breakpoint, Fault, Illegal, Privileged };

// Everything one instruction's execution touches.
class Core {
 public:
  Core(CpuState& state, GuestMemory& memory, bool mode64)
      : m_state(state), m_memory(memory), m_mode64(mode64) {}

  Outcome execute(const Insn& insn);
  std::uint64_t fault_address() const { return m_fault_address; }
  MemFault fault() const { return m_fault; }
  FaultAccess access() const { return m_access; }
  bool stored() const { return m_stored; }

 private:
  std::uint64_t reg(std::uint8_t index, unsigned size) const {
    if (index >= kHighByteBase) return (m_state.gpr[index - kHighByteBase] >> 8) & 0xFF;
    return m_state.gpr[index] & size_mask(size);
  }
  void set_reg(std::uint8_t index, unsigned size, std::uint64_t value);
  std::uint64_t address_mask() const { return m_mode64 ? ~std::uint64_t{0} : 0xFFFFFFFF; }
  std::uint64_t effective_address(const Insn& insn) const;
  bool load(std::uint64_t address, unsigned size, std::uint64_t& value);
  bool store(std::uint64_t address, unsigned size, std::uint64_t value);
  bool read(const Insn& insn, const Operand& operand, unsigned size, std::uint64_t& value);
  bool write(const Insn& insn, const Operand& operand, unsigned size, std::uint64_t value);
  void set_status(std::uint64_t flags, std::uint64_t which = kStatusFlags) {
    m_state.flags = (m_state.flags & ~which) | (flags & which);
  }
  bool push(unsigned size, std::uint64_t value);
  bool pop(unsigned size, std::uint64_t& value);
  unsigned stack_size() const { return m_mode64 ? 8 : 4; }

  Outcome alu(const Insn& insn);
  Outcome unary(const Insn& insn);
  Outcome shift(const Insn& insn);
  Outcome imul(const Insn& insn);
  Outcome move(const Insn& insn);
  Outcome stack_op(const Insn& insn);
  Outcome branch(const Insn& insn);

  CpuState& m_state;
  GuestMemory& m_memory;
  bool m_mode64;
  std::uint64_t m_next = 0;
  std::uint64_t m_fault_address = 0;
  MemFault m_fault = MemFault::None;
  FaultAccess m_access = FaultAccess::Read;
  bool m_stored = false;
};

[[gnu::always_inline]] inline void Core::set_reg(std::uint8_t index, unsigned size, std::uint64_t value) {
  if (index >= kHighByteBase) {
    std::uint64_t& full = m_state.gpr[index - kHighByteBase];
    full = (full & ~std::uint64_t{0xFF00}) | ((value & 0xFF) << 8);
    return;
  }
  std::uint64_t& full = m_state.gpr[index];
  switch (size) {
    case 1: full = (full & ~std::uint64_t{0xFF}) | (value & 0xFF); return;
    case 2: full = (full & ~std::uint64_t{0xFFFF}) | (value & 0xFFFF); return;
    case 4: full = value & 0xFFFFFFFF; return;  // 32-bit writes zero-extend
    case 8: full = value; return;
    default: PROCSIM_UNREACHABLE();
  }
}

[[gnu::always_inline]] inline std::uint64_t Core::effective_address(const Insn& insn) const {
  auto address = static_cast<std::uint64_t>(insn.disp);
  if (insn.rip_relative) address += m_next;
  if (insn.has_base) address += m_state.gpr[insn.base];
  if (insn.has_index) address += m_state.gpr[insn.index] << insn.scale_shift;
  return address & address_mask();
}

bool Core::load(std::uint64_t address, unsigned size, std::uint64_t& value) {
  std::array<std::uint8_t, 8> buffer{};
  MemFault fault = m_memory.read(address, std::span(buffer.data(), size));
  if (fault != MemFault::None) {
    m_fault = fault;
    m_fault_address = address;
    m_access = FaultAccess::Read;
    return false;
  }
  value = base::load_le<std::uint64_t>(buffer, 0) & size_mask(size);
  return true;
}

bool Core::store(std::uint64_t address, unsigned size, std::uint64_t value) {
  std::array<std::uint8_t, 8> buffer{};
  base::store_le<std::uint64_t>(buffer, 0, value);
  MemFault fault = m_memory.write(address, std::span<const std::uint8_t>(buffer.data(), size));
  if (fault != MemFault::None) {
    m_fault = fault;
    m_fault_address = address;
    m_access = FaultAccess::Write;
    return false;
  }
  m_stored = true;
  return true;
}

[[gnu::always_inline]] inline bool Core::read(const Insn& insn, const Operand& operand, unsigned size,
                                              std::uint64_t& value) {
  switch (operand.kind) {
    case Kind::Reg: value = reg(operand.reg, size); return true;
    case Kind::Imm: value = static_cast<std::uint64_t>(insn.imm) & size_mask(size); return true;
    case Kind::Mem: return load(effective_address(insn), size, value);
    case Kind::None: break;
  }
  PROCSIM_UNREACHABLE();
}

[[gnu::always_inline]] inline bool Core::write(const Insn& insn, const Operand& operand, unsigned size,
                                               std::uint64_t value) {
  if (operand.kind == Kind::Reg) {
    set_reg(operand.reg, size, value);
    return true;
  }
  PROCSIM_ASSERT(operand.kind == Kind::Mem);
  return store(effective_address(insn), size, value);
}

bool Core::push(unsigned size, std::uint64_t value) {
  std::uint64_t sp = (m_state.gpr[kRsp] - size) & address_mask();
  if (!store(sp, size, value)) return false;
  set_reg(kRsp, stack_size(), sp);
  return true;
}

bool Core::pop(unsigned size, std::uint64_t& value) {
  std::uint64_t sp = m_state.gpr[kRsp] & address_mask();
  if (!load(sp, size, value)) return false;
  set_reg(kRsp, stack_size(), sp + size);
  return true;
}

Outcome Core::alu(const Insn& insn) {
  unsigned size = insn.size;
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  if (insn.dst.kind == Kind::Reg && insn.src.kind == Kind::Imm) [[likely]] {  // the common loop shape
    a = reg(insn.dst.reg, size);
    b = static_cast<std::uint64_t>(insn.imm) & size_mask(size);
  } else if (!read(insn, insn.dst, size, a) || !read(insn, insn.src, size, b)) {
    return Outcome::Fault;
  }
  bool carry_in = (m_state.flags & kPslC) != 0;
  unsigned kind = insn.op == Op::Test ? 4 : insn.sub;
  std::uint64_t mask = size_mask(size);
  std::uint64_t result = 0;
  std::uint64_t flags = 0;
  if (kind == 0 || kind == 2) {  // add, adc
    std::uint64_t c = kind == 2 && carry_in ? 1 : 0;
    result = (a + b + c) & mask;
    bool carry = c ? result <= a : result < a;
    flags = result_flags(result, size, carry, ((a ^ result) & (b ^ result) & sign_bit(size)) != 0,
                         ((a ^ b ^ result) & 0x10) != 0);
  } else if (kind == 3 || kind == 5 || kind == 7) {  // sbb, sub, cmp
    std::uint64_t c = kind == 3 && carry_in ? 1 : 0;
    result = (a - b - c) & mask;
    bool borrow = c ? a <= b : a < b;
    flags = result_flags(result, size, borrow, ((a ^ b) & (a ^ result) & sign_bit(size)) != 0,
                         ((a ^ b ^ result) & 0x10) != 0);
  } else {  // or, and, xor, test
    result = kind == 1 ? (a | b) : kind == 4 ? (a & b) : (a ^ b);
    flags = result_flags(result, size, false, false, false);
  }
  bool writes = insn.op == Op::Alu && kind != 7;
  if (writes && !write(insn, insn.dst, size, result)) return Outcome::Fault;
  set_status(flags);
  return Outcome::Retired;
}

Outcome Core::unary(const Insn& insn) {
  unsigned size = insn.size;
  std::uint64_t value = 0;
  if (!read(insn, insn.dst, size, value)) return Outcome::Fault;
  std::uint64_t mask = size_mask(size);
  std::uint64_t result = 0;
  std::uint64_t flags = 0;
  std::uint64_t which = kStatusFlags;
  if (insn.op == Op::Not) {
    result = ~value & mask;
    which = 0;
  } else if (insn.op == Op::Neg) {
    result = (0 - value) & mask;
    flags = result_flags(result, size, value != 0, value == sign_bit(size), ((value ^ result) & 0x10) != 0);
  } else {  // inc, dec: CF is kept
    bool inc = insn.sub == 0;
    result = (inc ? value + 1 : value - 1) & mask;
    bool overflow = inc ? result == sign_bit(size) : value == sign_bit(size);
    flags = result_flags(result, size, false, overflow, ((value ^ result) & 0x10) != 0);
    which = kStatusFlags & ~kPslC;
  }
  if (!write(insn, insn.dst, size, result)) return Outcome::Fault;
  set_status(flags, which);
  return Outcome::Retired;
}

Outcome Core::shift(const Insn& insn) {
  unsigned size = insn.size;
  unsigned bits = 8 * size;
  std::uint64_t value = 0;
  std::uint64_t count = 0;
  if (!read(insn, insn.dst, size, value) || !read(insn, insn.src, 1, count)) return Outcome::Fault;
  count &= size == 8 ? 0x3F : 0x1F;
  if (count == 0) {  // no flags change; a 32-bit register is still written (zero-extended)
    if (insn.dst.kind == Kind::Reg && size == 4) set_reg(insn.dst.reg, 4, value);
    return Outcome::Retired;
  }
  std::uint64_t mask = size_mask(size);
  std::uint64_t result = 0;
  bool carry = false;
  bool overflow = false;
  switch (insn.sub) {
    case 0:    // rol
    case 1: {  // ror
      unsigned n = static_cast<unsigned>(count % bits);
      result = insn.sub == 0 ? ((value << n) | (n ? value >> (bits - n) : 0)) & mask
                             : ((value >> n) | (n ? value << (bits - n) : 0)) & mask;
      carry = insn.sub == 0 ? (result & 1) != 0 : (result & sign_bit(size)) != 0;
      overflow = insn.sub == 0 ? (((result & sign_bit(size)) != 0) != carry)
                               : (((result ^ (result << 1)) & sign_bit(size)) != 0);
      if (!write(insn, insn.dst, size, result)) return Outcome::Fault;
      set_status((carry ? kPslC : 0) | (overflow ? kPslV : 0), kPslC | kPslV);
      return Outcome::Retired;
    }
    case 4:  // shl
      result = count >= bits ? 0 : (value << count) & mask;
      carry = count <= bits && ((value >> (bits - count)) & 1) != 0;
      overflow = ((result & sign_bit(size)) != 0) != carry;
      break;
    case 5:  // shr
      result = count >= bits ? 0 : value >> count;
      carry = count <= bits && ((value >> (count - 1)) & 1) != 0;
      overflow = (value & sign_bit(size)) != 0;
      break;
    case 7: {  // sar
      std::uint64_t extended = sign_extend(value, size);
      unsigned n = static_cast<unsigned>(count >= bits ? bits - 1 : count);
      result = static_cast<std::uint64_t>(static_cast<std::int64_t>(extended) >> n) & mask;
      carry = ((static_cast<std::int64_t>(extended) >> (n - (count >= bits ? 0 : 1))) & 1) != 0;
      overflow = false;
      break;
    }
    default: return Outcome::Illegal;
  }
  if (!write(insn, insn.dst, size, result)) return Outcome::Fault;
  set_status(result_flags(result, size, carry, overflow, false));
  return Outcome::Retired;
}

Outcome Core::imul(const Insn& insn) {
  unsigned size = insn.size;
  std::uint64_t a = 0;
  std::uint64_t b = 0;
  const Operand& left = insn.src2.kind == Kind::Imm ? insn.src : insn.dst;
  const Operand& right = insn.src2.kind == Kind::Imm ? insn.src2 : insn.src;
  if (!read(insn, left, size, a) || !read(insn, right, size, b)) return Outcome::Fault;
  auto x = static_cast<__int128>(static_cast<std::int64_t>(sign_extend(a, size)));
  auto y = static_cast<__int128>(static_cast<std::int64_t>(sign_extend(b, size)));
  __int128 product = x * y;
  std::uint64_t result = static_cast<std::uint64_t>(product) & size_mask(size);
  bool lost = static_cast<__int128>(static_cast<std::int64_t>(sign_extend(result, size))) != product;
  set_reg(insn.dst.reg, size, result);
  set_status(result_flags(result, size, lost, lost, false));
  return Outcome::Retired;
}

Outcome Core::move(const Insn& insn) {
  unsigned size = insn.size;
  std::uint64_t value = 0;
  switch (insn.op) {
    case Op::Mov:
      if (!read(insn, insn.src, size, value)) return Outcome::Fault;
      return write(insn, insn.dst, size, value) ? Outcome::Retired : Outcome::Fault;
    case Op::Movx: {
      unsigned from = insn.sub & 0x7F;
      if (!read(insn, insn.src, from, value)) return Outcome::Fault;
      if ((insn.sub & 0x80) != 0) value = sign_extend(value, from);
      set_reg(insn.dst.reg, size, value);
      return Outcome::Retired;
    }
    case Op::Lea: set_reg(insn.dst.reg, size, effective_address(insn)); return Outcome::Retired;
    case Op::Cmov:
      if (!read(insn, insn.src, size, value)) return Outcome::Fault;
      if (condition_holds(m_state.flags, insn.sub))
        set_reg(insn.dst.reg, size, value);
      else if (size == 4)
        set_reg(insn.dst.reg, 4, reg(insn.dst.reg, 4));  // still zero-extends
      return Outcome::Retired;
    case Op::Setcc:
      return write(insn, insn.dst, 1, condition_holds(m_state.flags, insn.sub) ? 1 : 0) ? Outcome::Retired
                                                                                        : Outcome::Fault;
    case Op::Xchg: {
      std::uint64_t other = 0;
      if (!read(insn, insn.dst, size, value) || !read(insn, insn.src, size, other)) return Outcome::Fault;
      if (!write(insn, insn.dst, size, other)) return Outcome::Fault;
      set_reg(insn.src.reg, size, value);
      return Outcome::Retired;
    }
    case Op::ExtendAcc:
      set_reg(kRax, size, sign_extend(reg(kRax, size / 2), size / 2));
      return Outcome::Retired;
    case Op::SplitAcc:
      set_reg(kRdx, size, (reg(kRax, size) & sign_bit(size)) != 0 ? size_mask(size) : 0);
      return Outcome::Retired;
    default: break;
  }
  PROCSIM_UNREACHABLE();
}

Outcome Core::stack_op(const Insn& insn) {
  std::uint64_t value = 0;
  if (insn.op == Op::Push) {
    if (!read(insn, insn.dst.kind != Kind::None ? insn.dst : insn.src, insn.size, value))
      return Outcome::Fault;
    return push(insn.size, value) ? Outcome::Retired : Outcome::Fault;
  }
  if (insn.op == Op::Leave) {
    std::uint64_t saved_sp = m_state.gpr[kRsp];
    set_reg(kRsp, stack_size(), m_state.gpr[kRbp]);
    if (!pop(stack_size(), value)) {
      m_state.gpr[kRsp] = saved_sp;
      return Outcome::Fault;
    }
    set_reg(kRbp, stack_size(), value);
    return Outcome::Retired;
  }
  PROCSIM_ASSERT(insn.op == Op::Pop);
  std::uint64_t saved_sp = m_state.gpr[kRsp];
  if (!pop(insn.size, value)) return Outcome::Fault;
  if (!write(insn, insn.dst, insn.size, value)) {
    m_state.gpr[kRsp] = saved_sp;
    return Outcome::Fault;
  }
  return Outcome::Retired;
}

Outcome Core::branch(const Insn& insn) {
  std::uint64_t target = static_cast<std::uint64_t>(insn.imm);
  switch (insn.op) {
    case Op::Jcc:
      m_state.pc = condition_holds(m_state.flags, insn.sub) ? target : m_next;
      return Outcome::Retired;
    case Op::Jmp: m_state.pc = target; return Outcome::Retired;
    case Op::Call:
      if (!push(stack_size(), m_next)) return Outcome::Fault;
      m_state.pc = target;
      return Outcome::Retired;
    case Op::JmpIndirect:
    case Op::CallIndirect: {
      std::uint64_t destination = 0;
      if (!read(insn, insn.dst, stack_size(), destination)) return Outcome::Fault;
      if (insn.op == Op::CallIndirect && !push(stack_size(), m_next)) return Outcome::Fault;
      m_state.pc = destination;
      return Outcome::Retired;
    }
    case Op::Ret: {
      std::uint64_t destination = 0;
      if (!pop(stack_size(), destination)) return Outcome::Fault;
      set_reg(kRsp, stack_size(), m_state.gpr[kRsp] + static_cast<std::uint64_t>(insn.imm));
      m_state.pc = destination;
      return Outcome::Retired;
    }
    default: break;
  }
  PROCSIM_UNREACHABLE();
}

Outcome Core::execute(const Insn& insn) {
  m_next = (m_state.pc + insn.length) & address_mask();
  m_stored = false;
  Outcome outcome = Outcome::Retired;
  switch (insn.op) {
    case Op::Illegal:
    case Op::Truncated: return Outcome::Illegal;
    case Op::Privileged: return Outcome::Privileged;
    case Op::Int3: m_state.pc = m_next; return Outcome::Breakpoint;
    case Op::Syscall: {
      // The trapframe as the kernel saves it: r11 = rflags; amd64 stores r10 in tf_rcx.
      m_state.pc = m_next;
      if (m_mode64) {
        m_state.gpr[kR11] = m_state.flags;
        m_state.gpr[kRcx] = m_state.gpr[kR10];
      }
      return Outcome::Syscall;
    }
    case Op::Alu:
    case Op::Test: outcome = alu(insn); break;
    case Op::IncDec:
    case Op::Not:
    case Op::Neg: outcome = unary(insn); break;
    case Op::Shift: outcome = shift(insn); break;
    case Op::Imul: outcome = imul(insn); break;
    case Op::Mov:
    case Op::Movx:
    case Op::Lea:
    case Op::Cmov:
    case Op::Setcc:
    case Op::Xchg:
    case Op::ExtendAcc:
    case Op::SplitAcc: outcome = move(insn); break;
    case Op::Push:
    case Op::Pop:
    case Op::Leave: outcome = stack_op(insn); break;
    case Op::Nop: break;
    case Op::CarryFlag:
      if (insn.sub == 2)
        m_state.flags ^= kPslC;
      else
        m_state.flags = insn.sub == 1 ? m_state.flags | kPslC : m_state.flags & ~kPslC;
      break;
    case Op::Jcc:
    case Op::Jmp:
    case Op::Call:
    case Op::JmpIndirect:
    case Op::CallIndirect:
    case Op::Ret: return branch(insn);
  }
  if (outcome == Outcome::Retired) m_state.pc = m_next;
  return outcome;
}

// Specialised handlers for the register-only shapes of hot loops: operand size, ALU kind and
// mode are template parameters, so masks and flag formulas are constants. They never touch
// memory and compute exactly what Core computes (the unit tests run both on the same code).
using FastHandler = Outcome (*)(CpuState&, const Insn&);

template <bool Mode64>
std::uint64_t next_pc(const CpuState& state, const Insn& insn) {
  std::uint64_t next = state.pc + insn.length;
  return Mode64 ? next : next & 0xFFFFFFFF;
}

template <unsigned Size>
void write_register(CpuState& state, std::uint8_t index, std::uint64_t value) {
  std::uint64_t& full = state.gpr[index];
  if constexpr (Size == 8)
    full = value;
  else if constexpr (Size == 4)
    full = value & 0xFFFFFFFF;
  else
    full = (full & ~size_mask(Size)) | (value & size_mask(Size));
}

// Kind: 0 add, 1 or, 2 adc, 3 sbb, 4 and, 5 sub, 6 xor, 7 cmp, 8 test.
template <unsigned Size, unsigned Kind, bool Imm, bool Mode64>
Outcome fast_alu(CpuState& state, const Insn& insn) {
  constexpr std::uint64_t mask = size_mask(Size);
  constexpr std::uint64_t sign = sign_bit(Size);
  std::uint64_t a = state.gpr[insn.dst.reg] & mask;
  std::uint64_t b = Imm ? static_cast<std::uint64_t>(insn.imm) & mask : state.gpr[insn.src.reg] & mask;
  std::uint64_t result = 0;
  std::uint64_t flags = 0;
  if constexpr (Kind == 0 || Kind == 2) {
    std::uint64_t c = Kind == 2 && (state.flags & kPslC) != 0 ? 1 : 0;
    result = (a + b + c) & mask;
    bool carry = c ? result <= a : result < a;
    flags = result_flags(result, Size, carry, ((a ^ result) & (b ^ result) & sign) != 0,
                         ((a ^ b ^ result) & 0x10) != 0);
  } else if constexpr (Kind == 3 || Kind == 5 || Kind == 7) {
    std::uint64_t c = Kind == 3 && (state.flags & kPslC) != 0 ? 1 : 0;
    result = (a - b - c) & mask;
    bool borrow = c ? a <= b : a < b;
    flags = result_flags(result, Size, borrow, ((a ^ b) & (a ^ result) & sign) != 0,
                         ((a ^ b ^ result) & 0x10) != 0);
  } else {
    result = Kind == 1 ? (a | b) : (Kind == 4 || Kind == 8) ? (a & b) : (a ^ b);
    flags = result_flags(result, Size, false, false, false);
  }
  if constexpr (Kind != 7 && Kind != 8) write_register<Size>(state, insn.dst.reg, result);
  state.flags = (state.flags & ~kStatusFlags) | flags;
  state.pc = next_pc<Mode64>(state, insn);
  return Outcome::Retired;
}

template <unsigned Size, bool Inc, bool Mode64>
Outcome fast_inc_dec(CpuState& state, const Insn& insn) {
  constexpr std::uint64_t mask = size_mask(Size);
  constexpr std::uint64_t sign = sign_bit(Size);
  std::uint64_t value = state.gpr[insn.dst.reg] & mask;
  std::uint64_t result = (Inc ? value + 1 : value - 1) & mask;
  bool overflow = Inc ? result == sign : value == sign;
  std::uint64_t flags = result_flags(result, Size, false, overflow, ((value ^ result) & 0x10) != 0);
  constexpr std::uint64_t which = kStatusFlags & ~kPslC;
  write_register<Size>(state, insn.dst.reg, result);
  state.flags = (state.flags & ~which) | (flags & which);
  state.pc = next_pc<Mode64>(state, insn);
  return Outcome::Retired;
}

template <unsigned Size, bool Imm, bool Mode64>
Outcome fast_mov(CpuState& state, const Insn& insn) {
  std::uint64_t value = Imm ? static_cast<std::uint64_t>(insn.imm) : state.gpr[insn.src.reg];
  write_register<Size>(state, insn.dst.reg, value & size_mask(Size));
  state.pc = next_pc<Mode64>(state, insn);
  return Outcome::Retired;
}

template <bool Mode64>
Outcome fast_jcc(CpuState& state, const Insn& insn) {
  state.pc = condition_holds(state.flags, insn.sub) ? static_cast<std::uint64_t>(insn.imm)
                                                    : next_pc<Mode64>(state, insn);
  return Outcome::Retired;
}

Outcome fast_jmp(CpuState& state, const Insn& insn) {
  state.pc = static_cast<std::uint64_t>(insn.imm);
  return Outcome::Retired;
}

constexpr std::array<unsigned, 4> kFastSizes = {1, 2, 4, 8};
constexpr std::size_t kAluHandlers = 4 * 9 * 2 * 2;
constexpr std::size_t kIncDecHandlers = 4 * 2 * 2;
constexpr std::size_t kMovHandlers = 4 * 2 * 2;

template <std::size_t... I>
constexpr std::array<FastHandler, sizeof...(I)> alu_handlers(std::index_sequence<I...>) {
  return {&fast_alu<kFastSizes[I % 4], (I / 4) % 9, (I / 36) % 2 != 0, (I / 72) % 2 != 0>...};
}
template <std::size_t... I>
constexpr std::array<FastHandler, sizeof...(I)> inc_dec_handlers(std::index_sequence<I...>) {
  return {&fast_inc_dec<kFastSizes[I % 4], (I / 4) % 2 != 0, (I / 8) % 2 != 0>...};
}
template <std::size_t... I>
constexpr std::array<FastHandler, sizeof...(I)> mov_handlers(std::index_sequence<I...>) {
  return {&fast_mov<kFastSizes[I % 4], (I / 4) % 2 != 0, (I / 8) % 2 != 0>...};
}

// Slot 0 means "no fast handler"; then the ALU, inc/dec, mov, jcc and jmp groups.
constexpr std::size_t kAluBase = 1;
constexpr std::size_t kIncDecBase = kAluBase + kAluHandlers;
constexpr std::size_t kMovBase = kIncDecBase + kIncDecHandlers;
constexpr std::size_t kJccBase = kMovBase + kMovHandlers;
constexpr std::size_t kJmpSlot = kJccBase + 2;

constexpr std::array<FastHandler, kJmpSlot + 1> kFastHandlers = [] {
  std::array<FastHandler, kJmpSlot + 1> table{};
  auto alu = alu_handlers(std::make_index_sequence<kAluHandlers>{});
  auto inc_dec = inc_dec_handlers(std::make_index_sequence<kIncDecHandlers>{});
  auto mov = mov_handlers(std::make_index_sequence<kMovHandlers>{});
  for (std::size_t i = 0; i < alu.size(); ++i) table[kAluBase + i] = alu[i];
  for (std::size_t i = 0; i < inc_dec.size(); ++i) table[kIncDecBase + i] = inc_dec[i];
  for (std::size_t i = 0; i < mov.size(); ++i) table[kMovBase + i] = mov[i];
  table[kJccBase] = &fast_jcc<false>;
  table[kJccBase + 1] = &fast_jcc<true>;
  table[kJmpSlot] = &fast_jmp;
  return table;
}();
static_assert(kFastHandlers.size() < 256);

std::size_t size_index(unsigned size) { return size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3; }

// The fast handler for `insn`, or 0 when only the general path can run it.
std::uint8_t select_fast(const Insn& insn, bool mode64) {
  bool dst_reg = insn.dst.kind == Kind::Reg && insn.dst.reg < kHighByteBase;
  bool src_imm = insn.src.kind == Kind::Imm;
  bool src_reg = insn.src.kind == Kind::Reg && insn.src.reg < kHighByteBase;
  std::size_t size = size_index(insn.size);
  std::size_t mode = mode64 ? 1 : 0;
  std::size_t slot = 0;
  if ((insn.op == Op::Alu || insn.op == Op::Test) && dst_reg && (src_imm || src_reg)) {
    std::size_t kind = insn.op == Op::Test ? 8 : insn.sub;
    slot = kAluBase + size + 4 * kind + 36 * (src_imm ? 1 : 0) + 72 * mode;
  } else if (insn.op == Op::IncDec && dst_reg) {
    slot = kIncDecBase + size + 4 * (insn.sub == 0 ? 1 : 0) + 8 * mode;
  } else if (insn.op == Op::Mov && dst_reg && (src_imm || src_reg)) {
    slot = kMovBase + size + 4 * (src_imm ? 1 : 0) + 8 * mode;
  } else if (insn.op == Op::Jcc) {
    slot = kJccBase + mode;
  } else if (insn.op == Op::Jmp) {
    slot = kJmpSlot;
  }
  PROCSIM_ASSERT(slot < kFastHandlers.size());
  return static_cast<std::uint8_t>(slot);
}

}  // namespace

const Insn* Engine::instruction_at(std::uint64_t pc, GuestMemory& memory, bool mode64, StopInfo& stop) {
  MemFault fault = MemFault::None;
  auto* page = m_cache.page(pc, memory, fault);
  if (page == nullptr) {
    stop.reason = StopReason::MemoryFault;
    stop.fault = fault;
    stop.fault_address = pc;
    stop.access = FaultAccess::Execute;
    return nullptr;
  }
  std::uint64_t offset = pc - page->base;
  if (const Insn* cached = page->find(offset)) return cached;
  Insn insn = decode(page->bytes.data() + offset, page->available - offset, mode64, pc);
  if (insn.op == Op::Truncated) {
    stop.reason = StopReason::MemoryFault;
    stop.fault = page->tail_fault;
    stop.fault_address = page->base + page->available;
    stop.access = FaultAccess::Execute;
    return nullptr;
  }
  insn.fast = select_fast(insn, mode64);
  return &page->add(offset, insn);
}

namespace {

StopInfo stop_for(Outcome outcome, const Core& core, const CpuState& state, std::uint64_t pc, StopInfo stop) {
  switch (outcome) {
    case Outcome::Retired: PROCSIM_UNREACHABLE();
    case Outcome::Syscall:
      ++stop.instructions_executed;
      stop.reason = StopReason::Syscall;
      stop.fault_address = state.pc;
      return stop;
    case Outcome::Breakpoint:
      ++stop.instructions_executed;
      stop.reason = StopReason::Breakpoint;
      stop.fault_address = state.pc;  // x86 reports the address after int3
      return stop;
    case Outcome::Fault:
      stop.reason = StopReason::MemoryFault;
      stop.fault = core.fault();
      stop.fault_address = core.fault_address();
      stop.access = core.access();
      PROCSIM_ASSERT(state.pc == pc);
      return stop;
    case Outcome::Illegal:
      stop.reason = StopReason::IllegalInstruction;
      stop.fault_address = pc;
      return stop;
    case Outcome::Privileged:
      stop.reason = StopReason::PrivilegedInstruction;
      stop.fault_address = pc;
      return stop;
  }
  PROCSIM_UNREACHABLE();
}

}  // namespace

StopInfo Engine::run(CpuState& state, GuestMemory& memory, std::uint64_t max_instructions) {
  bool mode64 = abi_info(state.abi).isa == Isa::X86_64;
  if (mode64 != m_mode64) m_cache.clear();
  m_mode64 = mode64;
  m_cache.sync(memory);
  bool stepping = (state.flags & kPslT) != 0;
  std::uint64_t budget = stepping && max_instructions > 0 ? 1 : max_instructions;
  StopInfo stop;
  Core core(state, memory, mode64);
  const DecodeCache<Insn>::Page* page = nullptr;  // hot path: the page the PC is in
  while (stop.instructions_executed < budget) {
    std::uint64_t pc = state.pc;
    const Insn* insn =
        page != nullptr && pc - page->base < kCodePageSize ? page->find(pc - page->base) : nullptr;
    if (insn == nullptr) {
      insn = instruction_at(pc, memory, mode64, stop);
      if (insn == nullptr) return stop;
      page = m_cache.last_page();
    }
    if (insn->fast != 0) [[likely]] {
      kFastHandlers[insn->fast](state, *insn);
      ++stop.instructions_executed;
      continue;
    }
    Outcome outcome = core.execute(*insn);
    if (core.stored() && m_cache.sync(memory)) page = nullptr;
    if (outcome == Outcome::Retired) [[likely]] {
      ++stop.instructions_executed;
      continue;
    }
    return stop_for(outcome, core, state, pc, stop);
  }
  stop.reason =
      stepping && stop.instructions_executed == 1 ? StopReason::SingleStep : StopReason::BudgetExhausted;
  return stop;
}

}  // namespace procsim::machine::x86
