// x86 interpreter semantics: flags (the values were checked against a real x86-64 CPU), memory
// and stack operations, stops (system call, breakpoint, single step, faults, illegal code),
// budgets, and the decoded-code cache with its invalidation.
#include <doctest/doctest.h>

#include "tests/unit/machine/interp_test_util.h"

using namespace procsim::machine;
using namespace procsim::machine::testing;

namespace {

constexpr std::uint64_t kStatus =
    x86::kPslC | x86::kPslPf | x86::kPslAf | x86::kPslZ | x86::kPslN | x86::kPslV;

std::uint64_t status_after(Abi abi, std::string_view source) {
  Process p(abi, std::string(source) + "\nint3");
  StopInfo stop = p.run();
  REQUIRE(stop.reason == StopReason::Breakpoint);
  return p.state.flags & kStatus;
}

}  // namespace

TEST_CASE("a counted loop runs to its system call and stops with the PC past it") {
  Process p(Abi::Amd64, "_start: mov $1000, %ecx\nloop: dec %ecx\n jnz loop\n mov $1, %eax\n syscall\n");
  StopInfo stop = p.run();
  CHECK(stop.reason == StopReason::Syscall);
  CHECK(stop.instructions_executed == 1 + 2000 + 2);
  CHECK(p.state.gpr[x86::kRcx] == 0);
  CHECK(p.state.pc == p.image.text.address + p.image.text.bytes.size());
  CHECK(syscall_request(p.state).number == 1);
}

TEST_CASE("a budget stops the loop exactly, and running on finishes it") {
  Process p(Abi::Amd64, "mov $1000, %ecx\nloop: dec %ecx\n jnz loop\n syscall\n");
  StopInfo first = p.run(11);
  CHECK(first.reason == StopReason::BudgetExhausted);
  CHECK(first.instructions_executed == 11);
  CHECK(p.state.gpr[x86::kRcx] == 995);
  CHECK(p.run(0).instructions_executed == 0);
  StopInfo rest = p.run();
  CHECK(rest.reason == StopReason::Syscall);
  CHECK(first.instructions_executed + rest.instructions_executed == 2002);
}

TEST_CASE("add and sub set carry, overflow, sign, zero, adjust and parity") {
  using namespace x86;
  CHECK(status_after(Abi::Amd64, "mov $0x7fffffff, %eax\nadd $1, %eax") == (kPslV | kPslN | kPslAf | kPslPf));
  CHECK(status_after(Abi::Amd64, "mov $-1, %eax\nadd $1, %eax") == (kPslC | kPslZ | kPslAf | kPslPf));
  CHECK(status_after(Abi::Amd64, "mov $0, %eax\nsub $1, %eax") == (kPslC | kPslN | kPslAf | kPslPf));
  CHECK(status_after(Abi::Amd64, "mov $0x80, %al\nsub $1, %al") == (kPslV | kPslAf));
  CHECK(status_after(Abi::Amd64, "mov $3, %rax\ncmp $3, %rax") == (kPslZ | kPslPf));
  CHECK(status_after(Abi::Amd64, "mov $1, %rax\nshl $63, %rax\nadd %rax, %rax") ==
        (kPslC | kPslZ | kPslV | kPslPf));
  CHECK(status_after(Abi::I386, "mov $0xffffffff, %eax\nadd $2, %eax") == (kPslC | kPslAf));
}

TEST_CASE("logic operations clear carry and overflow; inc and dec keep carry") {
  using namespace x86;
  CHECK(status_after(Abi::Amd64, "mov $-1, %eax\nadd $1, %eax\nxor %ebx, %ebx") == (kPslZ | kPslPf));
  CHECK(status_after(Abi::Amd64, "mov $-1, %eax\nadd $1, %eax\ninc %ebx") == kPslC);
  CHECK(status_after(Abi::Amd64, "mov $0x80000000, %ebx\ndec %ebx") == (kPslV | kPslAf | kPslPf));
  CHECK(status_after(Abi::Amd64, "mov $0x80, %al\ntest %al, %al") == kPslN);
  CHECK(status_after(Abi::Amd64, "mov $5, %eax\nneg %eax") == (kPslC | kPslN | kPslAf));
}

