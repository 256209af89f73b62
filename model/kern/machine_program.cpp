// Machine code on a thread: the run loop over the interpreter, system calls through the ABI's
// registers, traps turned into signals, and minimal signal frames. The interpreter runs
// directly on td_frame, so whatever a debugger writes while the thread is stopped is what runs.
#include "model/kern/machine_program.h"

#include <algorithm>
#include <array>

#include "model/kern/kernel.h"
#include "model/machine/abi_ops.h"
#include "model/machine/guest_memory.h"
#include "model/vm/vm_map.h"
#include "model/vm/vm_types.h"
#include "sim/base/assert.h"
#include "sim/base/bytes.h"

namespace procsim::kern {

namespace {

constexpr std::uint64_t kPageBytes = 4096;

// si_code values (8.3 sys/sys/signal.h) and the amd64 trap number reported for an old-style
// protection fault (sys/amd64/include/trap.h T_PAGEFLT).
constexpr std::int32_t kTrapBrkpt = 1, kTrapTrace = 2;
constexpr std::int32_t kSegvMaperr = 1, kSegvAccerr = 2;
constexpr std::int32_t kBusAdraln = 1, kBusObjerr = 3;
constexpr std::int32_t kIllIllopc = 1, kIllIlltrp = 4, kIllPrvopc = 5;
constexpr std::int32_t kTPageflt = 12;
// P_OSREL_SIGSEGV: binaries from this osrel on get SIGSEGV for protection faults (spec §7).
constexpr std::int32_t kOsrelSigsegv = 700004;

// What an undecodable instruction raises on each instruction set: x86's #UD is taken as
// T_PRIVINFLT (ILL_PRVOPC), arm64 reports ILL_ILLOPC, riscv ILL_ILLTRP.
std::int32_t illegal_instruction_code(machine::Isa isa) {
  switch (isa) {
    case machine::Isa::X86_32:
    case machine::Isa::X86_64: return kIllPrvopc;
    case machine::Isa::Aarch64: return kIllIllopc;
    case machine::Isa::Rv64: return kIllIlltrp;
  }
  PROCSIM_UNREACHABLE();
}

machine::MemFault fault_of(const vfs::KResult<void>& result) {
  if (result.ok()) return machine::MemFault::None;
  return result.error() == vfs::Errno::Eacces ? machine::MemFault::Protection : machine::MemFault::Unmapped;
}

// The interpreter's view of the process's memory. The trampoline page cannot be executed, so
// a handler returning into it stops the interpreter there.
class UserGuestMemory final : public machine::GuestMemory {
 public:
  UserGuestMemory(UserMemory& memory, std::uint64_t sigcode) : m_memory(memory), m_sigcode(sigcode) {}

  machine::MemFault read(std::uint64_t address, std::span<std::uint8_t> out) override {
    return fault_of(m_memory.load(UserAddr(address), out));
  }
  machine::MemFault write(std::uint64_t address, std::span<const std::uint8_t> in) override {
    return fault_of(m_memory.store(UserAddr(address), in));
  }
  machine::MemFault fetch(std::uint64_t address, std::span<std::uint8_t> out) override {
    bool overlaps = address < m_sigcode + kPageBytes && address + out.size() > m_sigcode;
    if (overlaps) return machine::MemFault::Unmapped;
    return fault_of(m_memory.fetch(UserAddr(address), out));
  }
  std::uint64_t code_generation() const override { return m_memory.code_generation(); }

