// The pending-signal queue (8.3 kern_sig.c sigqueue_add/get/delete/take) and siginit(). The
// queue keeps its entries in arrival order; an entry queued "at the head" is a signal the
// debugger handed back, which must be delivered before anything queued after it.
#include "model/kern/sigacts.h"

#include <algorithm>

#include "sim/base/assert.h"

namespace procsim::kern {

namespace {

bool has_entry(const std::deque<Ksiginfo>& entries, Signal signal) {
  return std::any_of(entries.begin(), entries.end(),
                     [signal](const Ksiginfo& entry) { return entry.signo == signal; });
}

}  // namespace

void SigQueue::add(Signal signal, const std::optional<Ksiginfo>& info, bool at_head) {
  PROCSIM_ASSERT(is_valid_signal(signal.value()));
  // spec/kernel.md §2.6: SIGKILL and SIGSTOP never carry information.
  if (!info || signal == Sigkill || signal == Sigstop) {
    m_kill.add(signal);
    m_signals.add(signal);
    return;
  }
  Ksiginfo entry = *info;
  entry.signo = signal;
  if (entry.owner) PROCSIM_ASSERT_MSG(find_owned(*entry.owner) == nullptr, "a p_ksi is queued once");
  if (at_head) {
    m_entries.push_front(entry);
  } else {
    m_entries.push_back(entry);
  }
  m_signals.add(signal);
}

std::optional<Ksiginfo> SigQueue::get(Signal signal) {
  if (!m_signals.contains(signal)) return std::nullopt;
  std::optional<Ksiginfo> taken;
  if (m_kill.contains(signal)) {
    m_kill.del(signal);
    Ksiginfo bare;
    bare.signo = signal;
    taken = bare;
  } else {
    auto it = std::find_if(m_entries.begin(), m_entries.end(),
                           [signal](const Ksiginfo& entry) { return entry.signo == signal; });
    PROCSIM_ASSERT_MSG(it != m_entries.end(), "a pending signal has a bare bit or an entry");
    taken = *it;
    m_entries.erase(it);
  }
  if (!m_kill.contains(signal) && !has_entry(m_entries, signal)) m_signals.del(signal);
  PROCSIM_ASSERT(taken->signo == signal);
  return taken;
}

void SigQueue::remove(Signal signal) {
  std::erase_if(m_entries, [signal](const Ksiginfo& entry) { return entry.signo == signal; });
  m_kill.del(signal);
  m_signals.del(signal);
  PROCSIM_ASSERT(!has_entry(m_entries, signal));
}

void SigQueue::remove_set(const SigSet& set) {
  std::erase_if(m_entries, [&set](const Ksiginfo& entry) { return set.contains(entry.signo); });
  m_kill.remove_all(set);
  m_signals.remove_all(set);
}

bool SigQueue::take_owned(Pid owner) {
  auto it = std::find_if(m_entries.begin(), m_entries.end(),
                         [owner](const Ksiginfo& entry) { return entry.owner == owner; });
  if (it == m_entries.end()) return false;
  Signal signal = it->signo;
  m_entries.erase(it);
  if (!m_kill.contains(signal) && !has_entry(m_entries, signal)) m_signals.del(signal);
  return true;
}

Ksiginfo* SigQueue::find_owned(Pid owner) {
  for (Ksiginfo& entry : m_entries) {
    if (entry.owner == owner) return &entry;
  }
  return nullptr;
}

void SigQueue::flush() {
  m_entries.clear();
  m_kill = SigSet{};
  m_signals = SigSet{};
}

Sigacts Sigacts::initial() {
  Sigacts acts;
  for (std::uint32_t number = 1; number < kNsig; ++number) {
    Signal signal(number);
    if ((sigprop(signal) & SA_IGNORE) != 0 && signal != Sigcont) acts.sigignore.add(signal);
  }
  PROCSIM_ASSERT(acts.sigignore.contains(Sigchld));
  PROCSIM_ASSERT(!acts.sigignore.contains(Sigcont));
  return acts;
}

}  // namespace procsim::kern
