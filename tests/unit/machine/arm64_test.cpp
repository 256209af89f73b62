// arm64: encodings against GNU as 2.40 (tables from tools/gen_encoding_cases.py), a program
// against GNU as + ld, diagnostics, and interpreter semantics: NZCV, register 31 as sp or zr,
// loads and stores with writeback, branches, and the stops (svc, brk at its own address,
// single step through PSR_SS, faults, a misaligned PC).
#include <doctest/doctest.h>

#include "model/machine/arm64_bitmask.h"
#include "tests/unit/machine/interp_test_util.h"

using namespace procsim::machine;
using namespace procsim::machine::testing;

namespace {

constexpr EncodingCase kArm64Cases[] = {
#include "tests/unit/machine/arm64_encoding_cases.inc"
};

constexpr std::uint64_t kNzcv = arm64::kPsrN | arm64::kPsrZ | arm64::kPsrC | arm64::kPsrV;

std::uint64_t nzcv_after(std::string_view source) {
  Process p(Abi::Arm64, std::string(source) + "\nbrk #0");
  StopInfo stop = p.run();
  REQUIRE(stop.reason == StopReason::Breakpoint);
  return p.state.flags & kNzcv;
}

}  // namespace

TEST_CASE("every arm64 instruction in the table encodes exactly as GNU as does") {
  for (const EncodingCase& c : kArm64Cases) {
    CAPTURE(c.source);
    CHECK(text_hex(Abi::Arm64, c.source) == c.hex);
  }
}

TEST_CASE("an arm64 program matches GNU as + ld, with literal, adr, adrp and :lo12:") {
  const char* source = R"(// hello world for FreeBSD arm64
        .equ SYS_write, 4
        .text
        .globl _start
_start:
        mov     x0, #1
        adr     x1, msg
        mov     x8, #SYS_write
        svc     #0
        b.cs    fail
        mov     x3, #1000
loop:   subs    x3, x3, #1
        b.ne    loop
        cbz     x3, done
        bl      sub
done:   adrp    x4, counter
        add     x4, x4, :lo12:counter
        ldr     x5, [x4]
        ldr     w6, value
        tbz     x5, #0, done
fail:   brk     #0
sub:    stp     x29, x30, [sp, #-16]!
        mov     x29, sp
        ldp     x29, x30, [sp], #16
        ret
        .align 4
        nop
        .data
msg:    .ascii "hello\n"
        .align 3
counter: .quad msg, 5
value:  .word 7
        .hword 1
        .byte 2
)";
  Image image = assemble_ok(Abi::Arm64, source);
  CHECK(image.text.address == 0x200000);
  CHECK(image.data.address == 0x211000);
  CHECK(to_hex(image.text.bytes) ==
        "200080d2e17f0810880080d2010000d462010054037d80d2630400f1e1ffff54430000b407000094840000b0842000918500"
        "40f9"
        "267f081885ff0736000020d4fd7bbfa9fd030091fd7bc1a8c0035fd61f2003d5");
  CHECK(to_hex(image.data.bytes) == "68656c6c6f0a00000010210000000000050000000000000007000000010002");
}

TEST_CASE("arm64 text alignment pads with zero bytes to a word, then nop words") {
  CHECK(text_hex(Abi::Arm64, "nop\n.byte 1\n.align 4\nret") == "1f2003d5010000001f2003d51f2003d5c0035fd6");
  CHECK(text_hex(Abi::Arm64, "nop\n.byte 1\n.align 3\nret") == "1f2003d501000000c0035fd6");
  CHECK(text_hex(Abi::Arm64, "nop\n.p2align 4, 0xff\nret") == "1f2003d5ffffffffffffffffffffffffc0035fd6");
}

TEST_CASE("arm64 assembler errors name the problem and its column") {
  CHECK(assemble_error(Abi::Arm64, "  movz x0, #1\n  movq x0, #1") ==
        AsmError{2, 3, "unknown instruction 'movq'"});
  CHECK(assemble_error(Abi::Arm64, "add x0, x31, #1") == AsmError{1, 9, "bad register 'x31'"});
  CHECK(assemble_error(Abi::Arm64, "b loop2") == AsmError{1, 3, "undefined label 'loop2'"});
  CHECK(assemble_error(Abi::Arm64, "add x0, w1, x2").message == "operand mismatch for 'add'");
  CHECK(assemble_error(Abi::Arm64, "mov x0, #0x123456789").message ==
        "immediate cannot be moved by a single instruction");
  CHECK(assemble_error(Abi::Arm64, "and x0, x1, #0").message == "immediate out of range");
  CHECK(assemble_error(Abi::Arm64, "ldr x0, [x1, #256]!").message == "offset out of range");
  CHECK(assemble_error(Abi::Arm64, "b.xx somewhere").message == "unknown instruction 'b.xx'");
  CHECK(assemble_error(Abi::Arm64, "cset x0, al").message == "condition must not be al or nv");
  CHECK(assemble_error(Abi::Arm64, "b.eq far\n.fill 0x100000, 1, 0\nfar: nop").message ==
        "branch target out of range");
  // '#' starts a comment only at the start of a line; "//" anywhere.
  CHECK(text_hex(Abi::Arm64, "# comment\nnop // ret\nnop; ret") == "1f2003d51f2003d5c0035fd6");
}

