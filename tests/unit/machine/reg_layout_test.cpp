// Every member and array element of every register structure, checked against offsets and
// widths typed in from spec/kernel.md §1.1-§1.4 independently of the tables under test.
#include "model/machine/reg_layout.h"

#include <algorithm>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

using namespace procsim::machine;

namespace {

struct Expect {
  std::string name;
  unsigned offset;
  unsigned width;
  bool operator==(const Expect&) const = default;
};

std::vector<Expect> flatten(const RegLayout& layout) {
  std::vector<Expect> out;
  for (const RegField& field : layout.fields) {
    for (unsigned element = 0; element < field.count; ++element)
      out.push_back({element_name(field, element), field.element_offset(element), field.width});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Expect& a, const Expect& b) { return a.offset < b.offset; });
  return out;
}

void add_array(std::vector<Expect>& out, const std::string& name, unsigned count, unsigned offset,
               unsigned stride, unsigned width, unsigned first = 0) {
  for (unsigned i = 0; i < count; ++i)
    out.push_back({fmt::format("{}[{}]", name, first + i), offset + i * stride, width});
}

void add_members(std::vector<Expect>& out, const std::string& array, const std::string& member,
                 unsigned offset, unsigned width) {
  for (unsigned i = 0; i < 16; ++i)
    out.push_back({fmt::format("{}[{}].{}", array, i, member), offset + i * 16, width});
}

void check_layout(const RegLayout& layout, std::vector<Expect> expected) {
  std::stable_sort(expected.begin(), expected.end(),
                   [](const Expect& a, const Expect& b) { return a.offset < b.offset; });
  std::vector<Expect> actual = flatten(layout);
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    CAPTURE(expected[i].name);
    CHECK(actual[i].name == expected[i].name);
    CHECK(actual[i].offset == expected[i].offset);
    CHECK(actual[i].width == expected[i].width);
  }
}

std::vector<Expect> x86_32_reg() {
  return {{"r_fs", 0, 4},      {"r_es", 4, 4},      {"r_ds", 8, 4},   {"r_edi", 12, 4}, {"r_esi", 16, 4},
          {"r_ebp", 20, 4},    {"r_isp", 24, 4},    {"r_ebx", 28, 4}, {"r_edx", 32, 4}, {"r_ecx", 36, 4},
          {"r_eax", 40, 4},    {"r_trapno", 44, 4}, {"r_err", 48, 4}, {"r_eip", 52, 4}, {"r_cs", 56, 4},
          {"r_eflags", 60, 4}, {"r_esp", 64, 4},    {"r_ss", 68, 4},  {"r_gs", 72, 4}};
}

std::vector<Expect> x86_32_fpreg() {
  std::vector<Expect> out = {{"en_cw", 0, 4},   {"en_sw", 4, 4},   {"en_tw", 8, 4},
                             {"en_fip", 12, 4}, {"en_fcs", 16, 2}, {"en_opcode", 18, 2},
                             {"en_foo", 20, 4}, {"en_fos", 24, 4}, {"fpr_ex_sw", 108, 4}};
  add_array(out, "fpr_acc", 8, 28, 10, 10);
  add_array(out, "fpr_pad", 64, 112, 1, 1);
  return out;
}

std::vector<Expect> x86_32_dbreg() {
  std::vector<Expect> out;
  add_array(out, "dr", 8, 0, 4, 4);
  return out;
}

}  // namespace

TEST_CASE("i386 struct reg, fpreg and dbreg have the spec's 76/176/32-byte layouts") {
  CHECK(register_layout(Abi::I386, RegSet::Reg).size_bytes == 76);
  CHECK(register_layout(Abi::I386, RegSet::FpReg).size_bytes == 176);
  CHECK(register_layout(Abi::I386, RegSet::DbReg).size_bytes == 32);
  check_layout(register_layout(Abi::I386, RegSet::Reg), x86_32_reg());
  check_layout(register_layout(Abi::I386, RegSet::FpReg), x86_32_fpreg());
  check_layout(register_layout(Abi::I386, RegSet::DbReg), x86_32_dbreg());
}

