// Parameter expansion and field splitting of parsed words.
#include "model/userland/sh_expand.h"

#include <doctest/doctest.h>

#include <map>
#include <string>

using namespace procsim::userland;

namespace {

std::vector<std::string> expand(std::string_view line,
                                const std::map<std::string, std::string, std::less<>>& vars) {
  ShParseStep step = parse_sh_command(line, 0, 1, ShInputEnd::EndOfInput);
  REQUIRE(step.kind == ShStepKind::Command);
  const ShSimpleCommand& command = step.command.items.at(0).first.commands.at(0);
  ShParameterLookup lookup = [&](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  return expand_sh_words(command.words, lookup);
}

using Fields = std::vector<std::string>;

}  // namespace

TEST_CASE("unquoted parameters split on blanks while quoted ones stay whole") {
  std::map<std::string, std::string, std::less<>> vars{
      {"x", "a  b"}, {"y", " b c "}, {"empty", ""}, {"?", "1"}};
  CHECK(expand("echo $x", vars) == Fields{"echo", "a", "b"});
  CHECK(expand("echo \"$x\"", vars) == Fields{"echo", "a  b"});
  CHECK(expand("echo a$y", vars) == Fields{"echo", "a", "b", "c"});
  CHECK(expand("echo $y.", vars) == Fields{"echo", "b", "c", "."});
  CHECK(expand("echo $? $$", vars) == Fields{"echo", "1"});
  CHECK(expand("echo $unset $empty", vars) == Fields{"echo"});
  CHECK(expand("echo \"\" ''$unset \"$empty\"", vars) == Fields{"echo", "", "", ""});
  CHECK(expand("echo 'a $x'", vars) == Fields{"echo", "a $x"});
}

TEST_CASE("redirection targets expand without splitting") {
  ShParseStep step = parse_sh_command("echo hi > /proc/$pid/ctl", 0, 1, ShInputEnd::EndOfInput);
  REQUIRE(step.kind == ShStepKind::Command);
  const ShRedirection& redirection = step.command.items.at(0).first.commands.at(0).redirections.at(0);
  ShParameterLookup lookup = [](std::string_view name) -> std::optional<std::string> {
    if (name == "pid") return std::string("4 01");
    return std::nullopt;
  };
  CHECK(expand_sh_word_unsplit(redirection.target, lookup) == "/proc/4 01/ctl");
}

TEST_CASE("a >& target is a single digit or '-', anything else is a bad fd number") {
  CHECK(resolve_sh_dup_target("1", 1).value() == ShDupTarget{false, 1});
  CHECK(resolve_sh_dup_target("-", 1).value() == ShDupTarget{true, -1});
  auto bad = resolve_sh_dup_target("12", 3);
  REQUIRE(bad.is_error());
  CHECK(format_sh_parse_error(bad.error(), std::nullopt) == "Syntax error: Bad fd number\n");
  CHECK(resolve_sh_dup_target("file", 1).is_error());
}