TEST_CASE("bitmask immediates encode and decode as rotated runs of ones") {
  CHECK(arm64::encode_bitmask(0xff, 64) ==
        std::optional<std::uint32_t>((1u << 22) | (0u << 16) | (7u << 10)));
  CHECK_FALSE(arm64::encode_bitmask(0, 64).has_value());
  CHECK_FALSE(arm64::encode_bitmask(~std::uint64_t{0}, 64).has_value());
  CHECK_FALSE(arm64::encode_bitmask(0x123456789, 64).has_value());
  for (std::uint64_t value : {0x5555555555555555ull, 0xff00ff00ff00ff00ull, 0x8000000000000001ull, 0x3ull}) {
    auto fields = arm64::encode_bitmask(value, 64);
    REQUIRE(fields.has_value());
    CHECK(arm64::decode_bitmask((*fields >> 22) & 1, (*fields >> 16) & 63, (*fields >> 10) & 63, 64) ==
          value);
  }
  CHECK(arm64::decode_bitmask(0, 0, 0x3f, 32) == std::nullopt);  // a run of all ones is reserved
}

TEST_CASE("arm64 adds and subs set NZCV by the result's sign, zero, carry and overflow") {
  using namespace arm64;
  CHECK(nzcv_after("mov x0, #-1\nadds x1, x0, #1") == (kPsrZ | kPsrC));
  CHECK(nzcv_after("mov x0, #0x7fffffffffffffff\nadds x1, x0, #1") == (kPsrN | kPsrV));
  CHECK(nzcv_after("mov x0, #5\nsubs x1, x0, x0") == (kPsrZ | kPsrC));
  CHECK(nzcv_after("mov w0, #0\nsubs w1, w0, #1") == kPsrN);
  CHECK(nzcv_after("mov x0, #3\ncmp x0, #5") == kPsrN);
  CHECK(nzcv_after("mov x0, #-1\nands x1, x0, #0x8000000000000000") == kPsrN);
  CHECK(nzcv_after("mov x0, #-1\nadds x1, x0, #1\ntst x0, #1") == 0);  // logic ops clear C and V
}

TEST_CASE("arm64 data processing computes 32-bit results zero-extended") {
  Process p(Abi::Arm64, R"(
        mov x0, #-1
        add w1, w0, #2
        mov x2, #0x1234
        movk x2, #0xabcd, lsl #32
        lsl x3, x2, #4
        asr x4, x0, #63
        lsr w5, w0, #28
        mov x6, #7
        mov x7, #3
        udiv x8, x6, x7
        sdiv x9, x0, x7
        udiv x10, x6, xzr
        mul x11, x6, x7
        msub x12, x6, x7, x11
        cmp x6, x7
        csel x13, x6, x7, gt
        cset x14, eq
        and x15, x0, #0xff00
        eor x16, x15, x0
        mvn w17, w6
        ror x18, x2, #4
        brk #0
)");
  REQUIRE(p.run().reason == StopReason::Breakpoint);
  CHECK(p.state.gpr[1] == 1);
  CHECK(p.state.gpr[2] == 0xabcd00001234);
  CHECK(p.state.gpr[3] == 0xabcd000012340);
  CHECK(p.state.gpr[4] == ~0ull);
  CHECK(p.state.gpr[5] == 0xf);
  CHECK(p.state.gpr[8] == 2);
  CHECK(p.state.gpr[9] == 0);
  CHECK(p.state.gpr[10] == 0);  // division by zero gives zero on A64
  CHECK(p.state.gpr[11] == 21);
  CHECK(p.state.gpr[12] == 0);
  CHECK(p.state.gpr[13] == 7);
  CHECK(p.state.gpr[14] == 0);
  CHECK(p.state.gpr[15] == 0xff00);
  CHECK(p.state.gpr[16] == 0xffffffffffff00ff);
  CHECK(p.state.gpr[17] == 0xfffffff8);
  CHECK(p.state.gpr[18] == 0x40000abcd0000123);
}

TEST_CASE("arm64 register 31 is sp for add-immediate and addresses, zr elsewhere") {
  Process p(
      Abi::Arm64,
      "mov x0, sp\nsub sp, sp, #32\nmov x1, sp\nadd x2, xzr, x0\nstr x0, [sp, #8]\nldr x3, [sp, #8]\nbrk #0");
  std::uint64_t sp = p.state.gpr[arm64::kSp];
  REQUIRE(p.run().reason == StopReason::Breakpoint);
  CHECK(p.state.gpr[0] == sp);
  CHECK(p.state.gpr[1] == sp - 32);
  CHECK(p.state.gpr[2] == sp);
  CHECK(p.state.gpr[3] == sp);
  CHECK(p.memory.peek_le(sp - 24, 8) == sp);
}

