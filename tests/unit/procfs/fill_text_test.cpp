// The smaller text files: cmdline's per-era fallbacks (who sees the cached arguments, what a
// reader gets instead), etype, rlimit's era-dependent line count, osrel reads and the parsing
// of osrel writes, and the curproc and file links.
#include <algorithm>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "model/kern/rlimit.h"
#include "model/procfs/fill_cmdline.h"
#include "model/procfs/fill_etype.h"
#include "model/procfs/fill_link.h"
#include "model/procfs/fill_osrel.h"
#include "model/procfs/fill_rlimit.h"
#include "test_support.h"

using namespace procfs_test;  // NOLINT: test-local helpers
using kern::Pid;
using procfs::Era;

namespace {

const std::string kCached("/usr/sbin/moused\0-p\0/dev/ums0\0", 30);

procfs::ProcSnapshot moused(Era era) {
  procfs::ProcSnapshot target = plain_snapshot(300, std::string("moused\0er", 9), cred_of(0, {0}, era));
  target.cached_args = kCached;
  target.argv_in_memory = std::vector<std::string>{"/usr/sbin/moused", "-p", "/dev/ums0"};
  return target;
}

procfs::ReaderView reader(std::int32_t pid) {
  procfs::ReaderView view;
  view.pid = Pid(pid);
  return view;
}

std::string text_of(const vfs::KResult<std::string>& result) {
  REQUIRE(result.ok());
  return result.value();
}

}  // namespace

TEST_CASE("FreeBSD 4 cmdline returns the cached arguments while ps_argsopen is set") {
  procfs::ReaderView other = reader(500);
  CHECK(text_of(procfs::fill_cmdline(moused(Era::FreeBSD4), other, Era::FreeBSD4)) == kCached);
}

TEST_CASE("FreeBSD 4 cmdline without ps_argsopen needs CHECKIO, else prints 16 raw bytes of p_comm") {
  procfs::ReaderView other = reader(500);
  other.ps_argsopen = false;
  // The NUL after "moused" and the stale "er" of an earlier name are part of the 16 bytes.
  CHECK(text_of(procfs::fill_cmdline(moused(Era::FreeBSD4), other, Era::FreeBSD4)) ==
        std::string("moused\0er\0\0\0\0\0\0\0", 16));
  other.io_allowed = true;
  CHECK(text_of(procfs::fill_cmdline(moused(Era::FreeBSD4), other, Era::FreeBSD4)) == kCached);
}

TEST_CASE("FreeBSD 4 cmdline of the reader itself without a cache reads its argv, at most 256 bytes") {
  procfs::ProcSnapshot self = moused(Era::FreeBSD4);
  self.cached_args.reset();
  CHECK(text_of(procfs::fill_cmdline(self, reader(300), Era::FreeBSD4)) == kCached);
  // Three 100-byte arguments: the third no longer fits in what is left of 256 bytes.
  std::string hundred(100, 'x');
  self.argv_in_memory = std::vector<std::string>{hundred, hundred, hundred};
  std::string two = hundred + '\0' + hundred + '\0';
  CHECK(text_of(procfs::fill_cmdline(self, reader(300), Era::FreeBSD4)) == two);
  self.argv_in_memory = std::vector<std::string>{std::string(255, 'y')};
  CHECK(text_of(procfs::fill_cmdline(self, reader(300), Era::FreeBSD4)).size() == 256);
  self.argv_in_memory = std::vector<std::string>{std::string(256, 'y')};
  CHECK(text_of(procfs::fill_cmdline(self, reader(300), Era::FreeBSD4)).empty());
  self.argv_in_memory.reset();
  vfs::KResult<std::string> unreadable = procfs::fill_cmdline(self, reader(300), Era::FreeBSD4);
  REQUIRE(unreadable.is_error());
  CHECK(unreadable.error() == vfs::Errno::Efault);
}

TEST_CASE("FreeBSD 8 cmdline gives the cache to those who can see, p_comm to others") {
  procfs::ReaderView seer = reader(500);
  seer.can_see = true;
  CHECK(text_of(procfs::fill_cmdline(moused(Era::FreeBSD8), seer, Era::FreeBSD8)) == kCached);
  procfs::ReaderView blind = reader(500);
  CHECK(text_of(procfs::fill_cmdline(moused(Era::FreeBSD8), blind, Era::FreeBSD8)) == "moused");
  procfs::ProcSnapshot uncached = moused(Era::FreeBSD8);
  uncached.cached_args.reset();
  CHECK(text_of(procfs::fill_cmdline(uncached, seer, Era::FreeBSD8)) == "moused");
  // The reader itself: its argv, every string followed by a NUL, without a size limit.
  uncached.argv_in_memory = std::vector<std::string>{std::string(300, 'z'), "b"};
  CHECK(text_of(procfs::fill_cmdline(uncached, reader(300), Era::FreeBSD8)) ==
        std::string(300, 'z') + '\0' + "b" + '\0');
}

