// Choice points: the three chooser modes, the record log, and replay mismatches as values.
// Draw counts are checked against a twin Prng, so a chooser that draws when it should not fails.
#include "sim/choice.h"

#include <vector>

#include <doctest/doctest.h>

using procsim::sim::ChoiceId;
using procsim::sim::ChoiceRecord;
using procsim::sim::Chooser;
using procsim::sim::ChooserMode;
using procsim::sim::Prng;
using procsim::sim::ReplayError;

TEST_CASE("choice points are named by the choice table") {
  CHECK(procsim::sim::choice_name(ChoiceId::RunQueueTie) == "runq-tie");
  CHECK(procsim::sim::choice_name(ChoiceId::WakeupOrder) == "wakeup-order");
  CHECK(procsim::sim::choice_name(ChoiceId::PidRandom) == "pid-random");
  CHECK(procsim::sim::replay_error_kind_name(ReplayError::Kind::CountMismatch) == "count-mismatch");
}

TEST_CASE("First mode always picks option 0 without drawing from the PRNG") {
  Prng prng(11);
  Chooser chooser(ChooserMode::First, prng);
  for (std::uint64_t n = 2; n < 10; ++n) CHECK(chooser.choose(ChoiceId::RunQueueTie, n) == 0);
  CHECK(prng.next_u64() == Prng(11).next_u64());
  CHECK(chooser.records().size() == 8);
  CHECK(chooser.records().front() == ChoiceRecord{ChoiceId::RunQueueTie, 2, 0});
}

TEST_CASE("Seeded mode picks prng.below(n)") {
  Prng prng(99);
  Prng twin(99);
  Chooser chooser(ChooserMode::Seeded, prng);
  for (int i = 0; i < 20; ++i) CHECK(chooser.choose(ChoiceId::WakeupOrder, 7) == twin.below(7));
  CHECK(prng.next_u64() == twin.next_u64());
}

TEST_CASE("a choice among one option returns 0 without drawing or recording") {
  Prng prng(99);
  Chooser chooser(ChooserMode::Seeded, prng);
  CHECK(chooser.choose(ChoiceId::PidRandom, 1) == 0);
  CHECK(chooser.records().empty());
  CHECK(prng.next_u64() == Prng(99).next_u64());
}

TEST_CASE("every choice among two or more options is recorded in order") {
  Prng prng(5);
  Chooser chooser(ChooserMode::Seeded, prng);
  std::vector<ChoiceRecord> expected;
  expected.push_back({ChoiceId::RunQueueTie, 3, chooser.choose(ChoiceId::RunQueueTie, 3)});
  (void)chooser.choose(ChoiceId::RunQueueTie, 1);
  expected.push_back({ChoiceId::PidRandom, 1000, chooser.choose(ChoiceId::PidRandom, 1000)});
  expected.push_back({ChoiceId::WakeupOrder, 2, chooser.choose(ChoiceId::WakeupOrder, 2)});
  CHECK(chooser.records() == expected);
  CHECK_FALSE(chooser.records_truncated());
}

TEST_CASE("Replay mode returns the recorded picks in order") {
  Prng seeded_prng(2024);
  Chooser recorder(ChooserMode::Seeded, seeded_prng);
  std::vector<std::uint64_t> picks;
  for (std::uint64_t n = 2; n < 12; ++n) picks.push_back(recorder.choose(ChoiceId::RunQueueTie, n));

  Prng unused(0);
  Chooser replayer(ChooserMode::Replay, unused, recorder.records());
  CHECK(replayer.replay_remaining() == 10);
  for (std::uint64_t n = 2; n < 12; ++n) CHECK(replayer.choose(ChoiceId::RunQueueTie, n) == picks[n - 2]);
  CHECK(replayer.replay_remaining() == 0);
  CHECK_FALSE(replayer.replay_error());
  CHECK(replayer.records() == recorder.records());
  CHECK(unused.next_u64() == Prng(0).next_u64());
}

