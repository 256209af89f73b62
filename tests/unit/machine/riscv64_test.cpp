// riscv64: encodings and li expansions against GNU as 2.40 -march=rv64g -mno-relax (tables
// from tools/gen_encoding_cases.py), a program against GNU as + ld, branch relaxation, and
// interpreter semantics: x0, W-forms, M-extension corner cases, loads/stores, and the stops.
#include <doctest/doctest.h>

#include "tests/unit/machine/interp_test_util.h"

using namespace procsim::machine;
using namespace procsim::machine::testing;

namespace {

constexpr EncodingCase kRiscvCases[] = {
#include "tests/unit/machine/riscv64_encoding_cases.inc"
};

std::string repeat(std::string_view hex, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out += hex;
  return out;
}

}  // namespace

TEST_CASE("every riscv64 instruction and li expansion in the table encodes as GNU as does") {
  for (const EncodingCase& c : kRiscvCases) {
    CAPTURE(c.source);
    CHECK(text_hex(Abi::Riscv64, c.source) == c.hex);
  }
}

TEST_CASE("a riscv64 program matches GNU as + ld, with la, call, tail and symbol loads") {
  const char* source = R"(# hello world for FreeBSD riscv64
        .equ SYS_write, 4
        .text
        .globl _start
_start: li      a0, 1
        la      a1, msg
        li      a2, 6
        li      t0, SYS_write
        ecall
        bnez    t0, fail
        li      t1, 1000
loop:   addi    t1, t1, -1
        bnez    t1, loop
        call    sub
        ld      a3, counter
        sd      a3, counter, t2
        lui     a4, %hi(msg)
        addi    a4, a4, %lo(msg)
        j       done
fail:   ebreak
sub:    addi    sp, sp, -16
        sd      ra, 8(sp)
        ld      ra, 8(sp)
        addi    sp, sp, 16
        ret
        .align 4
done:   tail    sub
        .data
msg:    .ascii "hello\n"
len = . - msg
        .align 3
counter: .dword msg, 5
        .word 7
        .half 1
        .byte 2
)";
  Image image = assemble_ok(Abi::Riscv64, source);
  CHECK(image.text.address == 0x200000);
  CHECK(image.data.address == 0x201000);
  CHECK(
      to_hex(image.text.bytes) ==
      "13051000971500009385c5ff130660009302400073000000639a02021303803e1303f3ffe31e03fe97000000e7808002971600"
      "0083b686fd9713000023b8d3fc37172000130707006f00800273001000130101ff233411008330810013010101678000001300"
      "0000"
      "130000001300000017030000670003fe1300000013000000");
  CHECK(to_hex(image.data.bytes) == "68656c6c6f0a00000010200000000000050000000000000007000000010002");
}

TEST_CASE("riscv64 conditional branches out of reach become an inverted branch over a jal") {
  std::string hex =
      text_hex(Abi::Riscv64, "_start: bnez a0, far\n beq a0, a1, near\nnear: .fill 5000, 1, 0\nfar: ecall");
  CHECK(hex.substr(0, 24) == "630405006f1000396302b500");
  CHECK(text_hex(Abi::Riscv64, "b: .fill 4096, 1, 0\n beq a0, a1, b") ==
        repeat("00", 4096) + "6300b580");  // exactly -4096: still in reach
  CHECK(text_hex(Abi::Riscv64, "b: .fill 4100, 1, 0\n beq a0, a1, b") ==
        repeat("00", 4100) + "6314b5006fe09fff");  // -4100: bne over a jal
}

TEST_CASE("riscv64 text alignment pads with a c.nop for a halfword and ends on the largest alignment") {
  CHECK(text_hex(Abi::Riscv64, "_start: nop\n.byte 1\n.align 4\nnop\n.balign 8, 0xff\nret") ==
        "1300000001000100130000001300000013000000ffffffff6780000013000000");
}

TEST_CASE("riscv64 assembler errors name the problem and its column") {
  CHECK(assemble_error(Abi::Riscv64, "  li a0, 1\n  lx a0, 0(sp)") ==
        AsmError{2, 3, "unknown instruction 'lx'"});
  CHECK(assemble_error(Abi::Riscv64, "add a0, a1, x32") == AsmError{1, 13, "bad register 'x32'"});
  CHECK(assemble_error(Abi::Riscv64, "j loop2") == AsmError{1, 3, "undefined label 'loop2'"});
  CHECK(assemble_error(Abi::Riscv64, "addi a0, a1, 2048").message ==
        "illegal operands 'addi': value out of range");
  CHECK(assemble_error(Abi::Riscv64, "addi a0, a1").message == "illegal operands 'addi a0, a1'");
  CHECK(assemble_error(Abi::Riscv64, "li a0, later\nlater: nop").message == "li needs an absolute constant");
}

