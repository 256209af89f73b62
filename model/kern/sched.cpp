// Run and sleep queues. Both are ordered maps of FIFO lists keyed by value (priority, channel),
// so every walk over them is in a defined order.
#include "model/kern/sched.h"

#include <algorithm>

#include "sim/base/assert.h"

namespace procsim::kern {

void RunQueue::add(Thread& td) {
  PROCSIM_ASSERT(td.state() == ThreadState::TDS_RUNQ);
  PROCSIM_ASSERT(!contains(td));
  m_queues[td.priority].push_back(&td);
  ++m_size;
}

void RunQueue::remove(Thread& td) {
  auto queue = m_queues.find(td.priority);
  PROCSIM_ASSERT_MSG(queue != m_queues.end(), "a queued thread sits at its own priority");
  auto it = std::find(queue->second.begin(), queue->second.end(), &td);
  PROCSIM_ASSERT(it != queue->second.end());
  queue->second.erase(it);
  if (queue->second.empty()) m_queues.erase(queue);
  --m_size;
}

bool RunQueue::contains(const Thread& td) const {
  auto queue = m_queues.find(td.priority);
  if (queue == m_queues.end()) return false;
  return std::find(queue->second.begin(), queue->second.end(), &td) != queue->second.end();
}

std::vector<Thread*> RunQueue::best_candidates(const std::function<bool(const Thread&)>& eligible) const {
  for (const auto& [priority, queue] : m_queues) {
    std::vector<Thread*> candidates;
    for (Thread* td : queue) {
      if (eligible(*td)) candidates.push_back(td);
    }
    if (!candidates.empty()) return candidates;
  }
  return {};
}

std::vector<Thread*> RunQueue::all() const {
  std::vector<Thread*> threads;
  for (const auto& [priority, queue] : m_queues) threads.insert(threads.end(), queue.begin(), queue.end());
  PROCSIM_ASSERT(threads.size() == m_size);
  return threads;
}

void SleepQueues::add(Thread& td, WaitChannel chan) {
  PROCSIM_ASSERT(!contains(td));
  m_queues[chan].push_back(&td);
  ++m_size;
}

void SleepQueues::remove(Thread& td) {
  PROCSIM_ASSERT(td.wchan.has_value());
  auto queue = m_queues.find(*td.wchan);
  PROCSIM_ASSERT_MSG(queue != m_queues.end(), "a sleeping thread is queued on its channel");
  auto it = std::find(queue->second.begin(), queue->second.end(), &td);
  PROCSIM_ASSERT(it != queue->second.end());
  queue->second.erase(it);
  if (queue->second.empty()) m_queues.erase(queue);
  --m_size;
}

std::vector<Thread*> SleepQueues::sleepers(WaitChannel chan) const {
  auto queue = m_queues.find(chan);
  if (queue == m_queues.end()) return {};
  return {queue->second.begin(), queue->second.end()};
}

bool SleepQueues::contains(const Thread& td) const {
  if (!td.wchan) return false;
  auto queue = m_queues.find(*td.wchan);
  if (queue == m_queues.end()) return false;
  return std::find(queue->second.begin(), queue->second.end(), &td) != queue->second.end();
}

}  // namespace procsim::kern
