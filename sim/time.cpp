// Simulated clock and hand-written proleptic Gregorian calendar conversion (UTC only). Day counts
// are computed year by year from 1970, which is simple to check and fast enough for 8030 years.
#include "sim/time.h"

#include <array>
#include <limits>

#include <fmt/format.h>

#include "sim/base/assert.h"

namespace procsim::sim {

namespace {

constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::int64_t kMicrosecondsPerSecond = 1000000;

// Days in each month of a common year, January first.
constexpr std::array<std::int64_t, 12> kDaysInMonth = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

constexpr bool is_leap_year(std::int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

constexpr std::int64_t days_in_month(std::int64_t year, std::int64_t month) {
  if (month == 2 && is_leap_year(year)) return 29;
  return kDaysInMonth[static_cast<std::size_t>(month - 1)];
}

// Leap years in [1, year), counted in the proleptic Gregorian calendar.
constexpr std::int64_t leap_years_before(std::int64_t year) {
  std::int64_t previous = year - 1;
  return previous / 4 - previous / 100 + previous / 400;
}

// Days from 1970-01-01 to January 1 of `year`.
constexpr std::int64_t days_before_year(std::int64_t year) {
  return 365 * (year - 1970) + leap_years_before(year) - leap_years_before(1970);
}

// Days from 1970-01-01 to the given date (the date itself not counted).
constexpr std::int64_t days_from_civil(std::int64_t year, std::int64_t month, std::int64_t day) {
  std::int64_t days = days_before_year(year);
  for (std::int64_t m = 1; m < month; ++m) days += days_in_month(year, m);
  return days + day - 1;
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(1972, 3, 1) == 365 + 365 + 31 + 29);
static_assert(days_from_civil(2000, 1, 1) == 10957);
static_assert(days_from_civil(9999, 12, 31) * kSecondsPerDay + 86399 == kClockSecondsMax);

struct CivilDate {
  std::int64_t year;
  std::int64_t month;
  std::int64_t day;
};

CivilDate civil_from_days(std::int64_t days) {
  PROCSIM_ASSERT(days >= 0);
  // No year has more than 366 days, so this estimate never overshoots; the loop then moves
  // forward by at most a few dozen years.
  std::int64_t year = 1970 + days / 366;
  while (days_before_year(year + 1) <= days) ++year;
  std::int64_t day_of_year = days - days_before_year(year);
  PROCSIM_ASSERT(day_of_year >= 0);
  PROCSIM_ASSERT(day_of_year < (is_leap_year(year) ? 366 : 365));
  std::int64_t month = 1;
  while (day_of_year >= days_in_month(year, month)) {
    day_of_year -= days_in_month(year, month);
    ++month;
  }
  PROCSIM_ASSERT(month <= 12);
  return CivilDate{year, month, day_of_year + 1};
}

// Reads `width` decimal digits at `offset`; empty if any is not a digit.
std::optional<std::int64_t> read_digits(std::string_view text, std::size_t offset, std::size_t width) {
  std::int64_t value = 0;
  for (std::size_t i = offset; i < offset + width; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

SimClock::SimClock(std::uint32_t hz, std::int64_t epoch_seconds) : m_hz(hz), m_epoch_seconds(0) {
  PROCSIM_ASSERT(hz >= kHzMin);
  PROCSIM_ASSERT(hz <= kHzMax);
  set_epoch_seconds(epoch_seconds);
}

void SimClock::set_epoch_seconds(std::int64_t epoch_seconds) {
  PROCSIM_ASSERT(epoch_seconds >= 0);
  PROCSIM_ASSERT(epoch_seconds <= kClockSecondsMax);
  m_epoch_seconds = epoch_seconds;
}

void SimClock::advance_to(Tick tick) {
  PROCSIM_ASSERT_MSG(tick >= m_now, "simulated time must not run backwards");
  m_now = tick;
}

Timeval SimClock::uptime_at(Tick at) const {
  std::uint64_t ticks = at.value();
  std::uint64_t seconds = ticks / m_hz;
  // The remainder is below hz <= 100000, so the product stays far below 2^64.
  std::uint64_t microseconds = (ticks % m_hz) * 1000000 / m_hz;
  PROCSIM_ASSERT(seconds <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
  PROCSIM_ASSERT(microseconds < 1000000);
  return Timeval{static_cast<std::int64_t>(seconds), static_cast<std::int64_t>(microseconds)};
}

Timeval SimClock::time_of_day_at(Tick at) const {
  Timeval up = uptime_at(at);
  PROCSIM_ASSERT_MSG(up.sec <= std::numeric_limits<std::int64_t>::max() - m_epoch_seconds,
                     "wall-clock seconds overflow");
  Timeval result{m_epoch_seconds + up.sec, up.usec};
  PROCSIM_ASSERT(result.usec < kMicrosecondsPerSecond);
  return result;
}

std::optional<std::int64_t> parse_clock(std::string_view text) {
  // "YYYY-MM-DD HH:MM:SS": fixed positions of the separators.
  constexpr std::string_view kShape = "dddd-dd-dd dd:dd:dd";
  if (text.size() != kShape.size()) return std::nullopt;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    if (kShape[i] != 'd' && text[i] != kShape[i]) return std::nullopt;
  }
  auto year = read_digits(text, 0, 4);
  auto month = read_digits(text, 5, 2);
  auto day = read_digits(text, 8, 2);
  auto hour = read_digits(text, 11, 2);
  auto minute = read_digits(text, 14, 2);
  auto second = read_digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  if (*year < kClockYearMin || *year > kClockYearMax) return std::nullopt;
  if (*month < 1 || *month > 12) return std::nullopt;
  if (*day < 1 || *day > days_in_month(*year, *month)) return std::nullopt;
  if (*hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
  std::int64_t seconds =
      days_from_civil(*year, *month, *day) * kSecondsPerDay + *hour * 3600 + *minute * 60 + *second;
  PROCSIM_ASSERT(seconds >= 0);
  PROCSIM_ASSERT(seconds <= kClockSecondsMax);
  return seconds;
}

std::string format_clock(std::int64_t seconds) {
  PROCSIM_ASSERT(seconds >= 0);
  PROCSIM_ASSERT(seconds <= kClockSecondsMax);
  CivilDate date = civil_from_days(seconds / kSecondsPerDay);
  std::int64_t in_day = seconds % kSecondsPerDay;
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", date.year, date.month, date.day, in_day / 3600,
                     in_day / 60 % 60, in_day % 60);
}

}  // namespace procsim::sim
