// SimClock arithmetic and the calendar conversion of the scenario's clock= setting. Expected
// seconds were checked against an independent implementation (Python's calendar.timegm).
#include "sim/time.h"

#include <doctest/doctest.h>

using procsim::sim::format_clock;
using procsim::sim::kClockSecondsMax;
using procsim::sim::parse_clock;
using procsim::sim::SimClock;
using procsim::sim::Tick;
using procsim::sim::Timeval;

TEST_CASE("parse_clock converts known UTC dates to seconds since 1970") {
  CHECK(parse_clock("1970-01-01 00:00:00") == 0);
  CHECK(parse_clock("1970-01-02 00:00:01") == 86401);
  // 748620360 is 14:06:00 UTC (15:06 at UTC+1); the UTC value is an hour later.
  CHECK(parse_clock("1993-09-21 15:06:00") == 748623960);
  CHECK(parse_clock("1993-09-21 14:06:00") == 748620360);
  CHECK(parse_clock("2009-05-23 12:00:00") == 1243080000);
  CHECK(parse_clock("2001-09-09 01:46:40") == 1000000000);
  CHECK(parse_clock("2038-01-19 03:14:07") == 2147483647);
  CHECK(parse_clock("9999-12-31 23:59:59") == kClockSecondsMax);
}

TEST_CASE("parse_clock accepts February 29 only in leap years") {
  CHECK(parse_clock("2000-02-29 00:00:00") == 951782400);  // divisible by 400: leap
  CHECK(parse_clock("2024-02-29 12:00:00") == 1709208000);
  CHECK_FALSE(parse_clock("2100-02-29 00:00:00"));  // divisible by 100, not 400: common
  CHECK_FALSE(parse_clock("2023-02-29 00:00:00"));
  CHECK_FALSE(parse_clock("2000-02-30 00:00:00"));
  // The day after February 28 of a leap year is the 29th; of a common year, March 1.
  CHECK(*parse_clock("2000-03-01 00:00:00") - *parse_clock("2000-02-28 00:00:00") == 2 * 86400);
  CHECK(*parse_clock("2001-03-01 00:00:00") - *parse_clock("2001-02-28 00:00:00") == 86400);
}

TEST_CASE("parse_clock rejects malformed text and out-of-range fields") {
  const char* bad[] = {
      "",
      "1993-09-21",
      "1993-09-21T15:06:00",
      "1993-9-21 15:06:00",
      " 1993-09-21 15:06:00",
      "1993-09-21 15:06:00 ",
      "1993-09-21 15:06:0a",
      "+993-09-21 15:06:00",
      "1993/09/21 15:06:00",
      "1969-12-31 23:59:59",  // before the epoch
      "1993-00-10 00:00:00",
      "1993-13-01 00:00:00",
      "1993-04-31 00:00:00",  // April has 30 days
      "1993-01-00 00:00:00",
      "1993-09-21 24:00:00",
      "1993-09-21 23:60:00",
      "1993-09-21 23:59:60",  // leap seconds are not modelled
  };
  for (const char* text : bad) {
    CAPTURE(text);
    CHECK_FALSE(parse_clock(text));
  }
}

TEST_CASE("format_clock prints the reverse of parse_clock") {
  CHECK(format_clock(0) == "1970-01-01 00:00:00");
  CHECK(format_clock(748623960) == "1993-09-21 15:06:00");
  CHECK(format_clock(1243080000) == "2009-05-23 12:00:00");
  CHECK(format_clock(951782400) == "2000-02-29 00:00:00");
  CHECK(format_clock(951782400 + 86400) == "2000-03-01 00:00:00");
  CHECK(format_clock(kClockSecondsMax) == "9999-12-31 23:59:59");
}

TEST_CASE("format_clock and parse_clock round-trip across the whole range") {
  // A stride that is not a multiple of a day visits every time of day and every month.
  for (std::int64_t seconds = 0; seconds <= kClockSecondsMax; seconds += 7919 * 3613) {
    std::string text = format_clock(seconds);
    CAPTURE(text);
    REQUIRE(parse_clock(text) == seconds);
  }
  for (std::int64_t day = 0; day < 3 * 366; ++day) {  // every day of 1970..1972
    REQUIRE(parse_clock(format_clock(day * 86400 + 86399)) == day * 86400 + 86399);
  }
}

TEST_CASE("SimClock converts ticks to uptime with integer microseconds") {
  SimClock clock(1000, 0);
  CHECK(clock.hz() == 1000);
  CHECK(clock.now() == Tick(0));
  CHECK(clock.uptime() == Timeval{0, 0});
  clock.advance_to(Tick(1500));
  CHECK(clock.uptime() == Timeval{1, 500000});
  clock.advance_to(Tick(1500));  // staying put is allowed
  CHECK(clock.now() == Tick(1500));

  SimClock slow(100, 0);
  CHECK(slow.uptime_at(Tick(7)) == Timeval{0, 70000});
  SimClock odd(3, 0);  // a tick of a third of a second truncates
  CHECK(odd.uptime_at(Tick(1)) == Timeval{0, 333333});
  CHECK(odd.uptime_at(Tick(5)) == Timeval{1, 666666});
  SimClock fast(SimClock::kHzMax, 0);
  CHECK(fast.uptime_at(Tick(100001)) == Timeval{1, 10});
}

TEST_CASE("SimClock time of day is the epoch plus the uptime") {
  SimClock clock(SimClock::kHzDefault, 1243080000);
  CHECK(clock.epoch_seconds() == 1243080000);
  CHECK(clock.time_of_day() == Timeval{1243080000, 0});
  clock.advance_to(Tick(61250));
  CHECK(clock.time_of_day() == Timeval{1243080061, 250000});
  CHECK(format_clock(clock.time_of_day().sec) == "2009-05-23 12:01:01");
  clock.set_epoch_seconds(748623960);
  CHECK(clock.time_of_day_at(Tick(0)) == Timeval{748623960, 0});
  CHECK(clock.time_of_day() == Timeval{748624021, 250000});
}
