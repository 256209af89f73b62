// err(3)-style and sh diagnostics, and BSD getopt.
#include "model/userland/program_errors.h"
#include "model/userland/getopt.h"
#include "model/userland/program_output.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace procsim::userland;

TEST_CASE("warn and warnx put the program name before the object and the error text") {
  CHECK(warn_text("ls", "/nonexistent", "No such file or directory") ==
        "ls: /nonexistent: No such file or directory\n");
  CHECK(warnx_text("ps", "no valid keywords; valid keywords:") == "ps: no valid keywords; valid keywords:\n");
}

TEST_CASE("sh prefixes its errors with the script name only while running a script") {
  CHECK(sh_cannot_create_text(std::nullopt, "/proc/1/ctl", "Permission denied") ==
        "cannot create /proc/1/ctl: Permission denied\n");
  CHECK(sh_cannot_create_text("run.sh", "/x", "Device busy") == "run.sh: cannot create /x: Device busy\n");
  CHECK(sh_cannot_open_text(std::nullopt, "/nope", "No such file or directory") ==
        "cannot open /nope: No such file or directory\n");
  CHECK(sh_not_found_text("foo") == "foo: not found\n");
  CHECK(sh_lookup_error_text("foo", "Permission denied") == "foo: Permission denied\n");
}

TEST_CASE("exec failures map errno to the text and exit status shellexec uses") {
  auto enoent = sh_exec_failure(std::nullopt, "/bin/nope", ExecFailure::Enoent, "No such file or directory");
  CHECK(enoent.text == "/bin/nope: not found\n");
  CHECK(enoent.exit_status == 127);
  auto enotdir = sh_exec_failure(std::nullopt, "/etc/passwd/x", ExecFailure::Enotdir, "Not a directory");
  CHECK(enotdir.text == "/etc/passwd/x: not found\n");
  CHECK(enotdir.exit_status == 2);
  auto eacces = sh_exec_failure("s.sh", "./x", ExecFailure::Eacces, "Permission denied");
  CHECK(eacces.text == "s.sh: ./x: Permission denied\n");
  CHECK(eacces.exit_status == 126);
  auto other = sh_exec_failure(std::nullopt, "./x", ExecFailure::Other, "Exec format error");
  CHECK(other.text == "./x: Exec format error\n");
  CHECK(other.exit_status == 2);
}

TEST_CASE("getopt splits clusters, attached and detached arguments, and stops at operands") {
  std::vector<std::string> args{"-li", "-o", "pid,comm", "-pp1", "file", "-a"};
  GetoptResult result = parse_options("ps", args, "lio:p:a");
  REQUIRE(result.ok());
  CHECK(result.options ==
        std::vector<ParsedOption>{{'l', std::nullopt}, {'i', std::nullopt}, {'o', "pid,comm"}, {'p', "p1"}});
  CHECK(result.operands == std::vector<std::string>{"file", "-a"});
}

TEST_CASE("getopt treats '--' as the end, a lone '-' as an operand, and reports bad options") {
  std::vector<std::string> dashdash{"-a", "--", "-b"};
  CHECK(parse_options("ls", dashdash, "ab").operands == std::vector<std::string>{"-b"});
  std::vector<std::string> lone{"-", "x"};
  CHECK(parse_options("ls", lone, "a").operands == std::vector<std::string>{"-", "x"});
  std::vector<std::string> dashword{"-a", "--foo"};
  GetoptResult foo = parse_options("ls", dashword, "a");
  REQUIRE(foo.ok());
  CHECK(foo.operands == std::vector<std::string>{"--foo"});
  std::vector<std::string> bad{"-aq"};
  CHECK(parse_options("ls", bad, "a").error == "ls: illegal option -- q\n");
  std::vector<std::string> missing{"-o"};
  CHECK(parse_options("ps", missing, "o:").error == "ps: option requires an argument -- o\n");
}

TEST_CASE("program output keeps stdout and stderr pieces in order and merges neighbours") {
  ProgramOutput output;
  output.out("a");
  output.out("b");
  output.err("E");
  output.out("c");
  CHECK(output.pieces().size() == 3);
  CHECK(output.stdout_text() == "abc");
  CHECK(output.stderr_text() == "E");
  CHECK(output.interleaved_text() == "abEc");
  output.set_exit_status(1);
  CHECK(output.exit_status() == 1);
}
