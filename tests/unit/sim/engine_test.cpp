// The engine's run loop against fake worlds: event order, idle skipping, blocked detection,
// limits, determinism of choices, and a fiber that sleeps until a timeout.
#include "sim/engine.h"

#include <functional>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "sim/fiber.h"

using procsim::sim::ChoiceId;
using procsim::sim::ChoiceRecord;
using procsim::sim::ChooserMode;
using procsim::sim::Engine;
using procsim::sim::EngineConfig;
using procsim::sim::Fiber;
using procsim::sim::RunLimit;
using procsim::sim::RunOutcome;
using procsim::sim::RunReport;
using procsim::sim::Tick;
using procsim::sim::World;

namespace {

// Runnable while it has ticks of work left; logs every tick it runs.
class WorkWorld : public World {
 public:
  bool has_runnable_work() const override {
    ++queries;
    return work_ticks > 0;
  }
  void run_tick(Tick now) override {
    ran_at.push_back(now.value());
    --work_ticks;
    if (on_tick) on_tick(now);
  }

  std::uint64_t work_ticks = 0;
  std::vector<std::uint64_t> ran_at;
  std::function<void(Tick)> on_tick;
  mutable std::uint64_t queries = 0;
};

// Always has work: a CPU-bound loop that never blocks.
class SpinningWorld : public World {
 public:
  bool has_runnable_work() const override { return true; }
  void run_tick(Tick) override { ++ticks_run; }
  std::uint64_t ticks_run = 0;
};

EngineConfig config_with_tick_limit(std::uint64_t max_ticks) {
  EngineConfig config;
  config.limits.max_ticks_per_run = max_ticks;
  return config;
}

// Runs `ticks` ticks of a world that makes one run-queue choice among 5 per tick.
std::vector<ChoiceRecord> run_choosing_world(Engine& engine, std::uint64_t ticks, RunOutcome expected) {
  WorkWorld world;
  world.work_ticks = ticks;
  world.on_tick = [&engine](Tick) { (void)engine.chooser().choose(ChoiceId::RunQueueTie, 5); };
  RunReport report = engine.run_until_idle(world);
  CHECK(report.outcome == expected);
  return engine.chooser().records();
}

}  // namespace

TEST_CASE("outcomes and limits have names") {
  CHECK(procsim::sim::run_outcome_name(RunOutcome::Blocked) == "blocked");
  CHECK(procsim::sim::run_outcome_name(RunOutcome::LimitReached) == "limit-reached");
  CHECK(procsim::sim::run_limit_name(RunLimit::EventsPerTick) == "events-per-tick");
}

TEST_CASE("the engine takes hz, epoch and seed from its configuration") {
  EngineConfig config;
  config.seed = 42;
  config.hz = 100;
  config.epoch_seconds = 1243080000;
  Engine engine(config);
  CHECK(engine.clock().hz() == 100);
  CHECK(engine.now() == Tick(0));
  CHECK(engine.prng().seed() == 42);
  WorkWorld world;
  CHECK(engine.run_ticks(world, 250).outcome == RunOutcome::Done);
  CHECK(engine.clock().time_of_day().sec == 1243080002);
  CHECK(engine.clock().time_of_day().usec == 500000);
}

TEST_CASE("run_ticks advances exactly n ticks, running the world on each tick it has work") {
  Engine engine(EngineConfig{});
  WorkWorld world;
  world.work_ticks = 3;
  RunReport report = engine.run_ticks(world, 10);
  CHECK(report.outcome == RunOutcome::Done);
  CHECK(report.start == Tick(0));
  CHECK(report.end == Tick(10));
  CHECK(world.ran_at == std::vector<std::uint64_t>{1, 2, 3});
  CHECK(engine.run_ticks(world, 0).end == Tick(10));
}

TEST_CASE("events fire at their tick before the world runs that tick") {
  Engine engine(EngineConfig{});
  WorkWorld world;
  std::vector<std::string> log;
  world.on_tick = [&log](Tick now) { log.push_back(fmt::format("run@{}", now)); };
  engine.events().schedule(Tick(3), [&] {
    log.push_back(fmt::format("event@{}", engine.now()));
    world.work_ticks = 2;
  });
  CHECK(engine.run_ticks(world, 6).outcome == RunOutcome::Done);
  CHECK(log == std::vector<std::string>{"event@3", "run@3", "run@4"});
}

TEST_CASE("events run by (tick, sequence), same-tick ties in scheduling order") {
  Engine engine(EngineConfig{});
  WorkWorld world;
  std::vector<std::string> log;
  auto add = [&](std::uint64_t tick, std::string label) {
    return engine.events().schedule(Tick(tick), [&log, label] { log.push_back(label); });
  };
  add(7, "7a");
  add(2, "2a");
  add(7, "7b");
  auto cancelled = add(2, "2-cancelled");
  add(2, "2b");
  CHECK(engine.events().cancel(cancelled));
  RunReport report = engine.run_until_idle(world);
  CHECK(report.outcome == RunOutcome::Idle);
  CHECK(report.end == Tick(7));
  CHECK(log == std::vector<std::string>{"2a", "2b", "7a", "7b"});
}

