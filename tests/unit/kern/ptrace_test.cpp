// ptrace(2): attach and detach with their reparenting, every precondition's errno in 8.3's
// order, and a debugger stepping, reading registers and planting breakpoints in machine code.
#include <doctest/doctest.h>

#include <array>
#include <string>

#include "model/kern/machine_program.h"
#include "model/kern/sys_ptrace.h"
#include "model/kern/wait_status.h"
#include "model/machine/abi_ops.h"
#include "model/machine/asm/assembler.h"
#include "model/vm/vmspace.h"
#include "tests/unit/kern/machine_code_support.h"

namespace procsim::kern {
namespace {

using testing::config_for;
using testing::spawn_machine_code;
using testing::TestMachine;

std::uint64_t req(PtRequest request) {
  return static_cast<std::uint64_t>(static_cast<std::int32_t>(request));
}
std::uint64_t pid_arg(Pid pid) { return static_cast<std::uint64_t>(pid.value()); }

SyscallResult ptrace(TestMachine& m, Pid caller, PtRequest request, Pid pid, std::uint64_t addr = 0,
                     std::int64_t data = 0) {
  return m.call(caller, Sysno::Ptrace, {req(request), pid_arg(pid), addr, sarg(data)});
}

std::optional<vfs::Errno> ptrace_error(TestMachine& m, Pid caller, PtRequest request, Pid pid,
                                       std::uint64_t addr = 0, std::int64_t data = 0) {
  return ptrace(m, caller, request, pid, addr, data).error;
}

TEST_CASE("PT_ATTACH adopts the target, stops it with SIGSTOP, and PT_DETACH gives it back") {
  TestMachine m;
  Pid parent = m.spawn_as(1001);
  Pid target = m.spawn_as(1001, parent);
  Pid debugger = m.spawn_as(1001);
  CHECK(ptrace(m, debugger, PtRequest::Attach, target).ok());
  Proc& p = m.proc(target);
  CHECK((p.flag & P_TRACED) != 0);
  CHECK(p.pptr == &m.proc(debugger));
  CHECK(p.oppid == parent);
  auto [pid, status] = m.wait4(debugger, target.value());
  CHECK(pid == target.value());
  CHECK(wifstopped(status));
  CHECK(wstopsig(status) == Sigstop.value());
  CHECK(ptrace(m, debugger, PtRequest::Detach, target, 1, 0).ok());
  CHECK((p.flag & P_TRACED) == 0);
  CHECK(p.pptr == &m.proc(parent));
  CHECK(p.oppid == Pid(0));
  CHECK((p.flag & P_STOPPED) == 0);
  // It runs again: a call it makes completes.
  CHECK(m.ok_value(target, Sysno::Getpid) == target.value());
}

TEST_CASE("PT_ATTACH fails with FreeBSD's errno for each refused target") {
  TestMachine m;
  Pid debugger = m.spawn_as(1001);
  Pid other_user = m.spawn_as(1002);
  Pid mine = m.spawn_as(1001);
  CHECK(ptrace_error(m, debugger, PtRequest::Attach, Pid(77777)) == vfs::Errno::Esrch);
  CHECK(ptrace_error(m, debugger, PtRequest::Attach, other_user) == vfs::Errno::Eperm);
  CHECK(ptrace_error(m, debugger, PtRequest::Attach, debugger) == vfs::Errno::Einval);
  CHECK(ptrace_error(m, debugger, PtRequest::Attach, Pid(1)) == vfs::Errno::Eperm);
  CHECK(ptrace(m, debugger, PtRequest::Attach, mine).ok());
  Pid second = m.spawn_as(1001);
  CHECK(ptrace_error(m, second, PtRequest::Attach, mine) == vfs::Errno::Ebusy);
  // Requests other than attach need a traced, stopped target whose stop the debugger collected.
  CHECK(ptrace_error(m, second, PtRequest::Continue, mine, 1) == vfs::Errno::Ebusy);
  CHECK(ptrace_error(m, debugger, PtRequest::Continue, mine, 1) == vfs::Errno::Ebusy);
  Pid untraced = m.spawn_as(1001);
  CHECK(ptrace_error(m, debugger, PtRequest::Continue, untraced, 1) == vfs::Errno::Eperm);
  (void)m.wait4(debugger, mine.value());
  CHECK(ptrace_error(m, debugger, PtRequest::Continue, mine, 1, 129) == vfs::Errno::Einval);
  CHECK(ptrace_error(m, debugger, static_cast<PtRequest>(99), mine) == vfs::Errno::Einval);
  CHECK(ptrace(m, debugger, PtRequest::Continue, mine, 1, 0).ok());
}

TEST_CASE("root may not trace init: EINVAL as a system process, EPERM once securelevel is raised") {
  SUBCASE("securelevel -1") {
    TestMachine m;
    Pid root = m.spawn();
    CHECK(ptrace_error(m, root, PtRequest::Attach, Pid(1)) == vfs::Errno::Einval);
  }
  SUBCASE("securelevel 1") {
    KernelConfig config = testing::checked_config();
    config.securelevel = 1;
    TestMachine m(config);
    Pid root = m.spawn();
    CHECK(ptrace_error(m, root, PtRequest::Attach, Pid(1)) == vfs::Errno::Eperm);
  }
}

// The PC a debugger reads with PT_GETREGS (struct reg of the debugger's ABI).
std::uint64_t read_pc(TestMachine& m, Pid debugger, Pid target) {
  REQUIRE(ptrace(m, debugger, PtRequest::Getregs, target, testing::kArgA).ok());
  const machine::RegLayout& layout = machine::register_layout(m.proc(debugger).abi, machine::RegSet::Reg);
  for (const machine::RegField& field : layout.fields) {
    if (field.slot != machine::RegSlot::Pc) continue;
    return field.width == 4 ? m.read_value<std::uint32_t>(debugger, testing::kArgA + field.offset)
                            : m.read_value<std::uint64_t>(debugger, testing::kArgA + field.offset);
  }
  FAIL("no PC in struct reg");
  return 0;
}

TEST_CASE("PT_STEP retires exactly one instruction and reports SIGTRAP; PT_CONTINUE runs to the end") {
  // PT_TRACE_ME, then a breakpoint stops it for the parent.
  TestMachine m(config_for(machine::Arch::Amd64));
  Pid debugger = m.spawn();
  Pid child =
      spawn_machine_code(m, debugger, machine::Abi::Amd64,
                         "_start:\n xor %edi, %edi\n xor %esi, %esi\n xor %edx, %edx\n"
                         " mov $26, %eax\n syscall\n"
                         " int3\n mov $1, %ebx\n add %ebx, %ebx\n mov %ebx, %edi\n mov $1, %eax\n syscall\n");
  auto [pid, status] = m.wait4(debugger, child.value());
  REQUIRE(wifstopped(status));
  CHECK(wstopsig(status) == Sigtrap.value());
  std::uint64_t after_int3 = read_pc(m, debugger, child);
  CHECK(after_int3 == machine::abi_info(machine::Abi::Amd64).text_base + 14);
  CHECK(ptrace(m, debugger, PtRequest::Step, child, 1, 0).ok());
  std::tie(pid, status) = m.wait4(debugger, child.value());
  REQUIRE(wifstopped(status));
  CHECK(wstopsig(status) == Sigtrap.value());
  CHECK(read_pc(m, debugger, child) == after_int3 + 5);  // mov $1, %ebx is five bytes
  CHECK((m.thread(child).frame.flags & machine::x86::kPslT) == 0);
  CHECK(ptrace(m, debugger, PtRequest::Continue, child, 1, 0).ok());
  std::tie(pid, status) = m.wait4(debugger, child.value());
  REQUIRE(wifexited(status));
  CHECK(wexitstatus(status) == 2);
}

TEST_CASE("a breakpoint planted with PT_WRITE_I is hit with the PC each architecture reports") {
  struct Case {
    machine::Arch arch;
    machine::Abi abi;
    const char* source;
    std::uint64_t planted_offset;  // where the breakpoint goes, from .text
  };
  const Case cases[] = {
      {machine::Arch::Amd64, machine::Abi::Amd64,
       "_start:\n xor %edi, %edi\n xor %esi, %esi\n xor %edx, %edx\n mov $26, %eax\n syscall\n int3\n"
       "target:\n nop\n nop\n nop\n nop\n mov $0, %edi\n mov $1, %eax\n syscall\n",
       15},
      {machine::Arch::Arm64, machine::Abi::Arm64,
       "_start:\n mov x0, #0\n mov x1, #0\n mov x2, #0\n mov x3, #0\n mov x8, #26\n svc #0\n brk #0\n"
       " nop\n nop\n mov x0, #0\n mov x8, #1\n svc #0\n",
       32},
      {machine::Arch::Riscv64, machine::Abi::Riscv64,
       "_start:\n li a0, 0\n li a1, 0\n li a2, 0\n li a3, 0\n li t0, 26\n ecall\n ebreak\n"
       " nop\n nop\n li a0, 0\n li t0, 1\n ecall\n",
       32},
  };
  for (const Case& c : cases) {
    CAPTURE(machine::abi_info(c.abi).name);
    TestMachine m(config_for(c.arch));
    Pid debugger = m.spawn();
    Pid child = spawn_machine_code(m, debugger, c.abi, c.source);
    auto [pid, status] = m.wait4(debugger, child.value());
    REQUIRE(wifstopped(status));
    const machine::ArchInfo& arch = machine::arch_info(c.arch);
    std::uint64_t text = machine::abi_info(c.abi).text_base;
    std::uint64_t planted = text + c.planted_offset;
    std::uint32_t word = 0;
    for (std::size_t i = 0; i < arch.breakpoint.size_bytes; ++i)
      word |= std::uint32_t{arch.breakpoint.bytes[i]} << (8 * i);
    std::int64_t original =
        m.ok_value(debugger, Sysno::Ptrace, {req(PtRequest::ReadI), pid_arg(child), planted, 0});
    if (arch.breakpoint.size_bytes == 1) word = (static_cast<std::uint32_t>(original) & ~0xFFu) | word;
    CHECK(ptrace(m, debugger, PtRequest::WriteI, child, planted, static_cast<std::int32_t>(word)).ok());
    // Resume past the first breakpoint: x86 already reports the PC after it; elsewhere skip it.
    std::uint64_t resume_at = arch.breakpoint_pc == machine::BreakpointPc::AtInstruction ? planted - 4 : 1;
    CHECK(ptrace(m, debugger, PtRequest::Continue, child, resume_at, 0).ok());
    std::tie(pid, status) = m.wait4(debugger, child.value());
    REQUIRE(wifstopped(status));
    CHECK(wstopsig(status) == Sigtrap.value());
    std::uint64_t expected = arch.breakpoint_pc == machine::BreakpointPc::AfterInstruction
                                 ? planted + arch.breakpoint.size_bytes
                                 : planted;
    CHECK(read_pc(m, debugger, child) == expected);
    CHECK(ptrace(m, debugger, PtRequest::Kill, child).ok());
    std::tie(pid, status) = m.wait4(debugger, child.value());
    CHECK(wifsignaled(status));
    CHECK(wtermsig(status) == Sigkill.value());
  }
}

TEST_CASE("PT_SYSCALL stops at entry with the call's registers and at exit with its result") {
  TestMachine m(config_for(machine::Arch::Amd64));
  Pid debugger = m.spawn();
  Pid child = spawn_machine_code(m, debugger, machine::Abi::Amd64,
                                 "_start:\n xor %edi, %edi\n xor %esi, %esi\n xor %edx, %edx\n"
                                 " mov $26, %eax\n syscall\n int3\n mov $20, %eax\n syscall\n"
                                 " mov %eax, %edi\n mov $1, %eax\n syscall\n");
  auto [pid, status] = m.wait4(debugger, child.value());
  REQUIRE(wifstopped(status));
  const machine::CpuState& frame = m.thread(child).frame;
  CHECK(ptrace(m, debugger, PtRequest::Syscall, child, 1, 0).ok());
  std::tie(pid, status) = m.wait4(debugger, child.value());
  REQUIRE(wifstopped(status));
  CHECK(wstopsig(status) == Sigtrap.value());
  CHECK(frame.gpr[machine::x86::kRax] == 20);  // getpid, not yet answered
  CHECK(ptrace(m, debugger, PtRequest::Syscall, child, 1, 0).ok());
  std::tie(pid, status) = m.wait4(debugger, child.value());
  REQUIRE(wifstopped(status));
  CHECK(frame.gpr[machine::x86::kRax] == static_cast<std::uint64_t>(child.value()));
  // 8.3's system-call stops ignore the signal the debugger answers with: PT_KILL here only
  // resumes it, and it stops again on entering exit.
  CHECK(ptrace(m, debugger, PtRequest::Kill, child).ok());
  std::tie(pid, status) = m.wait4(debugger, child.value());
  REQUIRE(wifstopped(status));
  CHECK(frame.gpr[machine::x86::kRax] == 1);
  CHECK(ptrace(m, debugger, PtRequest::Detach, child, 1, 0).ok());
  std::tie(pid, status) = m.wait4(debugger, child.value());
  REQUIRE(wifexited(status));
  CHECK(wexitstatus(status) == (child.value() & 0xff));
}

TEST_CASE("riscv64 has no hardware single step: PT_STEP fails with EOPNOTSUPP") {
  TestMachine m(config_for(machine::Arch::Riscv64));
  Pid debugger = m.spawn();
  Pid child = spawn_machine_code(m, debugger, machine::Abi::Riscv64,
                                 "_start:\n li a0, 0\n li a1, 0\n li a2, 0\n li a3, 0\n li t0, 26\n ecall\n"
                                 " ebreak\n li a0, 0\n li t0, 1\n ecall\n");
  (void)m.wait4(debugger, child.value());
  CHECK(ptrace_error(m, debugger, PtRequest::Step, child, 1, 0) == vfs::Errno::Eopnotsupp);
}

TEST_CASE("PT_SETREGS refuses flags outside PSL_USERCHANGE and stores a valid frame") {
  TestMachine m;
  Pid debugger = m.spawn_as(1001);
  Pid target = m.spawn_as(1001);
  CHECK(ptrace(m, debugger, PtRequest::Attach, target).ok());
  (void)m.wait4(debugger, target.value());
  REQUIRE(ptrace(m, debugger, PtRequest::Getregs, target, testing::kArgA).ok());
  constexpr std::size_t kRflags = 152, kRax = 112;
  std::uint64_t flags = m.read_value<std::uint64_t>(debugger, testing::kArgA + kRflags);
  m.write_value<std::uint64_t>(debugger, testing::kArgA + kRflags, flags | machine::x86::kPslIopl);
  CHECK(ptrace_error(m, debugger, PtRequest::Setregs, target, testing::kArgA) == vfs::Errno::Einval);
  m.write_value<std::uint64_t>(debugger, testing::kArgA + kRflags, flags);
  m.write_value<std::uint64_t>(debugger, testing::kArgA + kRax, 0x1234);
  CHECK(ptrace(m, debugger, PtRequest::Setregs, target, testing::kArgA).ok());
  CHECK(m.thread(target).frame.gpr[machine::x86::kRax] == 0x1234);
  CHECK(ptrace_error(m, debugger, PtRequest::Setregs, target, 8) == vfs::Errno::Efault);
}

TEST_CASE("PT_IO moves bytes both ways and reports how many") {
  TestMachine m;
  Pid debugger = m.spawn_as(1001);
  Pid target = m.spawn_as(1001);
  CHECK(ptrace(m, debugger, PtRequest::Attach, target).ok());
  (void)m.wait4(debugger, target.value());
  m.write(target, testing::kArgB, base::ByteSpan(reinterpret_cast<const std::uint8_t*>("hello"), 5));
  m.write_value<std::uint32_t>(debugger, testing::kArgB, 3);  // PIOD_READ_I
  m.write_value<std::uint64_t>(debugger, testing::kArgB + 8, testing::kArgB);
  m.write_value<std::uint64_t>(debugger, testing::kArgB + 16, testing::kArgC);
  m.write_value<std::uint64_t>(debugger, testing::kArgB + 24, 5);
  CHECK(ptrace(m, debugger, PtRequest::Io, target, testing::kArgB).ok());
  CHECK(m.read_value<std::uint64_t>(debugger, testing::kArgB + 24) == 5);
  CHECK(m.read_value<std::uint32_t>(debugger, testing::kArgC) == 0x6c6c6568);  // "hell"
  m.write_value<std::uint32_t>(debugger, testing::kArgB, 9);
  CHECK(ptrace_error(m, debugger, PtRequest::Io, target, testing::kArgB) == vfs::Errno::Einval);
}

TEST_CASE("a jailed debugger cannot see a process outside its jail: ESRCH, even as root") {
  // Prison 1 sits under the host (prison 0).
  static const std::array<vfs::PrisonId, 2> kParents = {vfs::PrisonId(0), vfs::PrisonId(0)};
  KernelConfig config = testing::checked_config();
  config.policy.prisons.parents = kParents;
  TestMachine m(config);
  SpawnSpec jailed;
  jailed.cred = testing::user_cred(0, 0);
  jailed.cred->prison = vfs::PrisonId(1);
  Pid inside = m.spawn(jailed);
  Pid outside = m.spawn();
  CHECK(ptrace_error(m, inside, PtRequest::Attach, outside) == vfs::Errno::Esrch);
  // The host sees into the jail.
  CHECK(ptrace(m, outside, PtRequest::Attach, inside).ok());
}

TEST_CASE("an amd64 debugger steps an ia32 program and reads it in the 64-bit struct reg") {
  TestMachine m(config_for(machine::Arch::Amd64));
  Pid debugger = m.spawn();
  // ptrace(PT_TRACE_ME) with its arguments on the stack, then a breakpoint.
  Pid child = spawn_machine_code(m, debugger, machine::Abi::Ia32,
                                 "_start:\n push $0\n push $0\n push $0\n push $0\n push $0\n"
                                 " mov $26, %eax\n int $0x80\n int3\n mov $7, %ecx\n inc %ecx\n"
                                 " push %ecx\n push $0\n mov $1, %eax\n int $0x80\n");
  auto [pid, status] = m.wait4(debugger, child.value());
  REQUIRE(wifstopped(status));
  CHECK(m.proc(child).abi == machine::Abi::Ia32);
  std::uint64_t pc = read_pc(m, debugger, child);
  CHECK(pc ==
        machine::abi_info(machine::Abi::Ia32).text_base + 18);  // five 2-byte pushes, mov, int $0x80, int3
  CHECK(ptrace(m, debugger, PtRequest::Step, child, 1, 0).ok());
  std::tie(pid, status) = m.wait4(debugger, child.value());
  REQUIRE(wifstopped(status));
  CHECK(read_pc(m, debugger, child) == pc + 5);  // mov $7, %ecx
  CHECK(ptrace(m, debugger, PtRequest::Step, child, 1, 0).ok());
  std::tie(pid, status) = m.wait4(debugger, child.value());
  CHECK(read_pc(m, debugger, child) == pc + 6);  // inc %ecx is one byte in 32-bit code
  CHECK(ptrace(m, debugger, PtRequest::Continue, child, 1, 0).ok());
  std::tie(pid, status) = m.wait4(debugger, child.value());
  REQUIRE(wifexited(status));
  CHECK(wexitstatus(status) == 8);
}

TEST_CASE("attaching to a busy loop stops it within its slice, and PT_KILL ends it") {
  TestMachine m(config_for(machine::Arch::Arm64));
  Pid debugger = m.spawn();
  Pid loop = spawn_machine_code(m, debugger, machine::Abi::Arm64, "_start:\n b _start\n");
  m.run_ticks(3);
  CHECK(ptrace(m, debugger, PtRequest::Attach, loop).ok());
  auto [pid, status] = m.wait4(debugger, loop.value());
  REQUIRE(wifstopped(status));
  CHECK(wstopsig(status) == Sigstop.value());
  CHECK(read_pc(m, debugger, loop) == machine::abi_info(machine::Abi::Arm64).text_base);
  CHECK(ptrace(m, debugger, PtRequest::Kill, loop).ok());
  std::tie(pid, status) = m.wait4(debugger, loop.value());
  CHECK(wifsignaled(status));
}

}  // namespace
}  // namespace procsim::kern
