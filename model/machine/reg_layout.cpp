// The register-file tables: one row per C member (arrays are one row with a count), in the
// member order of FreeBSD's headers. Offsets and sizes are spec/kernel.md §1.1-§1.4; which
// members fill writes as 0 and which set ignores follow §1.2 and 8.3 ia32_reg.c. Every
// layout's size and the absence of overlaps are checked at compile time.
#include "model/machine/reg_layout.h"

#include <array>

#include <fmt/format.h>

namespace procsim::machine {
namespace {

using enum RegSlot;
constexpr auto kRw = RegAccess::ReadWrite;
constexpr auto kRo = RegAccess::ReadOnly;

constexpr std::uint8_t seg(Segment which) { return static_cast<std::uint8_t>(which); }

constexpr RegField scalar(std::string_view name, std::uint16_t offset, std::uint8_t width, RegSlot slot,
                          std::uint8_t index = 0, RegAccess access = kRw) {
  return {name, "", offset, width, 1, 0, slot, index, access, 0};
}

constexpr RegField array(std::string_view name, std::uint16_t offset, std::uint8_t width, std::uint8_t count,
                         std::uint16_t stride, RegSlot slot, std::uint8_t index = 0,
                         std::uint8_t name_index = 0, RegAccess access = kRw) {
  return {name, "", offset, width, count, stride, slot, index, access, name_index};
}

// A member of each element of an array of structs (arm64 db_breakregs[i].dbr_addr).
constexpr RegField member(std::string_view name, std::string_view member_name, std::uint16_t offset,
                          std::uint8_t width, std::uint8_t count, std::uint16_t stride, RegSlot slot,
                          RegAccess access = kRw) {
  return {name, member_name, offset, width, count, stride, slot, 0, access, 0};
}

// A member that fill always writes as zero and set ignores.
constexpr RegField zero(std::string_view name, std::uint16_t offset, std::uint8_t width,
                        std::uint8_t count = 1, std::uint16_t stride = 0, std::uint8_t name_index = 0) {
  return {name, "", offset, width, count, stride, None, 0, RegAccess::Zero, name_index};
}

// i386 struct reg; with ia32 == true, amd64's struct reg32 (segment registers read-only,
// 8.3 set_regs32 has its segment loads under #if 0).
template <bool ia32>
constexpr std::array<RegField, 19> kX86_32Reg = {{
    scalar("r_fs", 0, 4, Selector, seg(Segment::Fs), ia32 ? kRo : kRw),
    scalar("r_es", 4, 4, Selector, seg(Segment::Es), ia32 ? kRo : kRw),
    scalar("r_ds", 8, 4, Selector, seg(Segment::Ds), ia32 ? kRo : kRw),
    scalar("r_edi", 12, 4, Gpr, x86::kRdi),
    scalar("r_esi", 16, 4, Gpr, x86::kRsi),
    scalar("r_ebp", 20, 4, Gpr, x86::kRbp),
    zero("r_isp", 24, 4),
    scalar("r_ebx", 28, 4, Gpr, x86::kRbx),
    scalar("r_edx", 32, 4, Gpr, x86::kRdx),
    scalar("r_ecx", 36, 4, Gpr, x86::kRcx),
    scalar("r_eax", 40, 4, Gpr, x86::kRax),
    zero("r_trapno", 44, 4),
    zero("r_err", 48, 4),
    scalar("r_eip", 52, 4, Pc),
    scalar("r_cs", 56, 4, Selector, seg(Segment::Cs)),
    scalar("r_eflags", 60, 4, Flags),
    scalar("r_esp", 64, 4, Gpr, x86::kRsp),
    scalar("r_ss", 68, 4, Selector, seg(Segment::Ss)),
    scalar("r_gs", 72, 4, Selector, seg(Segment::Gs), ia32 ? kRo : kRw),
}};

// amd64 struct reg. set_regs ignores ds/es/fs/gs; fill writes trapno/err as 0 (model choice).
constexpr std::array<RegField, 26> kAmd64Reg = {{
    scalar("r_r15", 0, 8, Gpr, x86::kR15),
    scalar("r_r14", 8, 8, Gpr, x86::kR14),
    scalar("r_r13", 16, 8, Gpr, x86::kR13),
    scalar("r_r12", 24, 8, Gpr, x86::kR12),
    scalar("r_r11", 32, 8, Gpr, x86::kR11),
    scalar("r_r10", 40, 8, Gpr, x86::kR10),
    scalar("r_r9", 48, 8, Gpr, x86::kR9),
    scalar("r_r8", 56, 8, Gpr, x86::kR8),
    scalar("r_rdi", 64, 8, Gpr, x86::kRdi),
    scalar("r_rsi", 72, 8, Gpr, x86::kRsi),
    scalar("r_rbp", 80, 8, Gpr, x86::kRbp),
    scalar("r_rbx", 88, 8, Gpr, x86::kRbx),
    scalar("r_rdx", 96, 8, Gpr, x86::kRdx),
    scalar("r_rcx", 104, 8, Gpr, x86::kRcx),
    scalar("r_rax", 112, 8, Gpr, x86::kRax),
    zero("r_trapno", 120, 4),
    scalar("r_fs", 124, 2, Selector, seg(Segment::Fs), kRo),
    scalar("r_gs", 126, 2, Selector, seg(Segment::Gs), kRo),
    zero("r_err", 128, 4),
    scalar("r_es", 132, 2, Selector, seg(Segment::Es), kRo),
    scalar("r_ds", 134, 2, Selector, seg(Segment::Ds), kRo),
    scalar("r_rip", 136, 8, Pc),
    scalar("r_cs", 144, 8, Selector, seg(Segment::Cs)),
    scalar("r_rflags", 152, 8, Flags),
    scalar("r_rsp", 160, 8, Gpr, x86::kRsp),
    scalar("r_ss", 168, 8, Selector, seg(Segment::Ss)),
}};

// i386 struct fpreg, read through its save87 overlay (env87 members named). With ia32 ==
// true, amd64's fpreg32: fill_fpregs32 reports the process's %cs and %ds as en_fcs/en_fos and
// set_fpregs32 ignores both.
template <bool ia32>
constexpr std::array<RegField, 11> kX86_32FpReg = {{
    scalar("en_cw", 0, 4, X87Control),
    scalar("en_sw", 4, 4, X87Status),
    scalar("en_tw", 8, 4, X87Tag),
    scalar("en_fip", 12, 4, X87InstructionPointer),
    ia32 ? scalar("en_fcs", 16, 2, Selector, seg(Segment::Cs), kRo)
         : scalar("en_fcs", 16, 2, X87InstructionSelector),
    scalar("en_opcode", 18, 2, X87Opcode),
    scalar("en_foo", 20, 4, X87DataPointer),
    ia32 ? scalar("en_fos", 24, 4, Selector, seg(Segment::Ds), kRo)
         : scalar("en_fos", 24, 4, X87DataSelector),
    array("fpr_acc", 28, 10, 8, 10, X87Stack),
    zero("fpr_ex_sw", 108, 4),
    zero("fpr_pad", 112, 1, 64, 1),
}};

// amd64 struct fpreg, fpr_env read through its envxmm overlay. fill_fpregs copies 10 bytes of
// each x87 register into a 16-byte slot.
constexpr std::array<RegField, 12> kAmd64FpReg = {{
    scalar("en_cw", 0, 2, X87Control),
    scalar("en_sw", 2, 2, X87Status),
    scalar("en_tw", 4, 1, X87Tag),
    zero("en_zero", 5, 1),
    scalar("en_opcode", 6, 2, X87Opcode),
    scalar("en_rip", 8, 8, X87InstructionPointer),
    scalar("en_rdp", 16, 8, X87DataPointer),
    scalar("en_mxcsr", 24, 4, Mxcsr),
    scalar("en_mxcsr_mask", 28, 4, MxcsrMask),
    array("fpr_acc", 32, 10, 8, 16, X87Stack),
    array("fpr_xacc", 160, 16, 16, 16, Vector),
    zero("fpr_spare", 416, 8, 12, 8),
}};

// struct dbreg with `width`-byte slots: dr0-dr3 and dr6-dr7 are kept, dr4, dr5 (and on amd64
// dr8-dr15) are filled as 0 (spec/kernel.md §1.2).
constexpr std::array<RegField, 3> kX86_32DbReg = {{
    array("dr", 0, 4, 4, 4, X86Debug, 0, 0),
    zero("dr", 16, 4, 2, 4, 4),
    array("dr", 24, 4, 2, 4, X86Debug, 6, 6),
}};
constexpr std::array<RegField, 4> kAmd64DbReg = {{
    array("dr", 0, 8, 4, 8, X86Debug, 0, 0),
    zero("dr", 32, 8, 2, 8, 4),
    array("dr", 48, 8, 2, 8, X86Debug, 6, 6),
    zero("dr", 64, 8, 8, 8, 8),
}};

constexpr std::array<RegField, 5> kArm64Reg = {{
    array("x", 0, 8, 30, 8, Gpr, 0), scalar("lr", 240, 8, Gpr, arm64::kLr),
    scalar("sp", 248, 8, Gpr, arm64::kSp), scalar("elr", 256, 8, Pc),
    scalar("spsr", 264, 8, Flags),  // __uint64_t in the modern header
}};
constexpr std::array<RegField, 3> kArm64FpReg = {{
    array("fp_q", 0, 16, 32, 16, Vector),
    scalar("fp_sr", 512, 4, Arm64Fpsr),
    scalar("fp_cr", 516, 4, Arm64Fpcr),
}};
// The counts and debug version describe the CPU; a write cannot change them.
constexpr std::array<RegField, 10> kArm64DbReg = {{
    scalar("db_debug_ver", 0, 1, Arm64DebugVersion, 0, kRo),
    scalar("db_nbkpts", 1, 1, Arm64BreakpointCount, 0, kRo),
    scalar("db_nwtpts", 2, 1, Arm64WatchpointCount, 0, kRo),
    zero("db_pad", 3, 1, 5, 1),
    member("db_breakregs", "dbr_addr", 8, 8, 16, 16, Arm64BreakAddress),
    member("db_breakregs", "dbr_ctrl", 16, 4, 16, 16, Arm64BreakControl),
    member("db_breakregs", "dbr_pad", 20, 4, 16, 16, None, RegAccess::Zero),
    member("db_watchregs", "dbw_addr", 264, 8, 16, 16, Arm64WatchAddress),
    member("db_watchregs", "dbw_ctrl", 272, 4, 16, 16, Arm64WatchControl),
    member("db_watchregs", "dbw_pad", 276, 4, 16, 16, None, RegAccess::Zero),
}};

// riscv t[] and s[] are not contiguous in register numbering: t0-t2 = x5-x7, t3-t6 = x28-x31,
// s0-s1 = x8-x9, s2-s11 = x18-x27. set_regs does not take sstatus.
constexpr std::array<RegField, 11> kRiscvReg = {{
    scalar("ra", 0, 8, Gpr, riscv::kRa),
    scalar("sp", 8, 8, Gpr, riscv::kSp),
    scalar("gp", 16, 8, Gpr, riscv::kGp),
    scalar("tp", 24, 8, Gpr, riscv::kTp),
    array("t", 32, 8, 3, 8, Gpr, riscv::kT0, 0),
    array("t", 56, 8, 4, 8, Gpr, riscv::kT3, 3),
    array("s", 88, 8, 2, 8, Gpr, riscv::kS0, 0),
    array("s", 104, 8, 10, 8, Gpr, riscv::kS2, 2),
    array("a", 184, 8, 8, 8, Gpr, riscv::kA0, 0),
    scalar("sepc", 248, 8, Pc),
    scalar("sstatus", 256, 8, Flags, 0, kRo),
}};
constexpr std::array<RegField, 2> kRiscvFpReg = {{
    array("fp_x", 0, 16, 32, 16, Vector),
    scalar("fp_fcsr", 512, 8, RiscvFcsr),
}};
constexpr std::array<RegField, 1> kRiscvDbReg = {{zero("dummy", 0, 4)}};

using enum RegWriteRule;
constexpr std::array<RegLayout, kAbiCount* 3> kLayouts = {{
    {Abi::I386, RegSet::Reg, "struct reg", 76, kX86_32Reg<false>, X86Regs},
    {Abi::I386, RegSet::FpReg, "struct fpreg", 176, kX86_32FpReg<false>, Plain},
    {Abi::I386, RegSet::DbReg, "struct dbreg", 32, kX86_32DbReg, X86DbRegs},
    {Abi::Amd64, RegSet::Reg, "struct reg", 176, kAmd64Reg, X86Regs},
    {Abi::Amd64, RegSet::FpReg, "struct fpreg", 512, kAmd64FpReg, Plain},
    {Abi::Amd64, RegSet::DbReg, "struct dbreg", 128, kAmd64DbReg, X86DbRegs},
    {Abi::Ia32, RegSet::Reg, "struct reg32", 76, kX86_32Reg<true>, X86Regs},
    {Abi::Ia32, RegSet::FpReg, "struct fpreg32", 176, kX86_32FpReg<true>, Plain},
    {Abi::Ia32, RegSet::DbReg, "struct dbreg32", 32, kX86_32DbReg, X86DbRegs},
    {Abi::Arm64, RegSet::Reg, "struct reg", 272, kArm64Reg, Arm64Regs},
    {Abi::Arm64, RegSet::FpReg, "struct fpreg", 528, kArm64FpReg, Plain},
    {Abi::Arm64, RegSet::DbReg, "struct dbreg", 520, kArm64DbReg, Arm64DbRegs},
    {Abi::Riscv64, RegSet::Reg, "struct reg", 264, kRiscvReg, Plain},
    {Abi::Riscv64, RegSet::FpReg, "struct fpreg", 520, kRiscvFpReg, Plain},
    {Abi::Riscv64, RegSet::DbReg, "struct dbreg", 4, kRiscvDbReg, Plain},
}};

constexpr std::size_t layout_index(Abi abi, RegSet set) {
  return static_cast<std::size_t>(abi) * 3 + static_cast<std::size_t>(set);
}

// No two fields share a byte, no field leaves the structure, widths fit their slot kind.
constexpr bool fields_are_well_formed(const RegLayout& layout) {
  std::array<bool, 1024> used{};
  if (layout.size_bytes > used.size()) return false;
  for (const RegField& field : layout.fields) {
    bool byte_slot = field.slot == X87Stack || field.slot == Vector;
    if (byte_slot ? field.width != (field.slot == X87Stack ? 10 : 16) : field.width > 8) return false;
    if (field.count == 0 || (field.count > 1 && field.stride < field.width)) return false;
    for (unsigned element = 0; element < field.count; ++element) {
      for (unsigned byte = 0; byte < field.width; ++byte) {
        unsigned at = field.offset + element * field.stride + byte;
        if (at >= layout.size_bytes || used[at]) return false;
        used[at] = true;
      }
    }
  }
  return true;
}

constexpr bool all_layouts_are_well_formed() {
  for (std::size_t i = 0; i < kLayouts.size(); ++i) {
    const RegLayout& layout = kLayouts[i];
    if (layout_index(layout.abi, layout.set) != i) return false;
    if (!fields_are_well_formed(layout)) return false;
  }
  return true;
}
static_assert(all_layouts_are_well_formed());

// The sizes spec/kernel.md §1 gives, one assertion per structure.
static_assert(kLayouts[layout_index(Abi::I386, RegSet::Reg)].size_bytes == 76);
static_assert(kLayouts[layout_index(Abi::I386, RegSet::FpReg)].size_bytes == 176);
static_assert(kLayouts[layout_index(Abi::I386, RegSet::DbReg)].size_bytes == 32);
static_assert(kLayouts[layout_index(Abi::Amd64, RegSet::Reg)].size_bytes == 176);
static_assert(kLayouts[layout_index(Abi::Amd64, RegSet::FpReg)].size_bytes == 512);
static_assert(kLayouts[layout_index(Abi::Amd64, RegSet::DbReg)].size_bytes == 128);
static_assert(kLayouts[layout_index(Abi::Ia32, RegSet::Reg)].size_bytes == 76);
static_assert(kLayouts[layout_index(Abi::Ia32, RegSet::FpReg)].size_bytes == 176);
static_assert(kLayouts[layout_index(Abi::Ia32, RegSet::DbReg)].size_bytes == 32);
static_assert(kLayouts[layout_index(Abi::Arm64, RegSet::Reg)].size_bytes == 272);
static_assert(kLayouts[layout_index(Abi::Arm64, RegSet::FpReg)].size_bytes == 528);
static_assert(kLayouts[layout_index(Abi::Arm64, RegSet::DbReg)].size_bytes == 520);
static_assert(kLayouts[layout_index(Abi::Riscv64, RegSet::Reg)].size_bytes == 264);
static_assert(kLayouts[layout_index(Abi::Riscv64, RegSet::FpReg)].size_bytes == 520);
static_assert(kLayouts[layout_index(Abi::Riscv64, RegSet::DbReg)].size_bytes == 4);

bool is_ilp32(Abi abi) { return abi_info(abi).pointer_size_bytes == 4; }

}  // namespace

const RegLayout& register_layout(Abi abi, RegSet set) {
  std::size_t index = layout_index(abi, set);
  PROCSIM_ASSERT(index < kLayouts.size());
  const RegLayout& layout = kLayouts[index];
  PROCSIM_ASSERT(layout.abi == abi && layout.set == set);
  return layout;
}

std::span<const RegLayout> all_register_layouts() { return kLayouts; }

base::Result<const RegLayout*, MachineError> layout_for_access(Abi reader, Abi target, RegSet set) {
  Arch kernel = abi_info(target).arch;
  PROCSIM_ASSERT(abi_info(reader).arch == kernel);
  if (is_ilp32(reader) && !is_ilp32(target)) return base::fail(MachineError::Invalid);
  Abi layout_abi = is_ilp32(reader) ? reader : arch_info(kernel).native_abi;
  const RegLayout* layout = &register_layout(layout_abi, set);
  PROCSIM_ASSERT(layout->size_bytes > 0);
  return layout;
}

std::string element_name(const RegField& field, unsigned element) {
  PROCSIM_ASSERT(element < field.count);
  if (field.count == 1 && field.stride == 0) return std::string(field.name);
  unsigned index = field.name_index + element;
  if (field.member.empty()) return fmt::format("{}[{}]", field.name, index);
  return fmt::format("{}[{}].{}", field.name, index, field.member);
}

FieldElement find_element(const RegLayout& layout, std::string_view name) {
  for (const RegField& field : layout.fields) {
    for (unsigned element = 0; element < field.count; ++element) {
      if (element_name(field, element) == name) return {&field, element};
    }
  }
  return {};
}

}  // namespace procsim::machine
