// Parsing well-formed scenarios: line kinds, how expected output attaches to inputs, program
// blocks, and the exact bytes kept for each line.
#include "sim/script/scenario.h"

#include <string_view>

#include <doctest/doctest.h>

namespace script = procsim::script;
using script::LineKind;

namespace {

script::Scenario parse_ok(std::string_view contents) {
  auto result = script::parse_scenario("s.scn", contents);
  REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error().format()));
  return result.value();
}

}  // namespace

TEST_CASE("each line gets its kind, its number and its exact bytes") {
  auto scenario = parse_ok(
      "# Shows that lines are classified\n"
      "\n"
      "machine arch=amd64\n"
      "login pid=400 user=jsp\n"
      "% ls -1 /\n"
      "  bin\n"
      "  \tx  \n"
      "@402 getpid()\n"
      "  = 402\n");
  CHECK(scenario.file_name == "s.scn");
  CHECK(scenario.ends_with_newline);
  REQUIRE(scenario.lines.size() == 9);
  const LineKind kinds[] = {LineKind::Comment,   LineKind::Blank,      LineKind::Directive,
                            LineKind::Directive, LineKind::Shell,      LineKind::Expected,
                            LineKind::Expected,  LineKind::SystemCall, LineKind::Expected};
  for (std::size_t i = 0; i < scenario.lines.size(); ++i) {
    CHECK(scenario.lines[i].kind == kinds[i]);
    CHECK(scenario.lines[i].number == static_cast<int>(i) + 1);
  }
  CHECK(scenario.lines[6].text == "  \tx  ");
  REQUIRE(scenario.inputs.size() == 4);
  CHECK(scenario.inputs[0].kind() == script::InputKind::Directive);
  CHECK(scenario.inputs[0].directive()->name() == "machine");
  CHECK(scenario.inputs[0].expected.empty());
  CHECK(scenario.inputs[1].line == 4);
  const auto& shell = scenario.inputs[2];
  REQUIRE(shell.shell() != nullptr);
  CHECK(shell.shell()->command == "ls -1 /");
  CHECK(shell.shell()->command_column == 3);
  CHECK(shell.expected == std::vector<std::string>{"bin", "\tx  "});
  const auto& call = scenario.inputs[3];
  REQUIRE(call.system_call() != nullptr);
  CHECK(call.system_call()->pid == 402);
  CHECK(call.system_call()->call.name == "getpid");
  CHECK(call.system_call()->call.name_column == 6);
  CHECK(call.expected == std::vector<std::string>{"= 402"});
  CHECK(call.first_index == 7);
  CHECK(call.last_index == 7);
}

TEST_CASE("two spaces alone are an empty output line, and more spaces are output too") {
  auto scenario = parse_ok("% echo; echo ' '\n  \n   \n");
  REQUIRE(scenario.inputs.size() == 1);
  CHECK(scenario.inputs[0].expected == std::vector<std::string>{"", " "});
}

TEST_CASE("a bare % is a shell input with an empty command") {
  auto scenario = parse_ok("%\n% \n");
  REQUIRE(scenario.inputs.size() == 2);
  CHECK(scenario.inputs[0].shell()->command.empty());
  CHECK(scenario.inputs[0].shell()->command_column == 2);
  CHECK(scenario.inputs[1].shell()->command.empty());
  CHECK(scenario.inputs[1].shell()->command_column == 3);
}

TEST_CASE("shell commands are kept verbatim, quotes and tabs included") {
  auto scenario = parse_ok("% echo \"a\\q\"\t> /tmp/x  ");
  CHECK(scenario.inputs[0].shell()->command == "echo \"a\\q\"\t> /tmp/x  ");
  CHECK_FALSE(scenario.ends_with_newline);
}

TEST_CASE("system call lines: pid with leading zeros is decimal, tabs separate, & backgrounds") {
  auto scenario = parse_ok("@0402\twrite(3, \"wait\", 4) &\n");
  const auto* call = scenario.inputs[0].system_call();
  REQUIRE(call != nullptr);
  CHECK(call->pid == 402);
  CHECK(call->pid_column == 2);
  CHECK(call->call.background);
  CHECK(call->call.arguments[1].column == 16);
}

