// The architecture and ABI tables. Values cite spec/kernel.md; addresses FreeBSD 8.3 lacks
// (arm64, riscv64) are from the modern vmparam.h. Link addresses are the model's choice,
// following the usual FreeBSD linkers: GNU ld for i386/amd64, lld's default base for the rest.
#include "model/machine/arch.h"

#include <algorithm>

#include "model/machine/cpu_state.h"

namespace procsim::machine {
namespace {

constexpr std::array<ArchInfo, kArchCount> kArchs = {{
    // i386: VM_MAXUSER_ADDRESS = VADDR(PTDPTDI, 0) with the default KVA (8.3 vmparam.h).
    {Arch::I386,
     "i386",
     4096,
     0xbfc00000,
     true,
     {{0xCC}, 1},
     BreakpointPc::AfterInstruction,
     Abi::I386,
     std::nullopt},
    // amd64: spec/kernel.md §3.5 (USRSTACK = VM_MAXUSER_ADDRESS = 0x800000000000).
    {Arch::Amd64,
     "amd64",
     4096,
     0x800000000000,
     true,
     {{0xCC}, 1},
     BreakpointPc::AfterInstruction,
     Abi::Amd64,
     Abi::Ia32},
    // arm64: brk #0 = 0xd4200000 stored little-endian (spec/kernel.md §1.8).
    {Arch::Arm64,
     "arm64",
     4096,
     0x0001000000000000,
     true,
     {{0x00, 0x00, 0x20, 0xd4}, 4},
     BreakpointPc::AtInstruction,
     Abi::Arm64,
     std::nullopt},
    // riscv64: SV39, the mode every rv64 kernel supports; no ptrace single step (§1.8).
    {Arch::Riscv64,
     "riscv64",
     4096,
     0x0000004000000000,
     false,
     {{0x73, 0x00, 0x10, 0x00}, 4},
     BreakpointPc::AtInstruction,
     Abi::Riscv64,
     std::nullopt},
}};

constexpr SyscallConvention kX86_64Syscall = {
    x86::kRax,  {x86::kRdi, x86::kRsi, x86::kRdx, x86::kR10, x86::kR8, x86::kR9},
    6,          x86::kRax,
    x86::kRdx,  SyscallErrorReport::CarryFlag,
    x86::kPslC, 0};
// i386 passes every argument on the user stack, above the return address of the stub.
constexpr SyscallConvention kX86_32Syscall = {
    x86::kRax, {}, 0, x86::kRax, x86::kRdx, SyscallErrorReport::CarryFlag, x86::kPslC, 0};
constexpr SyscallConvention kArm64Syscall = {
    8, {0, 1, 2, 3, 4, 5, 6, 7}, 8, 0, 1, SyscallErrorReport::CarryFlag, arm64::kPsrC, 0};
constexpr SyscallConvention kRiscvSyscall = {riscv::kT0, {10, 11, 12, 13, 14, 15, 16, 17},  8, riscv::kA0,
                                             riscv::kA1, SyscallErrorReport::ErrorRegister, 0, riscv::kT0};

constexpr std::array<AbiInfo, kAbiCount> kAbis = {{
    {Abi::I386, "i386", Arch::I386, Arch::I386, Isa::X86_32, 4, "FreeBSD ELF32", 0xbfc00000, 0xbfc00000,
     0x08048000, 0, 76, 176, 32, kX86_32Syscall, 2, 0x127F},
    {Abi::Amd64, "amd64", Arch::Amd64, Arch::Amd64, Isa::X86_64, 8, "FreeBSD ELF64", 0x800000000000,
     0x800000000000, 0x400000, 0x200000, 176, 512, 128, kX86_64Syscall, 2, 0x037F},
    // ia32 on amd64: IA32_USRSTACK = 4 GB - PAGE_SIZE is both the stack top and sv_maxuser.
    {Abi::Ia32, "ia32", Arch::Amd64, Arch::I386, Isa::X86_32, 4, "FreeBSD ELF32", 0xfffff000, 0xfffff000,
     0x08048000, 0, 76, 176, 32, kX86_32Syscall, 2, 0x127F},
    // arm64 and riscv64 keep the shared page just below VM_MAXUSER_ADDRESS; USRSTACK is it.
    {Abi::Arm64, "arm64", Arch::Arm64, Arch::Arm64, Isa::Aarch64, 8, "FreeBSD ELF64", 0x0001000000000000,
     0x0000fffffffff000, 0x200000, 0x10000, 272, 528, 520, kArm64Syscall, 4, 0},
    {Abi::Riscv64, "riscv64", Arch::Riscv64, Arch::Riscv64, Isa::Rv64, 8, "FreeBSD ELF64", 0x0000004000000000,
     0x0000003ffffff000, 0x200000, 0, 264, 520, 4, kRiscvSyscall, 4, 0},
}};

constexpr bool tables_are_in_enum_order() {
  for (std::size_t i = 0; i < kArchs.size(); ++i)
    if (static_cast<std::size_t>(kArchs[i].arch) != i) return false;
  for (std::size_t i = 0; i < kAbis.size(); ++i)
    if (static_cast<std::size_t>(kAbis[i].abi) != i) return false;
  return true;
}
static_assert(tables_are_in_enum_order(), "rows must be indexed by their enum");
static_assert(kArchs[static_cast<std::size_t>(Arch::Amd64)].vm_maxuser_address == 0x800000000000);

}  // namespace

const ArchInfo& arch_info(Arch arch) {
  auto index = static_cast<std::size_t>(arch);
  PROCSIM_ASSERT(index < kArchs.size());
  const ArchInfo& info = kArchs[index];
  PROCSIM_ASSERT(info.arch == arch);
  return info;
}

const AbiInfo& abi_info(Abi abi) {
  auto index = static_cast<std::size_t>(abi);
  PROCSIM_ASSERT(index < kAbis.size());
  const AbiInfo& info = kAbis[index];
  PROCSIM_ASSERT(info.abi == abi);
  return info;
}

std::span<const ArchInfo> all_archs() { return kArchs; }
std::span<const AbiInfo> all_abis() { return kAbis; }

std::optional<Arch> arch_from_name(std::string_view name) {
  auto found =
      std::find_if(kArchs.begin(), kArchs.end(), [&](const ArchInfo& info) { return info.name == name; });
  if (found == kArchs.end()) return std::nullopt;
  return found->arch;
}

base::Result<Abi, MachineError> program_abi(Arch kernel, Arch program_arch) {
  const ArchInfo& info = arch_info(kernel);
  if (program_arch == kernel) return info.native_abi;
  if (info.compat_abi && abi_info(*info.compat_abi).program_arch == program_arch) return *info.compat_abi;
  return base::fail(MachineError::NotSupported);
}

std::uint64_t stack_pointer(const CpuState& state) {
  switch (abi_info(state.abi).isa) {
    case Isa::X86_32:
    case Isa::X86_64: return state.gpr[x86::kRsp];
    case Isa::Aarch64: return state.gpr[arm64::kSp];
    case Isa::Rv64: return state.gpr[riscv::kSp];
  }
  PROCSIM_UNREACHABLE();
}

void set_stack_pointer(CpuState& state, std::uint64_t value) {
  switch (abi_info(state.abi).isa) {
    case Isa::X86_32:
    case Isa::X86_64: state.gpr[x86::kRsp] = value; return;
    case Isa::Aarch64: state.gpr[arm64::kSp] = value; return;
    case Isa::Rv64: state.gpr[riscv::kSp] = value; return;
  }
  PROCSIM_UNREACHABLE();
}

}  // namespace procsim::machine
