// Simulated machine code as user code: a Program whose run() drives the architecture's
// interpreter on the thread's registers (td_frame) against the process's UserMemory, makes
// system calls through each ABI's convention, and turns traps into signals (spec/kernel.md §1.6,
// §1.8, §7). Signal frames are built only as far as a handler needs (its argument registers
// and a return address into the signal trampoline); no siginfo or ucontext is written.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "model/kern/program.h"
#include "model/machine/arch.h"
#include "model/machine/asm/assembler.h"
#include "model/machine/cpu.h"
#include "model/machine/cpu_state.h"

namespace procsim::kern {

class Kernel;
class Proc;

class MachineProgram final : public Program {
 public:
  // Instructions retired between two looks at the clock, and what one instruction costs in
  // simulated CPU (KernelConfig::slice_units_per_tick buys a tick).
  static constexpr std::uint64_t kBatchInstructions = 1000;
  static constexpr std::uint64_t kUnitsPerInstruction = 1;
  // Signal handlers nested deeper than this find no stack for their frame: SIGILL.
  static constexpr int kHandlerDepthMax = 32;

  explicit MachineProgram(machine::CpuState start);

  int run(UserContext& context) override;
  void handle_signal(UserContext& context, Signal signal, std::uint64_t handler) override;
  std::unique_ptr<Program> clone_for_fork() const override;
  std::optional<machine::CpuState> initial_frame() const override { return m_start; }

 private:
  enum class RunEnd : std::uint8_t { Never, HandlerReturned };
  // Runs the thread's frame until the program exits (never returns) or, inside a handler,
  // until the handler returns through the trampoline.
  void execute(UserContext& context, RunEnd end);
  void system_call(UserContext& context);
  // Acts on one interpreter stop; true when a handler returned through the trampoline.
  bool dispatch_stop(UserContext& context, const machine::StopInfo& stop, RunEnd end);
  bool build_signal_frame(UserContext& context, Signal signal, std::uint64_t handler);

  machine::CpuState m_start;
  machine::Interpreter m_cpu;
  int m_handler_depth = 0;
};

// The factory exec and spawn use: machine code of `abi` entered at `entry` with the argument
// block at `stack`, starting from exec_setregs' registers.
std::unique_ptr<Program> make_machine_program(machine::Abi abi, std::uint64_t entry, std::uint64_t stack);
// The same, from registers already set up (exec has run exec_setregs on the frame).
std::unique_ptr<Program> make_machine_program(const machine::CpuState& start);

// Where a handler returns to: the signal trampoline page at the top of the ABI's user space
// (FreeBSD copies its sigcode there). Fetching from it ends the handler; nothing else is there.
std::uint64_t sigcode_address(machine::Abi abi);

// Maps an assembled image into a process that has not run yet: text read-execute, data
// read-write, each as anonymous memory holding the section's bytes (what tests and spawned
// machine code use; exec maps ELF images from their files instead).
vfs::KResult<void> load_image(Kernel& kernel, Proc& p, const machine::Image& image);

}  // namespace procsim::kern
