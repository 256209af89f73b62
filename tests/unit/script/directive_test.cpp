// The directive word lexer: keys, values, quoting, columns, `--`, and the typed getters that the
// driver uses to turn arguments into values or diagnostics.
#include "sim/script/directive.h"

#include <array>
#include <string_view>

#include <doctest/doctest.h>

namespace script = procsim::script;

namespace {

script::Directive parse_ok(std::string_view text) {
  auto result = script::Directive::parse("d.scn", 4, text);
  REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error().format()));
  return result.value();
}

std::string error_of(std::string_view text) {
  auto result = script::Directive::parse("d.scn", 4, text);
  REQUIRE(result.is_error());
  return result.error().format();
}

}  // namespace

TEST_CASE("directive words split at spaces and tabs and remember their columns") {
  auto directive = parse_ok("machine  arch=amd64\tseed=0x10 clock=\"2009-05-23 12:00:00\"  ");
  CHECK(directive.name() == "machine");
  CHECK(directive.line() == 4);
  REQUIRE(directive.words().size() == 3);
  const auto& arch = directive.words()[0];
  CHECK(arch.key == "arch");
  CHECK(arch.value == "amd64");
  CHECK(arch.column == 10);
  CHECK(arch.value_column == 15);
  CHECK_FALSE(arch.quoted);
  const auto& clock = directive.words()[2];
  CHECK(clock.key == "clock");
  CHECK(clock.value == "2009-05-23 12:00:00");
  CHECK(clock.quoted);
  CHECK(clock.column == 31);
  CHECK(clock.value_column == 37);
  CHECK(clock.raw == "clock=\"2009-05-23 12:00:00\"");
}

TEST_CASE("quoted words unescape C escapes and may be empty") {
  auto directive = parse_ok("spawn -- /bin/echo \"a\\tb\\n\" \"\"");
  auto command = directive.after_separator();
  REQUIRE(command.size() == 3);
  CHECK(command[1]->value == "a\tb\n");
  CHECK(command[1]->quoted);
  CHECK(command[1]->raw == "\"a\\tb\\n\"");
  CHECK(command[2]->value.empty());
  CHECK(command[2]->quoted);
  auto keyed = parse_ok("machine clock=\"\"");
  CHECK(keyed.get_string("clock").value() == std::optional<std::string>(""));
}

TEST_CASE("words after -- are positional even when they contain '='") {
  auto directive = parse_ok("spawn pid=401 user=jsp -- /usr/bin/env A=1 --");
  CHECK(directive.has_separator());
  CHECK(directive.find("pid") != nullptr);
  CHECK(directive.find("A") == nullptr);
  auto command = directive.after_separator();
  REQUIRE(command.size() == 3);
  CHECK(command[0]->value == "/usr/bin/env");
  CHECK(command[1]->value == "A=1");
  CHECK_FALSE(command[1]->is_keyed());
  CHECK(command[2]->value == "--");
  CHECK_FALSE(command[2]->is_separator());
  CHECK(directive.positionals().empty());
}

TEST_CASE("positional words before -- are listed in order") {
  auto directive = parse_ok("trace on ticks=3 extra");
  auto words = directive.positionals();
  REQUIRE(words.size() == 2);
  CHECK(words[0]->value == "on");
  CHECK(words[1]->value == "extra");
  CHECK(directive.check_positionals(1).error().format() ==
        "d.scn:4:18: error: unexpected argument 'extra' to 'trace'");
  CHECK(directive.check_positionals(2).ok());
  CHECK_FALSE(directive.has_separator());
}

TEST_CASE("-- is an unexpected argument unless the directive takes a command") {
  auto directive = parse_ok("run ticks=5 -- x");
  CHECK(directive.check_positionals(0).error().format() ==
        "d.scn:4:13: error: unexpected argument '--' to 'run'");
  CHECK(directive.check_positionals(0, true).ok());
}

TEST_CASE("typed getters parse C numbers and report bad ones at the value") {
  auto directive = parse_ok("run ticks=0x20 hz=017 delta=-5 bad=x2 name=\"jsp\" groups=5,20,0");
  CHECK(directive.get_u64("ticks").value() == std::optional<std::uint64_t>(32));
  CHECK(directive.get_u64("hz").value() == std::optional<std::uint64_t>(15));
  CHECK(directive.get_i64("delta").value() == std::optional<std::int64_t>(-5));
  CHECK(directive.get_u64("absent").value() == std::nullopt);
  CHECK(directive.get_u64("bad").error().format() == "d.scn:4:36: error: bad number 'x2' for 'bad'");
  CHECK(directive.get_u64("delta").error().format() == "d.scn:4:29: error: bad number '-5' for 'delta'");
  CHECK(directive.get_string("name").value() == std::optional<std::string>("jsp"));
  CHECK(directive.get_u64_list("groups").value() == std::optional<std::vector<std::uint64_t>>({5, 20, 0}));
  CHECK(directive.require_u64("ticks").value() == 32);
  CHECK(directive.require_u64("seed").error().format() ==
        "d.scn:4:1: error: missing argument 'seed' to 'run'");
  CHECK(directive.require_string("name").value() == "jsp");
}

