// Which map format each era prints, and the checks FreeBSD 8 makes before printing: the lines
// come from model/vm, so these tests pin the choice of format, the refusals and the NULL object
// addresses a 32-bit reader sees, plus a FreeBSD 4 read through the EFBIG rule.
#include "model/procfs/fill_map.h"

#include <string>

#include <doctest/doctest.h>

#include "model/procfs/text_read.h"
#include "test_support.h"
#include "tests/unit/vm/vm_test_support.h"

using namespace procfs_test;  // NOLINT: test-local helpers
using procfs::Era;
namespace vm = procsim::vm;

namespace {

struct TwoEntryMap {
  vm::test::VmWorld world;
  std::unique_ptr<vm::VmMap> map = world.new_map();

  TwoEntryMap() {
    vm::Caller caller = vm::test::user(1001, 10);
    REQUIRE(map->insert(std::nullopt, 0, 0x600000, 0x602000, vm::VM_PROT_READ | vm::VM_PROT_WRITE,
                        vm::VM_PROT_ALL, 0, caller) == vm::KernReturn::KERN_SUCCESS);
    REQUIRE(map->insert(std::nullopt, 0, 0x800000, 0x801000, vm::VM_PROT_READ, vm::VM_PROT_ALL, 0, caller) ==
            vm::KernReturn::KERN_SUCCESS);
    REQUIRE(vm::test::write_string(*map, 0x600000, "d", caller));
  }
};

std::string map_of(const vm::VmMap& map, const procfs::ReaderView& reader, Era era) {
  vfs::KResult<std::string> text = procfs::fill_map(map, reader, era, vm::kKernelAddresses64);
  REQUIRE(text.ok());
  return text.value();
}

procfs::ReaderView debugger() {
  procfs::ReaderView view;
  view.can_see = true;
  view.io_allowed = true;
  return view;
}

}  // namespace

TEST_CASE("FreeBSD 4 prints the 12-token guess, FreeBSD 8 the 15 tokens of 2009") {
  CHECK(procfs::map_format(Era::FreeBSD4) == vm::MapFormat::B2_Guess);
  CHECK(procfs::map_format(Era::FreeBSD8) == vm::MapFormat::C2_2009);
  TwoEntryMap image;
  CHECK(map_of(*image.map, debugger(), Era::FreeBSD8) ==
        "0x600000 0x602000 1 0 0xfffffe0000000100 rw- 1 0 0x3100 NCOW NNC default - CH 1001\n"
        "0x800000 0x801000 0 0 0 r-- 0 0 0x0 NCOW NNC none - NCH -1\n");
  CHECK(map_of(*image.map, debugger(), Era::FreeBSD4) ==
        "0x600000 0x602000 1 0 0xfffffe0000000100 rw- 1 0 0x3100 NCOW NNC default\n"
        "0x800000 0x801000 0 0 0 r-- 0 0 0x0 NCOW NNC none\n");
}

TEST_CASE("FreeBSD 8 map refuses with p_candebug's own errno, whoever may see the node") {
  TwoEntryMap image;
  procfs::ReaderView stranger = debugger();
  stranger.debug_error = vfs::Errno::Esrch;
  vfs::KResult<std::string> refused =
      procfs::fill_map(*image.map, stranger, Era::FreeBSD8, vm::kKernelAddresses64);
  REQUIRE(refused.is_error());
  CHECK(refused.error() == vfs::Errno::Esrch);
  // FreeBSD 4 checks nothing beyond the node's mode.
  procfs::ReaderView anyone;
  CHECK(procfs::fill_map(*image.map, anyone, Era::FreeBSD4, vm::kKernelAddresses64).ok());
}

TEST_CASE("FreeBSD 8 map hides object addresses from a 32-bit reader of a 32-bit target") {
  TwoEntryMap image;
  procfs::ReaderView reader32 = debugger();
  reader32.reader_compat32 = true;
  vfs::KResult<std::string> wrong_target =
      procfs::fill_map(*image.map, reader32, Era::FreeBSD8, vm::kKernelAddresses64);
  REQUIRE(wrong_target.is_error());
  CHECK(wrong_target.error() == vfs::Errno::Eopnotsupp);
  reader32.target_compat32 = true;
  CHECK(map_of(*image.map, reader32, Era::FreeBSD8).rfind("0x600000 0x602000 1 0 0 rw- ", 0) == 0);
}

TEST_CASE("a FreeBSD 4 map read with a buffer for one line fails with EFBIG after that line") {
  TwoEntryMap image;
  std::string text = map_of(*image.map, debugger(), Era::FreeBSD4);
  procfs::ReadOutcome outcome = procfs::read_text(procfs::TextRead::RawLines, text, {0, 80});
  CHECK(outcome.error == vfs::Errno::Efbig);
  CHECK(outcome.bytes == "0x600000 0x602000 1 0 0xfffffe0000000100 rw- 1 0 0x3100 NCOW NNC default\n");
}
