// UTC calendar conversion used for ls and ps dates.
#include "model/userland/calendar.h"

#include <doctest/doctest.h>

using namespace procsim::userland;

TEST_CASE("epoch seconds convert to UTC dates across leap years, centuries and negatives") {
  CHECK(civil_from_unix_seconds(0) == CivilTime{1970, 1, 1, 0, 0, 0, 4});
  CHECK(civil_from_unix_seconds(-1) == CivilTime{1969, 12, 31, 23, 59, 59, 3});
  CHECK(civil_from_unix_seconds(951782400) == CivilTime{2000, 2, 29, 0, 0, 0, 2});
  CHECK(civil_from_unix_seconds(4102444800) == CivilTime{2100, 1, 1, 0, 0, 0, 5});
  CHECK(civil_from_unix_seconds(748623960) == CivilTime{1993, 9, 21, 15, 6, 0, 2});
  CHECK(civil_from_unix_seconds(1243080000) == CivilTime{2009, 5, 23, 12, 0, 0, 6});
  CHECK(civil_from_unix_seconds(-62135596800) == CivilTime{1, 1, 1, 0, 0, 0, 1});
  CHECK(civil_from_unix_seconds(253402300799) == CivilTime{9999, 12, 31, 23, 59, 59, 5});
}

TEST_CASE("month and weekday names are the C locale's abbreviations") {
  CHECK(month_abbreviation(1) == "Jan");
  CHECK(month_abbreviation(9) == "Sep");
  CHECK(month_abbreviation(12) == "Dec");
  CHECK(weekday_abbreviation(0) == "Sun");
  CHECK(weekday_abbreviation(6) == "Sat");
}

TEST_CASE("a POSIX TZ without daylight saving shifts local time; any other TZ is UTC") {
  using procsim::userland::tz_offset_seconds;
  CHECK(tz_offset_seconds(std::nullopt) == 0);
  CHECK(tz_offset_seconds("BST-1") == 3600);
  CHECK(tz_offset_seconds("EST5") == -5 * 3600);
  CHECK(tz_offset_seconds("UTC+0") == 0);
  CHECK(tz_offset_seconds("<+0530>-5:30") == 5 * 3600 + 30 * 60);
  CHECK(tz_offset_seconds("XYZ+1:02:03") == -(3600 + 2 * 60 + 3));
  // Rules, a too-short name, a missing or out-of-range offset and trailing text fall back to UTC.
  CHECK(tz_offset_seconds("GMT0BST") == 0);
  CHECK(tz_offset_seconds("EST5EDT,M3.2.0,M11.1.0") == 0);
  CHECK(tz_offset_seconds("BS-1") == 0);
  CHECK(tz_offset_seconds("BST") == 0);
  CHECK(tz_offset_seconds("BST-25") == 0);
  CHECK(tz_offset_seconds("BST-1:60") == 0);
  CHECK(tz_offset_seconds("<+05>") == 0);
  CHECK(tz_offset_seconds("") == 0);
}
