// Inode numbers are what `ls -i` prints, so every number of spec/procfs.md §2.1, §2.3 and §2.5 is
// a table row here: the README's 1993 listings (every pid directory, curproc as pid 408's
// directory, and the second listing that only fits pid 416), FreeBSD 4's table for pids 0, 1 and
// 408, and FreeBSD 8's node numbers with the readdir quirks.
#include "model/procfs/fileno.h"

#include <array>

#include <doctest/doctest.h>

#include "model/procfs/profile.h"

namespace procfs = procsim::procfs;
namespace kern = procsim::kern;
using kern::Pid;
using procfs::Era;
using procfs::Node;

namespace {

const procfs::ListingRow& listing_row(Era era, std::string_view name) {
  for (const procfs::ListingRow& row : procfs::profile(era).proc_listing) {
    if (row.name == name) return row;
  }
  FAIL("no such listing row: " << name);
  return procfs::profile(era).proc_listing.front();
}

}  // namespace

TEST_CASE("4.4BSD pid directories carry the README's ls -li numbers") {
  struct Row {
    std::int32_t pid;
    std::uint32_t ino;
  };
  constexpr std::array kReadme = {
      Row{0, 9},    Row{1, 17},     Row{10, 89},    Row{2, 25},     Row{257, 2065}, Row{309, 2481},
      Row{32, 265}, Row{390, 3129}, Row{400, 3209}, Row{401, 3217}, Row{408, 3273}, Row{48, 393},
      Row{50, 409}, Row{57, 465},   Row{59, 481},   Row{66, 537},   Row{67, 545},   Row{81, 657},
      Row{82, 665}, Row{83, 673},   Row{84, 681},
  };
  for (const Row& row : kReadme) {
    CAPTURE(row.pid);
    CHECK(procfs::stat_fileno(Era::Bsd44, Node::ProcDir, Pid(row.pid)) == row.ino);
    CHECK(procfs::root_proc_entry_fileno(Era::Bsd44, Pid(row.pid)) == row.ino);
  }
  // curproc is the looking-up process's own directory: the listing's ls was pid 408.
  CHECK(procfs::stat_fileno(Era::Bsd44, Node::ProcDir, Pid(408)) == 3273);
  CHECK(procfs::stat_fileno(Era::Bsd44, Node::Root, Pid(0)) == 2);
}

TEST_CASE("4.4BSD's second README listing is pid 416's directory") {
  struct Row {
    Node node;
    std::uint32_t ino;
  };
  constexpr std::array kCurprocListing = {
      Row{Node::Ctl, 3341},    Row{Node::Mem, 3339},  Row{Node::Note, 3343},
      Row{Node::Notepg, 3344}, Row{Node::Regs, 3340}, Row{Node::Status, 3342},
  };
  for (const Row& row : kCurprocListing) {
    CHECK(procfs::stat_fileno(Era::Bsd44, row.node, Pid(416)) == row.ino);
    // No pid maps 408 to these numbers: 408's mem would be 3275.
    CHECK(procfs::stat_fileno(Era::Bsd44, row.node, Pid(408)) != row.ino);
  }
  // file shows the executable's own inode (1554); procfs's would-be number is 3338.
  CHECK(procfs::listing_fileno(Era::Bsd44, listing_row(Era::Bsd44, "file"), Pid(416)) == 3338);
  CHECK(procfs::node_row(Era::Bsd44, Node::File).yields_text_vnode);
}

TEST_CASE("4.4BSD lists curproc with the number of pid PID_MAX + 1's directory") {
  const procfs::ListingRow& curproc = procfs::profile(Era::Bsd44).root_before.front();
  REQUIRE(curproc.name == "curproc");
  CHECK(procfs::listing_fileno(Era::Bsd44, curproc, std::nullopt) == ((30000u + 2u) << 3) + 1u);
}

TEST_CASE("FreeBSD 4 numbers every node of pids 0, 1 and 408 as spec table 2.3") {
  struct Row {
    Node node;
    std::uint32_t pid0;
    std::uint32_t pid1;
    std::uint32_t pid408;
  };
  constexpr std::array kTable = {
      Row{Node::ProcDir, 18, 34, 6546}, Row{Node::File, 19, 35, 6547},   Row{Node::Mem, 20, 36, 6548},
      Row{Node::Regs, 21, 37, 6549},    Row{Node::Fpregs, 22, 38, 6550}, Row{Node::Dbregs, 23, 39, 6551},
      Row{Node::Ctl, 24, 40, 6552},     Row{Node::Status, 25, 41, 6553}, Row{Node::Note, 26, 42, 6554},
      Row{Node::Notepg, 27, 43, 6555},  Row{Node::Map, 28, 44, 6556},    Row{Node::Etype, 29, 45, 6557},
      Row{Node::Cmdline, 30, 46, 6558}, Row{Node::Rlimit, 31, 47, 6559},
  };
  for (const Row& row : kTable) {
    CAPTURE(static_cast<int>(row.node));
    CHECK(procfs::stat_fileno(Era::FreeBSD4, row.node, Pid(0)) == row.pid0);
    CHECK(procfs::stat_fileno(Era::FreeBSD4, row.node, Pid(1)) == row.pid1);
    CHECK(procfs::stat_fileno(Era::FreeBSD4, row.node, Pid(408)) == row.pid408);
  }
  CHECK(procfs::stat_fileno(Era::FreeBSD4, Node::Root, Pid(408)) == 2);
  CHECK(procfs::stat_fileno(Era::FreeBSD4, Node::Curproc, Pid(408)) == 3);
}

