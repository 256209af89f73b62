// The x86 assembler against GNU as 2.40 + ld: single instructions (the .inc tables were made by
// tools/gen_encoding_cases.py), relaxation, alignment padding, whole programs, directives and
// diagnostics.
#include <doctest/doctest.h>

#include "tests/unit/machine/asm_test_util.h"

using namespace procsim::machine;
using namespace procsim::machine::testing;

namespace {

constexpr EncodingCase kAmd64Cases[] = {
#include "tests/unit/machine/amd64_encoding_cases.inc"
};

constexpr EncodingCase kI386Cases[] = {
#include "tests/unit/machine/i386_encoding_cases.inc"
};

std::string repeat(std::string_view hex, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out += hex;
  return out;
}

}  // namespace

TEST_CASE("every amd64 instruction in the table encodes exactly as GNU as does") {
  for (const EncodingCase& c : kAmd64Cases) {
    CAPTURE(c.source);
    CHECK(text_hex(Abi::Amd64, c.source) == c.hex);
  }
}

TEST_CASE("every i386 instruction in the table encodes exactly as GNU as --32 does") {
  for (const EncodingCase& c : kI386Cases) {
    CAPTURE(c.source);
    CHECK(text_hex(Abi::I386, c.source) == c.hex);
  }
}

TEST_CASE("an ia32 program assembles like an i386 one") {
  CHECK(text_hex(Abi::Ia32, "mov 0x1234, %eax\nint $0x80") == "a134120000cd80");
  CHECK(assemble_ok(Abi::Ia32, "nop").text.address == 0x08048000);
}

TEST_CASE("jmp and jcc take rel32 exactly when rel8 cannot reach") {
  const char* source =
      "_start: jmp a\n .fill 127, 1, 0x90\n"
      "a: jmp b\n .fill 128, 1, 0x90\n"
      "b: .fill 126, 1, 0x90\n jne b\n"
      "c: .fill 126, 1, 0x90\n jne c - 1\n je _start\n";
  for (Abi abi : {Abi::Amd64, Abi::I386}) {
    procsim::base::Bytes text = assemble_ok(abi, source).text.bytes;
    REQUIRE(text.size() == 528);
    CHECK(to_hex({text.data(), 2}) == "eb7f");                // +127: short
    CHECK(to_hex({text.data() + 129, 5}) == "e980000000");    // +128: long
    CHECK(to_hex({text.data() + 388, 2}) == "7580");          // -128: short
    CHECK(to_hex({text.data() + 516, 6}) == "0f857bffffff");  // -129: long
    CHECK(to_hex({text.data() + 522, 6}) == "0f84f0fdffff");
  }
}

TEST_CASE("relaxation estimates labels ahead of it the way GNU as does (stretch across alignment)") {
  // A generated program whose result depends on GNU as's estimate of not-yet-reached labels:
  // labels in the same alignment region move by the growth so far, others do not.
  const char* source =
      ".text;_start:;L0:; jmp L26;L1:; .align 16;L2:; .fill 66, 1, 0x90;L3:; jmp L33;L4:; jmp L0;L5:; jmp "
      "L37;"
      "L6:; jne L9;L7:; .fill 56, 1, 0x90;L8:; .fill 79, 1, 0x90;L9:; jb L21;L10:; ja L7;L11:; .fill 3, 1, "
      "0x90;"
      "L12:; jmp L5;L13:; jmp L1;L14:; ja L35;L15:; jne L31;L16:; jmp L2;L17:; je L15;L18:; .fill 87, 1, "
      "0x90;"
      "L19:; .fill 10, 1, 0x90;L20:; jmp L30;L21:; jne L24;L22:; jb L9;L23:; jg L23;L24:; jg L20;L25:; je L1;"
      "L26:; jmp L31;L27:; jmp L4;L28:; jne L33;L29:; jb L20;L30:; .fill 24, 1, 0x90;L31:; .align 64;L32:; "
      "jl L38;"
      "L33:; jmp L10;L34:; jmp L11;L35:; .fill 21, 1, 0x90;L36:; .align 16;L37:; ja L10;L38:; jg L22;L39:; "
      "jne L15;";
  std::string expected =
      "e98701000066662e0f1f840000000000" + repeat("90", 66) + "e96b010000eba7e9920100000f8587000000" +
      repeat("90", 135) +
      "0f82890000000f876dffffff909090e95affffffe901ffffff0f87c20000000f859f000000e9fbfeffff74f3" +
      repeat("90", 97) + "eb1d75080f8269ffffff7ffe7ff20f8479feffffeb21e9c4feffff752d72e1" + repeat("90", 24) +
      "66662e0f1f840000000000660f1f4400007c34e92affffffe92bffffff" + repeat("90", 21) +
      "66662e0f1f8400000000000f1f40000f87fbfeffff7f840f850cffffff";
  CHECK(text_hex(Abi::Amd64, source) == expected);
}

