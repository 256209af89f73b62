// Timed events (timeouts, alarms, periodic kernel work) ordered strictly by (tick, sequence
// number): the sequence number is assigned at scheduling, so events due at the same tick run in
// the order they were scheduled, whatever their addresses. Periodic events are not built in: a
// callback reschedules itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>

#include "sim/base/result.h"
#include "sim/base/strong_id.h"
#include "sim/time.h"

namespace procsim::sim {

struct EventIdTag {};
// The event's sequence number. Numbering starts at 1, so a default EventId{} never names an event.
using EventId = base::StrongId<EventIdTag, std::uint64_t>;

// run_due ran its limit of events for one tick and stopped; the rest stay queued.
struct EventLimitExceeded {
  Tick tick;
  std::size_t limit = 0;
};

class EventQueue {
 public:
  // Events one run_due call may run, counting those scheduled by callbacks for the same tick:
  // a callback that keeps rescheduling itself for "now" is a model bug that must not hang.
  static constexpr std::size_t kMaxEventsPerTick = 100'000;

  using Callback = std::function<void()>;

  explicit EventQueue(std::size_t max_events_per_tick = kMaxEventsPerTick);

  // Queues `callback` to run at tick `at`. `at` may not lie before the tick of the last run_due
  // (that tick is already over); an event scheduled for that tick itself runs in the same run_due
  // if scheduled by one of its callbacks, else at the next run_due.
  EventId schedule(Tick at, Callback callback);

  // Removes a pending event; true if it was pending (false once it ran or was cancelled).
  bool cancel(EventId id);

  bool is_pending(EventId id) const { return m_tick_of.contains(id.value()); }

  // The tick of the earliest pending event.
  std::optional<Tick> next_tick() const;

  // Runs, in (tick, sequence) order, every event due at or before `now`, including those that
  // callbacks schedule for ticks <= now. Returns how many ran, or EventLimitExceeded after
  // max_events_per_tick events. `now` never decreases between calls. Not reentrant.
  base::Result<std::size_t, EventLimitExceeded> run_due(Tick now);

  std::size_t size() const { return m_events.size(); }
  bool empty() const { return m_events.empty(); }

 private:
  struct Key {
    Tick tick;
    std::uint64_t sequence = 0;

    auto operator<=>(const Key&) const = default;
  };

  std::map<Key, Callback> m_events;
  // Sequence number -> tick of each pending event, so cancel can find its key.
  std::map<std::uint64_t, Tick> m_tick_of;
  std::uint64_t m_next_sequence = 1;
  Tick m_horizon{0};
  std::size_t m_max_events_per_tick;
  bool m_running = false;
};

}  // namespace procsim::sim