TEST_CASE("partial register writes merge, 32-bit writes zero-extend") {
  Process p(Abi::Amd64,
            "mov $-1, %rax\nmov $0x12, %al\nmov $-1, %rbx\nmov $0x34, %bh\nmov $-1, %rcx\nmov $5, %cx\n"
            "mov $-1, %rdx\nmov $7, %edx\nmov $-1, %rsi\nadd $0, %esi\nint3");
  REQUIRE(p.run().reason == StopReason::Breakpoint);
  CHECK(p.state.gpr[x86::kRax] == 0xffffffffffffff12);
  CHECK(p.state.gpr[x86::kRbx] == 0xffffffffffff34ff);
  CHECK(p.state.gpr[x86::kRcx] == 0xffffffffffff0005);
  CHECK(p.state.gpr[x86::kRdx] == 7);
  CHECK(p.state.gpr[x86::kRsi] == 0xffffffff);
}

TEST_CASE("memory operands, rip-relative data and the stack work through GuestMemory") {
  Process p(Abi::Amd64, R"(
_start: mov value(%rip), %rax
        add $1, %rax
        mov %rax, value(%rip)
        lea table, %rbx
        mov $2, %ecx
        movl $0x55, 4(%rbx,%rcx,4)
        push $7
        call sub
after:  pop %rdx
        int3
sub:    mov 8(%rsp), %r8
        ret
        .data
value:  .quad 41
table:  .long 1, 2, 3, 4
)");
  std::uint64_t sp = p.state.gpr[x86::kRsp];
  REQUIRE(p.run().reason == StopReason::Breakpoint);
  CHECK(p.memory.peek_le(p.symbol("value"), 8) == 42);
  CHECK(p.memory.peek_le(p.symbol("table") + 12, 4) == 0x55);
  CHECK(p.state.gpr[x86::kR8] == 7);
  CHECK(p.state.gpr[x86::kRdx] == 7);
  CHECK(p.state.gpr[x86::kRsp] == sp);
  CHECK(p.memory.peek_le(sp - 16, 8) == p.symbol("after"));  // the return address call pushed
}

TEST_CASE("conditional moves, setcc, movzx/movsx, imul and shifts compute their results") {
  Process p(Abi::Amd64,
            "mov $-2, %eax\nmov $3, %ebx\nimul %ebx, %eax\nmovsbq %al, %r8\nmovzbl %al, %r9d\n"
            "cmp $0, %eax\nsetl %cl\nmov $9, %edx\ncmovl %edx, %esi\nmov $0x81, %edi\nsar $1, %dil\n"
            "shr $4, %edx\nint3");
  REQUIRE(p.run().reason == StopReason::Breakpoint);
  CHECK(p.state.gpr[x86::kRax] == 0xfffffffa);
  CHECK(p.state.gpr[x86::kR8] == 0xfffffffffffffffa);
  CHECK(p.state.gpr[x86::kR9] == 0xfa);
  CHECK((p.state.gpr[x86::kRcx] & 0xff) == 1);
  CHECK(p.state.gpr[x86::kRsi] == 9);
  CHECK((p.state.gpr[x86::kRdi] & 0xff) == 0xc0);
  CHECK(p.state.gpr[x86::kRdx] == 0);
}

TEST_CASE("int3 stops with the PC past it; the breakpoint counts as executed") {
  Process p(Abi::Amd64, "nop\nint3\nnop");
  StopInfo stop = p.run();
  CHECK(stop.reason == StopReason::Breakpoint);
  CHECK(stop.instructions_executed == 2);
  CHECK(p.state.pc == p.image.text.address + 2);
  CHECK(stop.fault_address == p.state.pc);
}

TEST_CASE("with PSL_T set exactly one instruction runs, then a single-step stop") {
  Process p(Abi::Amd64, "mov $1, %eax\nmov $2, %ebx\nint3");
  REQUIRE(set_single_step(p.state).ok());
  StopInfo stop = p.run(100);
  CHECK(stop.reason == StopReason::SingleStep);
  CHECK(stop.instructions_executed == 1);
  CHECK(p.state.gpr[x86::kRax] == 1);
  CHECK(p.state.gpr[x86::kRbx] == 0);
  CHECK(p.state.pc == p.image.text.address + 5);
  CHECK(p.run(100).reason == StopReason::SingleStep);  // still set: the kernel clears PSL_T
  CHECK(p.run(100).reason == StopReason::Breakpoint);
  REQUIRE(clear_single_step(p.state).ok());
}