TEST_CASE("FreeBSD 8 cmdline's p_comm fallback stops at MAXCOMLEN (19)") {
  procfs::ProcSnapshot target = moused(Era::FreeBSD8);
  target.cached_args.reset();
  target.comm = "abcdefghijklmnopqrst";
  CHECK(text_of(procfs::fill_cmdline(target, reader(1), Era::FreeBSD8)) == "abcdefghijklmnopqrs");
}

TEST_CASE("etype prints the ABI name or Not Available") {
  procfs::ProcSnapshot target = moused(Era::FreeBSD8);
  target.abi_name = "FreeBSD ELF64";
  CHECK(text_of(procfs::fill_etype(target, reader(1), Era::FreeBSD8)) == "FreeBSD ELF64\n");
  target.abi_name = "null";
  CHECK(text_of(procfs::fill_etype(target, reader(1), Era::FreeBSD8)) == "null\n");
  target.abi_name.reset();
  CHECK(text_of(procfs::fill_etype(target, reader(1), Era::FreeBSD4)) == "Not Available\n");
}

TEST_CASE("rlimit prints 10 lines in FreeBSD 4 and 13 in FreeBSD 8") {
  procfs::ProcSnapshot target = moused(Era::FreeBSD8);
  target.limits.set(kern::Rlimit::Data, {536870912, 536870912});
  target.limits.set(kern::Rlimit::Nofile, {11095, 11095});
  std::string c2 = text_of(procfs::fill_rlimit(target, reader(1), Era::FreeBSD8));
  CHECK(c2.rfind("cpu -1 -1\nfsize -1 -1\ndata 536870912 536870912\nstack -1 -1\n", 0) == 0);
  CHECK(c2.find("nofile 11095 11095\n") != std::string::npos);
  CHECK(c2.ends_with("npts -1 -1\nswap -1 -1\n"));
  std::string b2 = text_of(procfs::fill_rlimit(target, reader(1), Era::FreeBSD4));
  CHECK(b2.ends_with("nofile 11095 11095\nsbsize -1 -1\n"));
  CHECK(std::count(b2.begin(), b2.end(), '\n') == 10);
  CHECK(std::count(c2.begin(), c2.end(), '\n') == 13);
}

TEST_CASE("osrel reads as a decimal line") {
  procfs::ProcSnapshot target = moused(Era::FreeBSD8);
  target.osrel = 803000;
  CHECK(text_of(procfs::fill_osrel(target, reader(1), Era::FreeBSD8)) == "803000\n");
  target.osrel = 0;
  CHECK(text_of(procfs::fill_osrel(target, reader(1), Era::FreeBSD8)) == "0\n");
}

TEST_CASE("osrel writes: trailing whitespace trimmed, digits only, empty sets 0") {
  struct Row {
    std::string_view input;
    std::int32_t value;  // -1: EINVAL
  };
  const std::vector<Row> kRows = {
      {"803000", 803000},
      {"803000\n", 803000},
      {"700000 \t\r\n\v\f", 700000},
      {"", 0},
      {"\n", 0},
      {"007", 7},
      {" 803000", -1},
      {"80 3000", -1},
      {"+5", -1},
      {"-5", -1},
      {"0x10", -1},
      {std::string_view("12\0", 3), -1},
      {"2147483647", 2147483647},
      {"2147483648", -1},
      {"4294967296", -1},
      // The 2009 overflow test compares each wrapped step with the last value only.
      {"5000000000", 705032704},
      {"9999999999", 1410065407},
      {"99999999999", -1},
  };
  for (const Row& row : kRows) {
    CAPTURE(std::string(row.input));
    vfs::KResult<std::int32_t> parsed = procfs::parse_osrel_write(Era::FreeBSD8, bytes_of(row.input));
    if (row.value < 0) {
      REQUIRE(parsed.is_error());
      CHECK(parsed.error() == vfs::Errno::Einval);
    } else {
      REQUIRE(parsed.ok());
      CHECK(parsed.value() == row.value);
    }
  }
}

TEST_CASE("curproc links to the reader's pid; file to the path or unknown") {
  CHECK(text_of(procfs::fill_curproc_link(Era::FreeBSD4, Pid(416))) == "416");
  CHECK(text_of(procfs::fill_curproc_link(Era::FreeBSD8, Pid(0))) == "0");
  CHECK(text_of(procfs::fill_file_link(Era::FreeBSD4, std::string("/bin/sh"))) == "/bin/sh");
  CHECK(text_of(procfs::fill_file_link(Era::FreeBSD4, std::nullopt)) == "unknown");
  CHECK(text_of(procfs::fill_file_link(Era::FreeBSD8, std::nullopt)) == "unknown");
  std::string long_path = "/" + std::string(1022, 'p');
  CHECK(text_of(procfs::fill_file_link(Era::FreeBSD8, long_path)) == long_path);
  vfs::KResult<std::string> too_long = procfs::fill_file_link(Era::FreeBSD8, long_path + "q");
  REQUIRE(too_long.is_error());
  CHECK(too_long.error() == vfs::Errno::Enametoolong);
  CHECK(text_of(procfs::fill_file_link(Era::FreeBSD4, long_path + "q")).size() == 1024);
}
