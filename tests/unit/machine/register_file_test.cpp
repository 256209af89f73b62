// Filling and setting register structures from CpuState: values at their offsets, members written
// as zero or ignored on write, and the write checks of spec/kernel.md §1.7.
#include "model/machine/register_file.h"

#include <doctest/doctest.h>

#include "model/machine/abi_ops.h"

using namespace procsim::machine;
using procsim::base::Bytes;
using procsim::base::load_le;
using procsim::base::store_le;

namespace {

CpuState amd64_state() { return initial_state(Abi::Amd64, 0x400123, 0x7fffffffe9a0); }

CpuState numbered_state(Abi abi) {
  CpuState state = initial_state(abi, 0x1000, 0x8000);
  for (std::size_t i = 0; i < state.gpr.size(); ++i) state.gpr[i] = 0x1100 + i;
  return state;
}

const RegLayout& layout(Abi abi, RegSet set) { return register_layout(abi, set); }

}  // namespace

TEST_CASE("amd64 fill_regs places each register at its offset and writes trapno/err as 0") {
  CpuState state = numbered_state(Abi::Amd64);
  Bytes bytes = fill_registers(layout(Abi::Amd64, RegSet::Reg), state);
  REQUIRE(bytes.size() == 176);
  CHECK(load_le<std::uint64_t>(bytes, 0) == 0x1100 + 15);   // r_r15
  CHECK(load_le<std::uint64_t>(bytes, 40) == 0x1100 + 10);  // r_r10
  CHECK(load_le<std::uint64_t>(bytes, 64) == 0x1100 + 7);   // r_rdi
  CHECK(load_le<std::uint64_t>(bytes, 104) == 0x1100 + 1);  // r_rcx
  CHECK(load_le<std::uint64_t>(bytes, 112) == 0x1100);      // r_rax
  CHECK(load_le<std::uint32_t>(bytes, 120) == 0);           // r_trapno
  CHECK(load_le<std::uint16_t>(bytes, 124) == 0x13);        // r_fs
  CHECK(load_le<std::uint16_t>(bytes, 126) == 0x1b);        // r_gs
  CHECK(load_le<std::uint32_t>(bytes, 128) == 0);           // r_err
  CHECK(load_le<std::uint16_t>(bytes, 132) == 0x3b);        // r_es
  CHECK(load_le<std::uint16_t>(bytes, 134) == 0x3b);        // r_ds
  CHECK(load_le<std::uint64_t>(bytes, 136) == 0x1000);      // r_rip
  CHECK(load_le<std::uint64_t>(bytes, 144) == 0x43);        // r_cs
  CHECK(load_le<std::uint64_t>(bytes, 152) == 0x202);       // r_rflags
  CHECK(load_le<std::uint64_t>(bytes, 160) == 0x1100 + 4);  // r_rsp
  CHECK(load_le<std::uint64_t>(bytes, 168) == 0x3b);        // r_ss
}

TEST_CASE("i386 fill_regs writes r_isp, r_trapno and r_err as 0") {
  CpuState state = numbered_state(Abi::I386);
  Bytes bytes = fill_registers(layout(Abi::I386, RegSet::Reg), state);
  REQUIRE(bytes.size() == 76);
  CHECK(load_le<std::uint32_t>(bytes, 0) == 0x3b);     // r_fs: the data selector after exec
  CHECK(load_le<std::uint32_t>(bytes, 12) == 0x1107);  // r_edi
  CHECK(load_le<std::uint32_t>(bytes, 24) == 0);       // r_isp
  CHECK(load_le<std::uint32_t>(bytes, 40) == 0x1100);  // r_eax
  CHECK(load_le<std::uint32_t>(bytes, 44) == 0);       // r_trapno
  CHECK(load_le<std::uint32_t>(bytes, 48) == 0);       // r_err
  CHECK(load_le<std::uint32_t>(bytes, 52) == 0x1000);  // r_eip
  CHECK(load_le<std::uint32_t>(bytes, 56) == 0x33);    // r_cs
  CHECK(load_le<std::uint32_t>(bytes, 60) == 0x202);   // r_eflags
  CHECK(load_le<std::uint32_t>(bytes, 64) == 0x1104);  // r_esp
}

TEST_CASE("writing back the bytes just read leaves every architecture's state unchanged") {
  for (const AbiInfo& abi : all_abis()) {
    CAPTURE(abi.name);
    CpuState state = numbered_state(abi.abi);
    state.fp.vector[3][5] = 0x77;
    state.fp.x87.stack[2][9] = 0x55;
    for (RegSet set : {RegSet::Reg, RegSet::FpReg, RegSet::DbReg}) {
      CpuState copy = state;
      Bytes bytes = fill_registers(layout(abi.abi, set), copy);
      REQUIRE(set_registers(layout(abi.abi, set), copy, bytes).ok());
      CHECK(fill_registers(layout(abi.abi, set), copy) == bytes);
    }
  }
}

