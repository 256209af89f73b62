// Structured trace events (a kind plus ordered key=value fields) and the one function that turns
// them into text: `[tick 1203] signal pid=401 sig=SIGSTOP`. Trace lines appear in golden
// transcripts, so this format is an interface. Filtering by kind and binary trace formats are
// left out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/time.h"

namespace procsim::sim {

// What happened, named by a row of the emitting layer's constexpr table (for example
// "signal", "wakeup"). The name must be non-empty lower-case letters, digits, '-' or '_'.
struct TraceKind {
  std::string_view name;
};

// Signed numbers print in decimal with a '-' when negative, unsigned numbers in decimal, strings
// bare when they consist only of printable ASCII other than space, '"' and '\' (and are not
// empty), else double-quoted and C-escaped.
using TraceValue = std::variant<std::int64_t, std::uint64_t, std::string>;

struct TraceField {
  std::string_view key;  // same alphabet as TraceKind names; usually a string literal
  TraceValue value;
};

struct TraceEvent {
  Tick tick;
  TraceKind kind;
  std::vector<TraceField> fields;  // printed in this order
};

// The single trace formatter: "[tick T] kind key=value key=value". No trailing newline.
std::string format_trace_event(const TraceEvent& event);

// Collects formatted trace lines while enabled. Lines beyond the limit are counted, not kept.
class TraceSink {
 public:
  static constexpr std::size_t kMaxLinesDefault = 1'000'000;

  explicit TraceSink(std::size_t max_lines = kMaxLinesDefault);

  bool enabled() const { return m_enabled; }
  void set_enabled(bool enabled) { m_enabled = enabled; }

  // Formats and keeps the event if the sink is enabled; does nothing otherwise.
  void emit(const TraceEvent& event);

  // The lines kept since the last call, oldest first; clears the buffer and the dropped count.
  std::vector<std::string> take_lines();
  // Lines not kept since the last take_lines because the buffer was full.
  std::size_t dropped_lines() const { return m_dropped_lines; }

 private:
  bool m_enabled = false;
  std::size_t m_max_lines;
  std::size_t m_dropped_lines = 0;
  std::vector<std::string> m_lines;
};

}  // namespace procsim::sim
