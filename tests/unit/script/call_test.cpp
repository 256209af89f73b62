// The system-call expression parser: every argument form, the columns it records, and the
// exact error for each way a call can be malformed.
#include "sim/script/call.h"

#include <string_view>

#include <doctest/doctest.h>

namespace script = procsim::script;
using script::ArgumentKind;

namespace {

script::Call parse_ok(std::string_view line) {
  auto result = script::parse_call(line, 0);
  REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error().message));
  return result.value();
}

script::SyntaxError error_of(std::string_view line) {
  auto result = script::parse_call(line, 0);
  REQUIRE(result.is_error());
  return result.error();
}

}  // namespace

TEST_CASE("a call with a string and a flag keeps names, values and columns") {
  auto call = parse_ok("open(\"/proc/401/ctl\", O_WRONLY)");
  CHECK(call.name == "open");
  CHECK(call.name_column == 1);
  CHECK_FALSE(call.background);
  REQUIRE(call.arguments.size() == 2);
  CHECK(call.arguments[0].kind == ArgumentKind::String);
  CHECK(call.arguments[0].text == "/proc/401/ctl");
  CHECK(call.arguments[0].column == 6);
  CHECK(call.arguments[1].kind == ArgumentKind::Identifier);
  CHECK(call.arguments[1].text == "O_WRONLY");
  CHECK(call.arguments[1].column == 23);
}

TEST_CASE("columns are columns of the whole line when parsing starts mid-line") {
  std::string_view line = "@402 getpid()";
  auto result = script::parse_call(line, 5);
  REQUIRE(result.ok());
  CHECK(result.value().name_column == 6);
  CHECK(result.value().arguments.empty());
}

TEST_CASE("integers in three bases, negative numbers in two's complement") {
  auto call = parse_ok("f(0, 42, 0x1F, 017, -1, -9223372036854775808, 18446744073709551615)");
  REQUIRE(call.arguments.size() == 7);
  for (const auto& argument : call.arguments) CHECK(argument.kind == ArgumentKind::Integer);
  CHECK(call.arguments[0].bits == 0);
  CHECK(call.arguments[1].bits == 42);
  CHECK(call.arguments[2].bits == 31);
  CHECK(call.arguments[3].bits == 15);
  CHECK(call.arguments[4].signed_value() == -1);
  CHECK(call.arguments[4].negative);
  CHECK(call.arguments[4].raw == "-1");
  CHECK(call.arguments[5].signed_value() == INT64_MIN);
  CHECK(call.arguments[6].bits == UINT64_MAX);
  CHECK_FALSE(call.arguments[6].negative);
}

TEST_CASE("flags joined by '|' keep each atom, blanks allowed around the bar") {
  auto call = parse_ok("open(\"/tmp/x\", O_RDWR | O_CREAT|0x200, 0644)");
  REQUIRE(call.arguments.size() == 3);
  const auto& flags = call.arguments[1];
  CHECK(flags.kind == ArgumentKind::Flags);
  CHECK(flags.raw == "O_RDWR | O_CREAT|0x200");
  CHECK(flags.column == 16);
  REQUIRE(flags.parts.size() == 3);
  CHECK(flags.parts[0].text == "O_RDWR");
  CHECK(flags.parts[1].text == "O_CREAT");
  CHECK(flags.parts[1].column == 25);
  CHECK(flags.parts[2].kind == ArgumentKind::Integer);
  CHECK(flags.parts[2].bits == 0x200);
  CHECK(call.arguments[2].bits == 0644);
}

TEST_CASE("references name out-parameters and lists hold in-structures") {
  auto call = parse_ok("wait4(401, &status, 0, NULL)");
  REQUIRE(call.arguments.size() == 4);
  CHECK(call.arguments[1].kind == ArgumentKind::Reference);
  CHECK(call.arguments[1].text == "status");
  CHECK(call.arguments[1].raw == "&status");
  CHECK(call.arguments[3].kind == ArgumentKind::Identifier);

  auto groups = parse_ok("setgroups(2, { 20, {0}, {} })");
  const auto& list = groups.arguments[1];
  CHECK(list.kind == ArgumentKind::List);
  CHECK(list.raw == "{ 20, {0}, {} }");
  REQUIRE(list.parts.size() == 3);
  CHECK(list.parts[0].bits == 20);
  CHECK(list.parts[1].kind == ArgumentKind::List);
  CHECK(list.parts[1].parts.size() == 1);
  CHECK(list.parts[2].parts.empty());
}

TEST_CASE("a trailing & starts the call in the background") {
  auto call = parse_ok("write(3, \"wait\", 4) &");
  CHECK(call.background);
  CHECK(call.arguments[1].text == "wait");
  CHECK(parse_ok("\tpause( )&\t").background);
}

TEST_CASE("string arguments unescape C escapes") {
  auto call = parse_ok("write(1, \"a\\tb\\x00\\n\\\"\", 6)");
  CHECK(call.arguments[1].text == std::string("a\tb\0\n\"", 6));
  CHECK(call.arguments[1].raw == "\"a\\tb\\x00\\n\\\"\"");
}

TEST_CASE("lists nest at most kCallNestingMax deep and hold at most kCallArgumentsMax") {
  CHECK(script::parse_call("f({{{{1}}}})", 0).ok());
  auto deep = error_of("f({{{{{1}}}}})");
  CHECK(deep.column == 7);
  CHECK(deep.message == "lists nest too deeply (at most 4)");
  CHECK(script::parse_call("f(1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16)", 0).ok());
  auto many = error_of("f(1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17)");
  CHECK(many.column == 42);
  CHECK(many.message == "too many arguments (at most 16)");
}

TEST_CASE("each malformed call has its own message at the offending column") {
  struct Row {
    std::string_view line;
    int column;
    std::string_view message;
  };
  constexpr Row rows[] = {
      {"", 1, "expected a system call name"},
      {"(1)", 1, "expected a system call name"},
      {"getpid", 7, "expected '(' after 'getpid'"},
      {"getpid x", 8, "expected '(' after 'getpid'"},
      {"open(", 6, "missing ')'"},
      {"open(\"/x\", O_RDONLY", 20, "missing ')'"},
      {"open(\"/x\" O_RDONLY)", 11, "expected ',' or ')'"},
      {"open(\"/x\",)", 11, "expected an argument"},
      {"open(\"/x, O_RDONLY)", 6, "unterminated string"},
      {"write(1, \"\\q\", 1)", 11, "unknown escape sequence '\\q'"},
      {"getpid() x", 10, "unexpected text after the system call"},
      {"getpid() & &", 12, "unexpected text after the system call"},
      {"read(3, 12z)", 9, "bad number '12z'"},
      {"read(3, 09)", 9, "bad number '09'"},
      {"read(3, 18446744073709551616)", 9, "bad number '18446744073709551616'"},
      {"kill(-9223372036854775809, 9)", 6, "number '-9223372036854775809' is out of range"},
      {"kill(-x, 9)", 7, "expected a number after '-'"},
      {"open(\"/x\", O_RDWR|)", 19, "expected a flag after '|'"},
      {"open(\"/x\", O_RDWR|\"y\")", 19, "expected a flag after '|'"},
      {"wait4(401, &, 0)", 13, "expected a name after '&'"},
      {"setgroups(2, {1, 2)", 19, "expected ',' or '}'"},
      {"setgroups(2, {1, 2", 19, "missing '}'"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.line);
    auto error = error_of(row.line);
    CHECK(error.column == row.column);
    CHECK(error.message == row.message);
  }
}
