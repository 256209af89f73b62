// Process ids and how fork1() picks the next one: "the pid after the last one handed out",
// skipping any pid still used as a pid, process-group id or session id by a live or zombie
// process, wrapping to 100 at PID_MAX (spec/kernel.md §3.3). The process table is not here: the
// caller supplies the "in use" predicate. kern.randompid and RFHIGHPID are not modelled.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "model/vfs/errno.h"
#include "model/vfs/ucred.h"
#include "sim/base/strong_id.h"

namespace procsim::kern {

// A process id (pid_t). Also names process groups and sessions, which borrow their leader's pid.
using Pid = base::StrongId<struct PidTag, std::int32_t>;

// 8.3 sys/sys/proc.h. Allocation wraps when the candidate reaches PID_MAX, so PID_MAX itself is
// never handed out; NO_PID is "no process" in p_oppid-style fields.
inline constexpr std::int32_t PID_MAX = 99999;
inline constexpr std::int32_t NO_PID = 100000;

// Pids below this are skipped once allocation has wrapped (they belong to early daemons).
inline constexpr std::int32_t kPidWrapFloor = 100;

// The era's largest pid. 4.4BSD's sys/proc.h has PID_MAX 30000 (not in the spec; from the
// 4.4BSD-Lite headers); FreeBSD 4 and 8 use 99999.
struct PidRules {
  vfs::Era era;
  std::int32_t pid_max;
};

inline constexpr std::array<PidRules, vfs::kEraCount> kPidRules = {{
    {vfs::Era::Bsd44, 30000},
    {vfs::Era::FreeBSD4, PID_MAX},
    {vfs::Era::FreeBSD8, PID_MAX},
}};

constexpr const PidRules& pid_rules(vfs::Era era) { return kPidRules[static_cast<std::size_t>(era)]; }

// True when the pid is taken: some live or zombie process has it as its pid, its process-group
// id or its session id.
using PidInUse = std::function<bool(Pid)>;

// fork1()'s search: candidates start at lastpid + 1, wrap to 100 at pid_max and skip pids in
// use. When every candidate is in use the result is EAGAIN (FreeBSD relies on maxproc never
// letting that happen; here it is a defined result instead of an endless loop).
vfs::KResult<Pid> next_free_pid(Pid lastpid, const PidInUse& in_use, const PidRules& rules);

// The kernel's lastpid, with the scenario's `nextpid N` override.
class PidAllocator {
 public:
  explicit PidAllocator(const PidRules& rules) : m_rules(rules) {}

  // At boot lastpid is 0, so the first fork (init) gets pid 1.
  Pid lastpid() const { return m_lastpid; }

  // Picks the next pid and remembers it as lastpid.
  vfs::KResult<Pid> allocate(const PidInUse& in_use);

  // `nextpid N`: the next allocation tries N first and continues upward from there if N is in
  // use. N must lie in 1 .. pid_max - 1 (pid_max itself is never handed out), else EINVAL.
  vfs::KResult<void> set_next(Pid next);

 private:
  PidRules m_rules;
  Pid m_lastpid{0};
};

}  // namespace procsim::kern
