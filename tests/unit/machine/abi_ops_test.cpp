// The ABI register conventions: exec_setregs per ABI (spec/kernel.md §1.2), single step on and
// off (§1.8), and reading system-call requests and writing results per architecture (§1.6).
#include "model/machine/abi_ops.h"

#include <doctest/doctest.h>

using namespace procsim::machine;

TEST_CASE("amd64 exec aligns rsp to 8 mod 16 and passes the argument block in rdi") {
  CpuState state = initial_state(Abi::Amd64, 0x400100, 0x7fffffffe9a0);
  CHECK(state.pc == 0x400100);
  CHECK(state.gpr[x86::kRsp] == 0x7fffffffe998);  // ((stack - 8) & ~0xF) + 8
  CHECK(state.gpr[x86::kRdi] == 0x7fffffffe9a0);
  CHECK(state.flags == 0x202);
  CHECK(state.selector(Segment::Cs) == 0x43);
  CHECK(state.selector(Segment::Ss) == 0x3b);
  CHECK(state.selector(Segment::Ds) == 0x3b);
  CHECK(state.selector(Segment::Es) == 0x3b);
  CHECK(state.fp.x87.control == 0x037F);
  CHECK(state.fp.x87.mxcsr == 0x1F80);
  CpuState odd = initial_state(Abi::Amd64, 0x400100, 0x7fffffffe9a8);
  CHECK(odd.gpr[x86::kRsp] == 0x7fffffffe9a8);
}

TEST_CASE("amd64 exec keeps PSL_T of a traced thread; i386 exec clears the frame first") {
  CpuState traced = initial_state(Abi::Amd64, 0x400000, 0x7fffffffe000);
  traced.flags |= x86::kPslT | x86::kPslC;
  traced.debug.x86_dr[7] = 1;
  CpuState after = exec_setregs(traced, Abi::Amd64, 0x400200, 0x7fffffffe000);
  CHECK(after.flags == (0x202 | x86::kPslT));
  CHECK(after.debug.x86_dr[7] == 0);

  CpuState traced32 = initial_state(Abi::I386, 0x8048000, 0xbfbfe000);
  traced32.flags |= x86::kPslT;
  CpuState after32 = exec_setregs(traced32, Abi::I386, 0x8048000, 0xbfbfe000);
  CHECK(after32.flags == 0x202);
}

TEST_CASE("i386 and ia32 exec use the 32-bit user selectors and the 387 control word") {
  CpuState i386 = initial_state(Abi::I386, 0x8048080, 0xbfbfed00);
  CHECK(i386.gpr[x86::kRsp] == 0xbfbfed00);
  CHECK(i386.selector(Segment::Cs) == 0x33);
  CHECK(i386.selector(Segment::Fs) == 0x3b);
  CHECK(i386.selector(Segment::Gs) == 0x3b);
  CHECK(i386.fp.x87.control == 0x127F);
  CHECK(i386.gpr[x86::kRbx] == 0);
  CpuState ia32 = initial_state(Abi::Ia32, 0x8048080, 0xffffdd00);
  CHECK(ia32.selector(Segment::Cs) == 0x33);
  CHECK(ia32.selector(Segment::Fs) == 0x13);
  CHECK(ia32.selector(Segment::Gs) == 0x1b);
  CHECK(ia32.fp.x87.control == 0x127F);
}

TEST_CASE("arm64 and riscv exec pass the stack in the first argument and entry in the link reg") {
  CpuState arm = initial_state(Abi::Arm64, 0x200000, 0xfffffffffe38);
  CHECK(arm.gpr[0] == 0xfffffffffe38);
  CHECK(arm.gpr[arm64::kSp] == 0xfffffffffe30);
  CHECK(arm.gpr[arm64::kLr] == 0x200000);
  CHECK(arm.pc == 0x200000);
  CHECK(arm.flags == 0);
  CpuState rv = initial_state(Abi::Riscv64, 0x200000, 0x3fffffee38);
  CHECK(rv.gpr[riscv::kA0] == 0x3fffffee38);
  CHECK(rv.gpr[riscv::kSp] == 0x3fffffee30);
  CHECK(rv.gpr[riscv::kRa] == 0x200000);
}

TEST_CASE("single step sets PSL_T or PSR_SS, and is not supported on riscv") {
  CpuState x86 = initial_state(Abi::Amd64, 0x400000, 0x7fffffffe000);
  REQUIRE(set_single_step(x86).ok());
  CHECK((x86.flags & x86::kPslT) != 0);
  CHECK(single_step_enabled(x86));
  REQUIRE(clear_single_step(x86).ok());
  CHECK(x86.flags == 0x202);

  CpuState arm = initial_state(Abi::Arm64, 0x200000, 0xfffffffff000);
  REQUIRE(set_single_step(arm).ok());
  CHECK(arm.flags == arm64::kPsrSs);
  CHECK(single_step_enabled(arm));

  CpuState rv = initial_state(Abi::Riscv64, 0x200000, 0x3ffffff000);
  CHECK(set_single_step(rv).error() == MachineError::NotSupported);
  CHECK(clear_single_step(rv).error() == MachineError::NotSupported);
  CHECK_FALSE(single_step_enabled(rv));
}