TEST_CASE("a bad element of a number list is reported at its own column") {
  auto directive = parse_ok("user jsp uid=1001 groups=5,x,0");
  CHECK(directive.get_u64_list("groups").error().format() ==
        "d.scn:4:28: error: bad number 'x' for 'groups'");
  auto empty_element = parse_ok("user jsp groups=5,,0");
  CHECK(empty_element.get_u64_list("groups").error().format() ==
        "d.scn:4:19: error: bad number '' for 'groups'");
}

TEST_CASE("get_choice returns the index of the value or lists the choices") {
  constexpr std::array<std::string_view, 4> arches = {"i386", "amd64", "arm64", "riscv64"};
  CHECK(parse_ok("machine arch=arm64").get_choice("arch", arches).value() == std::optional<std::size_t>(2));
  CHECK(parse_ok("machine arch=sparc").get_choice("arch", arches).error().format() ==
        "d.scn:4:14: error: unknown value 'sparc' for 'arch' (expected one of: i386, amd64, arm64, riscv64)");
}

TEST_CASE("check_keys names the first key the directive does not take") {
  auto directive = parse_ok("machine arch=amd64 foo=1 bar=2");
  CHECK(directive.check_keys({"arch", "profile", "seed"}).error().format() ==
        "d.scn:4:20: error: unknown argument 'foo' to 'machine'");
  CHECK(directive.check_keys({"arch", "foo", "bar"}).ok());
}

TEST_CASE("positional numbers and the driver's own diagnostics") {
  auto directive = parse_ok("nextpid 0400");
  CHECK(directive.positional_u64(0).value() == 256);
  CHECK(directive.positional_u64(1).error().format() == "d.scn:4:1: error: missing argument to 'nextpid'");
  CHECK(parse_ok("nextpid x").positional_u64(0).error().format() ==
        "d.scn:4:9: error: bad number 'x' for 'nextpid'");
  CHECK(directive.unknown_directive().format() == "d.scn:4:1: error: unknown directive 'nextpid'");
  CHECK(directive.error_at(5, "custom").format() == "d.scn:4:5: error: custom");
}

TEST_CASE("directive lexing errors") {
  CHECK(error_of("run ticks=5 ticks=6") == "d.scn:4:13: error: duplicate argument 'ticks'");
  CHECK(error_of("run ticks=") == "d.scn:4:11: error: missing value for 'ticks'");
  CHECK(error_of("run: ticks=5") == "d.scn:4:1: error: bad directive name 'run:'");
  CHECK(error_of("") == "d.scn:4:1: error: bad directive name ''");
  CHECK(error_of(" run") == "d.scn:4:1: error: bad directive name ''");
  CHECK(error_of("Run") == "d.scn:4:1: error: bad directive name 'Run'");
  CHECK(error_of("spawn -- /bin/echo a\"b\"") == "d.scn:4:21: error: unexpected '\"' inside a word");
  CHECK(error_of("spawn -- /bin/echo x=\"\"") == "d.scn:4:22: error: unexpected '\"' inside a word");
  CHECK(error_of("machine clock=\"x\"y") == "d.scn:4:18: error: expected a blank after the closing quote");
  CHECK(error_of("machine clock=\"x") == "d.scn:4:15: error: unterminated string");
  CHECK(error_of("machine clock=\"x\\\"") == "d.scn:4:15: error: unterminated string");
  CHECK(error_of("machine clock=\"a\\qb\"") == "d.scn:4:17: error: unknown escape sequence '\\q'");
}

TEST_CASE("a directive may have at most kDirectiveWordsMax words") {
  std::string line = "trace";
  for (std::size_t i = 0; i < script::kDirectiveWordsMax; ++i) line += " w";
  CHECK(script::Directive::parse("d.scn", 1, line).ok());
  line += " w";
  CHECK(script::Directive::parse("d.scn", 1, line).error().format() ==
        "d.scn:1:" + std::to_string(line.size()) + ": error: too many words (at most 256)");
}
