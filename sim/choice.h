// Named choice points: every place where the model could go more than one way (which runnable
// thread runs, which sleeper wakes first, which pid is next) asks the Chooser, never the Prng
// directly. The Chooser picks the first option, draws from the seeded Prng, or replays a recorded
// log, and records every real choice so a run can be reproduced. Choices are never keyed by
// source location, only by ChoiceId.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/prng.h"

namespace procsim::sim {

// One enumerator per choice point. Add a row to kChoiceTable with each new enumerator.
enum class ChoiceId : std::uint8_t {
  RunQueueTie,  // several threads of equal priority are runnable: which runs
  WakeupOrder,  // several sleepers wake on one channel: in which order they are made runnable
  PidRandom,    // randomized pid allocation: which free pid is taken
};

struct ChoiceInfo {
  ChoiceId id;
  std::string_view name;  // as shown in traces and recorded logs
};

// Row order follows enumerator order (checked below).
inline constexpr std::array kChoiceTable = {
    ChoiceInfo{ChoiceId::RunQueueTie, "runq-tie"},
    ChoiceInfo{ChoiceId::WakeupOrder, "wakeup-order"},
    ChoiceInfo{ChoiceId::PidRandom, "pid-random"},
};

constexpr bool choice_table_is_ordered() {
  for (std::size_t i = 0; i < kChoiceTable.size(); ++i) {
    if (static_cast<std::size_t>(kChoiceTable[i].id) != i) return false;
  }
  return true;
}
static_assert(choice_table_is_ordered(), "kChoiceTable rows must follow ChoiceId order");

std::string_view choice_name(ChoiceId id);

enum class ChooserMode : std::uint8_t {
  First,   // always option 0, no PRNG draw: the deterministic default
  Seeded,  // prng.below(n)
  Replay,  // the picks of a recorded log, in order
};

// One choice among n >= 2 options, as recorded and replayed.
struct ChoiceRecord {
  ChoiceId id = ChoiceId::RunQueueTie;
  std::uint64_t n = 0;
  std::uint64_t pick = 0;

  bool operator==(const ChoiceRecord&) const = default;
};

// Why a replay went wrong. `index` is the position in the replay log (= the number of choices
// made before it); `expected` is the log's record there (absent when the log was exhausted).
struct ReplayError {
  enum class Kind : std::uint8_t { IdMismatch, CountMismatch, PickOutOfRange, Exhausted };
  Kind kind = Kind::Exhausted;
  std::size_t index = 0;
  ChoiceId asked_id = ChoiceId::RunQueueTie;
  std::uint64_t asked_n = 0;
  std::optional<ChoiceRecord> expected;
};

std::string_view replay_error_kind_name(ReplayError::Kind kind);

class Chooser {
 public:
  // Records kept at most; later choices are still made but not logged (records_truncated()).
  static constexpr std::size_t kMaxRecordsDefault = 1'000'000;

  using Observer = std::function<void(const ChoiceRecord&)>;

  // `replay` must be empty unless mode is Replay. The Prng must outlive the Chooser.
  Chooser(ChooserMode mode, Prng& prng, std::vector<ChoiceRecord> replay = {},
          std::size_t max_records = kMaxRecordsDefault);

  ChooserMode mode() const { return m_mode; }

  // Picks one of n options, returning an index in [0, n). n == 0 is a bug (asserted); n == 1
  // returns 0 without drawing or recording. In Replay mode a log that does not match (other id,
  // other n, an out-of-range pick, or no records left) sets replay_error() once; from then on
  // the chooser has diverged and answers 0 for every choice, so the model keeps running in a
  // defined way until the engine stops it.
  std::uint64_t choose(ChoiceId id, std::uint64_t n);

  // Every choice with n >= 2 made so far, in order (up to the record limit).
  const std::vector<ChoiceRecord>& records() const { return m_records; }
  bool records_truncated() const { return m_records_truncated; }

  // The first replay mismatch, if any.
  const std::optional<ReplayError>& replay_error() const { return m_replay_error; }
  // Replay records not yet consumed.
  std::size_t replay_remaining() const;

  // Called after each recorded choice (for tracing). Pass an empty function to remove it.
  void set_observer(Observer observer) { m_observer = std::move(observer); }

 private:
  std::uint64_t pick_by_mode(ChoiceId id, std::uint64_t n);
  std::uint64_t replay_pick(ChoiceId id, std::uint64_t n);
  void record(const ChoiceRecord& record);

  ChooserMode m_mode;
  Prng& m_prng;
  std::vector<ChoiceRecord> m_replay;
  std::size_t m_replay_next = 0;
  std::optional<ReplayError> m_replay_error;
  std::vector<ChoiceRecord> m_records;
  std::size_t m_max_records;
  bool m_records_truncated = false;
  Observer m_observer;
};

}  // namespace procsim::sim
