// The engine's run loop. One step moves the clock forward (by one tick when the world has work,
// else straight to the next event), fires due events and lets the world run. Every loop is bounded
// by EngineLimits, so a spinning world or an event storm ends with LimitReached, never a hang.
#include "sim/engine.h"

#include <algorithm>
#include <array>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "sim/base/assert.h"

namespace procsim::sim {

namespace {

struct RunOutcomeInfo {
  RunOutcome outcome;
  std::string_view name;
};

constexpr std::array kRunOutcomeTable = {
    RunOutcomeInfo{RunOutcome::Done, "done"},
    RunOutcomeInfo{RunOutcome::Idle, "idle"},
    RunOutcomeInfo{RunOutcome::Blocked, "blocked"},
    RunOutcomeInfo{RunOutcome::LimitReached, "limit-reached"},
    RunOutcomeInfo{RunOutcome::ReplayDiverged, "replay-diverged"},
};

struct RunLimitInfo {
  RunLimit limit;
  std::string_view name;
};

constexpr std::array kRunLimitTable = {
    RunLimitInfo{RunLimit::None, "none"},
    RunLimitInfo{RunLimit::TicksPerRun, "ticks-per-run"},
    RunLimitInfo{RunLimit::EventsPerTick, "events-per-tick"},
};

// The engine's own trace kinds.
constexpr TraceKind kTraceChoice{"choice"};

// Marks the engine busy for one run request, so a World calling back into run_* is caught.
class RunGuard {
 public:
  explicit RunGuard(bool& running) : m_running(running) {
    PROCSIM_ASSERT_MSG(!m_running, "Engine run operations are not reentrant");
    m_running = true;
  }
  ~RunGuard() { m_running = false; }
  RunGuard(const RunGuard&) = delete;
  RunGuard& operator=(const RunGuard&) = delete;

 private:
  bool& m_running;
};

Tick saturating_add(Tick tick, std::uint64_t ticks) {
  std::uint64_t room = std::numeric_limits<std::uint64_t>::max() - tick.value();
  return Tick(tick.value() + std::min(ticks, room));
}

}  // namespace

std::string_view run_outcome_name(RunOutcome outcome) {
  auto index = static_cast<std::size_t>(outcome);
  PROCSIM_ASSERT(index < kRunOutcomeTable.size());
  PROCSIM_ASSERT(kRunOutcomeTable[index].outcome == outcome);
  return kRunOutcomeTable[index].name;
}

std::string_view run_limit_name(RunLimit limit) {
  auto index = static_cast<std::size_t>(limit);
  PROCSIM_ASSERT(index < kRunLimitTable.size());
  PROCSIM_ASSERT(kRunLimitTable[index].limit == limit);
  return kRunLimitTable[index].name;
}

Engine::Engine(EngineConfig config)
    : m_config(std::move(config)),
      m_clock(m_config.hz, m_config.epoch_seconds),
      m_prng(m_config.seed),
      m_chooser(m_config.chooser_mode, m_prng, m_config.replay, m_config.limits.max_choice_records),
      m_events(m_config.limits.max_events_per_tick),
      m_trace(m_config.limits.max_trace_lines) {
  PROCSIM_ASSERT(m_config.limits.max_ticks_per_run > 0);
  if (m_config.trace_choices) {
    m_chooser.set_observer([this](const ChoiceRecord& record) {
      m_trace.emit(TraceEvent{now(),
                              kTraceChoice,
                              {TraceField{"id", std::string(choice_name(record.id))},
                               TraceField{"n", record.n}, TraceField{"pick", record.pick}}});
    });
  }
}

RunReport Engine::run_ticks(World& world, std::uint64_t n) {
  RunGuard guard(m_running);
  Tick start = now();
  std::uint64_t allowed = std::min(n, m_config.limits.max_ticks_per_run);
  Tick last = saturating_add(start, allowed);
  while (now() < last) {
    // Nothing runnable and no event before `last`: the rest of the request is idle time.
    Tick target = next_step_target(world, last).value_or(last);
    StepStatus status = step_to(world, target);
    if (status != StepStatus::Ran) return report_step_failure(start, status);
  }
  PROCSIM_ASSERT(now() == last);
  if (now().value() - start.value() < n) {
    return finish(start, RunOutcome::LimitReached, RunLimit::TicksPerRun);
  }
  return finish(start, RunOutcome::Done);
}

RunReport Engine::run_until_idle(World& world) {
  RunGuard guard(m_running);
  return run_loop(world, nullptr);
}

RunReport Engine::run_until(World& world, const std::function<bool()>& done) {
  PROCSIM_ASSERT(done != nullptr);
  RunGuard guard(m_running);
  return run_loop(world, &done);
}

RunReport Engine::run_loop(World& world, const std::function<bool()>* done) {
  Tick start = now();
  Tick last = saturating_add(start, m_config.limits.max_ticks_per_run);
  for (;;) {
    if (done != nullptr && (*done)()) return finish(start, RunOutcome::Done);
    std::optional<Tick> target = next_step_target(world, last);
    if (!target) return finish(start, done != nullptr ? RunOutcome::Blocked : RunOutcome::Idle);
    if (now() == last) return finish(start, RunOutcome::LimitReached, RunLimit::TicksPerRun);
    StepStatus status = step_to(world, *target);
    if (status != StepStatus::Ran) return report_step_failure(start, status);
  }
}

std::optional<Tick> Engine::next_step_target(const World& world, Tick last) const {
  Tick following = saturating_add(now(), 1);
  if (world.has_runnable_work()) return std::min(following, last);
  std::optional<Tick> event = m_events.next_tick();
  if (!event) return std::nullopt;
  // An event left over for the current tick (scheduled after its events fired) runs next tick.
  return std::min(std::max(*event, following), last);
}

Engine::StepStatus Engine::step_to(World& world, Tick to) {
  PROCSIM_ASSERT(to > now());
  m_clock.advance_to(to);
  auto fired = m_events.run_due(to);
  if (fired.is_error()) return StepStatus::EventLimit;
  if (m_chooser.replay_error()) return StepStatus::ReplayDiverged;
  if (world.has_runnable_work()) {
    world.run_tick(to);
    PROCSIM_ASSERT_MSG(now() == to, "World::run_tick must not move the clock");
  }
  if (m_chooser.replay_error()) return StepStatus::ReplayDiverged;
  return StepStatus::Ran;
}

RunReport Engine::report_step_failure(Tick start, StepStatus status) {
  switch (status) {
    case StepStatus::EventLimit:
      return finish(start, RunOutcome::LimitReached, RunLimit::EventsPerTick);
    case StepStatus::ReplayDiverged:
      return finish(start, RunOutcome::ReplayDiverged);
    case StepStatus::Ran:
      break;
  }
  PROCSIM_UNREACHABLE();
}

RunReport Engine::finish(Tick start, RunOutcome outcome, RunLimit limit) {
  PROCSIM_ASSERT((outcome == RunOutcome::LimitReached) == (limit != RunLimit::None));
  PROCSIM_ASSERT(now() >= start);
  return RunReport{outcome, limit, start, now()};
}

}  // namespace procsim::sim
