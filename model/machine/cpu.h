// Running simulated machine code: an Interpreter executes real instructions of the thread's
// ISA (the subsets listed in model/machine/README.md) on a CpuState against GuestMemory,
// until a budget runs out or the CPU would trap into the kernel. The caller (the kernel) turns
// each stop into a system call, a signal or a debugger event. Nothing here crashes on bad code.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "model/machine/cpu_state.h"
#include "model/machine/guest_memory.h"

namespace procsim::machine {

enum class StopReason : std::uint8_t {
  BudgetExhausted,        // max_instructions retired; nothing pending
  Syscall,                // syscall / int $0x80 / svc / ecall retired; PC is past it
  Breakpoint,             // int3 / brk / ebreak; PC as the architecture reports it (§1.8)
  SingleStep,             // one instruction retired with PSL_T / PSR_SS set
  IllegalInstruction,     // undecodable or outside the modelled subset: SIGILL; PC at it
  MemoryFault,            // data access or fetch failed: SIGSEGV (or SIGBUS); PC at the instruction
  PrivilegedInstruction,  // x86 general protection (e.g. `int $n` for other n): SIGBUS
  MisalignedPc,           // arm64/riscv PC not 4-aligned: SIGBUS/BUS_ADRALN
};

std::string_view stop_reason_name(StopReason reason);

enum class FaultAccess : std::uint8_t { Read, Write, Execute };

struct StopInfo {
  StopReason reason = StopReason::BudgetExhausted;
  std::uint64_t instructions_executed = 0;  // retired instructions during this run
  std::uint64_t fault_address = 0;          // MemoryFault: the failing address; traps: the PC reported
  MemFault fault = MemFault::None;
  FaultAccess access = FaultAccess::Read;
};

class Interpreter {
 public:
  Interpreter();
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  // Runs the thread until it stops; at most max_instructions retire. With single step enabled
  // (PSL_T, PSR_SS) exactly one instruction retires before a SingleStep stop.
  StopInfo run(CpuState& state, GuestMemory& memory, std::uint64_t max_instructions);

  // Drops all decoded code. Not needed when GuestMemory::code_generation is kept honest.
  void flush_decoded();

 private:
  struct Engines;
  std::unique_ptr<Engines> m_engines;
};

}  // namespace procsim::machine
