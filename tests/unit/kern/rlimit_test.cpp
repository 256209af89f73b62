// The rlimit file is printed byte for byte by procfs, and its numbers come from the boot
// tunables, so the table, the boot values, setrlimit's clamps and the line format are pinned.
#include "model/kern/rlimit.h"

#include <string>

#include <doctest/doctest.h>

namespace kern = procsim::kern;
using kern::KernelParams;
using kern::kRlimInfinity;
using kern::Rlimit;
using kern::RlimitSet;
using kern::RlimitValue;
using procsim::vfs::Era;

TEST_CASE("the 13 limits in index order with their procfs names") {
  std::string names;
  for (std::size_t i = 0; i < kern::kRlimitTable.size(); ++i) {
    CHECK(static_cast<std::size_t>(kern::kRlimitTable[i].resource) == i);
    names += std::string(kern::kRlimitTable[i].procfs_name) + " ";
  }
  CHECK(names == "cpu fsize data stack core rss memlock nproc nofile sbsize vmem npts swap ");
  CHECK(kern::rlimit_row(Rlimit::Swap).constant == "RLIMIT_SWAP");
  CHECK(kern::rlimit_row(Rlimit::Vmem).constant == "RLIMIT_VMEM");
  CHECK(kRlimInfinity == 0x7fffffffffffffffULL);
}

TEST_CASE("the simulated machine's tunables: maxusers 384, maxproc 6164, maxfiles 12328") {
  KernelParams params = kern::compute_kernel_params(kern::kSimulatedPhyspages);
  CHECK(params.maxusers == 384);
  CHECK(params.maxproc == 6164);
  CHECK(params.maxfiles == 12328);
  CHECK(params.maxprocperuid == 5547);
  CHECK(params.maxfilesperproc == 11095);
}

TEST_CASE("maxusers follows memory between 32 and 384; maxproc is capped by memory") {
  // 256 MB: 128 users.
  KernelParams mid = kern::compute_kernel_params(65536);
  CHECK(mid.maxusers == 128);
  CHECK(mid.maxproc == 20 + 16 * 128);
  // 16 MB: the floor of 32 users, but only physpages / 12 processes.
  KernelParams tiny = kern::compute_kernel_params(4096);
  CHECK(tiny.maxusers == 32);
  CHECK(tiny.maxproc == 4096 / 12);
  CHECK(tiny.maxfiles == 2 * (4096 / 12));
}

TEST_CASE("proc0's limits: infinite except files, processes, data, stack, rss and memlock") {
  KernelParams params = kern::compute_kernel_params(kern::kSimulatedPhyspages);
  std::uint64_t free_bytes = kern::kSimulatedFreePagesAtBoot * kern::kSimulatedPageSize;
  RlimitSet limits = kern::boot_rlimits(params, kern::kVmSizeLimitsAmd64, free_bytes);
  CHECK(limits.get(Rlimit::Cpu) == RlimitValue{kRlimInfinity, kRlimInfinity});
  CHECK(limits.get(Rlimit::Fsize) == RlimitValue{kRlimInfinity, kRlimInfinity});
  CHECK(limits.get(Rlimit::Data) == RlimitValue{128ULL << 20, 32ULL << 30});
  CHECK(limits.get(Rlimit::Stack) == RlimitValue{8ULL << 20, 512ULL << 20});
  CHECK(limits.get(Rlimit::Core) == RlimitValue{kRlimInfinity, kRlimInfinity});
  CHECK(limits.get(Rlimit::Rss) == RlimitValue{1030791168, 1030791168});
  CHECK(limits.get(Rlimit::Memlock) == RlimitValue{343597056, 1030791168});
  CHECK(limits.get(Rlimit::Nproc) == RlimitValue{6164, 6164});
  CHECK(limits.get(Rlimit::Nofile) == RlimitValue{12328, 12328});
  CHECK(limits.get(Rlimit::Sbsize) == RlimitValue{kRlimInfinity, kRlimInfinity});
  CHECK(limits.get(Rlimit::Vmem) == RlimitValue{kRlimInfinity, kRlimInfinity});
  CHECK(limits.get(Rlimit::Npts) == RlimitValue{kRlimInfinity, kRlimInfinity});
  CHECK(limits.get(Rlimit::Swap) == RlimitValue{kRlimInfinity, kRlimInfinity});
}

