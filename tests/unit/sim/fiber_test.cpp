// Fibers switch in a defined order, can be resumed from anywhere, and clean up when destroyed.
// Run under ASan too (PROCSIM_SANITIZE), where the stack-switch annotations are exercised.
#include "sim/fiber.h"

#include <array>
#include <memory>
#include <string>
#include <vector>

#include <doctest/doctest.h>

using procsim::sim::Fiber;

namespace {

// Sets a flag when destroyed, to show that a fiber's stack was unwound.
struct SetOnDestroy {
  bool& flag;
  ~SetOnDestroy() { flag = true; }
};

// Recursion whose frames cannot be folded away: each level fills and sums its own buffer.
std::uint64_t deep_sum(int depth) {
  std::array<std::uint8_t, 256> buffer{};
  for (std::size_t i = 0; i < buffer.size(); ++i) {
    buffer[i] = static_cast<std::uint8_t>(depth + static_cast<int>(i));
  }
  std::uint64_t sum = 0;
  for (auto byte : buffer) sum += byte;
  if (depth == 0) return sum;
  return sum + deep_sum(depth - 1);
}

}  // namespace

TEST_CASE("a fiber does not run until resumed and then runs until it suspends") {
  std::vector<std::string> log;
  Fiber fiber("worker", [&](Fiber& self) {
    log.push_back("start");
    self.suspend();
    log.push_back("end");
  });
  CHECK(fiber.name() == "worker");
  CHECK(fiber.stack_bytes() == Fiber::kDefaultStackBytes);
  CHECK(fiber.state() == Fiber::State::Created);
  CHECK(log.empty());
  fiber.resume();
  CHECK(log == std::vector<std::string>{"start"});
  CHECK(fiber.state() == Fiber::State::Suspended);
  fiber.resume();
  CHECK(log == std::vector<std::string>{"start", "end"});
  CHECK(fiber.finished());
  CHECK(procsim::sim::fiber_state_name(fiber.state()) == "finished");
}

TEST_CASE("two fibers driven alternately interleave in resume order") {
  std::vector<std::string> log;
  auto body = [&log](Fiber& self) {
    for (int i = 0; i < 3; ++i) {
      log.push_back(self.name() + std::to_string(i));
      self.suspend();
    }
  };
  Fiber ping("ping", body);
  Fiber pong("pong", body);
  while (!ping.finished() || !pong.finished()) {
    if (!ping.finished()) ping.resume();
    if (!pong.finished()) pong.resume();
  }
  CHECK(log == std::vector<std::string>{"ping0", "pong0", "ping1", "pong1", "ping2", "pong2"});
}

TEST_CASE("a fiber that suspends N times needs N + 1 resumes to finish") {
  constexpr int kSuspends = 100;
  int progress = 0;
  Fiber fiber("counter", [&](Fiber& self) {
    for (int i = 0; i < kSuspends; ++i) {
      ++progress;
      self.suspend();
      CHECK(self.running());
    }
  });
  int resumes = 0;
  while (!fiber.finished()) {
    fiber.resume();
    ++resumes;
    if (!fiber.finished()) CHECK(progress == resumes);
  }
  CHECK(resumes == kSuspends + 1);
  CHECK(progress == kSuspends);
}

TEST_CASE("destroying a suspended fiber runs the destructors on its stack and nothing else") {
  bool destroyed = false;
  bool ran_past_suspend = false;
  auto fiber = std::make_unique<Fiber>("sleeper", [&](Fiber& self) {
    SetOnDestroy guard{destroyed};
    self.suspend();
    ran_past_suspend = true;
  });
  fiber->resume();
  CHECK(fiber->state() == Fiber::State::Suspended);
  CHECK_FALSE(destroyed);
  fiber.reset();
  CHECK(destroyed);
  CHECK_FALSE(ran_past_suspend);
}

TEST_CASE("destroying a fiber that never ran does not run its body") {
  bool ran = false;
  bool capture_destroyed = false;
  {
    auto marker = std::make_shared<SetOnDestroy>(capture_destroyed);
    Fiber fiber("unstarted", [&ran, marker](Fiber&) { ran = true; });
    marker.reset();
    CHECK_FALSE(capture_destroyed);  // the body still holds it
  }
  CHECK_FALSE(ran);
  CHECK(capture_destroyed);
}

TEST_CASE("a fiber holds deep recursion within its stack") {
  // 200 frames of a 256-byte buffer each: about a third of the default stack in a plain build.
  std::uint64_t expected = deep_sum(200);  // on the main stack
  std::uint64_t on_fiber = 0;
  Fiber fiber("deep", [&](Fiber&) { on_fiber = deep_sum(200); });
  fiber.resume();
  CHECK(fiber.finished());
  CHECK(on_fiber == expected);
}

TEST_CASE("a fiber can resume another fiber, which returns to it when it suspends") {
  std::vector<std::string> log;
  Fiber inner("inner", [&](Fiber& self) {
    log.push_back("inner-1");
    self.suspend();
    log.push_back("inner-2");
  });
  Fiber outer("outer", [&](Fiber& self) {
    log.push_back("outer-1");
    inner.resume();
    CHECK(self.running());  // still running while inner ran
    log.push_back("outer-2");
    self.suspend();
    inner.resume();
    log.push_back("outer-3");
  });
  outer.resume();
  CHECK(inner.state() == Fiber::State::Suspended);
  log.push_back("main");
  outer.resume();
  CHECK(log == std::vector<std::string>{"outer-1", "inner-1", "outer-2", "main", "inner-2", "outer-3"});
  CHECK(outer.finished());
  CHECK(inner.finished());
}

TEST_CASE("a fiber suspends back to whoever resumed it last") {
  std::vector<std::string> log;
  Fiber shared("shared", [&](Fiber& self) {
    log.push_back("shared-1");
    self.suspend();
    log.push_back("shared-2");
    self.suspend();
    log.push_back("shared-3");
  });
  Fiber helper("helper", [&](Fiber&) {
    shared.resume();
    log.push_back("back-in-helper");
  });
  shared.resume();  // from the main stack
  helper.resume();  // helper resumes shared; shared's next suspend returns to helper
  log.push_back("main");
  shared.resume();
  CHECK(log == std::vector<std::string>{"shared-1", "shared-2", "back-in-helper", "main", "shared-3"});
}

TEST_CASE("a suspended fiber can be destroyed from inside another fiber") {
  bool destroyed = false;
  auto victim = std::make_unique<Fiber>("victim", [&](Fiber& self) {
    SetOnDestroy guard{destroyed};
    self.suspend();
  });
  victim->resume();
  Fiber reaper("reaper", [&](Fiber&) { victim.reset(); });
  reaper.resume();
  CHECK(destroyed);
  CHECK(reaper.finished());
}

TEST_CASE("many fibers with minimum stacks can coexist") {
  std::vector<std::unique_ptr<Fiber>> fibers;
  int finished = 0;
  for (int i = 0; i < 64; ++i) {
    fibers.push_back(std::make_unique<Fiber>("small", [&](Fiber& self) {
      self.suspend();
      ++finished;
    }, Fiber::kMinStackBytes));
  }
  for (auto& fiber : fibers) fiber->resume();
  for (auto& fiber : fibers) fiber->resume();
  CHECK(finished == 64);
}