TEST_CASE("system-call requests read the number and arguments by each ABI") {
  CpuState amd64 = initial_state(Abi::Amd64, 0x400000, 0x7fffffffe000);
  amd64.gpr[x86::kRax] = 4;
  amd64.gpr[x86::kRdi] = 1;
  amd64.gpr[x86::kRsi] = 2;
  amd64.gpr[x86::kRdx] = 3;
  amd64.gpr[x86::kR10] = 4;
  amd64.gpr[x86::kRcx] = 99;
  amd64.gpr[x86::kR8] = 5;
  amd64.gpr[x86::kR9] = 6;
  SyscallRequest request = syscall_request(amd64);
  CHECK(request.number == 4);
  REQUIRE(request.register_arg_count == 6);
  CHECK(request.register_args[0] == 1);
  CHECK(request.register_args[3] == 4);
  CHECK(request.register_args[5] == 6);

  CpuState i386 = initial_state(Abi::I386, 0x8048000, 0xbfbfe000);
  i386.gpr[x86::kRax] = 0x100000014;  // only the low 32 bits count
  SyscallRequest request32 = syscall_request(i386);
  CHECK(request32.number == 0x14);
  CHECK(request32.register_arg_count == 0);
  CHECK(request32.stack_args_address == 0xbfbfe004);

  CpuState arm = initial_state(Abi::Arm64, 0x200000, 0xfffffffff000);
  arm.gpr[8] = 20;
  arm.gpr[7] = 77;
  CHECK(syscall_request(arm).number == 20);
  CHECK(syscall_request(arm).register_args[7] == 77);

  CpuState rv = initial_state(Abi::Riscv64, 0x200000, 0x3ffffff000);
  rv.gpr[riscv::kT0] = 1;
  rv.gpr[riscv::kA7] = 8;
  CHECK(syscall_request(rv).number == 1);
  CHECK(syscall_request(rv).register_args[7] == 8);
}

TEST_CASE("system-call results set or clear the error indication of each ABI") {
  CpuState amd64 = initial_state(Abi::Amd64, 0x400000, 0x7fffffffe000);
  amd64.pc = 0x400010;
  set_syscall_error(amd64, 9);
  CHECK(amd64.gpr[x86::kRax] == 9);
  CHECK((amd64.flags & x86::kPslC) != 0);
  CHECK(amd64.gpr[x86::kRcx] == 0x400010);  // sysret reloads rcx and r11
  CHECK(amd64.gpr[x86::kR11] == amd64.flags);
  set_syscall_result(amd64, 3, 4);
  CHECK(amd64.gpr[x86::kRax] == 3);
  CHECK(amd64.gpr[x86::kRdx] == 4);
  CHECK((amd64.flags & x86::kPslC) == 0);

  CpuState arm = initial_state(Abi::Arm64, 0x200000, 0xfffffffff000);
  set_syscall_error(arm, 1);
  CHECK(arm.gpr[0] == 1);
  CHECK(arm.flags == arm64::kPsrC);
  set_syscall_result(arm, 5, 0);
  CHECK(arm.flags == 0);

  CpuState rv = initial_state(Abi::Riscv64, 0x200000, 0x3ffffff000);
  set_syscall_error(rv, 2);
  CHECK(rv.gpr[riscv::kT0] == 1);
  CHECK(rv.gpr[riscv::kA0] == 2);
  set_syscall_result(rv, 7, 8);
  CHECK(rv.gpr[riscv::kT0] == 0);
  CHECK(rv.gpr[riscv::kA1] == 8);

  CpuState i386 = initial_state(Abi::I386, 0x8048000, 0xbfbfe000);
  set_syscall_result(i386, ~std::uint64_t{0}, 0);
  CHECK(i386.gpr[x86::kRax] == 0xFFFFFFFF);
}

TEST_CASE("restarting a system call backs the PC up over its instruction") {
  CpuState amd64 = initial_state(Abi::Amd64, 0x400002, 0x7fffffffe000);
  restart_syscall(amd64);
  CHECK(amd64.pc == 0x400000);
  CpuState arm = initial_state(Abi::Arm64, 0x200004, 0xfffffffff000);
  restart_syscall(arm);
  CHECK(arm.pc == 0x200000);
  set_pc(arm, 0x200100);
  CHECK(arm.pc == 0x200100);
  CpuState i386 = initial_state(Abi::I386, 0x8048000, 0xbfbfe000);
  set_pc(i386, 0x1'0804'8000);
  CHECK(i386.pc == 0x08048000);
}
