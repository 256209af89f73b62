// RV64IM decoding and execution. x0 reads as zero and ignores writes; 32-bit (W) operations
// sign-extend their results; division by zero and overflow give the ISA's defined values (no
// trap). ecall stops with the PC past it (the kernel's sepc + 4); ebreak stops at itself. There is
// no hardware single step (spec/kernel.md §1.8).
#include "model/machine/riscv_insn.h"
#include "sim/base/bytes.h"

namespace procsim::machine::riscv {
namespace {

std::int64_t sext(std::uint64_t value, unsigned bits) {
  unsigned shift = 64 - bits;
  return static_cast<std::int64_t>(value << shift) >> shift;
}

std::uint32_t field(std::uint32_t word, unsigned high, unsigned low) {
  return (word >> low) & ((1u << (high - low + 1)) - 1);
}

std::int64_t imm_i(std::uint32_t w) { return sext(w >> 20, 12); }
std::int64_t imm_s(std::uint32_t w) { return sext((field(w, 31, 25) << 5) | field(w, 11, 7), 12); }
std::int64_t imm_b(std::uint32_t w) {
  return sext(
      (field(w, 31, 31) << 12) | (field(w, 7, 7) << 11) | (field(w, 30, 25) << 5) | (field(w, 11, 8) << 1),
      13);
}
std::int64_t imm_j(std::uint32_t w) {
  return sext((field(w, 31, 31) << 20) | (field(w, 19, 12) << 12) | (field(w, 20, 20) << 11) |
                  (field(w, 30, 21) << 1),
              21);
}

// OP and OP-32 by funct7/funct3; nullopt-like Illegal when unallocated.
bool register_alu(std::uint32_t funct7, std::uint32_t funct3, bool word, Alu& alu) {
  static constexpr Alu kBase[8] = {Alu::Add, Alu::Sll, Alu::Slt, Alu::Sltu,
                                   Alu::Xor, Alu::Srl, Alu::Or,  Alu::And};
  static constexpr Alu kMul[8] = {Alu::Mul, Alu::Mulh, Alu::Mulhsu, Alu::Mulhu,
                                  Alu::Div, Alu::Divu, Alu::Rem,    Alu::Remu};
  if (funct7 == 1) {
    alu = kMul[funct3];
    return !word || funct3 == 0 || funct3 >= 4;
  }
  if (funct7 == 0x20) {
    alu = funct3 == 0 ? Alu::Sub : Alu::Sra;
    return funct3 == 0 || funct3 == 5;
  }
  alu = kBase[funct3];
  return funct7 == 0 && (!word || funct3 == 0 || funct3 == 1 || funct3 == 5);
}

Insn decode_immediate_alu(std::uint32_t w, Insn insn, bool word) {
  std::uint32_t funct3 = insn.funct3;
  insn.op = word ? Op::OpImm32 : Op::OpImm;
  insn.imm = imm_i(w);
  static constexpr Alu kImm[8] = {Alu::Add, Alu::Sll, Alu::Slt, Alu::Sltu,
                                  Alu::Xor, Alu::Srl, Alu::Or,  Alu::And};
  insn.alu = kImm[funct3];
  if (funct3 == 1 || funct3 == 5) {
    std::uint32_t top = word ? field(w, 31, 25) : field(w, 31, 26) << 1;
    insn.imm = word ? field(w, 24, 20) : field(w, 25, 20);
    if (funct3 == 5 && top == 0x20)
      insn.alu = Alu::Sra;
    else if (top != 0)
      return Insn{};
  } else if (word && funct3 != 0) {
    return Insn{};
  }
  return insn;
}

}  // namespace

Insn decode(std::uint32_t w, std::uint64_t pc) {
  Insn insn;
  insn.rd = static_cast<std::uint8_t>(field(w, 11, 7));
  insn.rs1 = static_cast<std::uint8_t>(field(w, 19, 15));
  insn.rs2 = static_cast<std::uint8_t>(field(w, 24, 20));
  insn.funct3 = static_cast<std::uint8_t>(field(w, 14, 12));
  std::uint32_t funct7 = field(w, 31, 25);
  switch (w & 0x7F) {
    case 0x37:
      insn.op = Op::Lui;
      insn.imm = sext(w & 0xFFFFF000, 32);
      return insn;
    case 0x17:
      insn.op = Op::Auipc;
      insn.imm = sext(w & 0xFFFFF000, 32);
      return insn;
    case 0x6F:
      insn.op = Op::Jal;
      insn.imm = static_cast<std::int64_t>(pc) + imm_j(w);
      return insn;
    case 0x67:
      if (insn.funct3 != 0) return Insn{};
      insn.op = Op::Jalr;
      insn.imm = imm_i(w);
      return insn;
    case 0x63:
      if (insn.funct3 == 2 || insn.funct3 == 3) return Insn{};
      insn.op = Op::Branch;
      insn.imm = static_cast<std::int64_t>(pc) + imm_b(w);
      return insn;
    case 0x03:
      if (insn.funct3 == 7) return Insn{};
      insn.op = Op::Load;
      insn.imm = imm_i(w);
      return insn;
    case 0x23:
      if (insn.funct3 > 3) return Insn{};
      insn.op = Op::Store;
      insn.imm = imm_s(w);
      return insn;
    case 0x13: return decode_immediate_alu(w, insn, false);
    case 0x1B: return decode_immediate_alu(w, insn, true);
    case 0x33:
    case 0x3B: {
      bool word = (w & 0x7F) == 0x3B;
      if (!register_alu(funct7, insn.funct3, word, insn.alu)) return Insn{};
      insn.op = word ? Op::OpReg32 : Op::OpReg;
      return insn;
    }
    case 0x0F: insn.op = insn.funct3 == 0 ? Op::Fence : Op::Illegal; return insn;
    case 0x73:
      if (w == 0x00000073) insn.op = Op::Ecall;
      if (w == 0x00100073) insn.op = Op::Ebreak;
      return insn;
    default: return Insn{};
  }
}

namespace {

enum class Outcome : std::uint8_t { Retired, Syscall, Breakpoint, Fault, Illegal };

std::uint64_t compute(Alu alu, std::uint64_t a, std::uint64_t b, bool word) {
  unsigned shift_mask = word ? 31 : 63;
  if (word) {
    a = static_cast<std::uint64_t>(sext(a, 32));
    b = static_cast<std::uint64_t>(sext(b, 32));
  }
  auto sa = static_cast<std::int64_t>(a);
  auto sb = static_cast<std::int64_t>(b);
  std::uint64_t narrow_a = word ? (a & 0xFFFFFFFF) : a;
  std::int64_t min = word ? INT32_MIN : INT64_MIN;
  switch (alu) {
    case Alu::Add: return a + b;
    case Alu::Sub: return a - b;
    case Alu::Sll: return a << (b & shift_mask);
    case Alu::Slt: return sa < sb ? 1 : 0;
    case Alu::Sltu: return a < b ? 1 : 0;
    case Alu::Xor: return a ^ b;
    case Alu::Srl: return narrow_a >> (b & shift_mask);
    case Alu::Sra: return static_cast<std::uint64_t>(sa >> (b & shift_mask));
    case Alu::Or: return a | b;
    case Alu::And: return a & b;
    case Alu::Mul: return a * b;
    case Alu::Mulh: return static_cast<std::uint64_t>((static_cast<__int128>(sa) * sb) >> 64);
    case Alu::Mulhsu:
      return static_cast<std::uint64_t>((static_cast<__int128>(sa) * static_cast<__int128>(b)) >> 64);
    case Alu::Mulhu: return static_cast<std::uint64_t>((static_cast<unsigned __int128>(a) * b) >> 64);
    case Alu::Div:
      if (sb == 0) return ~std::uint64_t{0};
      if (sa == min && sb == -1) return a;
      return static_cast<std::uint64_t>(sa / sb);
    case Alu::Divu: {
      std::uint64_t ua = word ? a & 0xFFFFFFFF : a;
      std::uint64_t ub = word ? b & 0xFFFFFFFF : b;
      return ub == 0 ? ~std::uint64_t{0} : ua / ub;
    }
    case Alu::Rem:
      if (sb == 0) return a;
      if (sa == min && sb == -1) return 0;
      return static_cast<std::uint64_t>(sa % sb);
    case Alu::Remu: {
      std::uint64_t ua = word ? a & 0xFFFFFFFF : a;
      std::uint64_t ub = word ? b & 0xFFFFFFFF : b;
      return ub == 0 ? ua : ua % ub;
    }
  }
  PROCSIM_UNREACHABLE();
}

bool branch_taken(unsigned funct3, std::uint64_t a, std::uint64_t b) {
  auto sa = static_cast<std::int64_t>(a);
  auto sb = static_cast<std::int64_t>(b);
  switch (funct3) {
    case 0: return a == b;
    case 1: return a != b;
    case 4: return sa < sb;
    case 5: return sa >= sb;
    case 6: return a < b;
    case 7: return a >= b;
    default: PROCSIM_UNREACHABLE();
  }
}

class Core {
 public:
  Core(CpuState& state, GuestMemory& memory) : m_state(state), m_memory(memory) {}

