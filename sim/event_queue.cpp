// The event queue: an ordered map keyed by (tick, sequence), plus an index from sequence number
// to tick for cancellation. Neither map is keyed by address, so iteration order is reproducible.
#include "sim/event_queue.h"

#include <utility>

#include "sim/base/assert.h"

namespace procsim::sim {

EventQueue::EventQueue(std::size_t max_events_per_tick) : m_max_events_per_tick(max_events_per_tick) {
  PROCSIM_ASSERT(max_events_per_tick > 0);
}

EventId EventQueue::schedule(Tick at, Callback callback) {
  PROCSIM_ASSERT_MSG(at >= m_horizon, "an event may not be scheduled in a tick that is already over");
  PROCSIM_ASSERT_MSG(callback != nullptr, "an event needs a callback");
  std::uint64_t sequence = m_next_sequence++;
  auto [position, inserted] = m_events.emplace(Key{at, sequence}, std::move(callback));
  PROCSIM_ASSERT(inserted);
  m_tick_of.emplace(sequence, at);
  PROCSIM_ASSERT(m_tick_of.size() == m_events.size());
  return EventId(sequence);
}

bool EventQueue::cancel(EventId id) {
  auto found = m_tick_of.find(id.value());
  if (found == m_tick_of.end()) return false;
  std::size_t erased = m_events.erase(Key{found->second, id.value()});
  PROCSIM_ASSERT(erased == 1);
  m_tick_of.erase(found);
  PROCSIM_ASSERT(m_tick_of.size() == m_events.size());
  return true;
}

std::optional<Tick> EventQueue::next_tick() const {
  if (m_events.empty()) return std::nullopt;
  return m_events.begin()->first.tick;
}

base::Result<std::size_t, EventLimitExceeded> EventQueue::run_due(Tick now) {
  PROCSIM_ASSERT_MSG(!m_running, "EventQueue::run_due is not reentrant");
  PROCSIM_ASSERT_MSG(now >= m_horizon, "run_due time must not run backwards");
  m_horizon = now;
  m_running = true;
  std::size_t ran = 0;
  while (!m_events.empty() && m_events.begin()->first.tick <= now) {
    if (ran == m_max_events_per_tick) {
      m_running = false;
      return base::fail(EventLimitExceeded{now, m_max_events_per_tick});
    }
    // Detach the event before running it: the callback may schedule or cancel others.
    auto node = m_events.extract(m_events.begin());
    std::size_t erased = m_tick_of.erase(node.key().sequence);
    PROCSIM_ASSERT(erased == 1);
    node.mapped()();
    ++ran;
  }
  m_running = false;
  PROCSIM_ASSERT(m_tick_of.size() == m_events.size());
  return ran;
}

}  // namespace procsim::sim
