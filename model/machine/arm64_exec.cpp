// A64 execution on CpuState: x0-x30 in gpr[0..30], sp in gpr[31], NZCV in bits 31..28 of the
// flags word (spsr). Register 31 reads as zero or sp as each encoding says. Unaligned data
// accesses are allowed (SCTLR_EL1.A is clear for user space); sp alignment is not checked.
#include "model/machine/arm64_insn.h"
#include "sim/base/bytes.h"

namespace procsim::machine::arm64 {
namespace {

constexpr std::uint64_t kNzcv = kPsrN | kPsrZ | kPsrC | kPsrV;

enum class Outcome : std::uint8_t { Retired, Syscall, Breakpoint, Fault, Illegal };

std::uint64_t width_mask(bool sf) { return sf ? ~std::uint64_t{0} : 0xFFFFFFFF; }

std::uint64_t apply_shift(std::uint64_t value, unsigned type, unsigned amount, bool sf) {
  unsigned width = sf ? 64 : 32;
  value &= width_mask(sf);
  if (amount == 0) return value;
  switch (type) {
    case 0: return (value << amount) & width_mask(sf);
    case 1: return value >> amount;
    case 2: {
      unsigned shift = 64 - width;
      auto extended = static_cast<std::int64_t>(value << shift) >> shift;
      return static_cast<std::uint64_t>(extended >> amount) & width_mask(sf);
    }
    default: return ((value >> amount) | (value << (width - amount))) & width_mask(sf);
  }
}

std::uint64_t extend(std::uint64_t value, unsigned option, unsigned shift) {
  std::uint64_t result = 0;
  switch (option) {
    case 0: result = value & 0xFF; break;
    case 1: result = value & 0xFFFF; break;
    case 2: result = value & 0xFFFFFFFF; break;
    case 3: result = value; break;
    case 4: result = static_cast<std::uint64_t>(static_cast<std::int8_t>(value)); break;
    case 5: result = static_cast<std::uint64_t>(static_cast<std::int16_t>(value)); break;
    case 6: result = static_cast<std::uint64_t>(static_cast<std::int32_t>(value)); break;
    default: result = value; break;
  }
  return result << shift;
}

bool condition_holds(std::uint64_t flags, unsigned cond) {
  bool n = (flags & kPsrN) != 0;
  bool z = (flags & kPsrZ) != 0;
  bool c = (flags & kPsrC) != 0;
  bool v = (flags & kPsrV) != 0;
  bool result = false;
  switch (cond >> 1) {
    case 0: result = z; break;
    case 1: result = c; break;
    case 2: result = n; break;
    case 3: result = v; break;
    case 4: result = c && !z; break;
    case 5: result = n == v; break;
    case 6: result = n == v && !z; break;
    default: return true;  // al, nv
  }
  return (cond & 1) != 0 ? !result : result;
}

// udiv/sdiv: division by zero gives zero and the one overflow wraps, as A64 defines (no trap).
std::uint64_t divide(bool is_signed, std::uint64_t n, std::uint64_t d, unsigned width) {
  if (d == 0) return 0;
  if (!is_signed) return n / d;
  unsigned shift = 64 - width;
  auto sn = static_cast<std::int64_t>(n << shift) >> shift;
  auto sd = static_cast<std::int64_t>(d << shift) >> shift;
  if (sd == -1) return static_cast<std::uint64_t>(0) - static_cast<std::uint64_t>(sn);
  return static_cast<std::uint64_t>(sn / sd);
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
  // Register 31 as the zero register.
  std::uint64_t x(std::uint8_t r, bool sf) const { return r == 31 ? 0 : m_state.gpr[r] & width_mask(sf); }
  // Register 31 as the stack pointer.
  std::uint64_t xsp(std::uint8_t r, bool sf) const { return m_state.gpr[r] & width_mask(sf); }
  void set_x(std::uint8_t r, bool sf, std::uint64_t value) {
    if (r != 31) m_state.gpr[r] = value & width_mask(sf);
  }
  void set_xsp(std::uint8_t r, bool sf, std::uint64_t value) { m_state.gpr[r] = value & width_mask(sf); }
  void set_nzcv(std::uint64_t nzcv) { m_state.flags = (m_state.flags & ~kNzcv) | nzcv; }
  std::uint64_t add_with_flags(std::uint64_t a, std::uint64_t b, bool carry_in, bool sf, bool set_flags);

  bool load(std::uint64_t address, unsigned size, std::uint64_t& value);
  bool store(std::uint64_t address, unsigned size, std::uint64_t value);

  Outcome arithmetic(const Insn& insn);
  Outcome logic(const Insn& insn);
  Outcome bit_ops(const Insn& insn);
  Outcome branch(const Insn& insn);
  Outcome memory(const Insn& insn);
  Outcome pair(const Insn& insn);

  CpuState& m_state;
  GuestMemory& m_memory;
  std::uint64_t m_next = 0;
  bool m_stored = false;
  std::uint64_t m_fault_address = 0;
  MemFault m_fault = MemFault::None;
  FaultAccess m_access = FaultAccess::Read;
};

std::uint64_t Core::add_with_flags(std::uint64_t a, std::uint64_t b, bool carry_in, bool sf, bool set_flags) {
  std::uint64_t mask = width_mask(sf);
  a &= mask;
  b &= mask;
  std::uint64_t result = (a + b + (carry_in ? 1 : 0)) & mask;
  if (set_flags) {
    std::uint64_t sign = sf ? std::uint64_t{1} << 63 : std::uint64_t{1} << 31;
    bool carry = carry_in ? result <= a : result < a;
    bool overflow = ((a ^ result) & (b ^ result) & sign) != 0;
    set_nzcv(((result & sign) != 0 ? kPsrN : 0) | (result == 0 ? kPsrZ : 0) | (carry ? kPsrC : 0) |
             (overflow ? kPsrV : 0));
  }
  return result;
}

bool Core::load(std::uint64_t address, unsigned size, std::uint64_t& value) {
  std::array<std::uint8_t, 8> buffer{};
  MemFault fault = m_memory.read(address, std::span(buffer.data(), std::size_t{1} << size));
  if (fault != MemFault::None) {
    m_fault = fault;
    m_fault_address = address;
    m_access = FaultAccess::Read;
    return false;
  }
  value = base::load_le<std::uint64_t>(buffer, 0);
  return true;
}

bool Core::store(std::uint64_t address, unsigned size, std::uint64_t value) {
  std::array<std::uint8_t, 8> buffer{};
  base::store_le<std::uint64_t>(buffer, 0, value);
  MemFault fault =
      m_memory.write(address, std::span<const std::uint8_t>(buffer.data(), std::size_t{1} << size));
  if (fault != MemFault::None) {
    m_fault = fault;
    m_fault_address = address;
    m_access = FaultAccess::Write;
    return false;
  }
  m_stored = true;
  return true;
}

Outcome Core::arithmetic(const Insn& insn) {
  bool sf = insn.sf;
  std::uint64_t operand = 0;
  std::uint64_t left = 0;
  switch (insn.op) {
    case Op::AddSubImm:
      left = xsp(insn.rn, sf);
      operand = static_cast<std::uint64_t>(insn.imm);
      break;
    case Op::AddSubShift:
      left = x(insn.rn, sf);
      operand = apply_shift(x(insn.rm, sf), insn.kind, insn.amount, sf);
      break;
    default:  // AddSubExtend
      left = xsp(insn.rn, sf);
      operand = extend(x(insn.rm, true), insn.kind, insn.amount);
      break;
  }
  if (insn.negate) operand = ~operand;
  std::uint64_t result = add_with_flags(left, operand, insn.negate, sf, insn.set_flags);
  bool rd_is_sp = insn.op != Op::AddSubShift && !insn.set_flags;
  if (rd_is_sp)
    set_xsp(insn.rd, sf, result);
  else
    set_x(insn.rd, sf, result);
  return Outcome::Retired;
}

Outcome Core::logic(const Insn& insn) {
  bool sf = insn.sf;
  std::uint64_t left = x(insn.rn, sf);
  std::uint64_t right = insn.op == Op::LogicalImm ? static_cast<std::uint64_t>(insn.imm)
                                                  : apply_shift(x(insn.rm, sf), insn.cond, insn.amount, sf);
  if (insn.op == Op::LogicalShift && insn.negate) right = ~right & width_mask(sf);
  std::uint64_t result = 0;
  switch (insn.kind) {
    case 0:
    case 3: result = left & right; break;
    case 1: result = left | right; break;
    default: result = left ^ right; break;
  }
  result &= width_mask(sf);
  if (insn.kind == 3) {
    std::uint64_t sign = sf ? std::uint64_t{1} << 63 : std::uint64_t{1} << 31;
    set_nzcv(((result & sign) != 0 ? kPsrN : 0) | (result == 0 ? kPsrZ : 0));
  }
  bool rd_is_sp = insn.op == Op::LogicalImm && insn.kind != 3;
  if (rd_is_sp)
    set_xsp(insn.rd, sf, result);
  else
    set_x(insn.rd, sf, result);
  return Outcome::Retired;
}

// Move wide, bitfield moves, extract, variable shifts, multiply-add, divide, conditional select.
Outcome Core::bit_ops(const Insn& insn) {
  bool sf = insn.sf;
  unsigned width = sf ? 64 : 32;
  std::uint64_t result = 0;
  switch (insn.op) {
    case Op::MoveWide: {
      std::uint64_t chunk = static_cast<std::uint64_t>(insn.imm) << insn.amount;
      if (insn.kind == 0)
        result = ~chunk;
      else if (insn.kind == 2)
        result = chunk;
      else
        result = (x(insn.rd, sf) & ~(std::uint64_t{0xFFFF} << insn.amount)) | chunk;
      break;
    }
    case Op::Bitfield: {
      std::uint64_t source = x(insn.rn, sf);
      auto wmask = static_cast<std::uint64_t>(insn.imm);
      std::uint64_t tmask = insn.target;
      std::uint64_t rotated = apply_shift(source, 3, insn.amount % width, sf);
      std::uint64_t destination = insn.kind == 1 ? x(insn.rd, sf) : 0;
      std::uint64_t bottom = (destination & ~wmask) | (rotated & wmask);
      std::uint64_t top =
          insn.kind == 0 ? (((source >> insn.size) & 1) != 0 ? ~std::uint64_t{0} : 0) : destination;
      result = (top & ~tmask) | (bottom & tmask);
      break;
    }
    case Op::Extract: {
      std::uint64_t high = x(insn.rn, sf);
      std::uint64_t low = x(insn.rm, sf);
      result = insn.amount == 0 ? low : (low >> insn.amount) | (high << (width - insn.amount));
      break;
    }
    case Op::ShiftVar:
      result = apply_shift(x(insn.rn, sf), insn.kind, static_cast<unsigned>(x(insn.rm, sf) % width), sf);
      break;
    case Op::MulAdd: {
      std::uint64_t product = x(insn.rn, sf) * x(insn.rm, sf);
      result = insn.negate ? x(insn.ra, sf) - product : x(insn.ra, sf) + product;
      break;
    }
    case Op::Divide: result = divide(insn.sign, x(insn.rn, sf), x(insn.rm, sf), width); break;
    case Op::CondSelect: {
      if (condition_holds(m_state.flags, insn.cond)) {
        result = x(insn.rn, sf);
      } else {
        result = x(insn.rm, sf);
        if ((insn.kind & 2) != 0) result = ~result;
        if ((insn.kind & 1) != 0) result += 1;
      }
      break;
    }
    default: PROCSIM_UNREACHABLE();
  }
  set_x(insn.rd, sf, result);
  return Outcome::Retired;
}

Outcome Core::branch(const Insn& insn) {
  bool taken = true;
  std::uint64_t target = insn.target;
  switch (insn.op) {
    case Op::Branch: break;
    case Op::BranchCond: taken = condition_holds(m_state.flags, insn.cond); break;
    case Op::CompareBranch: taken = (x(insn.rd, insn.sf) == 0) != insn.negate; break;
    case Op::TestBranch: taken = (((x(insn.rd, true) >> insn.amount) & 1) == 0) != insn.negate; break;
    case Op::BranchReg: target = x(insn.rn, true); break;
    default: PROCSIM_UNREACHABLE();
  }
  if (insn.link) m_state.gpr[kLr] = m_next;
  m_state.pc = taken ? target : m_next;
  return Outcome::Retired;
}

Outcome Core::memory(const Insn& insn) {
  std::uint64_t base = insn.op == Op::LoadLiteral ? insn.target : xsp(insn.rn, true);
  std::uint64_t address = base;
  if (insn.mode == Mode::Register)
    address = base + extend(x(insn.rm, true), insn.kind, insn.amount);
  else if (insn.mode != Mode::PostIndex)
    address = base + static_cast<std::uint64_t>(insn.imm);
  unsigned size = insn.size;
  if (insn.load) {
    std::uint64_t value = 0;
    if (!load(address, size, value)) return Outcome::Fault;
    unsigned bits = 8u << size;
    if (bits < 64) value &= (std::uint64_t{1} << bits) - 1;
    if (insn.sign) {
      unsigned shift = 64 - bits;
      value = static_cast<std::uint64_t>(static_cast<std::int64_t>(value << shift) >> shift);
    }
    set_x(insn.rd, insn.op == Op::LoadLiteral ? insn.sf || insn.sign : insn.to64 || size == 3, value);
  } else if (!store(address, size, x(insn.rd, true))) {
    return Outcome::Fault;
  }
  if (insn.mode == Mode::PreIndex) set_xsp(insn.rn, true, address);
  if (insn.mode == Mode::PostIndex) set_xsp(insn.rn, true, base + static_cast<std::uint64_t>(insn.imm));
  return Outcome::Retired;
}

Outcome Core::pair(const Insn& insn) {
  std::uint64_t base = xsp(insn.rn, true);
  std::uint64_t address = insn.mode == Mode::PostIndex ? base : base + static_cast<std::uint64_t>(insn.imm);
  unsigned size = insn.size;
  std::uint64_t step = std::uint64_t{1} << size;
  if (insn.load) {
    std::uint64_t first = 0;
    std::uint64_t second = 0;
    if (!load(address, size, first) || !load(address + step, size, second)) return Outcome::Fault;
    set_x(insn.rd, insn.sf, first);
    set_x(insn.rm, insn.sf, second);
  } else {
    std::uint64_t first = x(insn.rd, insn.sf);
    std::uint64_t second = x(insn.rm, insn.sf);
    std::array<std::uint8_t, 16> buffer{};
    base::store_le<std::uint64_t>(buffer, 0, first);
    base::store_le<std::uint64_t>(buffer, step, second);
    MemFault fault = m_memory.write(address, std::span<const std::uint8_t>(buffer.data(), 2 * step));
    if (fault != MemFault::None) {
      m_fault = fault;
      m_fault_address = address;
      m_access = FaultAccess::Write;
      return Outcome::Fault;
    }
    m_stored = true;
  }
  if (insn.mode == Mode::PreIndex) set_xsp(insn.rn, true, address);
  if (insn.mode == Mode::PostIndex) set_xsp(insn.rn, true, base + static_cast<std::uint64_t>(insn.imm));
  return Outcome::Retired;
}

Outcome Core::execute(const Insn& insn) {
  m_next = m_state.pc + 4;
  m_stored = false;
  Outcome outcome = Outcome::Retired;
  switch (insn.op) {
    case Op::Illegal: return Outcome::Illegal;
    case Op::Brk: return Outcome::Breakpoint;  // ELR stays at the brk (spec/kernel.md §1.8)
    case Op::Svc: m_state.pc = m_next; return Outcome::Syscall;
    case Op::Nop: break;
    case Op::AddSubImm:
    case Op::AddSubShift:
    case Op::AddSubExtend: outcome = arithmetic(insn); break;
    case Op::LogicalImm:
    case Op::LogicalShift: outcome = logic(insn); break;
    case Op::MoveWide:
    case Op::Bitfield:
    case Op::Extract:
    case Op::ShiftVar:
    case Op::MulAdd:
    case Op::Divide:
    case Op::CondSelect: outcome = bit_ops(insn); break;
    case Op::Adr: set_x(insn.rd, true, insn.target); break;
    case Op::Branch:
    case Op::BranchCond:
    case Op::CompareBranch:
    case Op::TestBranch:
    case Op::BranchReg: return branch(insn);
    case Op::LoadStore:
    case Op::LoadLiteral: outcome = memory(insn); break;
    case Op::LoadStorePair: outcome = pair(insn); break;
  }
  if (outcome == Outcome::Retired) m_state.pc = m_next;
  return outcome;
}

StopInfo stop_for(Outcome outcome, const Core& core, const CpuState& state, std::uint64_t pc, StopInfo stop) {
  switch (outcome) {
    case Outcome::Retired: PROCSIM_UNREACHABLE();
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
      PROCSIM_ASSERT(state.pc == pc);
      return stop;
    case Outcome::Illegal:
      stop.reason = StopReason::IllegalInstruction;
      stop.fault_address = pc;
      return stop;
  }
  PROCSIM_UNREACHABLE();
}

}  // namespace

const Insn* Engine::instruction_at(std::uint64_t pc, GuestMemory& memory, StopInfo& stop) {
  return fetch_fixed32(m_cache, pc, memory, stop, decode);
}

StopInfo Engine::run(CpuState& state, GuestMemory& memory, std::uint64_t max_instructions) {
  m_cache.sync(memory);
  bool stepping = (state.flags & kPsrSs) != 0;
  std::uint64_t budget = stepping && max_instructions > 0 ? 1 : max_instructions;
  StopInfo stop;
  Core core(state, memory);
  const DecodeCache<Insn>::Page* page = nullptr;
  while (stop.instructions_executed < budget) {
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

}  // namespace procsim::machine::arm64