 private:
  UserMemory& m_memory;
  std::uint64_t m_sigcode;
};

bool is_x86(machine::Abi abi) {
  machine::Isa isa = machine::abi_info(abi).isa;
  return isa == machine::Isa::X86_32 || isa == machine::Isa::X86_64;
}

}  // namespace

std::uint64_t sigcode_address(machine::Abi abi) {
  const machine::AbiInfo& info = machine::abi_info(abi);
  PROCSIM_ASSERT(info.vm_maxuser_address > kPageBytes);
  return info.vm_maxuser_address - kPageBytes;
}

MachineProgram::MachineProgram(machine::CpuState start) : m_start(start) {}

std::unique_ptr<Program> make_machine_program(machine::Abi abi, std::uint64_t entry, std::uint64_t stack) {
  return make_machine_program(machine::initial_state(abi, entry, stack));
}

std::unique_ptr<Program> make_machine_program(const machine::CpuState& start) {
  return std::make_unique<MachineProgram>(start);
}

std::unique_ptr<Program> MachineProgram::clone_for_fork() const {
  // The child resumes from its own copy of the registers; only the decoded code is not shared.
  return std::make_unique<MachineProgram>(m_start);
}

int MachineProgram::run(UserContext& context) {
  execute(context, RunEnd::Never);
  PROCSIM_UNREACHABLE();
}

// No batch limit is needed here: every batch uses simulated CPU, so the engine's tick limits
// bound a program that never stops.
void MachineProgram::execute(UserContext& context, RunEnd end) {
  Thread& td = context.thread();
  for (;;) {
    UserGuestMemory guest(context.memory(), sigcode_address(td.frame.abi));
    machine::StopInfo stop = m_cpu.run(td.frame, guest, kBatchInstructions);
    // At least one unit, so that a trap that repeats at once still moves time on.
    std::uint64_t retired = std::max<std::uint64_t>(1, stop.instructions_executed);
    if (dispatch_stop(context, stop, end)) return;
    context.consume_cpu(retired * kUnitsPerInstruction);
  }
}

bool MachineProgram::dispatch_stop(UserContext& context, const machine::StopInfo& stop, RunEnd end) {
  Thread& td = context.thread();
  Kernel& kernel = context.kernel();
  machine::Isa isa = machine::abi_info(td.frame.abi).isa;
  switch (stop.reason) {
    case machine::StopReason::BudgetExhausted: return false;
    case machine::StopReason::Syscall: system_call(context); return false;
    case machine::StopReason::Breakpoint:
      kernel.trapsignal(td, Sigtrap, kTrapBrkpt, stop.fault_address);
      return false;
    case machine::StopReason::SingleStep:
      // The kernel clears the step bit before it reports the step (spec/kernel.md §1.8).
      (void)machine::clear_single_step(td.frame);
      kernel.trapsignal(td, Sigtrap, kTrapTrace, td.frame.pc);
      return false;
    case machine::StopReason::IllegalInstruction:
      kernel.trapsignal(td, Sigill, illegal_instruction_code(isa), stop.fault_address);
      return false;
    case machine::StopReason::PrivilegedInstruction:
      kernel.trapsignal(td, Sigbus, kBusObjerr, stop.fault_address);
      return false;
    case machine::StopReason::MisalignedPc:
      kernel.trapsignal(td, Sigbus, kBusAdraln, stop.fault_address);
      return false;
    case machine::StopReason::MemoryFault: break;
  }
  bool at_trampoline = stop.access == machine::FaultAccess::Execute &&
                       stop.fault_address >= sigcode_address(td.frame.abi) &&
                       stop.fault_address < sigcode_address(td.frame.abi) + kPageBytes;
  if (at_trampoline && end == RunEnd::HandlerReturned) return true;
  if (stop.fault == machine::MemFault::Protection) {
    if (td.proc().osrel >= kOsrelSigsegv) {
      kernel.trapsignal(td, Sigsegv, kSegvAccerr, stop.fault_address);
    } else {
      kernel.trapsignal(td, Sigbus, kTPageflt, stop.fault_address);
    }
    return false;
  }
  kernel.trapsignal(td, Sigsegv, kSegvMaperr, stop.fault_address);
  return false;
}

// The trap has retired the system-call instruction. Arguments the ABI passes on the stack are
// copied in as pointer-sized words (EFAULT if they cannot be); a step over the call is reported
// once it has returned (spec/kernel.md §1.8).
void MachineProgram::system_call(UserContext& context) {
  Thread& td = context.thread();
  const machine::AbiInfo& abi = machine::abi_info(td.frame.abi);
  machine::SyscallRequest trap = machine::syscall_request(td.frame);
  SyscallRequest request;
  request.number = static_cast<std::uint32_t>(trap.number);
  std::size_t in_registers = std::min<std::size_t>(trap.register_arg_count, request.args.size());
  for (std::size_t i = 0; i < in_registers; ++i) request.args[i] = trap.register_args[i];
  const SyscallRow* row = syscall_row(request.number);
  std::size_t nargs = row == nullptr ? 0 : row->nargs;
  for (std::size_t i = in_registers; i < nargs; ++i) {
    std::array<std::uint8_t, 8> raw{};
    std::uint64_t at = trap.stack_args_address + (i - in_registers) * abi.pointer_size_bytes;
    base::MutableByteSpan word(raw.data(), abi.pointer_size_bytes);
    if (context.memory().copyin(UserAddr(at), word).is_error()) {
      machine::set_syscall_error(td.frame, vfs::errno_value(vfs::Errno::Efault));
      return;
    }
    request.args[i] = base::load_le<std::uint64_t>(raw, 0);
  }
  // The kernel leaves the result in the registers (cpu_set_syscall_retval).
  (void)context.kernel().syscall(td, request);
  // A successful execve does not return here: this program is retired and unwinds.
  if (td.image_replaced) throw ImageReplaced{};
  if (machine::single_step_enabled(td.frame)) {
    (void)machine::clear_single_step(td.frame);
    context.kernel().trapsignal(td, Sigtrap, kTrapTrace, td.frame.pc);
  }
}

void MachineProgram::handle_signal(UserContext& context, Signal signal, std::uint64_t handler) {
  Thread& td = context.thread();
  // sigreturn puts back exactly the registers the signal interrupted.
  machine::CpuState interrupted = td.frame;
  if (m_handler_depth >= kHandlerDepthMax || !build_signal_frame(context, signal, handler)) {
    context.kernel().sendsig_failed(td);
  }
  ++m_handler_depth;
  execute(context, RunEnd::HandlerReturned);
  --m_handler_depth;
  PROCSIM_ASSERT(m_handler_depth >= 0);
  td.frame = interrupted;
}

// The handler's arguments (signal number; no siginfo or context pointers) and a return into
// the trampoline: pushed on the stack on x86, in the link register elsewhere. False when the
// stack cannot take the frame.
bool MachineProgram::build_signal_frame(UserContext& context, Signal signal, std::uint64_t handler) {
  machine::CpuState& frame = context.thread().frame;
  const machine::AbiInfo& abi = machine::abi_info(frame.abi);
  std::uint64_t sigcode = sigcode_address(frame.abi);
  std::uint64_t sp = machine::stack_pointer(frame);
  std::array<std::uint8_t, 8> raw{};
  if (abi.isa == machine::Isa::X86_64) {
    // Below the red zone, 16-aligned, then the return address.
    sp = ((sp - 128) & ~std::uint64_t{0xF}) - 8;
    base::store_le<std::uint64_t>(raw, 0, sigcode);
    if (context.memory().copyout(UserAddr(sp), raw).is_error()) return false;
    frame.gpr[machine::x86::kRdi] = signal.value();
    frame.gpr[machine::x86::kRsi] = 0;
    frame.gpr[machine::x86::kRdx] = 0;
  } else if (abi.isa == machine::Isa::X86_32) {
    // cdecl: the signal number above the return address.
    sp = ((sp - 16) & ~std::uint64_t{0xF}) - 8;
    base::store_le<std::uint32_t>(raw, 0, static_cast<std::uint32_t>(sigcode));
    base::store_le<std::uint32_t>(raw, 4, signal.value());
    if (context.memory().copyout(UserAddr(sp), raw).is_error()) return false;
  } else {
    sp = (sp - 16) & ~std::uint64_t{0xF};
    std::uint8_t arg0 = abi.isa == machine::Isa::Aarch64 ? 0 : machine::riscv::kA0;
    std::uint8_t link = abi.isa == machine::Isa::Aarch64 ? machine::arm64::kLr : machine::riscv::kRa;
    frame.gpr[arg0] = signal.value();
    frame.gpr[arg0 + 1u] = 0;
    frame.gpr[arg0 + 2u] = 0;
    frame.gpr[link] = sigcode;
  }
  // sendsig clears the trace and direction flags for the handler.
  if (is_x86(frame.abi)) frame.flags &= ~(machine::x86::kPslT | machine::x86::kPslD);
  machine::set_stack_pointer(frame, sp);
  machine::set_pc(frame, handler);
  PROCSIM_ASSERT(machine::stack_pointer(frame) == sp);
  return true;
}

namespace {

// Anonymous memory at [start, end), charged by force as exec's own mappings are.
vfs::KResult<void> map_anonymous(Kernel& kernel, Proc& p, vm::VmOffset start, vm::VmOffset end,
                                 vm::Prot prot) {
  vm::Caller caller = kernel.vm_caller(p);
  if (end <= start) return base::fail(vfs::Errno::Einval);
  // Set up on the process's behalf like exec's own mappings: charged by force.
  kernel.swap_account().reserve_force(end - start, caller);
  vm::KernReturn inserted =
      p.vmspace->insert(std::nullopt, 0, start, end, prot, vm::VM_PROT_ALL, vm::MAP_ACC_CHARGED, caller);
  if (inserted != vm::KernReturn::KERN_SUCCESS) {
    kernel.swap_account().release_by_uid(end - start, caller.ruid);
    return base::fail(vfs::Errno::Einval);
  }
  return {};
}

vfs::KResult<void> map_section(Kernel& kernel, Proc& p, const machine::Section& section, vm::Prot prot) {
  if (section.bytes.empty()) return {};
  vm::VmOffset start = vm::trunc_page(section.address);
  vm::VmOffset end = vm::round_page(section.address + section.bytes.size());
  TRY(map_anonymous(kernel, p, start, end, prot));
  // The bytes go in as a debugger's would, so read-only text can be filled.
  RwmemResult copied = kernel.proc_rwmem(p, p.first_thread(), section.address, base::ByteSpan(section.bytes));
  if (copied.error) return base::fail(*copied.error);
  PROCSIM_ASSERT(copied.moved == section.bytes.size());
  return {};
}

}  // namespace

vfs::KResult<void> load_image(Kernel& kernel, Proc& p, const machine::Image& image) {
  if (!p.vmspace) return base::fail(vfs::Errno::Efault);
  TRY(map_section(kernel, p, image.text, vm::VM_PROT_READ | vm::VM_PROT_EXECUTE));
  TRY(map_section(kernel, p, image.data, vm::VM_PROT_READ | vm::VM_PROT_WRITE));
  // A 32-bit program in a 64-bit kernel's address space finds no stack under its own USRSTACK:
  // give it one (exec would build an ILP32 address space instead).
  const machine::AbiInfo& abi = machine::abi_info(image.abi);
  constexpr std::uint64_t kCompatStackBytes = 128 * 1024;
  if (p.vmspace->entry_containing(abi.usrstack - 1) == nullptr) {
    TRY(map_anonymous(kernel, p, abi.usrstack - kCompatStackBytes, abi.usrstack,
                      vm::VM_PROT_READ | vm::VM_PROT_WRITE));
  }
  return {};
}

}  // namespace procsim::kern
