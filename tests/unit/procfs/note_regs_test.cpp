// note and notepg never work, but each era fails differently; the register files differ in
// offset arithmetic (the vnode-ops eras reset the offset after every access, so `cat regs`
// never ends; FreeBSD 8 returns nothing past offset 0), in when a running target is refused and
// in how FreeBSD 8 treats 32-bit readers.
#include <string>

#include <doctest/doctest.h>

#include "model/procfs/fill_note.h"
#include "model/procfs/fill_regs.h"
#include "test_support.h"

using namespace procfs_test;  // NOLINT: test-local helpers
using procfs::Era;
using procfs::Node;
using procfs::RegsOutcome;
using procfs::RegsRequest;

namespace {

base::Bytes image_of(std::size_t size) {
  base::Bytes image(size);
  for (std::size_t i = 0; i < size; ++i) image[i] = static_cast<std::uint8_t>(i);
  return image;
}

RegsRequest read_request(Node node, std::int64_t offset, std::size_t resid) {
  return RegsRequest{node, false, offset, resid, {}};
}

RegsRequest write_request(Node node, std::int64_t offset, base::ByteSpan data) {
  return RegsRequest{node, true, offset, data.size(), data};
}

procfs::ReaderView debugger() {
  procfs::ReaderView view;
  view.io_allowed = true;
  view.can_see = true;
  return view;
}

vfs::Errno plan_error(Era era, const RegsRequest& request, std::size_t size, bool stopped,
                      const procfs::ReaderView& reader) {
  vfs::KResult<procfs::RegsPlan> plan = procfs::plan_register_io(era, request, size, stopped, reader);
  REQUIRE(plan.is_error());
  return plan.error();
}

}  // namespace

TEST_CASE("note writes: offset, then size, then EOPNOTSUPP in the vnode-ops eras") {
  std::string hup = "hup\n";
  for (Era era : {Era::Bsd44, Era::FreeBSD4}) {
    CHECK(procfs::note_write_error(era, bytes_of(hup), 0) == vfs::Errno::Eopnotsupp);
    CHECK(procfs::note_write_error(era, bytes_of(hup), 3) == vfs::Errno::Einval);
    CHECK(procfs::note_write_error(era, bytes_of(std::string(64, 'n')), 0) == vfs::Errno::Eopnotsupp);
    CHECK(procfs::note_write_error(era, bytes_of(std::string(65, 'n')), 0) == vfs::Errno::Emsgsize);
    CHECK(procfs::note_write_error(era, bytes_of(std::string(65, 'n')), 8) == vfs::Errno::Einval);
    CHECK(procfs::note_read_error(era) == vfs::Errno::Einval);
  }
}

TEST_CASE("note in FreeBSD 8: any write is EOPNOTSUPP, a read EBADF") {
  CHECK(procfs::note_write_error(Era::FreeBSD8, bytes_of(std::string(500, 'n')), 77) ==
        vfs::Errno::Eopnotsupp);
  CHECK(procfs::note_write_error(Era::FreeBSD8, bytes_of(""), 0) == vfs::Errno::Eopnotsupp);
  CHECK(procfs::note_read_error(Era::FreeBSD8) == vfs::Errno::Ebadf);
}

TEST_CASE("vnode-ops eras copy at the offset and reset the offset to 0") {
  base::Bytes image = image_of(76);
  for (Era era : {Era::Bsd44, Era::FreeBSD4}) {
    RegsRequest request = read_request(Node::Regs, 70, 100);
    REQUIRE(procfs::plan_register_io(era, request, image.size(), false, debugger()).ok());
    RegsOutcome outcome = procfs::transfer_registers(era, request, image, false);
    CHECK(outcome.bytes == base::Bytes{70, 71, 72, 73, 74, 75});
    CHECK(outcome.offset == 0);
    CHECK_FALSE(outcome.error.has_value());
    RegsOutcome head = procfs::transfer_registers(era, read_request(Node::Regs, 0, 4), image, false);
    CHECK(head.bytes == base::Bytes{0, 1, 2, 3});
    // The offset equal to the size is allowed and copies nothing.
    REQUIRE(procfs::plan_register_io(era, read_request(Node::Regs, 76, 8), 76, false, debugger()).ok());
    CHECK(procfs::transfer_registers(era, read_request(Node::Regs, 76, 8), image, false).bytes.empty());
    CHECK(plan_error(era, read_request(Node::Regs, 77, 8), 76, true, debugger()) == vfs::Errno::Einval);
    CHECK(plan_error(era, read_request(Node::Regs, -1, 8), 76, true, debugger()) == vfs::Errno::Einval);
  }
}

TEST_CASE("FreeBSD 4 refuses register access without CHECKIO, before the offset check") {
  procfs::ReaderView stranger;
  CHECK(plan_error(Era::FreeBSD4, read_request(Node::Fpregs, 0, 8), 176, true, stranger) ==
        vfs::Errno::Eperm);
  CHECK(plan_error(Era::FreeBSD4, read_request(Node::Dbregs, 999, 8), 32, true, stranger) ==
        vfs::Errno::Eperm);
  // 4.4BSD checks nothing but the offset.
  CHECK(procfs::plan_register_io(Era::Bsd44, read_request(Node::Regs, 0, 8), 76, false, stranger).ok());
}