TEST_CASE("arm64 loads and stores honour sizes, sign extension and writeback") {
  Process p(Abi::Arm64, R"(
_start: adr x0, data
        ldrb w1, [x0]
        ldrsb x2, [x0]
        ldrh w3, [x0, #2]
        ldrsw x4, [x0, #4]
        ldr x5, [x0], #8
        ldr w6, [x0, #-4]!
        mov x7, #9
        stp x7, x5, [sp, #-16]!
        ldp x8, x9, [sp], #16
        ldr x10, data
        mov x11, #1
        adr x13, data
        ldr x12, [x13, x11, lsl #3]
        brk #0
        .data
data:   .byte 0x80, 0, 0x34, 0x12
        .long -2
        .quad 77
)");
  std::uint64_t sp = p.state.gpr[arm64::kSp];
  REQUIRE(p.run().reason == StopReason::Breakpoint);
  std::uint64_t data = p.symbol("data");
  CHECK(p.state.gpr[1] == 0x80);
  CHECK(p.state.gpr[2] == 0xffffffffffffff80);
  CHECK(p.state.gpr[3] == 0x1234);
  CHECK(p.state.gpr[4] == 0xfffffffffffffffe);
  CHECK(p.state.gpr[5] == 0xfffffffe12340080);
  CHECK(p.state.gpr[6] == 0xfffffffe);
  CHECK(p.state.gpr[0] == data + 4);
  CHECK(p.state.gpr[8] == 9);
  CHECK(p.state.gpr[9] == p.state.gpr[5]);
  CHECK(p.state.gpr[arm64::kSp] == sp);
  CHECK(p.state.gpr[10] == 0xfffffffe12340080);
  CHECK(p.state.gpr[12] == 77);
}

TEST_CASE("arm64 calls, returns and conditional branches follow the flags") {
  Process p(Abi::Arm64, R"(
_start: mov x0, #0
        mov x1, #10
loop:   add x0, x0, x1
        subs x1, x1, #1
        b.ne loop
        bl double
        cbz x1, done
        mov x0, #0
done:   tbnz x0, #1, odd
        brk #0
odd:    mov x2, #1
        brk #0
double: add x0, x0, x0
        ret
)");
  StopInfo stop = p.run();
  REQUIRE(stop.reason == StopReason::Breakpoint);
  CHECK(p.state.gpr[0] == 110);
  CHECK(p.state.gpr[2] == 1);
  CHECK(p.state.gpr[arm64::kLr] == p.image.text.address + 24);
}

TEST_CASE("arm64 svc stops past itself; brk stops at itself without retiring") {
  Process p(Abi::Arm64, "mov x8, #4\nsvc #0\nbrk #0");
  StopInfo stop = p.run();
  CHECK(stop.reason == StopReason::Syscall);
  CHECK(stop.instructions_executed == 2);
  CHECK(p.state.pc == p.image.text.address + 8);
  CHECK(syscall_request(p.state).number == 4);
  StopInfo brk = p.run();
  CHECK(brk.reason == StopReason::Breakpoint);
  CHECK(brk.instructions_executed == 0);
  CHECK(p.state.pc == p.image.text.address + 8);
  CHECK(brk.fault_address == p.state.pc);
}

TEST_CASE("arm64 PSR_SS runs exactly one instruction") {
  Process p(Abi::Arm64, "mov x0, #1\nmov x1, #2\nbrk #0");
  REQUIRE(set_single_step(p.state).ok());
  StopInfo stop = p.run();
  CHECK(stop.reason == StopReason::SingleStep);
  CHECK(stop.instructions_executed == 1);
  CHECK(p.state.gpr[0] == 1);
  CHECK(p.state.gpr[1] == 0);
}

TEST_CASE("arm64 faults, illegal words and a misaligned PC stop precisely") {
  Process load(Abi::Arm64, "mov x1, #16\nldr x0, [x1]");
  StopInfo fault = load.run();
  CHECK(fault.reason == StopReason::MemoryFault);
  CHECK(fault.fault_address == 16);
  CHECK(fault.access == FaultAccess::Read);
  CHECK(load.state.pc == load.image.text.address + 4);

  Process illegal(Abi::Arm64, "nop\n.word 0\n");
  StopInfo udf = illegal.run();
  CHECK(udf.reason == StopReason::IllegalInstruction);
  CHECK(udf.fault_address == illegal.image.text.address + 4);

  Process fp(Abi::Arm64, ".word 0x1e201000");  // fmov s0, #2.0: SIMD&FP is not modelled
  CHECK(fp.run().reason == StopReason::IllegalInstruction);

  Process misaligned(Abi::Arm64, "adr x0, target\nadd x0, x0, #2\nbr x0\ntarget: nop");
  StopInfo stop = misaligned.run();
  CHECK(stop.reason == StopReason::MisalignedPc);
  CHECK(stop.fault_address == misaligned.image.text.address + 14);
}