TEST_CASE("a program block keeps its text verbatim and owns the output after its end") {
  auto scenario = parse_ok(
      "program spin arch=i386\n"
      "# not a comment here\n"
      "  loop:\tjmp loop\n"
      "  end\n"
      "\n"
      "@1 x\n"
      "end  \t\n"
      "  assembled\n"
      "% spin &\n");
  REQUIRE(scenario.inputs.size() == 2);
  const auto& input = scenario.inputs[0];
  REQUIRE(input.program() != nullptr);
  CHECK(input.kind() == script::InputKind::Program);
  CHECK(input.directive() == nullptr);
  const auto& block = *input.program();
  CHECK(block.header.name() == "program");
  CHECK(block.header.positionals()[0]->value == "spin");
  CHECK(block.header.find("arch")->value == "i386");
  REQUIRE(block.lines.size() == 5);
  CHECK(block.lines[0].number == 2);
  CHECK(block.lines[0].text == "# not a comment here");
  CHECK(block.lines[1].text == "  loop:\tjmp loop");
  CHECK(block.lines[2].text == "  end");
  CHECK(block.lines[3].text.empty());
  CHECK(block.lines[4].text == "@1 x");
  CHECK(block.end_line == 7);
  CHECK(input.first_index == 0);
  CHECK(input.last_index == 6);
  CHECK(input.expected == std::vector<std::string>{"assembled"});
  CHECK(scenario.lines[1].kind == LineKind::ProgramText);
  CHECK(scenario.lines[4].kind == LineKind::ProgramText);
  CHECK(scenario.lines[6].kind == LineKind::ProgramEnd);
  CHECK(scenario.lines[7].kind == LineKind::Expected);
  CHECK(scenario.inputs[1].shell()->command == "spin &");
}

TEST_CASE("a program with file= is one line: no body, no end, and the next line is input again") {
  auto scenario = parse_ok(
      "program hello file=amd64/hello.s\n"
      "% hello\n"
      "  hello, world\n");
  REQUIRE(scenario.inputs.size() == 2);
  const auto& input = scenario.inputs[0];
  REQUIRE(input.program() != nullptr);
  CHECK(input.program()->header.find("file")->value == "amd64/hello.s");
  CHECK(input.program()->lines.empty());
  CHECK(input.program()->end_line == 1);
  CHECK(input.first_index == 0);
  CHECK(input.last_index == 0);
  CHECK(input.expected.empty());
  CHECK(scenario.inputs[1].shell()->command == "hello");
  CHECK(scenario.inputs[1].expected == std::vector<std::string>{"hello, world"});
}

TEST_CASE("an end after a program with file= closes nothing") {
  auto result = script::parse_scenario("t.scn", "program hello file=h.s\nend\n");
  REQUIRE(result.is_error());
  CHECK(result.error().format() == "t.scn:2:1: error: 'end' with no open 'program' block");
}

TEST_CASE("a word that merely starts with 'program' inside a block is program text") {
  auto scenario = parse_ok("program p\nprogrammed:\nend\n");
  REQUIRE(scenario.inputs.size() == 1);
  CHECK(scenario.inputs[0].program()->lines[0].text == "programmed:");
}

TEST_CASE("the end of the file needs no newline, and empty files are empty scenarios") {
  auto scenario = parse_ok("% ls\n  bin");
  CHECK_FALSE(scenario.ends_with_newline);
  CHECK(scenario.inputs[0].expected == std::vector<std::string>{"bin"});
  auto empty = parse_ok("");
  CHECK(empty.lines.empty());
  CHECK(empty.inputs.empty());
  CHECK_FALSE(empty.ends_with_newline);
  auto newline = parse_ok("\n");
  REQUIRE(newline.lines.size() == 1);
  CHECK(newline.lines[0].kind == LineKind::Blank);
  CHECK(newline.ends_with_newline);
}

TEST_CASE("parse_system_call_line reads an @ line on its own") {
  auto result = script::parse_system_call_line("@7 kill(8, SIGSTOP)");
  REQUIRE(result.ok());
  CHECK(result.value().pid == 7);
  CHECK(result.value().call.arguments[1].text == "SIGSTOP");
  CHECK(script::parse_system_call_line("@2147483648 f()").error().message ==
        "pid '2147483648' is out of range");
  CHECK(script::parse_system_call_line("@2147483647 f()").ok());
}