TEST_CASE("x86 set_regs accepts changes to PSL_USERCHANGE bits only") {
  CpuState state = amd64_state();
  Bytes bytes = fill_registers(layout(Abi::Amd64, RegSet::Reg), state);
  store_le<std::uint64_t>(bytes, 152, 0x202 | x86::kPslC | x86::kPslT | x86::kPslZ);
  store_le<std::uint64_t>(bytes, 112, 42);
  REQUIRE(set_registers(layout(Abi::Amd64, RegSet::Reg), state, bytes).ok());
  CHECK(state.flags == (0x202 | x86::kPslC | x86::kPslT | x86::kPslZ));
  CHECK(state.gpr[x86::kRax] == 42);

  CpuState before = state;
  store_le<std::uint64_t>(bytes, 152, 0x202 & ~x86::kPslI);  // clearing IF is not allowed
  store_le<std::uint64_t>(bytes, 112, 7);
  CHECK(set_registers(layout(Abi::Amd64, RegSet::Reg), state, bytes).error() == MachineError::Invalid);
  CHECK(state == before);  // nothing was stored
  store_le<std::uint64_t>(bytes, 152, 0x202 | x86::kPslIopl);
  CHECK(set_registers(layout(Abi::Amd64, RegSet::Reg), state, bytes).error() == MachineError::Invalid);
  store_le<std::uint64_t>(bytes, 152, 0x202 | (std::uint64_t{1} << 32));
  CHECK(set_registers(layout(Abi::Amd64, RegSet::Reg), state, bytes).error() == MachineError::Invalid);
}

TEST_CASE("x86 set_regs refuses a code selector without RPL 3") {
  CpuState state = amd64_state();
  Bytes bytes = fill_registers(layout(Abi::Amd64, RegSet::Reg), state);
  store_le<std::uint64_t>(bytes, 144, 0x40);
  CHECK(set_registers(layout(Abi::Amd64, RegSet::Reg), state, bytes).error() == MachineError::Invalid);
  store_le<std::uint64_t>(bytes, 144, 0x33);  // another user selector is fine
  CHECK(set_registers(layout(Abi::Amd64, RegSet::Reg), state, bytes).ok());
  CHECK(state.selector(Segment::Cs) == 0x33);

  CpuState i386 = initial_state(Abi::I386, 0x8048000, 0xbfbfe000);
  Bytes bytes32 = fill_registers(layout(Abi::I386, RegSet::Reg), i386);
  store_le<std::uint32_t>(bytes32, 56, 0x32);
  CHECK(set_registers(layout(Abi::I386, RegSet::Reg), i386, bytes32).error() == MachineError::Invalid);
}

TEST_CASE("amd64 set_regs ignores the data segment registers and trapno") {
  CpuState state = amd64_state();
  Bytes bytes = fill_registers(layout(Abi::Amd64, RegSet::Reg), state);
  store_le<std::uint16_t>(bytes, 134, 0x23);  // r_ds
  store_le<std::uint16_t>(bytes, 124, 0x23);  // r_fs
  store_le<std::uint32_t>(bytes, 120, 14);    // r_trapno
  REQUIRE(set_registers(layout(Abi::Amd64, RegSet::Reg), state, bytes).ok());
  CHECK(state.selector(Segment::Ds) == 0x3b);
  CHECK(state.selector(Segment::Fs) == 0x13);
  Bytes again = fill_registers(layout(Abi::Amd64, RegSet::Reg), state);
  CHECK(load_le<std::uint32_t>(again, 120) == 0);
}

TEST_CASE("i386 set_regs stores segment registers but ia32 set_regs32 does not") {
  CpuState i386 = initial_state(Abi::I386, 0x8048000, 0xbfbfe000);
  Bytes bytes = fill_registers(layout(Abi::I386, RegSet::Reg), i386);
  store_le<std::uint32_t>(bytes, 72, 0x1b);  // r_gs
  REQUIRE(set_registers(layout(Abi::I386, RegSet::Reg), i386, bytes).ok());
  CHECK(i386.selector(Segment::Gs) == 0x1b);

  CpuState ia32 = initial_state(Abi::Ia32, 0x8048000, 0xffffd000);
  Bytes bytes32 = fill_registers(layout(Abi::Ia32, RegSet::Reg), ia32);
  store_le<std::uint32_t>(bytes32, 72, 0x3b);  // r_gs
  store_le<std::uint32_t>(bytes32, 40, 9);     // r_eax
  REQUIRE(set_registers(layout(Abi::Ia32, RegSet::Reg), ia32, bytes32).ok());
  CHECK(ia32.selector(Segment::Gs) == 0x1b);
  CHECK(ia32.gpr[x86::kRax] == 9);
}

