// Machine code as user code: small assembled programs on every architecture make system calls
// through their ABI, take signals in handlers, and die of the signals their traps raise.
#include <doctest/doctest.h>

#include <array>
#include <string>

#include "model/kern/machine_program.h"
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

struct ExitCase {
  machine::Arch arch;
  machine::Abi abi;
  const char* source;
};

// exit(42) through each ABI's convention: register arguments, or i386's stack arguments above a
// return address.
constexpr ExitCase kExit42[] = {
    {machine::Arch::Amd64, machine::Abi::Amd64, "_start:\n mov $42, %edi\n mov $1, %eax\n syscall\n"},
    {machine::Arch::I386, machine::Abi::I386, "_start:\n push $42\n push $0\n mov $1, %eax\n int $0x80\n"},
    {machine::Arch::Amd64, machine::Abi::Ia32, "_start:\n push $42\n push $0\n mov $1, %eax\n int $0x80\n"},
    {machine::Arch::Arm64, machine::Abi::Arm64, "_start:\n mov x0, #42\n mov x8, #1\n svc #0\n"},
    {machine::Arch::Riscv64, machine::Abi::Riscv64, "_start:\n li a0, 42\n li t0, 1\n ecall\n"},
};

TEST_CASE("machine code exits through its ABI's system-call convention on every architecture") {
  for (const ExitCase& c : kExit42) {
    CAPTURE(machine::abi_info(c.abi).name);
    TestMachine m(config_for(c.arch));
    Pid parent = m.spawn();
    Pid child = spawn_machine_code(m, parent, c.abi, c.source);
    CHECK(m.proc(child).abi == c.abi);
    auto [pid, status] = m.wait4(parent, child.value());
    CHECK(pid == child.value());
    CAPTURE(status);
    CHECK(wifexited(status));
    CHECK(wexitstatus(status) == 42);
  }
}

TEST_CASE("a failed call sets the ABI's error indication and returns the errno") {
  // kill(99999, 0) fails with ESRCH (3); the program exits with what came back.
  TestMachine m(config_for(machine::Arch::Amd64));
  Pid parent = m.spawn();
  Pid child = spawn_machine_code(m, parent, machine::Abi::Amd64,
                                 "_start:\n mov $99999, %edi\n xor %esi, %esi\n mov $37, %eax\n syscall\n"
                                 " jnc fine\n mov %eax, %edi\n add $100, %edi\n mov $1, %eax\n syscall\n"
                                 "fine:\n mov $1, %edi\n mov $1, %eax\n syscall\n");
  auto [pid, status] = m.wait4(parent, child.value());
  CHECK(pid == child.value());
  CHECK(wexitstatus(status) == 103);
}

struct TrapCase {
  machine::Arch arch;
  machine::Abi abi;
  const char* source;
  Signal signal;
};

const TrapCase kTraps[] = {
    {machine::Arch::Amd64, machine::Abi::Amd64, "_start:\n int3\n", Sigtrap},
    {machine::Arch::Arm64, machine::Abi::Arm64, "_start:\n brk #0\n", Sigtrap},
    {machine::Arch::Riscv64, machine::Abi::Riscv64, "_start:\n ebreak\n", Sigtrap},
    {machine::Arch::Amd64, machine::Abi::Amd64, "_start:\n mov 8, %rax\n", Sigsegv},
    {machine::Arch::I386, machine::Abi::I386, "_start:\n mov 8, %eax\n", Sigsegv},
    {machine::Arch::Arm64, machine::Abi::Arm64, "_start:\n mov x1, #8\n ldr x0, [x1]\n", Sigsegv},
    {machine::Arch::Riscv64, machine::Abi::Riscv64, "_start:\n ld a0, 8(zero)\n", Sigsegv},
    {machine::Arch::Amd64, machine::Abi::Amd64, "_start:\n .byte 0x0f, 0x0b\n", Sigill},
    {machine::Arch::Arm64, machine::Abi::Arm64, "_start:\n .word 0\n", Sigill},
    {machine::Arch::Riscv64, machine::Abi::Riscv64, "_start:\n .word 0\n", Sigill},
    {machine::Arch::Amd64, machine::Abi::Amd64, "_start:\n int $0x80\n", Sigbus},
};

