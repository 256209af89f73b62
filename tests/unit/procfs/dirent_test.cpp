// getdirentries(2) output is shown byte for byte in scenarios, so these tests pin the record
// layout of each era, the offset checks, how a continued read resumes (FreeBSD 4's root loses
// three processes per continuation; FreeBSD 8 skips visible entries) and FreeBSD 4's reuse of
// one dirent, which leaves the tail of a longer name in a shorter one's record.
#include "model/procfs/dirent.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "test_support.h"

using namespace procfs_test;  // NOLINT: test-local helpers
using kern::Pid;
using procfs::DirRead;
using procfs::Era;

namespace {

struct Entry {
  std::uint32_t fileno;
  std::uint16_t reclen;
  std::uint8_t type;
  std::string name;
  std::string name_area;  // every byte after the header
};

std::vector<Entry> decode(const base::Bytes& bytes, std::size_t record) {
  REQUIRE(bytes.size() % record == 0);
  std::vector<Entry> entries;
  for (std::size_t at = 0; at < bytes.size(); at += record) {
    base::ByteSpan one(bytes.data() + at, record);
    Entry entry{base::load_le<std::uint32_t>(one, 0), base::load_le<std::uint16_t>(one, 4), one[6], "", ""};
    entry.name.assign(one.begin() + 8, one.begin() + 8 + one[7]);
    entry.name_area.assign(one.begin() + 8, one.end());
    entries.push_back(entry);
  }
  return entries;
}

std::string names(const DirRead& read, std::size_t record) {
  std::string out;
  for (const Entry& entry : decode(read.bytes, record)) {
    if (!out.empty()) out += ' ';
    out += entry.name;
  }
  return out;
}

std::vector<procfs::RootProcEntry> processes(std::initializer_list<std::int32_t> pids) {
  std::vector<procfs::RootProcEntry> out;
  for (std::int32_t pid : pids) out.push_back({Pid(pid), true});
  return out;
}

DirRead read_ok(Era era, const procfs::DirListing& listing, std::int64_t offset, std::size_t resid) {
  vfs::KResult<DirRead> result = procfs::read_directory(era, listing, {offset, resid});
  REQUIRE(result.ok());
  return result.value();
}

vfs::Errno read_error(Era era, const procfs::DirListing& listing, std::int64_t offset, std::size_t resid) {
  vfs::KResult<DirRead> result = procfs::read_directory(era, listing, {offset, resid});
  REQUIRE(result.is_error());
  return result.error();
}

}  // namespace

TEST_CASE("records are 16, 20 and 32 bytes with fileno, reclen, type and namlen little-endian") {
  procfs::DirListing listing = procfs::proc_dir_listing(Era::FreeBSD4, {Pid(408), 0, true, true});
  DirRead read = read_ok(Era::FreeBSD4, listing, 0, 40);
  base::Bytes expected = {
      0x92, 0x19, 0, 0, 20, 0, 4, 1, '.', 0,   0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // 6546
      2,    0,    0, 0, 20, 0, 4, 2, '.', '.', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  };
  CHECK(read.bytes == expected);
  CHECK(read.offset == 40);
  CHECK(read.entries == 2);

  procfs::DirListing c2 = procfs::proc_dir_listing(Era::FreeBSD8, {Pid(1), 0, true, true});
  DirRead first = read_ok(Era::FreeBSD8, c2, 0, 32);
  std::vector<Entry> entries = decode(first.bytes, 32);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].fileno == 1800001);
  CHECK(entries[0].reclen == 32);
  CHECK(entries[0].type == 10);
  CHECK(entries[0].name_area == std::string("file") + std::string(20, '\0'));

  procfs::DirListing a = procfs::proc_dir_listing(Era::Bsd44, {Pid(416), 0, true, true});
  std::vector<Entry> a_entries = decode(read_ok(Era::Bsd44, a, 0, 16).bytes, 16);
  REQUIRE(a_entries.size() == 1);
  CHECK(a_entries[0].fileno == 3338);
  CHECK(a_entries[0].type == 8);
  CHECK(a_entries[0].name_area == std::string("file") + std::string(4, '\0'));
}