TEST_CASE("riscv64 arithmetic: x0 stays zero, W forms sign-extend, division never traps") {
  Process p(Abi::Riscv64, R"(
        li a0, -1
        addi zero, a0, 5
        addiw a1, a0, 0
        li a2, 0x7fffffff
        addiw a3, a2, 1
        add a4, a2, a2
        slli a5, a0, 63
        srai a6, a5, 63
        srli a7, a5, 63
        li t0, 7
        li t1, 0
        div t2, t0, t1
        rem t3, t0, t1
        divu t4, t0, t1
        li t5, 0x8000000000000000
        li t6, -1
        div s2, t5, t6
        rem s3, t5, t6
        mulh s4, a0, a0
        mulhu s5, a0, a0
        sltu s6, zero, a0
        slt s7, a0, zero
        li s8, -20
        li s9, 3
        rem s10, s8, s9
        divw s11, s8, s9
        ebreak
)");
  REQUIRE(p.run().reason == StopReason::Breakpoint);
  auto x = [&](int r) { return p.state.gpr[static_cast<std::size_t>(r)]; };
  CHECK(x(0) == 0);
  CHECK(x(11) == ~0ull);
  CHECK(x(13) == 0xffffffff80000000);
  CHECK(x(14) == 0xfffffffe);
  CHECK(x(15) == 0x8000000000000000);
  CHECK(x(16) == ~0ull);
  CHECK(x(17) == 1);
  CHECK(x(7) == ~0ull);  // t2: division by zero gives -1
  CHECK(x(28) == 7);     // t3: remainder by zero gives the dividend
  CHECK(x(29) == ~0ull);
  CHECK(x(18) == 0x8000000000000000);  // overflow: the dividend
  CHECK(x(19) == 0);
  CHECK(x(20) == 0);
  CHECK(x(21) == 0xfffffffffffffffe);
  CHECK(x(22) == 1);
  CHECK(x(23) == 1);
  CHECK(x(26) == static_cast<std::uint64_t>(-2));
  CHECK(x(27) == static_cast<std::uint64_t>(-6));
}

TEST_CASE("riscv64 loads sign- or zero-extend and stores write their width") {
  Process p(Abi::Riscv64, R"(
_start: la a0, data
        lb a1, 0(a0)
        lbu a2, 0(a0)
        lh a3, 0(a0)
        lw a4, 0(a0)
        lwu a5, 0(a0)
        ld a6, 0(a0)
        li t0, 0x11
        sb t0, 8(a0)
        sw t0, 12(a0)
        ld a7, 8(a0)
        ebreak
        .data
data:   .dword 0xfffffffffffff080, -1
)");
  REQUIRE(p.run().reason == StopReason::Breakpoint);
  auto x = [&](int r) { return p.state.gpr[static_cast<std::size_t>(r)]; };
  CHECK(x(11) == 0xffffffffffffff80);
  CHECK(x(12) == 0x80);
  CHECK(x(13) == 0xfffffffffffff080);
  CHECK(x(14) == 0xfffffffffffff080);
  CHECK(x(15) == 0xfffff080);
  CHECK(x(16) == 0xfffffffffffff080);
  CHECK(x(17) == 0x00000011ffffff11);
}

TEST_CASE("riscv64 calls, returns and branches") {
  Process p(Abi::Riscv64, R"(
_start: li a0, 0
        li a1, 10
loop:   add a0, a0, a1
        addi a1, a1, -1
        bnez a1, loop
        call twice
        bltu a0, a1, bad
        bge a0, a1, good
bad:    li a2, 1
good:   ebreak
twice:  add a0, a0, a0
        ret
)");
  REQUIRE(p.run().reason == StopReason::Breakpoint);
  CHECK(p.state.gpr[riscv::kA0] == 110);
  CHECK(p.state.gpr[12] == 0);
}

TEST_CASE("riscv64 ecall stops past itself, ebreak at itself, and nothing single-steps") {
  Process p(Abi::Riscv64, "li t0, 4\necall\nebreak");
  StopInfo stop = p.run();
  CHECK(stop.reason == StopReason::Syscall);
  CHECK(stop.instructions_executed == 2);
  CHECK(p.state.pc == p.image.text.address + 8);
  CHECK(syscall_request(p.state).number == 4);
  StopInfo brk = p.run();
  CHECK(brk.reason == StopReason::Breakpoint);
  CHECK(brk.instructions_executed == 0);
  CHECK(p.state.pc == p.image.text.address + 8);
  CHECK(set_single_step(p.state).error() == MachineError::NotSupported);
}

TEST_CASE("riscv64 faults, compressed or unknown words and misaligned targets stop precisely") {
  Process store(Abi::Riscv64, "_start: la a0, _start\nsd a0, 0(a0)");
  StopInfo fault = store.run();
  CHECK(fault.reason == StopReason::MemoryFault);
  CHECK(fault.fault == MemFault::Protection);
  CHECK(fault.access == FaultAccess::Write);
  CHECK(store.state.pc == store.image.text.address + 8);

  Process compressed(Abi::Riscv64, ".half 0x4501, 0x0000");  // c.li a0, 0: no C extension
  CHECK(compressed.run().reason == StopReason::IllegalInstruction);
  Process csr(Abi::Riscv64, ".word 0xc0102573");  // rdtime a0
  CHECK(csr.run().reason == StopReason::IllegalInstruction);

  Process misaligned(Abi::Riscv64, "la a0, target\naddi a0, a0, 2\njr a0\ntarget: nop");
  StopInfo stop = misaligned.run();
  CHECK(stop.reason == StopReason::MisalignedPc);
  CHECK(stop.fault_address == misaligned.image.text.address + 18);
}