TEST_CASE("amd64's reg32 family has the i386 layouts") {
  CHECK(register_layout(Abi::Ia32, RegSet::Reg).name == "struct reg32");
  CHECK(register_layout(Abi::Ia32, RegSet::FpReg).name == "struct fpreg32");
  CHECK(register_layout(Abi::Ia32, RegSet::DbReg).name == "struct dbreg32");
  check_layout(register_layout(Abi::Ia32, RegSet::Reg), x86_32_reg());
  check_layout(register_layout(Abi::Ia32, RegSet::FpReg), x86_32_fpreg());
  check_layout(register_layout(Abi::Ia32, RegSet::DbReg), x86_32_dbreg());
}

TEST_CASE("amd64 struct reg is 176 bytes with 16-bit segment members in the middle") {
  const RegLayout& layout = register_layout(Abi::Amd64, RegSet::Reg);
  CHECK(layout.size_bytes == 176);
  check_layout(layout, {{"r_r15", 0, 8},   {"r_r14", 8, 8},   {"r_r13", 16, 8},  {"r_r12", 24, 8},
                        {"r_r11", 32, 8},  {"r_r10", 40, 8},  {"r_r9", 48, 8},   {"r_r8", 56, 8},
                        {"r_rdi", 64, 8},  {"r_rsi", 72, 8},  {"r_rbp", 80, 8},  {"r_rbx", 88, 8},
                        {"r_rdx", 96, 8},  {"r_rcx", 104, 8}, {"r_rax", 112, 8}, {"r_trapno", 120, 4},
                        {"r_fs", 124, 2},  {"r_gs", 126, 2},  {"r_err", 128, 4}, {"r_es", 132, 2},
                        {"r_ds", 134, 2},  {"r_rip", 136, 8}, {"r_cs", 144, 8},  {"r_rflags", 152, 8},
                        {"r_rsp", 160, 8}, {"r_ss", 168, 8}});
}

TEST_CASE("amd64 struct fpreg is 512 bytes: envxmm, x87 slots of 16, xmm, spare") {
  const RegLayout& layout = register_layout(Abi::Amd64, RegSet::FpReg);
  CHECK(layout.size_bytes == 512);
  std::vector<Expect> expected = {{"en_cw", 0, 2},   {"en_sw", 2, 2},     {"en_tw", 4, 1},
                                  {"en_zero", 5, 1}, {"en_opcode", 6, 2}, {"en_rip", 8, 8},
                                  {"en_rdp", 16, 8}, {"en_mxcsr", 24, 4}, {"en_mxcsr_mask", 28, 4}};
  add_array(expected, "fpr_acc", 8, 32, 16, 10);
  add_array(expected, "fpr_xacc", 16, 160, 16, 16);
  add_array(expected, "fpr_spare", 12, 416, 8, 8);
  check_layout(layout, expected);
}

TEST_CASE("amd64 struct dbreg is sixteen 8-byte debug registers") {
  const RegLayout& layout = register_layout(Abi::Amd64, RegSet::DbReg);
  CHECK(layout.size_bytes == 128);
  std::vector<Expect> expected;
  add_array(expected, "dr", 16, 0, 8, 8);
  check_layout(layout, expected);
}