TEST_CASE("setrlimit clamps: cur to max, data and stack to the VM ceilings, files and processes") {
  KernelParams params = kern::compute_kernel_params(kern::kSimulatedPhyspages);
  const auto& vm = kern::kVmSizeLimitsAmd64;
  RlimitValue infinite{kRlimInfinity, kRlimInfinity};
  CHECK(kern::clamp_rlimit(Rlimit::Cpu, infinite, params, vm) == infinite);
  CHECK(kern::clamp_rlimit(Rlimit::Core, {500, 100}, params, vm) == RlimitValue{100, 100});
  CHECK(kern::clamp_rlimit(Rlimit::Data, infinite, params, vm) == RlimitValue{32ULL << 30, 32ULL << 30});
  CHECK(kern::clamp_rlimit(Rlimit::Stack, infinite, params, vm) == RlimitValue{512ULL << 20, 512ULL << 20});
  CHECK(kern::clamp_rlimit(Rlimit::Nofile, infinite, params, vm) == RlimitValue{11095, 11095});
  CHECK(kern::clamp_rlimit(Rlimit::Nproc, infinite, params, vm) == RlimitValue{5547, 5547});
  CHECK(kern::clamp_rlimit(Rlimit::Nproc, {0, 0}, params, vm) == RlimitValue{1, 1});
  CHECK(kern::clamp_rlimit(Rlimit::Nofile, {0, 0}, params, vm) == RlimitValue{0, 0});
  CHECK(kern::clamp_rlimit(Rlimit::Fsize, {~0ULL, ~0ULL}, params, vm) == infinite);
}

TEST_CASE("a login user's limits show nproc 5547 and nofile 11095") {
  KernelParams params = kern::compute_kernel_params(kern::kSimulatedPhyspages);
  RlimitSet limits = kern::default_login_rlimits(params, kern::kVmSizeLimitsAmd64);
  CHECK(kern::format_rlimit_file(limits, kern::rlimit_era_rules(Era::FreeBSD8)) ==
        "cpu -1 -1\n"
        "fsize -1 -1\n"
        "data 34359738368 34359738368\n"
        "stack 536870912 536870912\n"
        "core -1 -1\n"
        "rss -1 -1\n"
        "memlock -1 -1\n"
        "nproc 5547 5547\n"
        "nofile 11095 11095\n"
        "sbsize -1 -1\n"
        "vmem -1 -1\n"
        "npts -1 -1\n"
        "swap -1 -1\n");
}

TEST_CASE("one rlimit line: name, cur, max; infinity as -1") {
  CHECK(kern::format_rlimit_line(Rlimit::Cpu, {kRlimInfinity, kRlimInfinity}) == "cpu -1 -1\n");
  CHECK(kern::format_rlimit_line(Rlimit::Nofile, {11095, 11095}) == "nofile 11095 11095\n");
  CHECK(kern::format_rlimit_line(Rlimit::Memlock, {0, kRlimInfinity}) == "memlock 0 -1\n");
  CHECK(kern::format_rlimit_line(Rlimit::Data, {kRlimInfinity - 1, kRlimInfinity}) ==
        "data 9223372036854775806 -1\n");
}

TEST_CASE("each era prints its own number of limits") {
  CHECK(kern::rlimit_era_rules(Era::Bsd44).procfs_lines == 0);
  CHECK(kern::rlimit_era_rules(Era::FreeBSD4).procfs_lines == 10);
  CHECK(kern::rlimit_era_rules(Era::FreeBSD8).procfs_lines == 13);
  RlimitSet limits;
  limits.set(Rlimit::Sbsize, {1, 2});
  CHECK(kern::format_rlimit_file(limits, kern::rlimit_era_rules(Era::FreeBSD4)) ==
        "cpu -1 -1\nfsize -1 -1\ndata -1 -1\nstack -1 -1\ncore -1 -1\nrss -1 -1\nmemlock -1 -1\n"
        "nproc -1 -1\nnofile -1 -1\nsbsize 1 2\n");
  CHECK(kern::format_rlimit_file(limits, kern::rlimit_era_rules(Era::Bsd44)).empty());
}
