// Read offsets decide what `cat`, `dd` and short reads show: FreeBSD 4 slices most texts, gives
// etype and map only at offset 0, fails map reads with EFBIG when a line does not fit; FreeBSD 8
// builds a buffer of offset + resid bytes capped at MAXPHYS.
#include "model/procfs/text_read.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

namespace procfs = procsim::procfs;
namespace vfs = procsim::vfs;
using procfs::ReadOutcome;
using procfs::TextRead;

namespace {

ReadOutcome read(TextRead rule, std::string_view text, std::int64_t offset, std::size_t resid) {
  return procfs::read_text(rule, text, {offset, resid});
}

}  // namespace

TEST_CASE("a slice returns the bytes at [offset, offset + resid) and nothing past the end") {
  CHECK(read(TextRead::Slice, "hello\n", 0, 100).bytes == "hello\n");
  CHECK(read(TextRead::Slice, "hello\n", 2, 2).bytes == "ll");
  CHECK(read(TextRead::Slice, "hello\n", 6, 10).bytes.empty());
  CHECK(read(TextRead::Slice, "hello\n", 60, 10).bytes.empty());
  CHECK(read(TextRead::Slice, "hello\n", 0, 0).bytes.empty());
  CHECK(read(TextRead::Slice, "hello\n", 0, 100).ok());
}

TEST_CASE("a negative offset is EINVAL under every rule") {
  for (TextRead rule :
       {TextRead::Slice, TextRead::OffsetZeroOnly, TextRead::RawLines, TextRead::SbufWindow}) {
    ReadOutcome outcome = read(rule, "x\n", -1, 10);
    CHECK(outcome.error == vfs::Errno::Einval);
    CHECK(outcome.bytes.empty());
  }
}

TEST_CASE("FreeBSD 4 etype answers only at offset 0, cut to the buffer") {
  CHECK(read(TextRead::OffsetZeroOnly, "FreeBSD ELF\n", 0, 100).bytes == "FreeBSD ELF\n");
  CHECK(read(TextRead::OffsetZeroOnly, "FreeBSD ELF\n", 0, 4).bytes == "Free");
  CHECK(read(TextRead::OffsetZeroOnly, "FreeBSD ELF\n", 4, 100).bytes.empty());
  CHECK(read(TextRead::OffsetZeroOnly, "FreeBSD ELF\n", 4, 100).ok());
}

TEST_CASE("FreeBSD 4 map copies whole lines and fails with EFBIG when the next does not fit") {
  const std::vector<std::string> lines = {"0x1000 0x2000 r-x\n", "0x3000 0x4000 rw-\n",
                                          "0x5000 0x9000 rw-\n"};
  ReadOutcome whole = procfs::read_lines(TextRead::RawLines, lines, {0, 4096});
  CHECK(whole.ok());
  CHECK(whole.bytes == lines[0] + lines[1] + lines[2]);
  // 30 bytes: the first 18-byte line fits, the second does not: the read fails after copying.
  ReadOutcome short_buffer = procfs::read_lines(TextRead::RawLines, lines, {0, 30});
  CHECK(short_buffer.error == vfs::Errno::Efbig);
  CHECK(short_buffer.bytes == lines[0]);
  ReadOutcome tiny = procfs::read_lines(TextRead::RawLines, lines, {0, 5});
  CHECK(tiny.error == vfs::Errno::Efbig);
  CHECK(tiny.bytes.empty());
  // Exactly two lines' worth: the loop ends when the buffer is full, without an error.
  ReadOutcome exact = procfs::read_lines(TextRead::RawLines, lines, {0, 36});
  CHECK(exact.ok());
  CHECK(exact.bytes == lines[0] + lines[1]);
  // Any other offset is end of file: `cat` sees the map once.
  ReadOutcome again = procfs::read_lines(TextRead::RawLines, lines, {36, 4096});
  CHECK(again.ok());
  CHECK(again.bytes.empty());
}

TEST_CASE("FreeBSD 4 map text splits at newlines, a last unterminated line included") {
  std::string map = "0x1000 0x2000 r-x\n0x3000 0x4000 rw-\ntail";
  CHECK(read(TextRead::RawLines, map, 0, 4096).bytes == map);
  ReadOutcome one_line = read(TextRead::RawLines, map, 0, 20);
  CHECK(one_line.bytes == "0x1000 0x2000 r-x\n");
  CHECK(one_line.error == vfs::Errno::Efbig);
  ReadOutcome up_to_tail = read(TextRead::RawLines, map, 0, 38);
  CHECK(up_to_tail.bytes == "0x1000 0x2000 r-x\n0x3000 0x4000 rw-\n");
  CHECK(up_to_tail.error == vfs::Errno::Efbig);
  CHECK(read(TextRead::RawLines, "", 0, 10).bytes.empty());
}

TEST_CASE("non-raw rules read a line list as one text") {
  const std::vector<std::string> lines = {"ab\n", "cd\n"};
  CHECK(procfs::read_lines(TextRead::SbufWindow, lines, {1, 3}).bytes == "b\nc");
  CHECK(procfs::read_lines(TextRead::Slice, lines, {3, 10}).bytes == "cd\n");
}

TEST_CASE("FreeBSD 8 returns a correct slice for any offset inside MAXPHYS") {
  std::string text = "sh 812 811 812 812 pts/0 ctty,sldr\n";
  CHECK(read(TextRead::SbufWindow, text, 0, 1000).bytes == text);
  CHECK(read(TextRead::SbufWindow, text, 3, 3).bytes == "812");
  CHECK(read(TextRead::SbufWindow, text, 0, 2).bytes == "sh");
  CHECK(read(TextRead::SbufWindow, text, 100, 5).bytes.empty());
}

TEST_CASE("FreeBSD 8 never produces text beyond MAXPHYS") {
  std::string big(procfs::kMaxphys + 100, 'm');
  big[procfs::kMaxphys - 1] = 'L';
  big[procfs::kMaxphys] = 'X';
  ReadOutcome all = read(TextRead::SbufWindow, big, 0, big.size());
  CHECK(all.bytes.size() == procfs::kMaxphys);
  CHECK(all.bytes.back() == 'L');
  ReadOutcome beyond = read(TextRead::SbufWindow, big, static_cast<std::int64_t>(procfs::kMaxphys), 50);
  CHECK(beyond.ok());
  CHECK(beyond.bytes.empty());
  ReadOutcome straddle = read(TextRead::SbufWindow, big, static_cast<std::int64_t>(procfs::kMaxphys) - 2, 50);
  CHECK(straddle.bytes == "mL");
}

TEST_CASE("FreeBSD 8 refuses an offset + resid that overflows off_t") {
  ReadOutcome outcome = read(TextRead::SbufWindow, "x", INT64_MAX - 5, 10);
  CHECK(outcome.error == vfs::Errno::Einval);
  CHECK(read(TextRead::SbufWindow, "x", INT64_MAX - 10, 10).ok());
}
