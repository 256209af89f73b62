// Resource limits: FreeBSD 8.3's 13 limits with their procfs names (spec/kernel.md §4), the
// kernel tunables they start from (subr_param.c), proc0's boot values (init_main.c), the clamps
// setrlimit applies, and one line of the procfs rlimit file. How many limits each era's rlimit
// node prints is a table. Enforcement (CPU time, file size, ...) lives with the code that
// consumes each resource; RLIMIT_KQUEUES and later limits postdate 8.3 and are not modelled.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "model/vfs/ucred.h"

namespace procsim::kern {

// The resources, numbered as RLIMIT_CPU .. RLIMIT_SWAP (8.3 sys/sys/resource.h).
enum class Rlimit : std::uint8_t {
  Cpu = 0,
  Fsize = 1,
  Data = 2,
  Stack = 3,
  Core = 4,
  Rss = 5,
  Memlock = 6,
  Nproc = 7,
  Nofile = 8,
  Sbsize = 9,
  Vmem = 10,
  Npts = 11,
  Swap = 12,
};

// RLIM_NLIMITS in 8.3.
inline constexpr std::size_t kRlimNlimits = 13;

// RLIM_INFINITY: 2^63 - 1; procfs prints it as -1.
inline constexpr std::uint64_t kRlimInfinity = 0x7fffffffffffffffULL;

// Every fact about one resource. Row order is index order, which is also procfs output order.
struct RlimitRow {
  Rlimit resource;
  std::string_view constant;     // "RLIMIT_CPU"
  std::string_view procfs_name;  // rlimit_ident[]: "cpu"
};

inline constexpr std::array<RlimitRow, kRlimNlimits> kRlimitTable = {{
    {Rlimit::Cpu, "RLIMIT_CPU", "cpu"},
    {Rlimit::Fsize, "RLIMIT_FSIZE", "fsize"},
    {Rlimit::Data, "RLIMIT_DATA", "data"},
    {Rlimit::Stack, "RLIMIT_STACK", "stack"},
    {Rlimit::Core, "RLIMIT_CORE", "core"},
    {Rlimit::Rss, "RLIMIT_RSS", "rss"},
    {Rlimit::Memlock, "RLIMIT_MEMLOCK", "memlock"},
    {Rlimit::Nproc, "RLIMIT_NPROC", "nproc"},
    {Rlimit::Nofile, "RLIMIT_NOFILE", "nofile"},
    {Rlimit::Sbsize, "RLIMIT_SBSIZE", "sbsize"},
    {Rlimit::Vmem, "RLIMIT_VMEM", "vmem"},
    {Rlimit::Npts, "RLIMIT_NPTS", "npts"},
    {Rlimit::Swap, "RLIMIT_SWAP", "swap"},
}};

constexpr const RlimitRow& rlimit_row(Rlimit resource) {
  return kRlimitTable[static_cast<std::size_t>(resource)];
}

// struct rlimit. rlim_t is a signed 64-bit type whose values never exceed RLIM_INFINITY.
struct RlimitValue {
  std::uint64_t cur = kRlimInfinity;
  std::uint64_t max = kRlimInfinity;

  bool operator==(const RlimitValue&) const = default;
};

// A process's limits (struct plimit's pl_rlimit[]). Every limit starts at RLIM_INFINITY.
class RlimitSet {
 public:
  const RlimitValue& get(Rlimit resource) const { return m_values[static_cast<std::size_t>(resource)]; }
  // Stores a limit. Values above RLIM_INFINITY are a bug in the caller.
  void set(Rlimit resource, RlimitValue value);

  bool operator==(const RlimitSet&) const = default;

