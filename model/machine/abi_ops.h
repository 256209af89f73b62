// What the kernel does to a thread's registers through an ABI: the initial state after exec,
// single-step on/off, reading a system call's number and arguments and writing its result,
// restarting it, and moving the PC. Every rule is data from the AbiInfo/ArchInfo rows plus
// the per-architecture facts of spec/kernel.md §1.2, §1.6 and §1.8.
#pragma once

#include <array>
#include <cstdint>

#include "model/machine/cpu_state.h"
#include "model/machine/machine_error.h"
#include "sim/base/result.h"

namespace procsim::machine {

// The register state exec_setregs leaves: `stack` is the address of the argument block (argc,
// argv, envp) that exec copied out. A traced amd64 thread keeps PSL_T across exec, so the
// previous state is passed in. spec/kernel.md §1.2
CpuState exec_setregs(const CpuState& previous, Abi abi, std::uint64_t entry, std::uint64_t stack);

// A fresh state for a thread that never ran (the same as exec from a zero state).
CpuState initial_state(Abi abi, std::uint64_t entry, std::uint64_t stack);

// ptrace_single_step / ptrace_clear_single_step. riscv has no hardware step: NotSupported.
base::Result<void, MachineError> set_single_step(CpuState& state);
base::Result<void, MachineError> clear_single_step(CpuState& state);
bool single_step_enabled(const CpuState& state);

// ptrace_set_pc.
void set_pc(CpuState& state, std::uint64_t pc);

// The system call a thread stopped at (StopReason::Syscall) asks for.
struct SyscallRequest {
  std::uint64_t number = 0;
  std::array<std::uint64_t, 8> register_args{};
  std::uint8_t register_arg_count = 0;
  // Where the remaining (on i386: all) arguments start on the user stack, pointer-sized each.
  std::uint64_t stack_args_address = 0;
};
SyscallRequest syscall_request(const CpuState& state);

// cpu_set_syscall_retval: success stores the two return values and clears the error
// indication; failure stores errno in the first return register and sets it. Both also
// finish the trap: amd64 returns with sysret, which reloads rcx and r11.
void set_syscall_result(CpuState& state, std::uint64_t value, std::uint64_t value2);
void set_syscall_error(CpuState& state, int errno_value);

// ERESTART: back the PC up over the system-call instruction so it runs again.
void restart_syscall(CpuState& state);

}  // namespace procsim::machine