TEST_CASE("vnode-ops eras write registers back only while the target is stopped") {
  base::Bytes image = image_of(8);
  std::string patch = "\xAA\xBB\xCC";
  RegsOutcome running =
      procfs::transfer_registers(Era::FreeBSD4, write_request(Node::Regs, 6, bytes_of(patch)), image, false);
  CHECK(running.error == vfs::Errno::Ebusy);
  CHECK_FALSE(running.write_back.has_value());
  CHECK(running.offset == 0);
  RegsOutcome stopped =
      procfs::transfer_registers(Era::FreeBSD4, write_request(Node::Regs, 6, bytes_of(patch)), image, true);
  CHECK_FALSE(stopped.error.has_value());
  CHECK(stopped.moved == 2);
  REQUIRE(stopped.write_back.has_value());
  CHECK(*stopped.write_back == base::Bytes{0, 1, 2, 3, 4, 5, 0xAA, 0xBB});
}

TEST_CASE("FreeBSD 8 returns nothing past offset 0, before any permission check") {
  procfs::ReaderView stranger;
  stranger.debug_error = vfs::Errno::Esrch;
  vfs::KResult<procfs::RegsPlan> plan =
      procfs::plan_register_io(Era::FreeBSD8, read_request(Node::Regs, 176, 100), 176, false, stranger);
  REQUIRE(plan.ok());
  CHECK_FALSE(plan.value().reads_registers);
}

TEST_CASE("FreeBSD 8 normalises p_candebug failures to EPERM and refuses running targets") {
  procfs::ReaderView stranger;
  stranger.debug_error = vfs::Errno::Esrch;
  CHECK(plan_error(Era::FreeBSD8, read_request(Node::Regs, 0, 8), 176, true, stranger) == vfs::Errno::Eperm);
  stranger.debug_error = vfs::Errno::Ebusy;
  CHECK(plan_error(Era::FreeBSD8, read_request(Node::Dbregs, 0, 8), 128, true, stranger) ==
        vfs::Errno::Eperm);
  CHECK(plan_error(Era::FreeBSD8, read_request(Node::Regs, 0, 8), 176, false, debugger()) ==
        vfs::Errno::Ebusy);
  CHECK(plan_error(Era::FreeBSD8, read_request(Node::Fpregs, 0, 8), 512, false, debugger()) ==
        vfs::Errno::Ebusy);
  // dbregs can be read from a running process.
  CHECK(
      procfs::plan_register_io(Era::FreeBSD8, read_request(Node::Dbregs, 0, 8), 128, false, debugger()).ok());
}

TEST_CASE("FreeBSD 8 copies from the start and advances the offset") {
  base::Bytes image = image_of(176);
  RegsOutcome first =
      procfs::transfer_registers(Era::FreeBSD8, read_request(Node::Regs, 0, 1000), image, true);
  CHECK(first.bytes.size() == 176);
  CHECK(first.offset == 176);
  RegsOutcome prefix = procfs::transfer_registers(Era::FreeBSD8, read_request(Node::Regs, 0, 3), image, true);
  CHECK(prefix.bytes == base::Bytes{0, 1, 2});
  CHECK(prefix.offset == 3);
  // A short write changes only a prefix; dbregs writes need a stopped target.
  std::string two = "\x10\x20";
  RegsOutcome write =
      procfs::transfer_registers(Era::FreeBSD8, write_request(Node::Regs, 0, bytes_of(two)), image, true);
  REQUIRE(write.write_back.has_value());
  CHECK((*write.write_back)[0] == 0x10);
  CHECK((*write.write_back)[1] == 0x20);
  CHECK((*write.write_back)[2] == 2);
  RegsOutcome running = procfs::transfer_registers(
      Era::FreeBSD8, write_request(Node::Dbregs, 0, bytes_of(two)), image_of(128), false);
  CHECK(running.error == vfs::Errno::Ebusy);
  CHECK(running.offset == 2);
}

TEST_CASE("FreeBSD 8 gives 32-bit readers the 32-bit layout, and only of 32-bit targets") {
  procfs::ReaderView reader32 = debugger();
  reader32.reader_compat32 = true;
  CHECK(plan_error(Era::FreeBSD8, read_request(Node::Regs, 0, 8), 176, true, reader32) == vfs::Errno::Einval);
  reader32.target_compat32 = true;
  vfs::KResult<procfs::RegsPlan> plan =
      procfs::plan_register_io(Era::FreeBSD8, read_request(Node::Regs, 0, 8), 76, true, reader32);
  REQUIRE(plan.ok());
  CHECK(plan.value().layout == procfs::RegisterLayout::Compat32);
  procfs::ReaderView reader64 = debugger();
  reader64.target_compat32 = true;
  vfs::KResult<procfs::RegsPlan> native =
      procfs::plan_register_io(Era::FreeBSD8, read_request(Node::Regs, 0, 8), 176, true, reader64);
  REQUIRE(native.ok());
  CHECK(native.value().layout == procfs::RegisterLayout::Native);
}