TEST_CASE("fpregs show the initial FPU control word and MXCSR of each x86 ABI") {
  Bytes amd64 = fill_registers(layout(Abi::Amd64, RegSet::FpReg), amd64_state());
  CHECK(load_le<std::uint16_t>(amd64, 0) == 0x037F);
  CHECK(load_le<std::uint32_t>(amd64, 24) == 0x1F80);
  CHECK(load_le<std::uint32_t>(amd64, 28) == 0xFFBF);
  CpuState i386 = initial_state(Abi::I386, 0x8048000, 0xbfbfe000);
  Bytes bytes = fill_registers(layout(Abi::I386, RegSet::FpReg), i386);
  CHECK(load_le<std::uint32_t>(bytes, 0) == 0x127F);
  CHECK(load_le<std::uint32_t>(bytes, 8) == 0);  // en_tw: the abridged tag, copied unconverted
}

TEST_CASE("amd64 fpregs carry 10 bytes per x87 register in 16-byte slots") {
  CpuState state = amd64_state();
  for (unsigned i = 0; i < 10; ++i) state.fp.x87.stack[1][i] = static_cast<std::uint8_t>(0xA0 + i);
  state.fp.vector[15][15] = 0xEE;
  Bytes bytes = fill_registers(layout(Abi::Amd64, RegSet::FpReg), state);
  CHECK(bytes[48] == 0xA0);
  CHECK(bytes[57] == 0xA9);
  CHECK(bytes[58] == 0);  // the 6 bytes past the x87 value stay zero
  CHECK(bytes[160 + 15 * 16 + 15] == 0xEE);
}

TEST_CASE("ia32 fpregs32 report %cs and %ds as the x87 selectors") {
  CpuState state = initial_state(Abi::Ia32, 0x8048000, 0xffffd000);
  state.fp.x87.instruction_selector = 0x1234;
  Bytes bytes = fill_registers(layout(Abi::Ia32, RegSet::FpReg), state);
  CHECK(load_le<std::uint16_t>(bytes, 16) == 0x33);
  CHECK(load_le<std::uint32_t>(bytes, 24) == 0x3b);
  Bytes i386 = fill_registers(layout(Abi::I386, RegSet::FpReg), state);
  CHECK(load_le<std::uint16_t>(i386, 16) == 0x1234);
}

TEST_CASE("amd64 set_dbregs enforces the DR7 rules") {
  const RegLayout& dbreg = layout(Abi::Amd64, RegSet::DbReg);
  CpuState state = amd64_state();
  Bytes bytes(128, 0);
  store_le<std::uint64_t>(bytes, 0, 0x401000);
  store_le<std::uint64_t>(bytes, 56, x86::kDr7LocalEnable | (x86::kDr7Len8 << 18));
  REQUIRE(set_registers(dbreg, state, bytes).ok());  // 8-byte length is fine for a 64-bit thread
  CHECK(state.debug.x86_dr[0] == 0x401000);

  store_le<std::uint64_t>(bytes, 56, x86::kDr7AccessIo << x86::dr7_access_shift(2));
  CHECK(set_registers(dbreg, state, bytes).error() == MachineError::Invalid);
  store_le<std::uint64_t>(bytes, 56, std::uint64_t{1} << 40);
  CHECK(set_registers(dbreg, state, bytes).error() == MachineError::Invalid);
  store_le<std::uint64_t>(bytes, 56, 0);
  store_le<std::uint64_t>(bytes, 48, std::uint64_t{1} << 32);  // dr6 high half
  CHECK(set_registers(dbreg, state, bytes).error() == MachineError::Invalid);
  store_le<std::uint64_t>(bytes, 48, 0);

  // An enabled breakpoint at VM_MAXUSER_ADDRESS is refused; a disabled one is stored.
  store_le<std::uint64_t>(bytes, 8, 0x800000000000);
  store_le<std::uint64_t>(bytes, 56, x86::kDr7GlobalEnable << x86::dr7_enable_shift(1));
  CHECK(set_registers(dbreg, state, bytes).error() == MachineError::Invalid);
  store_le<std::uint64_t>(bytes, 56, 0);
  REQUIRE(set_registers(dbreg, state, bytes).ok());
  CHECK(state.debug.x86_dr[1] == 0x800000000000);
}