TEST_CASE("text alignment uses GNU as's no-op patterns and jumps over long runs") {
  const char* source =
      "_start: ret\n .align 16\n ret\n .fill 3, 1, 0xcc\n .align 16\n ret\n .align 128\n ret\n"
      " .p2align 3\n .balign 4, 0xcc\n .align 8, 0, 2\n ret\n";
  CHECK(text_hex(Abi::Amd64, source) ==
        "c366662e0f1f8400000000000f1f4000c3cccccc66662e0f1f84000000000090c3eb5d" +
            repeat("66662e0f1f840000000000", 8) + "0f1f440000c30f1f8000000000c3");
  CHECK(text_hex(Abi::I386, source) ==
        "c38db426000000008db4260000000090c3cccccc8db426000000008d74260090c3eb5d" +
            repeat("8db42600000000", 13) + "6690c38db42600000000c3");
}

TEST_CASE("an amd64 program matches GNU as + ld, with data one 2 MB page past the text") {
  const char* source = R"(# hello world
        .equ SYS_write, 4
        .equ SYS_exit, 1
        .text
        .globl _start
_start:
        mov     $SYS_write, %eax
        mov     $1, %edi
        lea     msg(%rip), %rsi
        mov     $len, %edx
        syscall
        jc      fail
        mov     $5, %ecx
loop:   dec     %ecx
        jnz     loop
        cmpl    $0, counter(%rip)
        je      done
        jmp     far
        .align 16
far:    .fill 200, 1, 0x90
        jmp loop
        call    sub
done:   mov     $SYS_exit, %eax
        xor     %edi, %edi
        syscall
fail:   int3
sub:    push %rbp
        mov %rsp, %rbp
        movq msg, %rax
        mov $msg, %rbx
        movabs $msg, %rcx
        add $SYS_write, %rax
        pop %rbp
        ret
        .data
msg:    .ascii "hello, world\n"
len = . - msg
        .align 8
counter: .quad 0, msg, len
        .word 1, 2
        .byte 'a', 0x7f, -1
        .asciz "x\ty"
        .long sub - _start
)";
  Image image = assemble_ok(Abi::Amd64, source);
  CHECK(image.text.address == 0x400000);
  CHECK(image.data.address == 0x601000);
  CHECK(image.entry == 0x400000);
  CHECK(
      to_hex(image.text.bytes) ==
      "b804000000bf01000000488d35ef0f2000ba0d0000000f050f82fd000000b905000000ffc975fc833de20f2000000f84de0000"
      "00"
      "eb0a662e0f1f840000000000" +
          repeat("90", 200) +
          "e916ffffffe80a000000b80100000031ff0f05cc554889e5488b04250010600048c7c30010600048b90010600000000000"
          "4883c0045dc3");
  CHECK(to_hex(image.data.bytes) ==
        "68656c6c6f2c20776f726c640a000000000000000000000000106000000000000d0000000000000001000200617fff780979"
        "001c"
        "010000");
  bool found_len = false;
  for (const ImageSymbol& symbol : image.symbols) {
    if (symbol.name != "len") continue;
    found_len = true;
    CHECK(symbol.value == 13);
    CHECK_FALSE(symbol.is_label);
  }
  CHECK(found_len);
}

TEST_CASE("an i386 program matches GNU as --32 + ld, with moffs forms and relaxed branches") {
  const char* source = R"(
        .text
        .globl _start
_start: mov $4, %eax
        push $len
        push $msg
        push $1
        push %eax
        int $0x80
        add $16, %esp
        jb err
        mov msg, %al
        mov %eax, counter
        mov counter, %ebx
        incl counter
        lea msg(,%ecx,4), %edx
back:   .fill 125, 1, 0x90
        jne back
        jmp fwd
        .fill 127, 1, 0x90
fwd:    jmp back
        call err
err:    mov $1, %eax
        int $0x80
        .p2align 4
        ret
        .balign 8, 0xcc
        ret
        .data
msg:    .ascii "hi\n"
        len = . - msg
counter: .long 7, msg
        .align 4
        .long fwd
)";
  Image image = assemble_ok(Abi::I386, source);
  CHECK(image.data.address == 0x08049000);
  CHECK(
      to_hex(image.text.bytes) ==
      "b804000000680300000068009004086a0150cd8083c4100f8227010000a000900408a3039004088b1d03900408ff050390040"
      "88d148d00900408" +
          repeat("90", 125) + "7581eb7f" + repeat("90", 127) +
          "e9fbfeffffe800000000b801000000cd808d74260090c3ccccccccccccccc3");
  CHECK(to_hex(image.data.bytes) == "68690a0700000000900408003a810408");
}

TEST_CASE("constants defined before use pick short immediates; later ones and labels take imm32") {
  CHECK(text_hex(Abi::Amd64, ".equ N, 4\nadd $N, %ebx") == "83c304");
  CHECK(text_hex(Abi::Amd64, "add $N, %ebx\n.equ N, 4") == "81c304000000");
  CHECK(text_hex(Abi::Amd64, "N = 2\nadd $N, %ebx") == "83c302");
  CHECK(text_hex(Abi::Amd64, "add $x, %ebx\nx: nop") == "81c30600400090");
}

