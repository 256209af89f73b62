// The event queue orders by (tick, sequence) and bounds the work of one tick. Callbacks that
// schedule or cancel during run_due are covered, since the kernel's timeouts will do both.
#include "sim/event_queue.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

using procsim::sim::EventId;
using procsim::sim::EventQueue;
using procsim::sim::Tick;

namespace {

// Schedules an event that appends `label` to `log` when it runs.
EventId log_at(EventQueue& queue, std::uint64_t tick, std::vector<std::string>& log, std::string label) {
  return queue.schedule(Tick(tick), [&log, label] { log.push_back(label); });
}

}  // namespace

TEST_CASE("events run in tick order whatever order they were scheduled in") {
  EventQueue queue;
  std::vector<std::string> log;
  log_at(queue, 30, log, "c");
  log_at(queue, 10, log, "a");
  log_at(queue, 20, log, "b");
  CHECK(queue.size() == 3);
  CHECK(queue.next_tick() == Tick(10));
  CHECK(queue.run_due(Tick(30)).value() == 3);
  CHECK(log == std::vector<std::string>{"a", "b", "c"});
  CHECK(queue.empty());
  CHECK_FALSE(queue.next_tick());
}

TEST_CASE("events due at the same tick run in scheduling order") {
  EventQueue queue;
  std::vector<std::string> log;
  for (const char* label : {"first", "second", "third", "fourth"}) log_at(queue, 5, log, label);
  log_at(queue, 4, log, "earlier");
  CHECK(queue.run_due(Tick(5)).value() == 5);
  CHECK(log == std::vector<std::string>{"earlier", "first", "second", "third", "fourth"});
}

TEST_CASE("run_due leaves events that are not yet due") {
  EventQueue queue;
  std::vector<std::string> log;
  log_at(queue, 3, log, "now");
  log_at(queue, 4, log, "later");
  CHECK(queue.run_due(Tick(3)).value() == 1);
  CHECK(log == std::vector<std::string>{"now"});
  CHECK(queue.next_tick() == Tick(4));
  CHECK(queue.run_due(Tick(3)).value() == 0);
}

TEST_CASE("cancel removes a pending event and reports whether it was pending") {
  EventQueue queue;
  std::vector<std::string> log;
  EventId kept = log_at(queue, 2, log, "kept");
  EventId dropped = log_at(queue, 1, log, "dropped");
  CHECK(queue.is_pending(dropped));
  CHECK(queue.cancel(dropped));
  CHECK_FALSE(queue.is_pending(dropped));
  CHECK_FALSE(queue.cancel(dropped));
  CHECK(queue.next_tick() == Tick(2));
  CHECK(queue.run_due(Tick(2)).value() == 1);
  CHECK(log == std::vector<std::string>{"kept"});
  CHECK_FALSE(queue.cancel(kept));  // already ran
  CHECK_FALSE(queue.cancel(EventId{}));
  CHECK_FALSE(queue.is_pending(EventId{}));
}

TEST_CASE("events scheduled by callbacks for the current tick run in the same run_due") {
  EventQueue queue;
  std::vector<std::string> log;
  queue.schedule(Tick(5), [&] {
    log.push_back("a");
    log_at(queue, 5, log, "c");     // same tick: after b, which was scheduled before it
    log_at(queue, 6, log, "next");  // a later tick: waits
  });
  log_at(queue, 5, log, "b");
  CHECK(queue.run_due(Tick(5)).value() == 3);
  CHECK(log == std::vector<std::string>{"a", "b", "c"});
  CHECK(queue.size() == 1);
}

TEST_CASE("a callback can cancel another event due in the same tick") {
  EventQueue queue;
  std::vector<std::string> log;
  EventId victim{};
  queue.schedule(Tick(1), [&] {
    log.push_back("canceller");
    CHECK(queue.cancel(victim));
  });
  victim = log_at(queue, 1, log, "victim");
  CHECK(queue.run_due(Tick(1)).value() == 1);
  CHECK(log == std::vector<std::string>{"canceller"});
}

TEST_CASE("an event that keeps rescheduling itself for now stops at the per-tick limit") {
  EventQueue queue(50);
  int runs = 0;
  std::function<void()> storm = [&] {
    ++runs;
    queue.schedule(Tick(1), storm);
  };
  queue.schedule(Tick(1), storm);
  auto result = queue.run_due(Tick(1));
  REQUIRE(result.is_error());
  CHECK(result.error().limit == 50);
  CHECK(result.error().tick == Tick(1));
  CHECK(runs == 50);
  CHECK(queue.size() == 1);  // the next storm event stays queued
}
