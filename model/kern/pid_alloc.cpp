// fork1()'s pid search (8.3 kern/kern_fork.c), with the pidchecked cache left out: it only
// avoids rescanning the process list and never changes which pid is chosen.
#include "model/kern/pid_alloc.h"

#include "sim/base/assert.h"

namespace procsim::kern {

namespace {

static_assert(kPidRules[0].era == vfs::Era::Bsd44);
static_assert(kPidRules[1].era == vfs::Era::FreeBSD4);
static_assert(kPidRules[2].era == vfs::Era::FreeBSD8);

// The wrap rule: a candidate at or past pid_max becomes candidate % pid_max, lifted by 100
// when that lands below 100.
std::int32_t wrap(std::int32_t candidate, std::int32_t pid_max) {
  if (candidate < pid_max) return candidate;
  std::int32_t wrapped = candidate % pid_max;
  if (wrapped < kPidWrapFloor) wrapped += kPidWrapFloor;
  return wrapped;
}

}  // namespace

vfs::KResult<Pid> next_free_pid(Pid lastpid, const PidInUse& in_use, const PidRules& rules) {
  PROCSIM_ASSERT(rules.pid_max > kPidWrapFloor);
  PROCSIM_ASSERT(lastpid.value() >= 0 && lastpid.value() < rules.pid_max);
  std::int32_t candidate = wrap(lastpid.value() + 1, rules.pid_max);
  // Every pid below pid_max is a candidate at most once before the search comes round again.
  for (std::int32_t probes = 0; probes < rules.pid_max; ++probes) {
    PROCSIM_ASSERT(candidate > 0 && candidate < rules.pid_max);
    if (!in_use(Pid(candidate))) return Pid(candidate);
    candidate = wrap(candidate + 1, rules.pid_max);
  }
  return base::fail(vfs::Errno::Eagain);
}

vfs::KResult<Pid> PidAllocator::allocate(const PidInUse& in_use) {
  Pid chosen = TRY(next_free_pid(m_lastpid, in_use, m_rules));
  PROCSIM_ASSERT(!in_use(chosen));
  m_lastpid = chosen;
  return chosen;
}

vfs::KResult<void> PidAllocator::set_next(Pid next) {
  if (next.value() < 1 || next.value() >= m_rules.pid_max) return base::fail(vfs::Errno::Einval);
  m_lastpid = Pid(next.value() - 1);
  PROCSIM_ASSERT(wrap(m_lastpid.value() + 1, m_rules.pid_max) == next.value());
  return {};
}

}  // namespace procsim::kern