TEST_CASE("amd64 syscall leaves the trapframe view: r11 = rflags, rcx = r10") {
  Process p(Abi::Amd64, "mov $4, %eax\nmov $11, %r10\nsyscall\nint3");
  StopInfo stop = p.run();
  REQUIRE(stop.reason == StopReason::Syscall);
  CHECK(p.state.gpr[x86::kR11] == p.state.flags);
  CHECK(p.state.gpr[x86::kRcx] == 11);
  CHECK(syscall_request(p.state).register_args[3] == 11);
  set_syscall_result(p.state, 3, 0);
  CHECK(p.state.gpr[x86::kRcx] == p.state.pc);
  CHECK(p.run().reason == StopReason::Breakpoint);
}

TEST_CASE("i386 int $0x80 is the system call; its arguments are on the stack") {
  Process p(Abi::I386, "push $3\npush $2\npush $1\npush $0\nmov $4, %eax\nint $0x80\nint3");
  REQUIRE(p.run().reason == StopReason::Syscall);
  SyscallRequest request = syscall_request(p.state);
  CHECK(request.number == 4);
  CHECK(p.memory.peek_le(request.stack_args_address, 4) == 1);
  CHECK(p.memory.peek_le(request.stack_args_address + 8, 4) == 3);
  CHECK(p.state.pc == p.image.text.address + 15);
}

TEST_CASE("a load from unmapped memory faults precisely") {
  Process p(Abi::Amd64, "mov $1, %ebx\nmov 0x10, %eax\nnop");
  std::uint64_t rax = p.state.gpr[x86::kRax];
  StopInfo stop = p.run();
  CHECK(stop.reason == StopReason::MemoryFault);
  CHECK(stop.fault == MemFault::Unmapped);
  CHECK(stop.access == FaultAccess::Read);
  CHECK(stop.fault_address == 0x10);
  CHECK(stop.instructions_executed == 1);
  CHECK(p.state.pc == p.image.text.address + 5);
  CHECK(p.state.gpr[x86::kRax] == rax);
}

TEST_CASE("a store to read-only text is a protection fault that changes nothing") {
  Process p(Abi::Amd64, "_start: movl $0, _start(%rip)\nnop");
  StopInfo stop = p.run();
  CHECK(stop.reason == StopReason::MemoryFault);
  CHECK(stop.fault == MemFault::Protection);
  CHECK(stop.access == FaultAccess::Write);
  CHECK(stop.fault_address == p.image.text.address);
  CHECK(p.state.pc == p.image.text.address);
}

TEST_CASE("push onto an unmapped stack faults without moving the stack pointer") {
  Process p(Abi::Amd64, "mov $0x1000, %rsp\npush %rax");
  StopInfo stop = p.run();
  CHECK(stop.reason == StopReason::MemoryFault);
  CHECK(stop.fault_address == 0xff8);
  CHECK(p.state.gpr[x86::kRsp] == 0x1000);
}

TEST_CASE("jumping to unmapped or non-executable memory is an execute fault at the target") {
  Process p(Abi::Amd64, "mov $0x12345000, %eax\njmp *%rax");
  StopInfo stop = p.run();
  CHECK(stop.reason == StopReason::MemoryFault);
  CHECK(stop.access == FaultAccess::Execute);
  CHECK(stop.fault == MemFault::Unmapped);
  CHECK(stop.fault_address == 0x12345000);
  CHECK(p.state.pc == 0x12345000);

  Process q(Abi::Amd64, "lea data(%rip), %rax\njmp *%rax\n.data\ndata: .byte 0x90");
  StopInfo data_stop = q.run();
  CHECK(data_stop.reason == StopReason::MemoryFault);
  CHECK(data_stop.fault == MemFault::Protection);
  CHECK(data_stop.fault_address == q.symbol("data"));
}

TEST_CASE("an instruction running off the end of executable memory faults at the boundary") {
  Process p(Abi::Amd64, ".fill 4093, 1, 0x90\n.byte 0xb8");  // mov $imm32, %eax cut short
  StopInfo stop = p.run();
  CHECK(stop.reason == StopReason::MemoryFault);
  CHECK(stop.access == FaultAccess::Execute);
  CHECK(stop.fault_address == p.image.text.address + 4096);
  CHECK(stop.instructions_executed == 4093);
}

TEST_CASE("undecodable and unmodelled instructions raise SIGILL at their address") {
  for (const char* bytes :
       {".byte 0x0f, 0x0b", ".byte 0xd9, 0xe8", ".byte 0xf3, 0xa4", ".byte 0x64, 0x8b, 0x00"}) {
    CAPTURE(bytes);
    Process p(Abi::Amd64, std::string("nop\n") + bytes);
    StopInfo stop = p.run();
    CHECK(stop.reason == StopReason::IllegalInstruction);
    CHECK(stop.instructions_executed == 1);
    CHECK(stop.fault_address == p.image.text.address + 1);
    CHECK(p.state.pc == p.image.text.address + 1);
  }
  Process mode32(Abi::I386, "syscall");
  CHECK(mode32.run().reason == StopReason::IllegalInstruction);
}

