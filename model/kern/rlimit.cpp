// Boot-time limits, setrlimit's clamps and the procfs rlimit text. Facts: spec/kernel.md §3.3
// and §4 (8.3 subr_param.c, init_main.c, kern_resource.c, procfs_rlimit.c).
#include "model/kern/rlimit.h"

#include <algorithm>

#include <fmt/format.h>

#include "sim/base/assert.h"

namespace procsim::kern {

namespace {

constexpr bool rlimit_table_is_in_index_order() {
  for (std::size_t i = 0; i < kRlimitTable.size(); ++i) {
    if (static_cast<std::size_t>(kRlimitTable[i].resource) != i) return false;
  }
  return true;
}
static_assert(rlimit_table_is_in_index_order());
static_assert(kRlimitEraRules[0].era == vfs::Era::Bsd44);
static_assert(kRlimitEraRules[1].era == vfs::Era::FreeBSD4);
static_assert(kRlimitEraRules[2].era == vfs::Era::FreeBSD8);

// subr_param.c: maxusers bounds when derived from memory, and pages per user.
constexpr std::uint64_t kMaxusersMin = 32;
constexpr std::uint64_t kMaxusersMax = 384;
constexpr std::uint64_t kPagesPerUser = (2 * 1024 * 1024) / kSimulatedPageSize;

std::string format_rlim(std::uint64_t value) {
  PROCSIM_ASSERT(value <= kRlimInfinity);
  if (value == kRlimInfinity) return "-1";
  return fmt::format("{}", value);
}

}  // namespace

void RlimitSet::set(Rlimit resource, RlimitValue value) {
  PROCSIM_ASSERT(value.cur <= kRlimInfinity);
  PROCSIM_ASSERT(value.max <= kRlimInfinity);
  m_values[static_cast<std::size_t>(resource)] = value;
}

KernelParams compute_kernel_params(std::uint64_t physpages) {
  PROCSIM_ASSERT(physpages > 0);
  KernelParams params;
  std::uint64_t maxusers = std::clamp(physpages / kPagesPerUser, kMaxusersMin, kMaxusersMax);
  std::uint64_t maxproc = std::min<std::uint64_t>(20 + 16 * maxusers, physpages / 12);
  params.maxusers = static_cast<std::uint32_t>(maxusers);
  params.maxproc = static_cast<std::uint32_t>(maxproc);
  params.maxfiles = params.maxproc * 2;
  params.maxprocperuid = params.maxproc * 9 / 10;
  params.maxfilesperproc = params.maxfiles * 9 / 10;
  PROCSIM_ASSERT(params.maxprocperuid <= params.maxproc);
  PROCSIM_ASSERT(params.maxfilesperproc <= params.maxfiles);
  return params;
}

RlimitSet boot_rlimits(const KernelParams& params, const VmSizeLimits& vm_sizes, std::uint64_t free_bytes) {
  PROCSIM_ASSERT(params.maxproc > 0 && params.maxfiles > 0);
  PROCSIM_ASSERT(vm_sizes.dfldsiz <= vm_sizes.maxdsiz && vm_sizes.dflssiz <= vm_sizes.maxssiz);
  RlimitSet limits;
  limits.set(Rlimit::Nofile, {params.maxfiles, params.maxfiles});
  limits.set(Rlimit::Nproc, {params.maxproc, params.maxproc});
  limits.set(Rlimit::Data, {vm_sizes.dfldsiz, vm_sizes.maxdsiz});
  limits.set(Rlimit::Stack, {vm_sizes.dflssiz, vm_sizes.maxssiz});
  limits.set(Rlimit::Rss, {free_bytes, free_bytes});
  limits.set(Rlimit::Memlock, {free_bytes / 3, free_bytes});
  return limits;
}

RlimitValue clamp_rlimit(Rlimit resource, RlimitValue requested, const KernelParams& params,
                         const VmSizeLimits& vm_sizes) {
  RlimitValue value = {std::min(requested.cur, kRlimInfinity), std::min(requested.max, kRlimInfinity)};
  value.cur = std::min(value.cur, value.max);
  auto cap = [&value](std::uint64_t ceiling) {
    value.cur = std::min(value.cur, ceiling);
    value.max = std::min(value.max, ceiling);
  };
  switch (resource) {
    case Rlimit::Data: cap(vm_sizes.maxdsiz); break;
    case Rlimit::Stack: cap(vm_sizes.maxssiz); break;
    case Rlimit::Nofile: cap(params.maxfilesperproc); break;
    case Rlimit::Nproc:
      cap(params.maxprocperuid);
      value.cur = std::max<std::uint64_t>(value.cur, 1);
      value.max = std::max<std::uint64_t>(value.max, 1);
      break;
    default: break;
  }
  PROCSIM_ASSERT(value.cur <= value.max);
  return value;
}

RlimitSet default_login_rlimits(const KernelParams& params, const VmSizeLimits& vm_sizes) {
  RlimitSet limits;
  for (const RlimitRow& row : kRlimitTable) {
    limits.set(row.resource, clamp_rlimit(row.resource, {kRlimInfinity, kRlimInfinity}, params, vm_sizes));
  }
  return limits;
}

std::string format_rlimit_line(Rlimit resource, const RlimitValue& value) {
  return fmt::format("{} {} {}\n", rlimit_row(resource).procfs_name, format_rlim(value.cur),
                     format_rlim(value.max));
}

std::string format_rlimit_file(const RlimitSet& limits, const RlimitEraRules& rules) {
  PROCSIM_ASSERT(rules.procfs_lines <= kRlimNlimits);
  std::string out;
  for (std::size_t i = 0; i < rules.procfs_lines; ++i) {
    Rlimit resource = kRlimitTable[i].resource;
    out += format_rlimit_line(resource, limits.get(resource));
  }
  return out;
}

}  // namespace procsim::kern