TEST_CASE("a replay asked for another choice point reports IdMismatch and then answers 0") {
  Prng prng(0);
  Chooser chooser(ChooserMode::Replay, prng, {{ChoiceId::RunQueueTie, 4, 3}, {ChoiceId::PidRandom, 9, 8}});
  CHECK(chooser.choose(ChoiceId::RunQueueTie, 4) == 3);
  CHECK(chooser.choose(ChoiceId::WakeupOrder, 9) == 0);
  REQUIRE(chooser.replay_error());
  const ReplayError& error = *chooser.replay_error();
  CHECK(error.kind == ReplayError::Kind::IdMismatch);
  CHECK(error.index == 1);
  CHECK(error.asked_id == ChoiceId::WakeupOrder);
  CHECK(error.asked_n == 9);
  CHECK(error.expected == ChoiceRecord{ChoiceId::PidRandom, 9, 8});
  // Diverged: later choices fall back to 0, even one that would match the log.
  CHECK(chooser.choose(ChoiceId::PidRandom, 9) == 0);
  CHECK(chooser.replay_error()->index == 1);
}

TEST_CASE("a replay asked for a different option count reports CountMismatch") {
  Prng prng(0);
  Chooser chooser(ChooserMode::Replay, prng, {{ChoiceId::RunQueueTie, 4, 1}});
  CHECK(chooser.choose(ChoiceId::RunQueueTie, 5) == 0);
  REQUIRE(chooser.replay_error());
  CHECK(chooser.replay_error()->kind == ReplayError::Kind::CountMismatch);
  CHECK(chooser.replay_error()->index == 0);
}

TEST_CASE("a replay log whose pick is out of range reports PickOutOfRange") {
  Prng prng(0);
  Chooser chooser(ChooserMode::Replay, prng, {{ChoiceId::RunQueueTie, 4, 4}});
  CHECK(chooser.choose(ChoiceId::RunQueueTie, 4) == 0);
  REQUIRE(chooser.replay_error());
  CHECK(chooser.replay_error()->kind == ReplayError::Kind::PickOutOfRange);
}

TEST_CASE("running past the end of a replay log reports Exhausted") {
  Prng prng(0);
  Chooser chooser(ChooserMode::Replay, prng, {{ChoiceId::RunQueueTie, 2, 1}});
  CHECK(chooser.choose(ChoiceId::RunQueueTie, 2) == 1);
  CHECK_FALSE(chooser.replay_error());
  CHECK(chooser.choose(ChoiceId::RunQueueTie, 2) == 0);
  REQUIRE(chooser.replay_error());
  CHECK(chooser.replay_error()->kind == ReplayError::Kind::Exhausted);
  CHECK(chooser.replay_error()->index == 1);
  CHECK_FALSE(chooser.replay_error()->expected);
}

TEST_CASE("the observer sees every recorded choice") {
  Prng prng(8);
  Chooser chooser(ChooserMode::Seeded, prng);
  std::vector<ChoiceRecord> seen;
  chooser.set_observer([&seen](const ChoiceRecord& record) { seen.push_back(record); });
  (void)chooser.choose(ChoiceId::RunQueueTie, 3);
  (void)chooser.choose(ChoiceId::RunQueueTie, 1);
  (void)chooser.choose(ChoiceId::WakeupOrder, 5);
  CHECK(seen == chooser.records());
  chooser.set_observer({});
  (void)chooser.choose(ChoiceId::WakeupOrder, 5);
  CHECK(seen.size() == 2);
}

TEST_CASE("the record log stops at its limit and says it was truncated") {
  Prng prng(8);
  Chooser chooser(ChooserMode::First, prng, {}, 2);
  for (int i = 0; i < 3; ++i) (void)chooser.choose(ChoiceId::RunQueueTie, 2);
  CHECK(chooser.records().size() == 2);
  CHECK(chooser.records_truncated());
}