TEST_CASE("hlt and int $n for other vectors are privileged in user mode") {
  Process hlt(Abi::Amd64, "hlt");
  CHECK(hlt.run().reason == StopReason::PrivilegedInstruction);
  Process other(Abi::I386, "int $1");
  CHECK(other.run().reason == StopReason::PrivilegedInstruction);
  Process int80(Abi::Amd64, "int $0x80");
  CHECK(int80.run().reason == StopReason::PrivilegedInstruction);
}

TEST_CASE("decoded code is fetched once per page and reused across runs") {
  Process p(Abi::Amd64, "mov $100000, %ecx\nloop: dec %ecx\n jnz loop\n int3");
  REQUIRE(p.run(50).reason == StopReason::BudgetExhausted);
  int fetches = p.memory.fetch_calls;
  CHECK(fetches <= 2);  // the page and the bytes just past it
  REQUIRE(p.run().reason == StopReason::Breakpoint);
  CHECK(p.memory.fetch_calls == fetches);
}

TEST_CASE("a breakpoint planted by a debugger is seen on the next run") {
  Process p(Abi::Amd64, "loop: inc %eax\n jmp loop");
  REQUIRE(p.run(10).reason == StopReason::BudgetExhausted);
  std::uint64_t loop = p.image.text.address;
  p.memory.poke(loop, procsim::base::Bytes{0xCC});
  StopInfo stop = p.run();
  CHECK(stop.reason == StopReason::Breakpoint);
  CHECK(p.state.pc == loop + 1);
}

TEST_CASE("code that rewrites itself runs the new instruction") {
  Process p(Abi::Amd64, "_start: lea patch(%rip), %rbx\n movb $0xcc, (%rbx)\npatch: nop\n nop\n");
  p.memory.protect(p.image.text.address, {true, true, true});
  StopInfo stop = p.run();
  CHECK(stop.reason == StopReason::Breakpoint);
  CHECK(p.state.pc == p.symbol("patch") + 1);
}

TEST_CASE("32-bit mode wraps the stack and keeps registers 32 bits wide") {
  Process p(Abi::I386, "mov $-1, %eax\nadd $2, %eax\npush %eax\npop %ebx\ncall f\nint3\nf: ret");
  REQUIRE(p.run().reason == StopReason::Breakpoint);
  CHECK(p.state.gpr[x86::kRax] == 1);
  CHECK(p.state.gpr[x86::kRbx] == 1);
  CHECK(p.state.gpr[x86::kRsp] == kStackTop - 0x100);
}

TEST_CASE("register-only fast paths and the general path compute the same results and flags") {
  // `op $imm, %reg` runs a specialised handler; `op $imm, (mem)` the general one.
  const char* ops[] = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp", "test"};
  const char* values[] = {"0", "1", "0x7f", "0x80", "-1", "0x7fffffff"};
  for (const char* op : ops) {
    for (const char* value : values) {
      for (const char* suffix : {"b", "w", "l", "q"}) {
        std::string imm = std::string(suffix) == "q" && std::string(value) == "0x7fffffff" ? "5" : value;
        std::string prologue = "mov $0x1234567f, %rax\nmov %rax, (%rsp)\nstc\n";
        std::string reg = std::string(suffix) == "b"   ? "%al"
                          : std::string(suffix) == "w" ? "%ax"
                          : std::string(suffix) == "l" ? "%eax"
                                                       : "%rax";
        CAPTURE(op);
        CAPTURE(suffix);
        CAPTURE(imm);
        Process fast(Abi::Amd64, prologue + op + suffix + " $" + imm + ", " + reg + "\nint3");
        Process general(Abi::Amd64, prologue + op + suffix + " $" + imm + ", (%rsp)\nmov (%rsp), %rax\nint3");
        REQUIRE(fast.run().reason == StopReason::Breakpoint);
        REQUIRE(general.run().reason == StopReason::Breakpoint);
        CHECK(fast.state.gpr[x86::kRax] == general.state.gpr[x86::kRax]);
        CHECK((fast.state.flags & kStatus) == (general.state.flags & kStatus));
      }
    }
  }
}