 private:
  std::array<RlimitValue, kRlimNlimits> m_values{};
};

// The tunables subr_param.c derives at boot. maxproc = 20 + 16 * maxusers, at most physpages/12;
// maxfiles = 2 * maxproc; the per-uid and per-process shares are nine tenths.
struct KernelParams {
  std::uint32_t maxusers = 0;
  std::uint32_t maxproc = 0;
  std::uint32_t maxfiles = 0;
  std::uint32_t maxprocperuid = 0;
  std::uint32_t maxfilesperproc = 0;
};

// maxusers from physical memory when not set explicitly: one per 2 MB, clamped to 32..384.
KernelParams compute_kernel_params(std::uint64_t physpages);

// Data and stack size defaults and ceilings (vmparam.h: DFLDSIZ, MAXDSIZ, DFLSSIZ, MAXSSIZ).
struct VmSizeLimits {
  std::uint64_t dfldsiz = 0;
  std::uint64_t maxdsiz = 0;
  std::uint64_t dflssiz = 0;
  std::uint64_t maxssiz = 0;
};

// amd64 in 8.3 (spec/kernel.md §3.5).
inline constexpr VmSizeLimits kVmSizeLimitsAmd64 = {
    128ULL << 20,  // DFLDSIZ 128 MB
    32ULL << 30,   // MAXDSIZ 32 GB
    8ULL << 20,    // DFLSSIZ 8 MB
    512ULL << 20,  // MAXSSIZ 512 MB
};

// i386 in 8.3 (i386/include/vmparam.h): the same defaults, a 512 MB data and 64 MB stack ceiling.
inline constexpr VmSizeLimits kVmSizeLimitsI386 = {128ULL << 20, 512ULL << 20, 8ULL << 20, 64ULL << 20};

// arm64 and riscv64, which 8.3 lacks, from their first releases' vmparam.h: 1 GB ceilings and a
// 128 MB default stack.
inline constexpr VmSizeLimits kVmSizeLimitsLp64Later = {128ULL << 20, 1ULL << 30, 128ULL << 20, 1ULL << 30};

// The simulated machine: 1 GiB of memory (262144 pages of 4 KiB), so maxusers reaches its 384
// ceiling: maxproc 6164, maxfiles 12328, maxprocperuid 5547, maxfilesperproc 11095. The last two
// are the "nproc 5547" / "nofile 11095" a logged-in user's rlimit file shows (see
// default_login_rlimits). 983 MiB (251658 pages) are free when proc0 is set up.
inline constexpr std::uint64_t kSimulatedPhyspages = 262144;
inline constexpr std::uint64_t kSimulatedFreePagesAtBoot = 251658;
inline constexpr std::uint64_t kSimulatedPageSize = 4096;

// proc0's limits, which every process inherits (8.3 init_main.c proc0_init): all infinite except
// NOFILE = maxfiles, NPROC = maxproc, DATA and STACK from vm_sizes, RSS = free memory, MEMLOCK
// max = free memory with a current value of a third of it.
RlimitSet boot_rlimits(const KernelParams& params, const VmSizeLimits& vm_sizes, std::uint64_t free_bytes);

// What setrlimit stores for a request (8.3 kern_proc_setrlimit): the current value never exceeds
// the maximum, DATA and STACK are capped at maxdsiz/maxssiz, NOFILE at maxfilesperproc, NPROC at
// maxprocperuid (with a current value of at least 1). Permission to raise a maximum is the
// caller's check.
RlimitValue clamp_rlimit(Rlimit resource, RlimitValue requested, const KernelParams& params,
                         const VmSizeLimits& vm_sizes);

// The limits login(1) leaves a user with under the stock "default" class of /etc/login.conf,
// where every limit is "unlimited": setrlimit(RLIM_INFINITY) on each, clamped as above.
// FIXME: memorylocked is taken as unlimited; the 8.3 login.conf was not re-read.
RlimitSet default_login_rlimits(const KernelParams& params, const VmSizeLimits& vm_sizes);

// How many limits an era's procfs rlimit node prints (0: the era has no rlimit node). 8.3 prints
// all 13. FreeBSD 4 (2000-2001) stops after sbsize: RLIMIT_VMEM was added to 4.x later; the spec
// marks 10 versus 11 unconfirmed and 10 is the choice. 4.4BSD's procfs has no rlimit node.
struct RlimitEraRules {
  vfs::Era era;
  std::size_t procfs_lines;
};

inline constexpr std::array<RlimitEraRules, vfs::kEraCount> kRlimitEraRules = {{
    {vfs::Era::Bsd44, 0},
    {vfs::Era::FreeBSD4, 10},
    {vfs::Era::FreeBSD8, kRlimNlimits},
}};

constexpr const RlimitEraRules& rlimit_era_rules(vfs::Era era) {
  return kRlimitEraRules[static_cast<std::size_t>(era)];
}

// One line of the procfs rlimit file: "<name> <cur> <max>\n", RLIM_INFINITY as -1, other
// values in unsigned decimal.
std::string format_rlimit_line(Rlimit resource, const RlimitValue& value);

// The whole file for an era: the first procfs_lines limits in index order.
std::string format_rlimit_file(const RlimitSet& limits, const RlimitEraRules& rules);

}  // namespace procsim::kern