TEST_CASE("an untraced program dies of the signal its trap raises") {
  for (const TrapCase& c : kTraps) {
    CAPTURE(c.source);
    CAPTURE(machine::abi_info(c.abi).name);
    TestMachine m(config_for(c.arch));
    Pid parent = m.spawn();
    Pid child = spawn_machine_code(m, parent, c.abi, c.source);
    auto [pid, status] = m.wait4(parent, child.value());
    CHECK(pid == child.value());
    REQUIRE(wifsignaled(status));
    CHECK(wtermsig(status) == c.signal.value());
  }
}

TEST_CASE("a store into read-only text is SIGSEGV for current binaries and SIGBUS before osrel 700004") {
  for (std::int32_t osrel : {803000, 0}) {
    CAPTURE(osrel);
    TestMachine m(config_for(machine::Arch::Amd64));
    Pid parent = m.spawn();
    Pid child = spawn_machine_code(m, parent, machine::Abi::Amd64, "_start:\n movl $0, _start(%rip)\n");
    m.proc(child).osrel = osrel;
    auto [pid, status] = m.wait4(parent, child.value());
    CHECK(pid == child.value());
    REQUIRE(wifsignaled(status));
    CHECK(wtermsig(status) == (osrel == 0 ? Sigbus : Sigsegv).value());
  }
}

TEST_CASE("a caught signal runs the handler with the signal number and returns to the interrupted code") {
  // The handler stores its argument; after kill() returns, the program exits with it.
  TestMachine m(config_for(machine::Arch::Amd64));
  Pid parent = m.spawn();
  Pid child = spawn_machine_code(m, parent, machine::Abi::Amd64,
                                 "_start:\n mov $30, %edi\n lea act(%rip), %rsi\n xor %edx, %edx\n"
                                 " mov $416, %eax\n syscall\n"
                                 " mov $20, %eax\n syscall\n mov %rax, %rdi\n mov $30, %esi\n"
                                 " mov $37, %eax\n syscall\n"
                                 " mov %rax, %rdi\n add result(%rip), %rdi\n mov $1, %eax\n syscall\n"
                                 "handler:\n mov %rdi, result(%rip)\n mov $99, %rax\n ret\n"
                                 ".data\nact: .quad handler\n .long 0\n .long 0, 0, 0, 0\n"
                                 "result: .quad 0\n");
  auto [pid, status] = m.wait4(parent, child.value());
  CHECK(pid == child.value());
  REQUIRE(wifexited(status));
  // kill() returned 0 (the handler's %rax was put back), and the handler saw SIGUSR1 (30).
  CHECK(wexitstatus(status) == 30);
}

TEST_CASE("machine code uses simulated CPU time as it runs") {
  TestMachine m(config_for(machine::Arch::Riscv64));
  Pid parent = m.spawn();
  sim::Tick before = m.engine.now();
  Pid child = spawn_machine_code(m, parent, machine::Abi::Riscv64,
                                 "_start:\n li a1, 1000000\nloop:\n addi a1, a1, -1\n bnez a1, loop\n"
                                 " li a0, 0\n li t0, 1\n ecall\n");
  auto [pid, status] = m.wait4(parent, child.value());
  CHECK(pid == child.value());
  CHECK(wifexited(status));
  // Two million instructions at 100000 per tick.
  CHECK(m.engine.now().value() - before.value() >= 19);
}

TEST_CASE("a forked machine-code child resumes after the call with 0 while the parent gets its pid") {
  // fork(); the child exits 7, the parent waits and exits with the child's status + 1.
  TestMachine m(config_for(machine::Arch::Arm64));
  Pid parent = m.spawn();
  Pid child = spawn_machine_code(
      m, parent, machine::Abi::Arm64,
      "_start:\n mov x8, #2\n svc #0\n cbnz x0, parent\n"
      " mov x0, #7\n mov x8, #1\n svc #0\n"
      "parent:\n mov x0, #-1\n mov x1, sp\n sub x1, x1, #16\n mov x2, #0\n mov x3, #0\n"
      " mov x8, #7\n svc #0\n mov x1, sp\n sub x1, x1, #16\n ldr w0, [x1]\n lsr w0, w0, #8\n add x0, x0, #1\n"
      " mov x8, #1\n svc #0\n");
  auto [pid, status] = m.wait4(parent, child.value());
  CHECK(pid == child.value());
  CAPTURE(status);
  REQUIRE(wifexited(status));
  CHECK(wexitstatus(status) == 8);
}

}  // namespace
}  // namespace procsim::kern
