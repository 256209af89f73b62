// The deterministic engine: owns simulated time, the seeded PRNG, the choice points, the event
// queue and the trace, and advances a World (the kernel) tick by tick. Every run request ends
// with a RunOutcome after a bounded number of ticks; idle time is skipped, not simulated.
// The engine knows nothing about kernels; preemption inside a tick is the World's business.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "sim/choice.h"
#include "sim/event_queue.h"
#include "sim/prng.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace procsim::sim {

// Implemented by the model. The engine calls it only from its run_* operations.
class World {
 public:
  virtual ~World() = default;
  // Can something run at the current tick without time passing? Must not change state.
  virtual bool has_runnable_work() const = 0;
  // Runs what can run during this tick (at most one tick of CPU). Called only when
  // has_runnable_work() is true, after the tick's due events fired. Must not advance the clock
  // or call the engine's run_* operations.
  virtual void run_tick(Tick now) = 0;
};

struct EngineLimits {
  // Simulated ticks one run request may advance, idle ticks included.
  std::uint64_t max_ticks_per_run = 100'000'000;
  std::size_t max_events_per_tick = EventQueue::kMaxEventsPerTick;
  std::size_t max_trace_lines = TraceSink::kMaxLinesDefault;
  std::size_t max_choice_records = Chooser::kMaxRecordsDefault;
};

struct EngineConfig {
  std::uint64_t seed = 0;
  std::uint32_t hz = SimClock::kHzDefault;
  std::int64_t epoch_seconds = 0;  // wall-clock seconds since 1970 at tick 0
  ChooserMode chooser_mode = ChooserMode::First;
  std::vector<ChoiceRecord> replay;  // the log to follow in Replay mode; empty otherwise
  bool trace_choices = false;        // emit a "choice" trace event for every recorded choice
  EngineLimits limits;
};

enum class RunOutcome : std::uint8_t {
  Done,            // run_until: the condition became true; run_ticks: all ticks ran
  Idle,            // run_until_idle: nothing runnable and no event pending
  Blocked,         // run_until: idle while the condition is still false, so it never will be
  LimitReached,    // a limit in EngineLimits stopped the run (see RunReport::limit)
  ReplayDiverged,  // Replay mode: the model asked for a choice the log does not hold
};

enum class RunLimit : std::uint8_t { None, TicksPerRun, EventsPerTick };

std::string_view run_outcome_name(RunOutcome outcome);
std::string_view run_limit_name(RunLimit limit);

struct RunReport {
  RunOutcome outcome = RunOutcome::Done;
  RunLimit limit = RunLimit::None;  // which limit, when outcome is LimitReached
  Tick start;                       // the clock when the request began
  Tick end;                         // the clock when it returned
};

class Engine {
 public:
  explicit Engine(EngineConfig config);

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  Engine(Engine&&) = delete;
  Engine& operator=(Engine&&) = delete;

  // Advances exactly n ticks (fewer if a limit or a replay divergence stops it): each tick fires
  // the due events, then runs the world if it has runnable work. Stretches where nothing is
  // runnable are crossed in one step to the next event or to the end. Done when all n ran.
  RunReport run_ticks(World& world, std::uint64_t n);

  // Runs until nothing is runnable and no event is pending (Idle). When nothing is runnable the
  // clock jumps straight to the next event.
  RunReport run_until_idle(World& world);

  // Like run_until_idle, but checks `done` before the first tick and after every tick: Done as
  // soon as it holds, Blocked if the world goes idle while it does not.
  RunReport run_until(World& world, const std::function<bool()>& done);

  const EngineConfig& config() const { return m_config; }
  SimClock& clock() { return m_clock; }
  const SimClock& clock() const { return m_clock; }
  Tick now() const { return m_clock.now(); }
  Prng& prng() { return m_prng; }
  Chooser& chooser() { return m_chooser; }
  const Chooser& chooser() const { return m_chooser; }
  EventQueue& events() { return m_events; }
  TraceSink& trace() { return m_trace; }

 private:
  enum class StepStatus : std::uint8_t { Ran, EventLimit, ReplayDiverged };

  // Advances the clock to `to` (> now), fires due events, then runs the world if runnable.
  StepStatus step_to(World& world, Tick to);
  // The tick the next step should reach: now + 1 if the world is runnable, else the next
  // event's tick (at least now + 1), capped at `last`. Empty if idle with no event pending.
  std::optional<Tick> next_step_target(const World& world, Tick last) const;
  RunReport run_loop(World& world, const std::function<bool()>* done);
  RunReport finish(Tick start, RunOutcome outcome, RunLimit limit = RunLimit::None);
  RunReport report_step_failure(Tick start, StepStatus status);

  EngineConfig m_config;
  SimClock m_clock;
  Prng m_prng;
  Chooser m_chooser;
  EventQueue m_events;
  TraceSink m_trace;
  bool m_running = false;
};

}  // namespace procsim::sim