TEST_CASE("arm64 struct reg, fpreg and dbreg have the 272/528/520-byte layouts") {
  const RegLayout& reg = register_layout(Abi::Arm64, RegSet::Reg);
  CHECK(reg.size_bytes == 272);
  std::vector<Expect> expected_reg = {{"lr", 240, 8}, {"sp", 248, 8}, {"elr", 256, 8}, {"spsr", 264, 8}};
  add_array(expected_reg, "x", 30, 0, 8, 8);
  check_layout(reg, expected_reg);

  const RegLayout& fpreg = register_layout(Abi::Arm64, RegSet::FpReg);
  CHECK(fpreg.size_bytes == 528);
  std::vector<Expect> expected_fp = {{"fp_sr", 512, 4}, {"fp_cr", 516, 4}};
  add_array(expected_fp, "fp_q", 32, 0, 16, 16);
  check_layout(fpreg, expected_fp);

  const RegLayout& dbreg = register_layout(Abi::Arm64, RegSet::DbReg);
  CHECK(dbreg.size_bytes == 520);
  std::vector<Expect> expected_db = {{"db_debug_ver", 0, 1}, {"db_nbkpts", 1, 1}, {"db_nwtpts", 2, 1}};
  add_array(expected_db, "db_pad", 5, 3, 1, 1);
  add_members(expected_db, "db_breakregs", "dbr_addr", 8, 8);
  add_members(expected_db, "db_breakregs", "dbr_ctrl", 16, 4);
  add_members(expected_db, "db_breakregs", "dbr_pad", 20, 4);
  add_members(expected_db, "db_watchregs", "dbw_addr", 264, 8);
  add_members(expected_db, "db_watchregs", "dbw_ctrl", 272, 4);
  add_members(expected_db, "db_watchregs", "dbw_pad", 276, 4);
  check_layout(dbreg, expected_db);
}

TEST_CASE("riscv64 struct reg, fpreg and dbreg have the 264/520/4-byte layouts") {
  const RegLayout& reg = register_layout(Abi::Riscv64, RegSet::Reg);
  CHECK(reg.size_bytes == 264);
  std::vector<Expect> expected = {{"ra", 0, 8},  {"sp", 8, 8},     {"gp", 16, 8},
                                  {"tp", 24, 8}, {"sepc", 248, 8}, {"sstatus", 256, 8}};
  add_array(expected, "t", 7, 32, 8, 8);
  add_array(expected, "s", 12, 88, 8, 8);
  add_array(expected, "a", 8, 184, 8, 8);
  check_layout(reg, expected);

  const RegLayout& fpreg = register_layout(Abi::Riscv64, RegSet::FpReg);
  CHECK(fpreg.size_bytes == 520);
  std::vector<Expect> expected_fp = {{"fp_fcsr", 512, 8}};
  add_array(expected_fp, "fp_x", 32, 0, 16, 16);
  check_layout(fpreg, expected_fp);

  check_layout(register_layout(Abi::Riscv64, RegSet::DbReg), {{"dummy", 0, 4}});
}

TEST_CASE("riscv register arrays map to the right architectural registers") {
  // t3 is x28 and s2 is x18: the struct's arrays are not contiguous in register numbering.
  const RegLayout& reg = register_layout(Abi::Riscv64, RegSet::Reg);
  FieldElement t3 = find_element(reg, "t[3]");
  REQUIRE(t3.field != nullptr);
  CHECK(t3.field->slot_index + t3.element == 28);
  FieldElement s2 = find_element(reg, "s[2]");
  REQUIRE(s2.field != nullptr);
  CHECK(s2.field->slot_index + s2.element == 18);
  FieldElement a7 = find_element(reg, "a[7]");
  REQUIRE(a7.field != nullptr);
  CHECK(a7.field->slot_index + a7.element == 17);
  CHECK(find_element(reg, "t[7]").field == nullptr);
}

TEST_CASE("a 32-bit reader of a 64-bit thread's registers gets EINVAL") {
  CHECK(layout_for_access(Abi::Ia32, Abi::Amd64, RegSet::Reg).error() == MachineError::Invalid);
  CHECK(layout_for_access(Abi::Ia32, Abi::Amd64, RegSet::FpReg).error() == MachineError::Invalid);
}

TEST_CASE("a 64-bit reader of an ia32 thread sees the native 64-bit structures") {
  auto layout = layout_for_access(Abi::Amd64, Abi::Ia32, RegSet::Reg);
  REQUIRE(layout.ok());
  CHECK(layout.value()->size_bytes == 176);
  auto layout32 = layout_for_access(Abi::Ia32, Abi::Ia32, RegSet::Reg);
  REQUIRE(layout32.ok());
  CHECK(layout32.value()->name == "struct reg32");
  CHECK(layout_for_access(Abi::I386, Abi::I386, RegSet::DbReg).value()->size_bytes == 32);
}