TEST_CASE("FreeBSD 4 readdir numbers equal stat numbers, with .. at the root's 2") {
  for (const procfs::ListingRow& row : procfs::profile(Era::FreeBSD4).proc_listing) {
    CAPTURE(row.name);
    Node node = row.name == ".." ? Node::Root : row.node;
    CHECK(procfs::listing_fileno(Era::FreeBSD4, row, Pid(408)) ==
          procfs::stat_fileno(Era::FreeBSD4, node, Pid(408)));
  }
  CHECK(procfs::listing_fileno(Era::FreeBSD4, listing_row(Era::FreeBSD4, ".."), Pid(408)) == 2);
  for (const procfs::ListingRow& row : procfs::profile(Era::FreeBSD4).root_before) {
    CHECK(procfs::listing_fileno(Era::FreeBSD4, row, std::nullopt) == (row.name == "curproc" ? 3u : 2u));
  }
}

TEST_CASE("FreeBSD 8 numbers nodes node * 100000 + pid as spec table 2.5") {
  struct Row {
    Node node;
    std::uint32_t pid408;
  };
  constexpr std::array kTable = {
      Row{Node::ProcDir, 400408}, Row{Node::Cmdline, 500408}, Row{Node::Ctl, 600408},
      Row{Node::Dbregs, 700408},  Row{Node::Etype, 800408},   Row{Node::Fpregs, 900408},
      Row{Node::Map, 1000408},    Row{Node::Mem, 1100408},    Row{Node::Note, 1200408},
      Row{Node::Notepg, 1300408}, Row{Node::Regs, 1400408},   Row{Node::Rlimit, 1500408},
      Row{Node::Status, 1600408}, Row{Node::Osrel, 1700408},  Row{Node::File, 1800408},
  };
  for (const Row& row : kTable) {
    CAPTURE(static_cast<int>(row.node));
    CHECK(procfs::stat_fileno(Era::FreeBSD8, row.node, Pid(408)) == row.pid408);
  }
  CHECK(procfs::stat_fileno(Era::FreeBSD8, Node::ProcDir, Pid(1)) == 400001);
  CHECK(procfs::stat_fileno(Era::FreeBSD8, Node::Cmdline, Pid(1)) == 500001);
  CHECK(procfs::stat_fileno(Era::FreeBSD8, Node::Root, Pid(408)) == 2);
  CHECK(procfs::stat_fileno(Era::FreeBSD8, Node::Curproc, Pid(408)) == 3);
}

TEST_CASE("FreeBSD 8 readdir reports 4 for every pid directory and 200000 + P for ..") {
  CHECK(procfs::root_proc_entry_fileno(Era::FreeBSD8, Pid(1)) == 4);
  CHECK(procfs::root_proc_entry_fileno(Era::FreeBSD8, Pid(408)) == 4);
  CHECK(procfs::listing_fileno(Era::FreeBSD8, listing_row(Era::FreeBSD8, ".."), Pid(408)) == 200408);
  CHECK(procfs::listing_fileno(Era::FreeBSD8, listing_row(Era::FreeBSD8, "."), Pid(408)) == 400408);
  CHECK(procfs::listing_fileno(Era::FreeBSD8, listing_row(Era::FreeBSD8, "status"), Pid(408)) == 1600408);
  for (const procfs::ListingRow& row : procfs::profile(Era::FreeBSD8).root_after) {
    CHECK(procfs::listing_fileno(Era::FreeBSD8, row, std::nullopt) == (row.name == "curproc" ? 3u : 2u));
  }
}

TEST_CASE("the formulas hold at their edges") {
  CHECK(procfs::fileno_44bsd(0, 0) == 2);
  CHECK(procfs::fileno_44bsd(30000, 8) == (30001u << 3) + 8u);
  CHECK(procfs::fileno_freebsd4(99999, 0) == 2);
  CHECK(procfs::fileno_freebsd4(99999, 1) == 3);
  CHECK(procfs::fileno_freebsd4(99999, 15) == (100000u << 4) + 15u);
  CHECK(procfs::fileno_freebsd8(18, Pid(99999)) == 1899999);
  CHECK(procfs::fileno_freebsd8(18, std::nullopt) == 18);
}
