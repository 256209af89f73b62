// UTC calendar conversion; see calendar.h. The day-to-date step uses the proleptic
// Gregorian calendar in 400-year eras (146097 days each), counted from 0000-03-01 so that
// the leap day falls at the end of each year.
#include "model/userland/calendar.h"

#include <array>

#include "sim/base/assert.h"

namespace procsim::userland {

namespace {

constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::int64_t kDaysPerEra = 146097;
// Days from 0000-03-01 to 1970-01-01.
constexpr std::int64_t kEpochDayFromEraStart = 719468;

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kWeekdays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
  std::int64_t quotient = value / divisor;
  if ((value % divisor != 0) && ((value < 0) != (divisor < 0))) --quotient;
  return quotient;
}

void set_date_from_days(CivilTime& time, std::int64_t days_since_epoch) {
  std::int64_t shifted = days_since_epoch + kEpochDayFromEraStart;
  std::int64_t era = floor_div(shifted, kDaysPerEra);
  std::int64_t day_of_era = shifted - era * kDaysPerEra;  // [0, 146096]
  std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;  // [0, 399]
  std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  std::int64_t month_from_march = (5 * day_of_year + 2) / 153;  // 0 = March
  time.day = static_cast<int>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  time.month = static_cast<int>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  time.year = year_of_era + era * 400 + (time.month <= 2 ? 1 : 0);
  PROCSIM_ASSERT(time.day >= 1 && time.day <= 31);
  PROCSIM_ASSERT(time.month >= 1 && time.month <= 12);
}

// Hours (0-24), then optional :minutes and :seconds (0-59), as tzparse's getsecs reads them.
std::optional<std::int64_t> parse_tz_seconds(std::string_view& text) {
  static constexpr std::array<std::int64_t, 3> kLimits = {24, 59, 59};
  static constexpr std::array<std::int64_t, 3> kUnits = {3600, 60, 1};
  std::int64_t total = 0;
  for (std::size_t field = 0; field < kLimits.size(); ++field) {
    if (field > 0) {
      if (text.empty() || text.front() != ':') break;
      text.remove_prefix(1);
    }
    std::int64_t value = 0;
    std::size_t digits = 0;
    for (; !text.empty() && text.front() >= '0' && text.front() <= '9' && digits < 2; ++digits) {
      value = value * 10 + (text.front() - '0');
      text.remove_prefix(1);
    }
    if (digits == 0 || value > kLimits[field]) return std::nullopt;
    total += value * kUnits[field];
  }
  return total;
}

// The zone name: three or more letters, or anything but '>' between '<' and '>'.
bool skip_tz_name(std::string_view& text) {
  std::size_t length = 0;
  if (!text.empty() && text.front() == '<') {
    std::size_t close = text.find('>');
    if (close == std::string_view::npos || close < 4) return false;
    text.remove_prefix(close + 1);
    return true;
  }
  while (length < text.size() &&
         ((text[length] >= 'A' && text[length] <= 'Z') || (text[length] >= 'a' && text[length] <= 'z')))
    ++length;
  if (length < 3) return false;
  text.remove_prefix(length);
  return true;
}

}  // namespace

std::int64_t tz_offset_seconds(std::optional<std::string_view> tz) {
  if (!tz.has_value()) return 0;
  std::string_view text = *tz;
  if (!skip_tz_name(text)) return 0;
  std::int64_t sign = 1;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    sign = text.front() == '-' ? -1 : 1;
    text.remove_prefix(1);
  }
  std::optional<std::int64_t> west = parse_tz_seconds(text);
  // A daylight-saving part needs rules procsim does not have: such a TZ stays UTC.
  if (!west.has_value() || !text.empty()) return 0;
  PROCSIM_ASSERT(*west <= 24 * 3600 + 59 * 60 + 59);
  return -sign * *west;
}

CivilTime civil_from_unix_seconds(std::int64_t seconds) {
  CivilTime time;
  std::int64_t days = floor_div(seconds, kSecondsPerDay);
  std::int64_t second_of_day = seconds - days * kSecondsPerDay;
  PROCSIM_ASSERT(second_of_day >= 0 && second_of_day < kSecondsPerDay);
  set_date_from_days(time, days);
  time.hour = static_cast<int>(second_of_day / 3600);
  time.minute = static_cast<int>(second_of_day / 60 % 60);
  time.second = static_cast<int>(second_of_day % 60);
  // 1970-01-01 (day 0) was a Thursday (4).
  time.weekday = static_cast<int>(floor_div(days + 4, 7) * -7 + days + 4);
  PROCSIM_ASSERT(time.weekday >= 0 && time.weekday < 7);
  return time;
}

std::string_view month_abbreviation(int month) {
  PROCSIM_ASSERT(month >= 1 && month <= 12);
  return kMonths[static_cast<std::size_t>(month - 1)];
}

std::string_view weekday_abbreviation(int weekday) {
  PROCSIM_ASSERT(weekday >= 0 && weekday < 7);
  return kWeekdays[static_cast<std::size_t>(weekday)];
}

}  // namespace procsim::userland
