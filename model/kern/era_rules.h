// Where the kernel generations differ in ways procfs, ps or wait(2) can observe: proc0's name
// and ABI, whether init is a system process, which wait4 options exist and whether continued
// children are reported. One row per vfs::Era; everything not in a row follows FreeBSD 8.3.
// Differences no output can show (p_flag numbering, locking, the 4.x p_stat field) are left out.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "model/kern/wait_status.h"
#include "model/vfs/ucred.h"

namespace procsim::kern {

struct KernelEraRules {
  vfs::Era era;
  std::string_view proc0_comm;     // p_comm of pid 0 (8.3 init_main.c: "kernel")
  std::string_view proc0_sysent;   // sv_name of pid 0's ABI; empty: the era has no p_sysent
  std::string_view proc0_wmesg;    // what proc0's thread sleeps on (the swapper loop)
  bool init_is_system;             // create_init() gives init P_SYSTEM
  WaitOptions wait_options_valid;  // kern_wait's option check; other bits are EINVAL
  bool reports_continued;          // P_CONTINUED, WCONTINUED and CLD_CONTINUED exist (5.x on)
};

// 8.3: spec/kernel.md §3.3 (proc0 "kernel", null_sysvec, init P_SYSTEM) and §3.6 (options).
// FreeBSD 4 and 4.4BSD named proc0 "swapper"; 4.x's proc0 ran with aout_sysvec ("FreeBSD
// a.out"); 4.x's create_init also set P_SYSTEM and kern_wait knew WUNTRACED, WNOHANG and
// WLINUXCLONE only; 4.4BSD had no sysentvec, left init without P_SYSTEM and knew WUNTRACED and
// WNOHANG. The pre-8.3 rows come from memory of those trees: unconfirmed.
inline constexpr std::array<KernelEraRules, vfs::kEraCount> kKernelEraRules = {{
    {vfs::Era::Bsd44, "swapper", "", "sched", false, Wuntraced | Wnohang, false},
    {vfs::Era::FreeBSD4, "swapper", "FreeBSD a.out", "sched", true, Wuntraced | Wnohang | Wlinuxclone, false},
    {vfs::Era::FreeBSD8, "kernel", "null", "sched", true, kWaitOptionsValid, true},
}};

constexpr const KernelEraRules& kernel_era_rules(vfs::Era era) {
  return kKernelEraRules[static_cast<std::size_t>(era)];
}

constexpr bool kernel_era_table_is_ordered() {
  for (std::size_t i = 0; i < kKernelEraRules.size(); ++i) {
    if (static_cast<std::size_t>(kKernelEraRules[i].era) != i) return false;
  }
  return true;
}
static_assert(kernel_era_table_is_ordered(), "kKernelEraRules rows must follow Era order");

}  // namespace procsim::kern