TEST_CASE("4.4BSD lists curproc and every process as directories, and resumes exactly") {
  std::vector<procfs::RootProcEntry> allproc = processes({408, 401, 400, 1, 0});
  procfs::DirListing root = procfs::root_listing(Era::Bsd44, allproc);
  DirRead whole = read_ok(Era::Bsd44, root, 0, 4096);
  CHECK(names(whole, 16) == "curproc 408 401 400 1 0");
  for (const Entry& entry : decode(whole.bytes, 16)) CHECK(entry.type == 4);
  CHECK(decode(whole.bytes, 16)[0].fileno == 240017);
  CHECK(decode(whole.bytes, 16)[1].fileno == 3273);

  DirRead part1 = read_ok(Era::Bsd44, root, 0, 32);
  DirRead part2 = read_ok(Era::Bsd44, root, part1.offset, 32);
  DirRead part3 = read_ok(Era::Bsd44, root, part2.offset, 32);
  CHECK(names(part1, 16) + " " + names(part2, 16) + " " + names(part3, 16) == "curproc 408 401 400 1 0");
  CHECK(read_ok(Era::Bsd44, root, part3.offset, 32).bytes.empty());
}

TEST_CASE("4.4BSD refuses short buffers and unaligned or negative offsets") {
  procfs::DirListing listing = procfs::proc_dir_listing(Era::Bsd44, {Pid(5), 0, true, true});
  CHECK(read_error(Era::Bsd44, listing, 0, 15) == vfs::Errno::Einval);
  CHECK(read_error(Era::Bsd44, listing, 8, 16) == vfs::Errno::Einval);
  CHECK(read_error(Era::Bsd44, listing, -16, 16) == vfs::Errno::Einval);
  CHECK(read_ok(Era::Bsd44, listing, 16 * 7, 16).bytes.empty());
}

TEST_CASE("FreeBSD 4 root continuation skips index processes instead of index - 3") {
  std::vector<procfs::RootProcEntry> allproc = processes({9, 8, 7, 6, 5, 4, 3, 2, 1, 0});
  procfs::DirListing root = procfs::root_listing(Era::FreeBSD4, allproc);
  CHECK(names(read_ok(Era::FreeBSD4, root, 0, 4096), 20) == ". .. curproc 9 8 7 6 5 4 3 2 1 0");
  // Five records per call: the second call starts at index 5 and skips five processes, though
  // only two were returned, so 7, 6 and 5 are never listed.
  DirRead first = read_ok(Era::FreeBSD4, root, 0, 100);
  CHECK(names(first, 20) == ". .. curproc 9 8");
  CHECK(first.offset == 100);
  DirRead second = read_ok(Era::FreeBSD4, root, first.offset, 100);
  CHECK(names(second, 20) == "4 3 2 1 0");
  CHECK(second.offset == 200);
  CHECK(read_ok(Era::FreeBSD4, root, second.offset, 100).bytes.empty());
  // Resuming at index 1 or 2 loses one or two processes.
  DirRead from_dotdot = read_ok(Era::FreeBSD4, root, 20, 100);
  CHECK(names(from_dotdot, 20) == ".. curproc 8 7 6");
}

TEST_CASE("FreeBSD 4 root skips processes outside the reader's jail without counting them") {
  std::vector<procfs::RootProcEntry> allproc = processes({60, 50, 40, 30, 20, 10, 0});
  allproc[1].listed = false;
  procfs::DirListing root = procfs::root_listing(Era::FreeBSD4, allproc);
  CHECK(names(read_ok(Era::FreeBSD4, root, 0, 4096), 20) == ". .. curproc 60 40 30 20 10 0");
  // Resuming at index 4 skips four listed processes (40, 30, 20, 10 after 60), not counting 50.
  CHECK(names(read_ok(Era::FreeBSD4, root, 80, 4096), 20) == "10 0");
}

TEST_CASE("FreeBSD 4 process directories pass over invalid rows, which keep their index") {
  procfs::DirListing system = procfs::proc_dir_listing(Era::FreeBSD4, {Pid(0), kern::P_SYSTEM, true, true});
  DirRead first = read_ok(Era::FreeBSD4, system, 0, 60);
  CHECK(names(first, 20) == ". .. mem");
  CHECK(first.offset == 60);
  DirRead second = read_ok(Era::FreeBSD4, system, first.offset, 60);
  // regs, fpregs and dbregs occupy indexes 3-5 without producing records.
  CHECK(names(second, 20) == "ctl status note");
  CHECK(second.offset == 180);
  procfs::DirListing jailed = procfs::proc_dir_listing(Era::FreeBSD4, {Pid(7), 0, true, false});
  DirRead none = read_ok(Era::FreeBSD4, jailed, 40, 200);
  CHECK(none.bytes.empty());
  CHECK(none.offset == 40);
}

