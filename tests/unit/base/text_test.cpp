#include "sim/base/text.h"

#include <doctest/doctest.h>

using namespace procsim::base;

TEST_CASE("c_escape writes control bytes the way truss and scenario files show them") {
  CHECK(c_escape("hello\n") == "hello\\n");
  CHECK(c_escape(std::string_view("a\0b", 3)) == "a\\0b");
  CHECK(c_escape(std::string_view("\0" "1", 2)) == "\\x001");
  CHECK(c_escape("\x7f\x80\t\"\\") == "\\x7f\\x80\\t\\\"\\\\");
}

TEST_CASE("c_unescape reverses c_escape and accepts every C escape") {
  for (std::string_view sample : {std::string_view("x\0y\n\xff\"", 6), std::string_view("plain")}) {
    auto back = c_unescape(c_escape(sample));
    REQUIRE(back.has_value());
    CHECK(*back == sample);
  }
  CHECK(c_unescape("\\101\\x41\\a\\?").value() == "AA\a?");
}

TEST_CASE("c_unescape reports where a bad escape starts") {
  UnescapeError error;
  CHECK_FALSE(c_unescape("ab\\q", &error).has_value());
  CHECK(error.offset == 2);
  CHECK(error.message == "unknown escape sequence '\\q'");
  CHECK_FALSE(c_unescape("ab\\", &error).has_value());
  CHECK(error.message == "backslash at end of string");
  CHECK_FALSE(c_unescape("\\xg", &error).has_value());
  CHECK_FALSE(c_unescape("\\777", &error).has_value());
}

TEST_CASE("numbers parse in C's three bases and refuse overflow and junk") {
  CHECK(parse_c_unsigned("0x1F").value() == 31);
  CHECK(parse_c_unsigned("017").value() == 15);
  CHECK(parse_c_unsigned("0").value() == 0);
  CHECK(parse_c_unsigned("18446744073709551615").value() == UINT64_MAX);
  CHECK_FALSE(parse_c_unsigned("18446744073709551616").has_value());
  CHECK_FALSE(parse_c_unsigned("09").has_value());
  CHECK_FALSE(parse_c_unsigned("12a").has_value());
  CHECK_FALSE(parse_c_unsigned("").has_value());
  CHECK_FALSE(parse_c_unsigned("0x").has_value());
  CHECK(parse_c_signed("-1").value() == -1);
  CHECK(parse_c_signed("-9223372036854775808").value() == INT64_MIN);
  CHECK_FALSE(parse_c_signed("9223372036854775808").has_value());
}

TEST_CASE("split_lines keeps empty lines but not a final empty one") {
  CHECK(split_lines("a\n\nb\n") == std::vector<std::string>{"a", "", "b"});
  CHECK(split_lines("a") == std::vector<std::string>{"a"});
  CHECK(split_lines("").empty());
}
