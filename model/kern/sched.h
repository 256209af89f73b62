// The scheduler's two queues. The run queue holds runnable threads by priority (lower is
// better), first in first out within a priority, as sched_4bsd's run queues do; the sleep
// queues hold sleeping threads by wait channel in the order they went to sleep. Choosing among
// equal candidates is the Kernel's business (it asks the engine's chooser). Per-CPU queues,
// estcpu decay and priority propagation are not modelled.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <vector>

#include "model/kern/proc.h"
#include "model/kern/wait_channel.h"

namespace procsim::kern {

class RunQueue {
 public:
  // Appends the thread to the queue of its current priority.
  void add(Thread& td);
  void remove(Thread& td);
  bool contains(const Thread& td) const;
  bool empty() const { return m_size == 0; }
  std::size_t size() const { return m_size; }

  // The threads `eligible` accepts at the best priority that has any, in queue order.
  std::vector<Thread*> best_candidates(const std::function<bool(const Thread&)>& eligible) const;
  // Every queued thread, best priority first.
  std::vector<Thread*> all() const;

 private:
  std::map<int, std::deque<Thread*>> m_queues;
  std::size_t m_size = 0;
};

class SleepQueues {
 public:
  void add(Thread& td, WaitChannel chan);
  void remove(Thread& td);
  // The threads sleeping on `chan`, in the order they went to sleep.
  std::vector<Thread*> sleepers(WaitChannel chan) const;
  bool contains(const Thread& td) const;
  std::size_t size() const { return m_size; }

 private:
  std::map<WaitChannel, std::deque<Thread*>> m_queues;
  std::size_t m_size = 0;
};

}  // namespace procsim::kern