TEST_CASE("FreeBSD 4 process directory records keep the tail of the previous name") {
  procfs::DirListing listing = procfs::proc_dir_listing(Era::FreeBSD4, {Pid(408), 0, true, true});
  std::vector<Entry> entries = decode(read_ok(Era::FreeBSD4, listing, 0, 4096).bytes, 20);
  REQUIRE(entries.size() == 15);
  CHECK(entries[0].name_area == std::string(".\0", 2) + std::string(10, '\0'));
  // "notepg\0" then "map\0": bytes 4-6 still hold "pg\0".
  CHECK(entries[9].name == "notepg");
  CHECK(entries[10].name == "map");
  CHECK(entries[10].name_area == std::string("map\0pg\0", 7) + std::string(5, '\0'));
  // "cmdline\0" then "rlimit\0": the eighth byte stays the old NUL.
  CHECK(entries[13].name_area == std::string("rlimit\0\0", 8) + std::string(4, '\0'));
  // "rlimit\0" then "file\0": the "t" of rlimit remains.
  CHECK(entries[14].name_area == std::string("file\0t\0\0", 8) + std::string(4, '\0'));
  // A new call starts from a clean record.
  std::vector<Entry> resumed = decode(read_ok(Era::FreeBSD4, listing, 200, 20).bytes, 20);
  REQUIRE(resumed.size() == 1);
  CHECK(resumed[0].name_area == std::string("map") + std::string(9, '\0'));
}

TEST_CASE("FreeBSD 4 refuses offsets outside int, unaligned offsets and short buffers") {
  procfs::DirListing listing = procfs::proc_dir_listing(Era::FreeBSD4, {Pid(5), 0, true, true});
  CHECK(read_error(Era::FreeBSD4, listing, 16, 20) == vfs::Errno::Einval);
  CHECK(read_error(Era::FreeBSD4, listing, 0, 19) == vfs::Errno::Einval);
  CHECK(read_error(Era::FreeBSD4, listing, -20, 20) == vfs::Errno::Einval);
  CHECK(read_error(Era::FreeBSD4, listing, 20LL * 200000000LL, 20) == vfs::Errno::Einval);
}

TEST_CASE("FreeBSD 8 lists processes newest first, then curproc, .. and .") {
  std::vector<procfs::RootProcEntry> allproc = processes({408, 12, 1, 0});
  allproc[1].listed = false;  // exiting, or not visible to the reader
  procfs::DirListing root = procfs::root_listing(Era::FreeBSD8, allproc);
  DirRead whole = read_ok(Era::FreeBSD8, root, 0, 4096);
  CHECK(names(whole, 32) == "408 1 0 curproc .. .");
  std::vector<Entry> entries = decode(whole.bytes, 32);
  CHECK(entries[0].fileno == 4);
  CHECK(entries[3].fileno == 3);
  CHECK(entries[3].type == 10);
  CHECK(entries[5].fileno == 2);
}

TEST_CASE("FreeBSD 8 offsets count visible entries, re-evaluated on every call") {
  std::vector<procfs::RootProcEntry> allproc = processes({40, 30, 20, 10, 0});
  procfs::DirListing root = procfs::root_listing(Era::FreeBSD8, allproc);
  DirRead first = read_ok(Era::FreeBSD8, root, 0, 64);
  CHECK(names(first, 32) == "40 30");
  CHECK(first.offset == 64);
  // Process 40 exits between the calls: the second read skips two of the remaining entries.
  allproc.erase(allproc.begin());
  procfs::DirListing later = procfs::root_listing(Era::FreeBSD8, allproc);
  DirRead second = read_ok(Era::FreeBSD8, later, first.offset, 64);
  CHECK(names(second, 32) == "10 0");
  CHECK(second.offset == 128);
  CHECK(read_ok(Era::FreeBSD8, later, 32 * 50, 64).bytes.empty());
}

TEST_CASE("FreeBSD 8 checks offsets and buffer before visibility") {
  procfs::DirListing hidden = procfs::proc_dir_listing(Era::FreeBSD8, {Pid(5), 0, false, false});
  CHECK(read_error(Era::FreeBSD8, hidden, 16, 32) == vfs::Errno::Einval);
  CHECK(read_error(Era::FreeBSD8, hidden, 0, 31) == vfs::Errno::Einval);
  DirRead empty = read_ok(Era::FreeBSD8, hidden, 64, 0);
  CHECK(empty.bytes.empty());
  CHECK(empty.offset == 64);
  CHECK(read_error(Era::FreeBSD8, hidden, 0, 32) == vfs::Errno::Enoent);
}

TEST_CASE("FreeBSD 8 process directory of an undebuggable process lists nine entries") {
  procfs::DirListing listing = procfs::proc_dir_listing(Era::FreeBSD8, {Pid(77), 0, false, true});
  DirRead read = read_ok(Era::FreeBSD8, listing, 0, 4096);
  CHECK(names(read, 32) == "file status rlimit map etype ctl cmdline .. .");
  std::vector<Entry> entries = decode(read.bytes, 32);
  CHECK(entries[7].fileno == 200077);
  CHECK(entries[8].fileno == 400077);
  CHECK(read.offset == 9 * 32);
}
