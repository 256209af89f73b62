// The user registers every thread carries (td_frame): what spawn, scripted system calls and
// fork leave in them on each architecture.
#include <doctest/doctest.h>

#include "model/machine/arch.h"
#include "tests/unit/kern/kernel_test_support.h"

namespace procsim::kern {
namespace {

using testing::TestMachine;

KernelConfig config_for(machine::Arch arch) {
  KernelConfig config = testing::checked_config();
  config.arch = arch;
  return config;
}

TEST_CASE("a spawned process starts with the native ABI's exec registers at the link address") {
  for (const machine::ArchInfo& arch : machine::all_archs()) {
    CAPTURE(arch.name);
    TestMachine m(config_for(arch.arch));
    Pid pid = m.spawn();
    const machine::AbiInfo& abi = machine::abi_info(arch.native_abi);
    CHECK(m.proc(pid).abi == arch.native_abi);
    CHECK(m.thread(pid).frame.abi == arch.native_abi);
    CHECK(m.thread(pid).frame.pc == abi.text_base);
    CHECK(machine::stack_pointer(m.thread(pid).frame) < abi.usrstack);
  }
}

TEST_CASE("a scripted call leaves its number, arguments and result in the registers as libc would") {
  TestMachine m(config_for(machine::Arch::Amd64));
  Pid pid = m.spawn();
  const machine::CpuState& frame = m.thread(pid).frame;
  CHECK(m.ok_value(pid, Sysno::Getpid) == pid.value());
  CHECK(frame.gpr[machine::x86::kRax] == static_cast<std::uint64_t>(pid.value()));
  CHECK((frame.flags & machine::x86::kPslC) == 0);
  CHECK(m.error_of(pid, Sysno::Kill, {99999, 0}) == vfs::Errno::Esrch);
  CHECK(frame.gpr[machine::x86::kRax] == 3);  // ESRCH
  CHECK((frame.flags & machine::x86::kPslC) != 0);
  CHECK(frame.gpr[machine::x86::kRdi] == 99999);
}

TEST_CASE("riscv reports a failed call in t0 and the errno in a0") {
  TestMachine m(config_for(machine::Arch::Riscv64));
  Pid pid = m.spawn();
  CHECK(m.error_of(pid, Sysno::Kill, {99999, 0}) == vfs::Errno::Esrch);
  const machine::CpuState& frame = m.thread(pid).frame;
  CHECK(frame.gpr[machine::riscv::kT0] == 1);
  CHECK(frame.gpr[machine::riscv::kA0] == 3);
  CHECK(m.ok_value(pid, Sysno::Getpid) == pid.value());
  CHECK(frame.gpr[machine::riscv::kT0] == 0);
}

TEST_CASE("a forked child returns 0 in its copy of the parent's registers") {
  TestMachine m(config_for(machine::Arch::Amd64));
  Pid parent = m.spawn();
  std::int64_t child = m.ok_value(parent, Sysno::Fork);
  REQUIRE(child > 0);
  const machine::CpuState& frame = m.thread(Pid(static_cast<std::int32_t>(child))).frame;
  CHECK(frame.gpr[machine::x86::kRax] == 0);
  CHECK(frame.gpr[machine::x86::kRdx] == 1);
  CHECK((frame.flags & machine::x86::kPslC) == 0);
  CHECK(frame.pc == m.thread(parent).frame.pc);
  CHECK(m.thread(parent).frame.gpr[machine::x86::kRax] == static_cast<std::uint64_t>(child));
}

}  // namespace
}  // namespace procsim::kern
