#include "model/driver/cli.h"

#include <doctest/doctest.h>

using namespace procsim::driver;

namespace {

std::optional<Invocation> parse(std::vector<std::string> args, std::string* message = nullptr) {
  UsageError error;
  auto result = parse_command_line(args, error);
  if (message != nullptr) *message = error.message;
  return result;
}

}  // namespace

TEST_CASE("run collects files and options in any order") {
  auto invocation = parse({"run", "a.scn", "--update", "--print", "b.scn"});
  REQUIRE(invocation);
  CHECK(invocation->command == Command::Run);
  CHECK(invocation->run.update);
  CHECK(invocation->run.print);
  CHECK(invocation->run.files == std::vector<std::string>{"a.scn", "b.scn"});
  CHECK_FALSE(invocation->run.seed.has_value());
}

TEST_CASE("run --seed takes a C number and applies to one file") {
  auto invocation = parse({"run", "--seed", "0x10", "a.scn"});
  REQUIRE(invocation);
  CHECK(invocation->run.seed == 16u);
  std::string message;
  CHECK_FALSE(parse({"run", "--seed", "x", "a.scn"}, &message));
  CHECK(message == "run: bad seed 'x'");
  CHECK_FALSE(parse({"run", "--seed", "1", "a.scn", "b.scn"}, &message));
  CHECK(message == "run: --seed applies to a single file");
  CHECK_FALSE(parse({"run", "--seed"}, &message));
  CHECK(message == "run: --seed needs a number");
}

TEST_CASE("usage errors name what is wrong") {
  std::string message;
  CHECK_FALSE(parse({}, &message));
  CHECK(message == "no command given");
  CHECK_FALSE(parse({"frob"}, &message));
  CHECK(message == "unknown command 'frob'");
  CHECK_FALSE(parse({"run"}, &message));
  CHECK(message == "run: no scenario files given");
  CHECK_FALSE(parse({"run", "--fast", "a.scn"}, &message));
  CHECK(message == "run: unknown option '--fast'");
  CHECK_FALSE(parse({"help", "frob"}, &message));
  CHECK(message == "help: no such command 'frob'");
}

TEST_CASE("a file named like an option can follow --") {
  auto invocation = parse({"run", "--", "--update"});
  REQUIRE(invocation);
  CHECK_FALSE(invocation->run.update);
  CHECK(invocation->run.files == std::vector<std::string>{"--update"});
}

TEST_CASE("help is available for the program and for each command") {
  CHECK(parse({"--help"})->command == Command::Help);
  auto run_help = parse({"run", "--help"});
  REQUIRE(run_help);
  CHECK(run_help->command == Command::Help);
  CHECK(run_help->help_topic == "run");
  CHECK(help_text("run").find("usage: procsim run") == 0);
  CHECK(help_text("").find("usage: procsim COMMAND") == 0);
  CHECK(help_text("nonesuch").empty());
}

TEST_CASE("ctl-matrix takes no arguments and has its own help") {
  auto invocation = parse({"ctl-matrix"});
  REQUIRE(invocation);
  CHECK(invocation->command == Command::CtlMatrix);
  auto help = parse({"ctl-matrix", "--help"});
  REQUIRE(help);
  CHECK(help->command == Command::Help);
  CHECK(help->help_topic == "ctl-matrix");
  CHECK(help_text("ctl-matrix").starts_with("usage: procsim ctl-matrix\n"));
  CHECK(help_text("").find("ctl-matrix") != std::string::npos);
  std::string message;
  CHECK_FALSE(parse({"ctl-matrix", "extra"}, &message));
  CHECK(message == "ctl-matrix: takes no arguments");
}