TEST_CASE("data directives lay out bytes little-endian") {
  Image image =
      assemble_ok(Abi::Amd64,
                  ".data\n.byte 1, 2\n.word 0x304\n.short 5\n.long 6\n.quad -1\n.ascii \"ab\", \"c\"\n"
                  ".asciz \"\\n\"\n.string \"q\"\n.zero 2\n.space 2, 0x41\n.fill 2, 2, 0x102\n");
  CHECK(to_hex(image.data.bytes) == "01020403050006000000ffffffffffffffff6162630a0071000000414102010201");
  CHECK(image.text.bytes.empty());
  CHECK(image.data.address == 0x600000);
}

TEST_CASE("the entry point is _start, or the start of text without one") {
  CHECK(assemble_ok(Abi::Amd64, "nop\n_start: nop").entry == 0x400001);
  CHECK(assemble_ok(Abi::Amd64, "nop\nnop").entry == 0x400000);
  CHECK(assemble_ok(Abi::I386, ".data\n.byte 1\n.text\nnop").entry == 0x08048000);
}

TEST_CASE("assembler errors carry the line and column of the offending text") {
  CHECK(assemble_error(Abi::Amd64, "nop\n  movz %eax, %ebx") == AsmError{2, 3, "unknown instruction 'movz'"});
  CHECK(assemble_error(Abi::Amd64, "mov %rxx, %rax") == AsmError{1, 5, "bad register '%rxx'"});
  CHECK(assemble_error(Abi::Amd64, "loop:\n  jmp loop2") == AsmError{2, 7, "undefined label 'loop2'"});
  CHECK(assemble_error(Abi::Amd64, "mov $x+1, %eax") == AsmError{1, 6, "undefined label 'x'"});
  CHECK(assemble_error(Abi::Amd64, "movl %eax, %rbx") ==
        AsmError{1, 12, "incorrect register '%rbx' used with 'l' suffix"});
  CHECK(assemble_error(Abi::Amd64, "mov %eax, %rbx") == AsmError{1, 11, "operand size mismatch for 'mov'"});
  CHECK(assemble_error(Abi::Amd64, "inc (%rax)").message ==
        "no instruction mnemonic suffix given and no register operands; can't size 'inc'");
  CHECK(assemble_error(Abi::Amd64, "lea %eax, %ebx").message == "operand type mismatch for 'lea'");
  CHECK(assemble_error(Abi::Amd64, "x: nop\nx: nop") == AsmError{2, 1, "symbol 'x' is already defined"});
  CHECK(assemble_error(Abi::Amd64, ".frob 1") == AsmError{1, 1, "unknown directive '.frob'"});
  CHECK(assemble_error(Abi::Amd64, "mov %fs:0, %eax").message == "segment overrides are not supported");
  CHECK(assemble_error(Abi::Amd64, "mov %ah, %sil").message ==
        "can't encode register '%ah' in an instruction requiring REX prefix");
  CHECK(assemble_error(Abi::Amd64, "add $0x80000000, %rax").column == 5);
  CHECK(assemble_error(Abi::I386, "mov %eax, %r8d") == AsmError{1, 11, "bad register '%r8d'"});
  CHECK(assemble_error(Abi::I386, "push %rax").message == "bad register '%rax'");
  CHECK(assemble_error(Abi::I386, "cltq").message == "'cltq' is not supported in 32-bit mode");
  CHECK(assemble_error(Abi::Amd64, ".ascii \"a\\q\"").line == 1);
  CHECK(assemble_error(Abi::Amd64, "mov (%eax), %ebx").message ==
        "'(%eax)' is not a valid base/index expression");
  CHECK(assemble_error(Abi::Amd64, "jmp 1f").message == "bad number '1f'");
  CHECK(assemble_error(Abi::Amd64, "int $256").message == "operand size mismatch for 'int'");
}

TEST_CASE("comments and statement separators follow GNU as for x86") {
  CHECK(text_hex(Abi::Amd64, "nop # a comment; ret\nret; nop ;nop") == "90c39090");
  CHECK(to_hex(assemble_ok(Abi::Amd64, ".ascii \"#;\"").text.bytes) == "233b");
}

TEST_CASE("the listing shows address, bytes and source, continuing long data") {
  Image image = assemble_ok(Abi::Amd64, "_start: mov $1, %eax\nloop:\njmp loop\n.ascii \"0123456789\"\n");
  CHECK(format_listing(image) ==
        "0000000000400000  b8 01 00 00 00           _start: mov $1, %eax\n"
        "0000000000400005                           loop:\n"
        "0000000000400005  eb fe                    jmp loop\n"
        "0000000000400007  30 31 32 33 34 35 36 37  .ascii \"0123456789\"\n"
        "000000000040000f  38 39\n");
  Image i386 = assemble_ok(Abi::I386, "nop");
  CHECK(format_listing(i386) == "08048000  90                       nop\n");
}