TEST_CASE("run_until_idle returns Idle at once when nothing is runnable or pending") {
  Engine engine(EngineConfig{});
  WorkWorld world;
  RunReport report = engine.run_until_idle(world);
  CHECK(report.outcome == RunOutcome::Idle);
  CHECK(report.end == Tick(0));
  CHECK(world.ran_at.empty());
}

TEST_CASE("run_until_idle skips idle time straight to the next event") {
  Engine engine(EngineConfig{});
  WorkWorld world;
  world.work_ticks = 2;
  engine.events().schedule(Tick(1'000'000), [&] { world.work_ticks = 1; });
  engine.events().schedule(Tick(50'000'000), [] {});
  RunReport report = engine.run_until_idle(world);
  CHECK(report.outcome == RunOutcome::Idle);
  CHECK(report.end == Tick(50'000'000));
  CHECK(world.ran_at == std::vector<std::uint64_t>{1, 2, 1'000'000});
  // Ticks 3..999999 were never visited one by one.
  CHECK(world.queries < 20);
}

TEST_CASE("run_ticks also crosses idle stretches in one step") {
  Engine engine(EngineConfig{});
  WorkWorld world;
  engine.events().schedule(Tick(40'000'000), [&] { world.work_ticks = 1; });
  RunReport report = engine.run_ticks(world, 90'000'000);
  CHECK(report.outcome == RunOutcome::Done);
  CHECK(report.end == Tick(90'000'000));
  CHECK(world.ran_at == std::vector<std::uint64_t>{40'000'000});
  CHECK(world.queries < 20);
}

TEST_CASE("an event left for the current tick fires on the next tick") {
  Engine engine(EngineConfig{});
  WorkWorld world;
  std::uint64_t fired_at = 0;
  engine.events().schedule(Tick(0), [&] { fired_at = engine.now().value(); });
  CHECK(engine.run_until_idle(world).outcome == RunOutcome::Idle);
  CHECK(fired_at == 1);
}

TEST_CASE("run_until stops as soon as the condition holds") {
  Engine engine(EngineConfig{});
  WorkWorld world;
  bool flag = false;
  engine.events().schedule(Tick(500), [&] { flag = true; });
  engine.events().schedule(Tick(900), [] {});
  RunReport report = engine.run_until(world, [&] { return flag; });
  CHECK(report.outcome == RunOutcome::Done);
  CHECK(report.end == Tick(500));
  CHECK(engine.events().size() == 1);
}

TEST_CASE("run_until with a condition that already holds runs no tick") {
  Engine engine(EngineConfig{});
  WorkWorld world;
  world.work_ticks = 5;
  RunReport report = engine.run_until(world, [] { return true; });
  CHECK(report.outcome == RunOutcome::Done);
  CHECK(report.end == Tick(0));
  CHECK(world.ran_at.empty());
}

TEST_CASE("run_until reports Blocked when the world goes idle with the condition false") {
  Engine engine(EngineConfig{});
  WorkWorld world;
  world.work_ticks = 3;
  engine.events().schedule(Tick(10), [] {});
  RunReport report = engine.run_until(world, [] { return false; });
  CHECK(report.outcome == RunOutcome::Blocked);
  CHECK(report.end == Tick(10));
  CHECK(world.ran_at.size() == 3);
}

TEST_CASE("a world that never stops running ends with LimitReached") {
  Engine engine(config_with_tick_limit(1000));
  SpinningWorld world;
  RunReport report = engine.run_until_idle(world);
  CHECK(report.outcome == RunOutcome::LimitReached);
  CHECK(report.limit == RunLimit::TicksPerRun);
  CHECK(report.end == Tick(1000));
  CHECK(world.ticks_run == 1000);
  // The limit is per request: the next one runs another 1000 ticks.
  report = engine.run_until(world, [] { return false; });
  CHECK(report.outcome == RunOutcome::LimitReached);
  CHECK(report.start == Tick(1000));
  CHECK(report.end == Tick(2000));
}

TEST_CASE("an idle world whose next event lies beyond the limit stops at the limit") {
  Engine engine(config_with_tick_limit(1000));
  WorkWorld world;
  engine.events().schedule(Tick(5000), [] {});
  RunReport report = engine.run_until_idle(world);
  CHECK(report.outcome == RunOutcome::LimitReached);
  CHECK(report.end == Tick(1000));
  CHECK(engine.events().size() == 1);
}

TEST_CASE("run_ticks beyond the tick limit runs up to the limit and says so") {
  Engine engine(config_with_tick_limit(100));
  SpinningWorld world;
  RunReport report = engine.run_ticks(world, 250);
  CHECK(report.outcome == RunOutcome::LimitReached);
  CHECK(report.limit == RunLimit::TicksPerRun);
  CHECK(report.end == Tick(100));
  CHECK(engine.run_ticks(world, 100).outcome == RunOutcome::Done);
}