  Outcome execute(const Insn& insn);
  bool stored() const { return m_stored; }
  std::uint64_t fault_address() const { return m_fault_address; }
  MemFault fault() const { return m_fault; }
  FaultAccess access() const { return m_access; }

 private:
  std::uint64_t reg(std::uint8_t r) const { return m_state.gpr[r]; }
  void set(std::uint8_t r, std::uint64_t value) {
    if (r != 0) m_state.gpr[r] = value;
  }
  Outcome memory(const Insn& insn);

  CpuState& m_state;
  GuestMemory& m_memory;
  bool m_stored = false;
  std::uint64_t m_fault_address = 0;
  MemFault m_fault = MemFault::None;
  FaultAccess m_access = FaultAccess::Read;
};

Outcome Core::memory(const Insn& insn) {
  std::uint64_t address = reg(insn.rs1) + static_cast<std::uint64_t>(insn.imm);
  std::size_t size = std::size_t{1} << (insn.funct3 & 3);
  std::array<std::uint8_t, 8> buffer{};
  if (insn.op == Op::Store) {
    base::store_le<std::uint64_t>(buffer, 0, reg(insn.rs2));
    MemFault fault = m_memory.write(address, std::span<const std::uint8_t>(buffer.data(), size));
    if (fault != MemFault::None) {
      m_fault = fault;
      m_fault_address = address;
      m_access = FaultAccess::Write;
      return Outcome::Fault;
    }
    m_stored = true;
    return Outcome::Retired;
  }
  MemFault fault = m_memory.read(address, std::span(buffer.data(), size));
  if (fault != MemFault::None) {
    m_fault = fault;
    m_fault_address = address;
    m_access = FaultAccess::Read;
    return Outcome::Fault;
  }
  std::uint64_t value = base::load_le<std::uint64_t>(buffer, 0);
  bool is_unsigned = (insn.funct3 & 4) != 0;
  if (!is_unsigned && size < 8)
    value = static_cast<std::uint64_t>(sext(value, static_cast<unsigned>(8 * size)));
  set(insn.rd, value);
  return Outcome::Retired;
}

Outcome Core::execute(const Insn& insn) {
  std::uint64_t pc = m_state.pc;
  std::uint64_t next = pc + 4;
  m_stored = false;
  switch (insn.op) {
    case Op::Illegal: return Outcome::Illegal;
    case Op::Ebreak: return Outcome::Breakpoint;  // sepc stays at the ebreak (spec/kernel.md §1.8)
    case Op::Ecall: m_state.pc = next; return Outcome::Syscall;
    case Op::Fence: break;
    case Op::Lui: set(insn.rd, static_cast<std::uint64_t>(insn.imm)); break;
    case Op::Auipc: set(insn.rd, pc + static_cast<std::uint64_t>(insn.imm)); break;
    case Op::Jal:
      set(insn.rd, next);
      m_state.pc = static_cast<std::uint64_t>(insn.imm);
      return Outcome::Retired;
    case Op::Jalr: {
      std::uint64_t target = (reg(insn.rs1) + static_cast<std::uint64_t>(insn.imm)) & ~std::uint64_t{1};
      set(insn.rd, next);
      m_state.pc = target;
      return Outcome::Retired;
    }
    case Op::Branch:
      m_state.pc = branch_taken(insn.funct3, reg(insn.rs1), reg(insn.rs2))
                       ? static_cast<std::uint64_t>(insn.imm)
                       : next;
      return Outcome::Retired;
    case Op::Load:
    case Op::Store: {
      Outcome outcome = memory(insn);
      if (outcome != Outcome::Retired) return outcome;
      break;
    }
    case Op::OpImm:
      set(insn.rd, compute(insn.alu, reg(insn.rs1), static_cast<std::uint64_t>(insn.imm), false));
      break;
    case Op::OpImm32:
      set(insn.rd, static_cast<std::uint64_t>(sext(
                       compute(insn.alu, reg(insn.rs1), static_cast<std::uint64_t>(insn.imm), true), 32)));
      break;
    case Op::OpReg: set(insn.rd, compute(insn.alu, reg(insn.rs1), reg(insn.rs2), false)); break;
    case Op::OpReg32:
      set(insn.rd,
          static_cast<std::uint64_t>(sext(compute(insn.alu, reg(insn.rs1), reg(insn.rs2), true), 32)));
      break;
  }
  m_state.pc = next;
  return Outcome::Retired;
}

}  // namespace

const Insn* Engine::instruction_at(std::uint64_t pc, GuestMemory& memory, StopInfo& stop) {
  return fetch_fixed32(m_cache, pc, memory, stop, decode);
}

StopInfo Engine::run(CpuState& state, GuestMemory& memory, std::uint64_t max_instructions) {
  m_cache.sync(memory);
  StopInfo stop;
  Core core(state, memory);
  const DecodeCache<Insn>::Page* page = nullptr;
  while (stop.instructions_executed < max_instructions) {
    std::uint64_t pc = state.pc;
    const Insn* insn = page != nullptr && pc - page->base < kCodePageSize && (pc & 3) == 0
                           ? page->find(pc - page->base)
                           : nullptr;
    if (insn == nullptr) {
      insn = instruction_at(pc, memory, stop);
      if (insn == nullptr) return stop;
      page = m_cache.last_page();
    }
    Outcome outcome = core.execute(*insn);
    if (core.stored() && m_cache.sync(memory)) page = nullptr;
    switch (outcome) {
      case Outcome::Retired: ++stop.instructions_executed; continue;
      case Outcome::Syscall:
        ++stop.instructions_executed;
        stop.reason = StopReason::Syscall;
        stop.fault_address = state.pc;
        return stop;
      case Outcome::Breakpoint:
        stop.reason = StopReason::Breakpoint;
        stop.fault_address = pc;
        return stop;
      case Outcome::Fault:
        stop.reason = StopReason::MemoryFault;
        stop.fault = core.fault();
        stop.fault_address = core.fault_address();
        stop.access = core.access();
        return stop;
      case Outcome::Illegal:
        stop.reason = StopReason::IllegalInstruction;
        stop.fault_address = pc;
        return stop;
    }
  }
  stop.reason = StopReason::BudgetExhausted;
  return stop;
}

}  // namespace procsim::machine::riscv
