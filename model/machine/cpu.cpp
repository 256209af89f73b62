// The Interpreter front end: one engine per instruction-set family, each with its own decoded
// code cache, chosen by the thread's ABI on every run.
#include "model/machine/cpu.h"

#include "model/machine/arm64_insn.h"
#include "model/machine/riscv_insn.h"
#include "model/machine/x86_insn.h"

namespace procsim::machine {

struct Interpreter::Engines {
  x86::Engine x86;
  arm64::Engine arm64;
  riscv::Engine riscv;
};

Interpreter::Interpreter() : m_engines(std::make_unique<Engines>()) {}
Interpreter::~Interpreter() = default;

StopInfo Interpreter::run(CpuState& state, GuestMemory& memory, std::uint64_t max_instructions) {
  StopInfo stop;
  switch (abi_info(state.abi).isa) {
    case Isa::X86_32:
    case Isa::X86_64: stop = m_engines->x86.run(state, memory, max_instructions); break;
    case Isa::Aarch64: stop = m_engines->arm64.run(state, memory, max_instructions); break;
    case Isa::Rv64: stop = m_engines->riscv.run(state, memory, max_instructions); break;
  }
  PROCSIM_ASSERT(stop.instructions_executed <= max_instructions);
  return stop;
}

void Interpreter::flush_decoded() {
  m_engines->x86.flush();
  m_engines->arm64.flush();
  m_engines->riscv.flush();
}

std::string_view stop_reason_name(StopReason reason) {
  switch (reason) {
    case StopReason::BudgetExhausted: return "budget exhausted";
    case StopReason::Syscall: return "system call";
    case StopReason::Breakpoint: return "breakpoint";
    case StopReason::SingleStep: return "single step";
    case StopReason::IllegalInstruction: return "illegal instruction";
    case StopReason::MemoryFault: return "memory fault";
    case StopReason::PrivilegedInstruction: return "privileged instruction";
    case StopReason::MisalignedPc: return "misaligned pc";
  }
  PROCSIM_UNREACHABLE();
}

}  // namespace procsim::machine