TEST_CASE("x86 dbregs: 8-byte lengths are refused for 32-bit threads, dr4/dr5/dr8+ read 0") {
  CpuState ia32 = initial_state(Abi::Ia32, 0x8048000, 0xffffd000);
  Bytes bytes(32, 0);
  store_le<std::uint32_t>(bytes, 28, x86::kDr7Len8 << x86::dr7_len_shift(3));
  CHECK(set_registers(layout(Abi::Ia32, RegSet::DbReg), ia32, bytes).error() == MachineError::Invalid);

  CpuState state = amd64_state();
  Bytes wide(128, 0xFF);
  for (unsigned i : {0u, 1u, 2u, 3u, 6u, 7u}) store_le<std::uint64_t>(wide, i * 8, 0);
  REQUIRE(set_registers(layout(Abi::Amd64, RegSet::DbReg), state, wide).ok());
  Bytes back = fill_registers(layout(Abi::Amd64, RegSet::DbReg), state);
  CHECK(back == Bytes(128, 0));
}

TEST_CASE("arm64 set_regs takes only NZCV and SS from spsr") {
  CpuState state = initial_state(Abi::Arm64, 0x200000, 0xfffffffff000);
  state.flags = 0x3C0;  // DAIF bits, not settable
  Bytes bytes = fill_registers(layout(Abi::Arm64, RegSet::Reg), state);
  store_le<std::uint64_t>(bytes, 264, 0xF020000F);  // DAIF clear, M bits set
  store_le<std::uint64_t>(bytes, 240, 0x1234);      // lr
  REQUIRE(set_registers(layout(Abi::Arm64, RegSet::Reg), state, bytes).ok());
  CHECK(state.flags == (0x3C0 | 0xF0200000));
  CHECK(state.gpr[arm64::kLr] == 0x1234);
}

TEST_CASE("arm64 dbregs report the CPU's debug facts and refuse kernel addresses") {
  CpuState state = initial_state(Abi::Arm64, 0x200000, 0xfffffffff000);
  const RegLayout& dbreg = layout(Abi::Arm64, RegSet::DbReg);
  Bytes bytes = fill_registers(dbreg, state);
  CHECK(bytes[0] == 6);
  CHECK(bytes[1] == 6);
  CHECK(bytes[2] == 4);
  store_le<std::uint64_t>(bytes, 8 + 16, 0xffff000000001000);  // db_breakregs[1].dbr_addr
  store_le<std::uint32_t>(bytes, 16 + 16, 1);                  // enabled
  CHECK(set_registers(dbreg, state, bytes).error() == MachineError::Invalid);
  store_le<std::uint64_t>(bytes, 8 + 16, 0x201000);
  bytes[1] = 99;  // the breakpoint count is read-only
  REQUIRE(set_registers(dbreg, state, bytes).ok());
  CHECK(state.debug.arm64_breakpoints[1].address == 0x201000);
  CHECK(state.debug.arm64_breakpoints[1].control == 1);
  CHECK(state.debug.arm64_breakpoint_count == 6);
}

TEST_CASE("riscv set_regs ignores sstatus and dbregs are a 4-byte dummy") {
  CpuState state = numbered_state(Abi::Riscv64);
  Bytes bytes = fill_registers(layout(Abi::Riscv64, RegSet::Reg), state);
  CHECK(load_le<std::uint64_t>(bytes, 56) == 0x1100 + 28);   // t[3] = x28
  CHECK(load_le<std::uint64_t>(bytes, 104) == 0x1100 + 18);  // s[2] = x18
  store_le<std::uint64_t>(bytes, 256, 0x22);
  REQUIRE(set_registers(layout(Abi::Riscv64, RegSet::Reg), state, bytes).ok());
  CHECK(state.flags == 0);
  CHECK(fill_registers(layout(Abi::Riscv64, RegSet::DbReg), state) == Bytes(4, 0));
}

TEST_CASE("read_field gives one element as fill writes it") {
  CpuState state = numbered_state(Abi::Arm64);
  const RegLayout& reg = layout(Abi::Arm64, RegSet::Reg);
  FieldElement x5 = find_element(reg, "x[5]");
  REQUIRE(x5.field != nullptr);
  CHECK(read_field(*x5.field, x5.element, state) == 0x1105);
  FieldElement fs = find_element(layout(Abi::Amd64, RegSet::Reg), "r_trapno");
  REQUIRE(fs.field != nullptr);
  CHECK(read_field(*fs.field, fs.element, amd64_state()) == 0);
}
