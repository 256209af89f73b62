// Simulated time: a tick counter advanced only by the engine, a configurable hz and a wall-clock
// epoch, plus conversion between "YYYY-MM-DD HH:MM:SS" (UTC) and seconds since 1970. All maths is
// integer. Time zones, leap seconds, clock adjustment (settimeofday, adjtime) and stathz/profhz
// are not modelled.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/base/strong_id.h"

namespace procsim::sim {

struct TickTag {};
// Ticks since boot. Tick 0 is the instant the machine boots.
using Tick = base::StrongId<TickTag, std::uint64_t>;

// A time as struct timeval holds it: whole seconds and microseconds (0..999999).
struct Timeval {
  std::int64_t sec = 0;
  std::int64_t usec = 0;

  bool operator==(const Timeval&) const = default;
};

// Dates accepted by parse_clock and produced by format_clock.
inline constexpr std::int64_t kClockYearMin = 1970;
inline constexpr std::int64_t kClockYearMax = 9999;
// 9999-12-31 23:59:59 UTC, the last second format_clock can print.
inline constexpr std::int64_t kClockSecondsMax = 253402300799;

class SimClock {
 public:
  // spec/kernel.md §6: hz defaults to 1000 on x86; a tick lasts 1000000/hz microseconds.
  static constexpr std::uint32_t kHzMin = 1;
  static constexpr std::uint32_t kHzMax = 100000;
  static constexpr std::uint32_t kHzDefault = 1000;

  // hz must lie in [kHzMin, kHzMax]; epoch_seconds in [0, kClockSecondsMax].
  explicit SimClock(std::uint32_t hz = kHzDefault, std::int64_t epoch_seconds = 0);

  std::uint32_t hz() const { return m_hz; }
  // Wall-clock seconds since 1970-01-01 00:00:00 UTC at tick 0 (the scenario's clock=).
  std::int64_t epoch_seconds() const { return m_epoch_seconds; }
  void set_epoch_seconds(std::int64_t epoch_seconds);

  Tick now() const { return m_now; }
  // Moves the clock forward; time never runs backwards (asserted). Only the engine calls this.
  void advance_to(Tick tick);

  // Time since boot at tick `at`, and at now().
  Timeval uptime_at(Tick at) const;
  Timeval uptime() const { return uptime_at(m_now); }
  // Wall-clock time (epoch + uptime) at tick `at`, and at now().
  Timeval time_of_day_at(Tick at) const;
  Timeval time_of_day() const { return time_of_day_at(m_now); }

 private:
  std::uint32_t m_hz;
  std::int64_t m_epoch_seconds;
  Tick m_now{0};
};

// Parses exactly "YYYY-MM-DD HH:MM:SS" (UTC, proleptic Gregorian, years 1970..9999) into seconds
// since 1970-01-01 00:00:00. Empty on any syntax or range error (month 1-12, day within the
// month including February 29 in leap years, hour < 24, minute < 60, second < 60).
std::optional<std::int64_t> parse_clock(std::string_view text);

// The reverse of parse_clock: seconds in [0, kClockSecondsMax] to "YYYY-MM-DD HH:MM:SS".
std::string format_clock(std::int64_t seconds);

}  // namespace procsim::sim
