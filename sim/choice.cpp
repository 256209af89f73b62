// The Chooser's three modes and its record/replay log. A replay mismatch is a value the engine
// reports, never a crash, because a replay log may come from an older build of the model.
#include "sim/choice.h"

#include <utility>

#include "sim/base/assert.h"

namespace procsim::sim {

namespace {

struct ReplayErrorKindInfo {
  ReplayError::Kind kind;
  std::string_view name;
};

constexpr std::array kReplayErrorKindTable = {
    ReplayErrorKindInfo{ReplayError::Kind::IdMismatch, "id-mismatch"},
    ReplayErrorKindInfo{ReplayError::Kind::CountMismatch, "count-mismatch"},
    ReplayErrorKindInfo{ReplayError::Kind::PickOutOfRange, "pick-out-of-range"},
    ReplayErrorKindInfo{ReplayError::Kind::Exhausted, "exhausted"},
};

}  // namespace

std::string_view choice_name(ChoiceId id) {
  auto index = static_cast<std::size_t>(id);
  PROCSIM_ASSERT(index < kChoiceTable.size());
  PROCSIM_ASSERT(kChoiceTable[index].id == id);
  return kChoiceTable[index].name;
}

std::string_view replay_error_kind_name(ReplayError::Kind kind) {
  auto index = static_cast<std::size_t>(kind);
  PROCSIM_ASSERT(index < kReplayErrorKindTable.size());
  PROCSIM_ASSERT(kReplayErrorKindTable[index].kind == kind);
  return kReplayErrorKindTable[index].name;
}

Chooser::Chooser(ChooserMode mode, Prng& prng, std::vector<ChoiceRecord> replay, std::size_t max_records)
    : m_mode(mode), m_prng(prng), m_replay(std::move(replay)), m_max_records(max_records) {
  PROCSIM_ASSERT_MSG(mode == ChooserMode::Replay || m_replay.empty(), "a replay log needs Replay mode");
  PROCSIM_ASSERT(max_records > 0);
}

std::uint64_t Chooser::choose(ChoiceId id, std::uint64_t n) {
  PROCSIM_ASSERT_MSG(n != 0, "a choice needs at least one option");
  if (n == 1) return 0;
  std::uint64_t pick = pick_by_mode(id, n);
  PROCSIM_ASSERT(pick < n);
  record(ChoiceRecord{id, n, pick});
  return pick;
}

std::uint64_t Chooser::pick_by_mode(ChoiceId id, std::uint64_t n) {
  switch (m_mode) {
    case ChooserMode::First:
      return 0;
    case ChooserMode::Seeded:
      return m_prng.below(n);
    case ChooserMode::Replay:
      return replay_pick(id, n);
  }
  PROCSIM_UNREACHABLE();
}

std::size_t Chooser::replay_remaining() const {
  PROCSIM_ASSERT(m_replay_next <= m_replay.size());
  return m_replay.size() - m_replay_next;
}

std::uint64_t Chooser::replay_pick(ChoiceId id, std::uint64_t n) {
  PROCSIM_ASSERT(m_mode == ChooserMode::Replay);
  if (m_replay_error) return 0;  // diverged earlier: stay on the defined fallback
  ReplayError error{ReplayError::Kind::Exhausted, m_replay_next, id, n, std::nullopt};
  if (m_replay_next == m_replay.size()) {
    m_replay_error = error;
    return 0;
  }
  const ChoiceRecord& expected = m_replay[m_replay_next];
  error.expected = expected;
  if (expected.id != id) {
    error.kind = ReplayError::Kind::IdMismatch;
  } else if (expected.n != n) {
    error.kind = ReplayError::Kind::CountMismatch;
  } else if (expected.pick >= n) {
    error.kind = ReplayError::Kind::PickOutOfRange;
  } else {
    ++m_replay_next;
    return expected.pick;
  }
  m_replay_error = error;
  return 0;
}

void Chooser::record(const ChoiceRecord& choice) {
  PROCSIM_ASSERT(choice.n >= 2);
  PROCSIM_ASSERT(choice.pick < choice.n);
  if (m_records.size() < m_max_records) {
    m_records.push_back(choice);
  } else {
    m_records_truncated = true;
  }
  if (m_observer) m_observer(choice);
}

}  // namespace procsim::sim
