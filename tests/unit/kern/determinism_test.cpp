// The same scenario and seed give the same trace, byte for byte, with the default choices and
// with seeded ones; the trace lines have the documented shape.
#include <doctest/doctest.h>

#include "tests/unit/kern/kernel_test_support.h"

using namespace procsim::kern;
using procsim::kern::testing::kArgA;
using procsim::kern::testing::TestMachine;
namespace sim = procsim::sim;

namespace {

struct Run {
  std::vector<std::string> trace;
  std::vector<sim::ChoiceRecord> choices;
};

// Several runnable processes at one priority, sleeps, signals, stops, exits and reaps.
Run run_scenario(sim::ChooserMode mode, std::uint64_t seed) {
  sim::EngineConfig config;
  config.chooser_mode = mode;
  config.seed = seed;
  TestMachine m(procsim::kern::testing::checked_config(), config);
  m.kernel.set_trace(true);
  Pid parent = m.spawn();
  REQUIRE(m.ok_value(parent, Sysno::Setpgid, {0, 0}) == 0);
  std::vector<Pid> children;
  for (int i = 0; i < 4; ++i)
    children.push_back(Pid(static_cast<std::int32_t>(m.ok_value(parent, Sysno::Fork))));
  for (std::size_t i = 0; i < children.size(); ++i) {
    m.write_timespec(children[i], kArgA, 0, static_cast<std::int64_t>(i + 1) * 1'000'000);
    m.start(children[i], Sysno::Nanosleep, {kArgA, 0});
  }
  m.run_ticks(2);
  m.kill(parent, children[0].value(), Sigstop);
  m.kill(parent, children[0].value(), Sigcont);
  // The whole group, the sender included.
  m.start(parent, Sysno::Kill, {sarg(-parent.value()), Sigterm.value()});
  m.run_until_idle();
  Run run;
  run.trace = m.engine.trace().take_lines();
  run.choices = m.engine.chooser().records();
  return run;
}

}  // namespace

TEST_CASE("the same seed gives the same trace bytes") {
  Run first = run_scenario(sim::ChooserMode::First, 0);
  Run again = run_scenario(sim::ChooserMode::First, 0);
  CHECK(first.trace == again.trace);
  CHECK(first.choices == again.choices);
  CHECK(first.trace.size() > 20);
  Run seeded = run_scenario(sim::ChooserMode::Seeded, 42);
  Run seeded_again = run_scenario(sim::ChooserMode::Seeded, 42);
  CHECK(seeded.trace == seeded_again.trace);
  CHECK(seeded.choices == seeded_again.choices);
  // The scenario has real ties: the run queue was asked to choose.
  CHECK(std::any_of(seeded.choices.begin(), seeded.choices.end(),
                    [](const sim::ChoiceRecord& r) { return r.id == sim::ChoiceId::RunQueueTie; }));
}

TEST_CASE("trace lines name the event and its fields") {
  TestMachine m;
  m.kernel.set_trace(true);
  Pid parent = m.spawn();
  std::int64_t child = m.ok_value(parent, Sysno::Fork);
  m.kill(parent, static_cast<std::int32_t>(child), Sigkill);
  m.run_until_idle();
  std::vector<std::string> lines = m.engine.trace().take_lines();
  std::vector<std::string> expected = {
      fmt::format("spawn pid={} ppid=1 comm=script", parent),
      fmt::format("fork pid={} child={}", parent, child),
      fmt::format("signal pid={} sig=SIGKILL from={}", child, parent),
      fmt::format("deliver pid={} sig=SIGKILL action=kill", child),
      fmt::format("exit pid={} status=0x9", child),
  };
  std::size_t next = 0;
  for (const std::string& line : lines) {
    if (next < expected.size() && line.find("] " + expected[next]) != std::string::npos) ++next;
  }
  CHECK(next == expected.size());
  CHECK(lines.front().rfind("[tick ", 0) == 0);
}
