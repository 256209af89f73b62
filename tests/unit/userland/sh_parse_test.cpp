// The sh parser against FreeBSD 8.3 bin/sh/parser.c behaviour: trees for command lines, the
// exact "Syntax error" texts, continuation prompts, and the constructs left out.
#include "model/userland/sh_parse.h"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

using namespace procsim::userland;

namespace {

ShParseStep parse_all(std::string_view text) { return parse_sh_command(text, 0, 1, ShInputEnd::EndOfInput); }

std::string dump_of(std::string_view text) {
  ShParseStep step = parse_all(text);
  REQUIRE(step.kind == ShStepKind::Command);
  return dump_sh_command(step.command);
}

std::string error_of(std::string_view text) {
  ShParseStep step = parse_all(text);
  REQUIRE(step.kind == ShStepKind::Error);
  return format_sh_parse_error(step.error, std::nullopt);
}

struct TreeCase {
  std::string_view input;
  std::string_view dump;
};

}  // namespace

TEST_CASE("command lines parse into the lists, pipelines and redirections sh builds") {
  const TreeCase cases[] = {
      {"ls\n", "(cmd ls)"},
      {"ls -l /proc\n", "(cmd ls -l /proc)"},
      {"echo a; echo b\n", "(seq (cmd echo a) (cmd echo b))"},
      {"sleep 100 &\n", "(bg (cmd sleep 100))"},
      {"sleep 1 & echo x\n", "(seq (bg (cmd sleep 1)) (cmd echo x))"},
      {"a && b || c\n", "(or (and (cmd a) (cmd b)) (cmd c))"},
      {"a && b &\n", "(bg (and (cmd a) (cmd b)))"},
      {"ps | cat | wc\n", "(pipe (cmd ps) (cmd cat) (cmd wc))"},
      {"! false\n", "(not (cmd false))"},
      {"! ! false\n", "(cmd false)"},
      {"ls | ! cat\n", "(pipe (cmd ls) (! (cmd cat)))"},
      {"echo attach > /proc/401/ctl\n", "(cmd echo attach 1>/proc/401/ctl)"},
      {"cmd 2>&1 >>log <in\n", "(cmd cmd 2>&1 1>>log 0<in)"},
      {"ls >&- 3<&0\n", "(cmd ls 1>&- 3<&0)"},
      {"a <> b >| c\n", "(cmd a 0<>b 1>|c)"},
      {"2>err ls\n", "(cmd ls 2>err)"},
      {">out\n", "(cmd 1>out)"},
      {"echo x>f\n", "(cmd echo x 1>f)"},
      {"echo 2>f\n", "(cmd echo 2>f)"},
      {"echo 12>f\n", "(cmd echo 12 1>f)"},
      {"echo \"2\">f\n", "(cmd echo '2' 1>f)"},
      {"echo 'a b' \"c $x d\" e\\ f\n", "(cmd echo 'a b' 'c '\"${x}\"' d' e' 'f)"},
      {"echo $? $$ $! ${HOME}x $1 $10\n", "(cmd echo ${?} ${$} ${!} ${HOME}x ${1} ${1}0)"},
      {"echo ${10} $# ${#}\n", "(cmd echo ${10} ${#} ${#})"},
      {"echo $ $. a$\n", "(cmd echo $ $. a$)"},
      {"echo a#b # comment\n", "(cmd echo a#b)"},
      {"echo \"a\\$b\\\\c\\d\\\"\"\n", "(cmd echo 'a$b\\c\\d\"')"},
      {"echo 'a\\b'\n", "(cmd echo 'a\\b')"},
      {"echo '' \"\"x\n", "(cmd echo '' ''x)"},
      {"ec\\\nho hi\n", "(cmd echo hi)"},
      {"echo a \\\n b\n", "(cmd echo a b)"},
      {"echo if then fi\n", "(cmd echo if then fi)"},
      {"\"if\" x\n", "(cmd 'if' x)"},
      {"ls ; \n", "(cmd ls)"},
      {"a &&\n\n b\n", "(and (cmd a) (cmd b))"},
      {"a |\n b\n", "(pipe (cmd a) (cmd b))"},
      {"echo \"line1\nline2\"\n", "(cmd echo 'line1\nline2')"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    CHECK(dump_of(c.input) == c.dump);
  }
}

TEST_CASE("the end of input completes a command the way sh -c does") {
  CHECK(dump_of("ls") == "(cmd ls)");
  CHECK(dump_of("ls ;") == "(cmd ls)");
  CHECK(dump_of("ls &") == "(bg (cmd ls))");
  // 8.3 accepts an empty command after | or && at the end of input.
  CHECK(dump_of("ls |") == "(pipe (cmd ls) (cmd))");
  CHECK(dump_of("echo \\") == "(cmd echo \\)");
}

TEST_CASE("syntax errors read exactly as FreeBSD 8.3 sh prints them") {
  const TreeCase cases[] = {
      {"| ls\n", "Syntax error: \"|\" unexpected\n"},
      {"; ls\n", "Syntax error: \";\" unexpected\n"},
      {"& ls\n", "Syntax error: \"&\" unexpected\n"},
      {"&& ls\n", "Syntax error: \"&&\" unexpected\n"},
      {"ls ;;\n", "Syntax error: \";;\" unexpected\n"},
      {"ls & &\n", "Syntax error: \"&\" unexpected\n"},
      {"ls )\n", "Syntax error: \")\" unexpected\n"},
      {"a && ; b\n", "Syntax error: \";\" unexpected\n"},
      {"a | | b\n", "Syntax error: \"|\" unexpected\n"},
      {"echo >\n", "Syntax error: newline unexpected\n"},
      {"echo >", "Syntax error: end of file unexpected\n"},
      {"echo > ;\n", "Syntax error: \";\" unexpected\n"},
      {"echo >&", "Syntax error: end of file unexpected\n"},
      {"echo 'abc", "Syntax error: Unterminated quoted string\n"},
      {"echo \"abc", "Syntax error: Unterminated quoted string\n"},
      {"fi\n", "Syntax error: \"fi\" unexpected\n"},
      {"then\n", "Syntax error: \"then\" unexpected\n"},
      {"}\n", "Syntax error: \"}\" unexpected\n"},
      {"foo(x\n", "Syntax error: word unexpected (expecting \")\")\n"},
      {"echo a (b\n", "Syntax error: \"(\" unexpected\n"},
      {"echo ${x", "Syntax error: Missing '}'\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    CHECK(error_of(c.input) == c.dump);
  }
}

TEST_CASE("a script's syntax errors carry its name and the line of the offending token") {
  std::string_view script = "echo ok\n\necho a |\n| b\n";
  ShParseStep first = parse_sh_command(script, 0, 1, ShInputEnd::EndOfInput);
  REQUIRE(first.kind == ShStepKind::Command);
  ShParseStep blank = parse_sh_command(script, first.next_offset, first.next_line, ShInputEnd::EndOfInput);
  REQUIRE(blank.kind == ShStepKind::Blank);
  ShParseStep bad = parse_sh_command(script, blank.next_offset, blank.next_line, ShInputEnd::EndOfInput);
  REQUIRE(bad.kind == ShStepKind::Error);
  CHECK(bad.error.line == 4);
  CHECK(format_sh_parse_error(bad.error, "script.sh") == "script.sh: 4: Syntax error: \"|\" unexpected\n");
}

TEST_CASE("steps walk through a multi-line input one command at a time") {
  std::string_view text = "echo a\n# note\necho b";
  ShParseStep one = parse_all(text);
  REQUIRE(one.kind == ShStepKind::Command);
  CHECK(dump_sh_command(one.command) == "(cmd echo a)");
  CHECK(one.next_offset == 7);
  CHECK(one.next_line == 2);
  ShParseStep two = parse_sh_command(text, one.next_offset, one.next_line, ShInputEnd::EndOfInput);
  CHECK(two.kind == ShStepKind::Blank);
  ShParseStep three = parse_sh_command(text, two.next_offset, two.next_line, ShInputEnd::EndOfInput);
  REQUIRE(three.kind == ShStepKind::Command);
  CHECK(dump_sh_command(three.command) == "(cmd echo b)");
  ShParseStep four = parse_sh_command(text, three.next_offset, three.next_line, ShInputEnd::EndOfInput);
  CHECK(four.kind == ShStepKind::EndOfInput);
}

TEST_CASE("a list-ending keyword after ';' ends the command and is dropped, as parsecmd does") {
  ShParseStep step = parse_all("ls; fi\n");
  REQUIRE(step.kind == ShStepKind::Command);
  CHECK(dump_sh_command(step.command) == "(cmd ls)");
  ShParseStep next = parse_sh_command("ls; fi\n", step.next_offset, step.next_line, ShInputEnd::EndOfInput);
  CHECK(next.kind == ShStepKind::Blank);
}

TEST_CASE("an interactive line that does not finish the command asks for more input") {
  for (std::string_view line : {"ls |\n", "a &&\n", "echo 'abc\n", "echo \"x\n", "ls \\\n", "", "ls"}) {
    CAPTURE(line);
    CHECK(parse_sh_command(line, 0, 1, ShInputEnd::MoreMayFollow).kind == ShStepKind::NeedMoreInput);
  }
  ShParseStep done = parse_sh_command("ls |\ncat\n", 0, 1, ShInputEnd::MoreMayFollow);
  REQUIRE(done.kind == ShStepKind::Command);
  CHECK(dump_sh_command(done.command) == "(pipe (cmd ls) (cmd cat))");
  // An error found before the end of the line is reported at once.
  CHECK(parse_sh_command("| ls\n", 0, 1, ShInputEnd::MoreMayFollow).kind == ShStepKind::Error);
  CHECK(parse_sh_command("echo >\n", 0, 1, ShInputEnd::MoreMayFollow).kind == ShStepKind::Error);
}

TEST_CASE("constructs outside the subset are refused, not misparsed") {
  const TreeCase cases[] = {
      {"if true; then :; fi\n", "Not supported: if commands\n"},
      {"while x; do y; done\n", "Not supported: while commands\n"},
      {"for i in a; do :; done\n", "Not supported: for commands\n"},
      {"case x in esac\n", "Not supported: case commands\n"},
      {"(ls)\n", "Not supported: subshells\n"},
      {"{ ls; }\n", "Not supported: { } groups\n"},
      {"f() { :; }\n", "Not supported: function definitions\n"},
      {"echo `date`\n", "Not supported: command substitution\n"},
      {"echo $(date)\n", "Not supported: command substitution\n"},
      {"echo $((1+1))\n", "Not supported: arithmetic expansion\n"},
      {"cat <<EOF\n", "Not supported: here-documents\n"},
      {"echo ${x:-y}\n", "Not supported: this ${...} expansion\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    ShParseStep step = parse_all(c.input);
    REQUIRE(step.kind == ShStepKind::Error);
    CHECK(step.error.kind == ShParseError::Kind::Unsupported);
    CHECK(format_sh_parse_error(step.error, std::nullopt) == c.dump);
  }
}

TEST_CASE("blank and comment lines parse as blank, and an empty input as its end") {
  CHECK(parse_all("\n").kind == ShStepKind::Blank);
  CHECK(parse_all("   # only a comment\n").kind == ShStepKind::Blank);
  CHECK(parse_all("").kind == ShStepKind::EndOfInput);
  CHECK(parse_all("  ").kind == ShStepKind::EndOfInput);
}
