// Broken-down calendar time for the dates programs print (ls -l, ps STARTED/lstart). The
// simulated machine has no /etc/localtime: localtime(3) is UTC unless TZ holds a POSIX zone
// without daylight saving ("BST-1", "EST5", "<+0530>-5:30"); rules and zone files are left out.
// Names are the C locale's. Leaves out leap seconds (POSIX time has none).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace procsim::userland {

struct CivilTime {
  std::int64_t year = 1970;
  int month = 1;    // 1..12
  int day = 1;      // 1..31
  int hour = 0;     // 0..23
  int minute = 0;   // 0..59
  int second = 0;   // 0..59
  int weekday = 4;  // 0 = Sunday; 1970-01-01 was a Thursday

  bool operator==(const CivilTime&) const = default;
};

// Seconds since the Epoch (may be negative) to UTC calendar time.
CivilTime civil_from_unix_seconds(std::int64_t seconds);

// The seconds east of UTC that localtime(3) adds for the TZ value `tz`: tzparse's "std offset"
// form (a name of three or more letters, or <...> quoted, then [+-]hh[:mm[:ss]], a positive
// offset lying west of Greenwich). Anything else, or no TZ, is UTC: 0.
std::int64_t tz_offset_seconds(std::optional<std::string_view> tz);

// "Jan".."Dec" for 1..12, and "Sun".."Sat" for 0..6 (strftime %b and %a in the C locale).
std::string_view month_abbreviation(int month);
std::string_view weekday_abbreviation(int weekday);

}  // namespace procsim::userland