TEST_CASE("an event storm within one tick ends with LimitReached on events per tick") {
  EngineConfig config;
  config.limits.max_events_per_tick = 100;
  Engine engine(config);
  WorkWorld world;
  std::function<void()> storm = [&] { engine.events().schedule(engine.now(), storm); };
  engine.events().schedule(Tick(4), storm);
  RunReport report = engine.run_until_idle(world);
  CHECK(report.outcome == RunOutcome::LimitReached);
  CHECK(report.limit == RunLimit::EventsPerTick);
  CHECK(report.end == Tick(4));
}

TEST_CASE("the same seed gives the same choices, another seed other choices") {
  EngineConfig config;
  config.chooser_mode = ChooserMode::Seeded;
  config.seed = 42;
  Engine first(config);
  Engine second(config);
  config.seed = 43;
  Engine third(config);
  auto picks = run_choosing_world(first, 50, RunOutcome::Idle);
  CHECK(picks.size() == 50);
  CHECK(run_choosing_world(second, 50, RunOutcome::Idle) == picks);
  CHECK(run_choosing_world(third, 50, RunOutcome::Idle) != picks);
}

TEST_CASE("the default First mode picks option 0 every time") {
  Engine engine(EngineConfig{});
  for (const auto& record : run_choosing_world(engine, 10, RunOutcome::Idle)) CHECK(record.pick == 0);
}

TEST_CASE("replaying a recorded run reproduces its choices") {
  EngineConfig config;
  config.chooser_mode = ChooserMode::Seeded;
  config.seed = 7;
  Engine recorder(config);
  auto recorded = run_choosing_world(recorder, 30, RunOutcome::Idle);

  EngineConfig replay_config;
  replay_config.chooser_mode = ChooserMode::Replay;
  replay_config.seed = 999;  // the seed does not matter when replaying
  replay_config.replay = recorded;
  Engine replayer(replay_config);
  CHECK(run_choosing_world(replayer, 30, RunOutcome::Idle) == recorded);
  CHECK(replayer.chooser().replay_remaining() == 0);
}

TEST_CASE("a replay log that does not match the run stops it with ReplayDiverged") {
  EngineConfig config;
  config.chooser_mode = ChooserMode::Replay;
  config.replay = {{ChoiceId::RunQueueTie, 5, 4}, {ChoiceId::RunQueueTie, 6, 0}};
  Engine engine(config);
  WorkWorld world;
  world.work_ticks = 10;
  world.on_tick = [&engine](Tick) { (void)engine.chooser().choose(ChoiceId::RunQueueTie, 5); };
  RunReport report = engine.run_until_idle(world);
  CHECK(report.outcome == RunOutcome::ReplayDiverged);
  CHECK(report.end == Tick(2));
  REQUIRE(engine.chooser().replay_error());
  CHECK(engine.chooser().replay_error()->index == 1);
}

TEST_CASE("traced choices appear as choice lines") {
  EngineConfig config;
  config.trace_choices = true;
  Engine engine(config);
  engine.trace().set_enabled(true);
  run_choosing_world(engine, 2, RunOutcome::Idle);
  CHECK(engine.trace().take_lines() == std::vector<std::string>{"[tick 1] choice id=runq-tie n=5 pick=0",
                                                                 "[tick 2] choice id=runq-tie n=5 pick=0"});
}

namespace {

// A one-thread kernel in miniature: the thread's kernel stack is a fiber that sleeps by
// scheduling a wakeup event and suspending, and the scheduler resumes it when it is runnable.
class SleepingThreadWorld : public World {
 public:
  explicit SleepingThreadWorld(Engine& engine)
      : m_engine(engine), m_thread("thread", [this](Fiber& self) { body(self); }) {}

  bool has_runnable_work() const override { return m_runnable && !m_thread.finished(); }
  void run_tick(Tick) override { m_thread.resume(); }

  std::vector<std::string> log;

 private:
  void sleep_ticks(Fiber& self, std::uint64_t ticks) {
    m_engine.events().schedule(Tick(m_engine.now().value() + ticks), [this] {
      log.push_back(fmt::format("wakeup@{}", m_engine.now()));
      m_runnable = true;
    });
    m_runnable = false;
    self.suspend();  // returns when the scheduler resumes this thread after the wakeup
  }

  void body(Fiber& self) {
    log.push_back(fmt::format("start@{}", m_engine.now()));
    sleep_ticks(self, 10);
    log.push_back(fmt::format("resumed@{}", m_engine.now()));
    sleep_ticks(self, 5);
    log.push_back(fmt::format("exit@{}", m_engine.now()));
  }

  Engine& m_engine;
  bool m_runnable = true;
  Fiber m_thread;
};

}  // namespace

TEST_CASE("a thread on a fiber sleeps until its timeout and resumes in that tick") {
  Engine engine(EngineConfig{});
  SleepingThreadWorld world(engine);
  RunReport report = engine.run_until_idle(world);
  CHECK(report.outcome == RunOutcome::Idle);
  CHECK(report.end == Tick(16));
  CHECK(world.log ==
        std::vector<std::string>{"start@1", "wakeup@11", "resumed@11", "wakeup@16", "exit@16"});
}
