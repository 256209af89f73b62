// The architecture and ABI tables: names, address-space limits, breakpoint opcodes, etype names,
// system-call register roles, and agreement with the register-layout tables.
#include "model/machine/arch.h"

#include <doctest/doctest.h>

#include "model/machine/reg_layout.h"
#include "sim/base/bytes.h"

using namespace procsim::machine;

TEST_CASE("architecture rows carry FreeBSD's names, limits and breakpoint opcodes") {
  CHECK(arch_info(Arch::I386).name == "i386");
  CHECK(arch_info(Arch::Amd64).name == "amd64");
  CHECK(arch_info(Arch::Arm64).name == "arm64");
  CHECK(arch_info(Arch::Riscv64).name == "riscv64");
  CHECK(arch_info(Arch::Amd64).vm_maxuser_address == 0x800000000000);
  CHECK(arch_info(Arch::I386).vm_maxuser_address == 0xbfc00000);
  CHECK(arch_info(Arch::Arm64).vm_maxuser_address == 0x0001000000000000);
  CHECK(arch_info(Arch::Riscv64).vm_maxuser_address == 0x0000004000000000);
  for (const ArchInfo& info : all_archs()) CHECK(info.page_size_bytes == 4096);

  auto amd64_break = arch_info(Arch::Amd64).breakpoint.view();
  REQUIRE(amd64_break.size() == 1);
  CHECK(amd64_break[0] == 0xCC);
  auto arm_break = arch_info(Arch::Arm64).breakpoint.view();
  REQUIRE(arm_break.size() == 4);
  CHECK(procsim::base::load_le<std::uint32_t>(arm_break, 0) == 0xd4200000u);
  auto riscv_break = arch_info(Arch::Riscv64).breakpoint.view();
  REQUIRE(riscv_break.size() == 4);
  CHECK(procsim::base::load_le<std::uint32_t>(riscv_break, 0) == 0x00100073u);
}

TEST_CASE("only x86 reports the PC past a breakpoint, and only riscv lacks single step") {
  CHECK(arch_info(Arch::I386).breakpoint_pc == BreakpointPc::AfterInstruction);
  CHECK(arch_info(Arch::Amd64).breakpoint_pc == BreakpointPc::AfterInstruction);
  CHECK(arch_info(Arch::Arm64).breakpoint_pc == BreakpointPc::AtInstruction);
  CHECK(arch_info(Arch::Riscv64).breakpoint_pc == BreakpointPc::AtInstruction);
  CHECK(arch_info(Arch::Amd64).has_hardware_single_step);
  CHECK(arch_info(Arch::Arm64).has_hardware_single_step);
  CHECK_FALSE(arch_info(Arch::Riscv64).has_hardware_single_step);
}

TEST_CASE("ABI rows name the etype and pointer size of each process kind") {
  CHECK(abi_info(Abi::Amd64).sv_name == "FreeBSD ELF64");
  CHECK(abi_info(Abi::Arm64).sv_name == "FreeBSD ELF64");
  CHECK(abi_info(Abi::Riscv64).sv_name == "FreeBSD ELF64");
  CHECK(abi_info(Abi::I386).sv_name == "FreeBSD ELF32");
  CHECK(abi_info(Abi::Ia32).sv_name == "FreeBSD ELF32");
  CHECK(abi_info(Abi::Ia32).pointer_size_bytes == 4);
  CHECK(abi_info(Abi::Ia32).arch == Arch::Amd64);
  CHECK(abi_info(Abi::Ia32).isa == Isa::X86_32);
  CHECK(abi_info(Abi::Amd64).usrstack == 0x800000000000);
  CHECK(abi_info(Abi::Ia32).usrstack == 0xfffff000);
  CHECK(abi_info(Abi::Amd64).text_base == 0x400000);
  CHECK(abi_info(Abi::I386).text_base == 0x08048000);
}

TEST_CASE("ABI rows agree with the register-layout tables on every structure size") {
  for (const AbiInfo& abi : all_abis()) {
    CAPTURE(abi.name);
    CHECK(register_layout(abi.abi, RegSet::Reg).size_bytes == abi.reg_size_bytes);
    CHECK(register_layout(abi.abi, RegSet::FpReg).size_bytes == abi.fpreg_size_bytes);
    CHECK(register_layout(abi.abi, RegSet::DbReg).size_bytes == abi.dbreg_size_bytes);
  }
}

TEST_CASE("system-call register roles follow each architecture's convention") {
  const SyscallConvention& amd64 = abi_info(Abi::Amd64).syscall;
  CHECK(amd64.number_gpr == x86::kRax);
  CHECK(amd64.arg_gpr_count == 6);
  CHECK(amd64.arg_gprs[3] == x86::kR10);  // not rcx: syscall clobbers it
  CHECK(abi_info(Abi::I386).syscall.arg_gpr_count == 0);
  CHECK(abi_info(Abi::Arm64).syscall.number_gpr == 8);
  CHECK(abi_info(Abi::Arm64).syscall.carry_flag_mask == arm64::kPsrC);
  CHECK(abi_info(Abi::Riscv64).syscall.number_gpr == riscv::kT0);
  CHECK(abi_info(Abi::Riscv64).syscall.error_report == SyscallErrorReport::ErrorRegister);
}

TEST_CASE("architecture names parse, and program ABIs follow the kernel") {
  CHECK(arch_from_name("amd64") == Arch::Amd64);
  CHECK(arch_from_name("riscv64") == Arch::Riscv64);
  CHECK_FALSE(arch_from_name("x86_64").has_value());
  CHECK_FALSE(arch_from_name("").has_value());
  CHECK(program_abi(Arch::Amd64, Arch::Amd64).value() == Abi::Amd64);
  CHECK(program_abi(Arch::Amd64, Arch::I386).value() == Abi::Ia32);
  CHECK(program_abi(Arch::I386, Arch::I386).value() == Abi::I386);
  CHECK(program_abi(Arch::I386, Arch::Amd64).error() == MachineError::NotSupported);
  CHECK(program_abi(Arch::Arm64, Arch::Riscv64).error() == MachineError::NotSupported);
}

TEST_CASE("machine errors map to FreeBSD errno names and numbers") {
  CHECK(errno_name(MachineError::Invalid) == "EINVAL");
  CHECK(errno_value(MachineError::Invalid) == 22);
  CHECK(errno_name(MachineError::NotSupported) == "EOPNOTSUPP");
  CHECK(errno_value(MachineError::NotSupported) == 45);
}
