#include "model/driver/runner.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

using namespace procsim::driver;

namespace {

struct Captured {
  int status = 0;
  std::string out;
  std::string err;
};

std::string slurp(std::FILE* file) {
  std::rewind(file);
  std::string text;
  char buffer[4096];
  std::size_t count = 0;
  while ((count = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, count);
  return text;
}

// Scenario files live in a private temporary directory so that tests leave nothing behind.
std::string scratch(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / "procsim-runner-test";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

Captured run(RunOptions options) {
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  REQUIRE(out != nullptr);
  REQUIRE(err != nullptr);
  Captured captured;
  captured.status = run_scenarios(options, out, err);
  captured.out = slurp(out);
  captured.err = slurp(err);
  std::fclose(out);
  std::fclose(err);
  return captured;
}

const std::string kWrong =
    "# Shows nothing in particular.\n"
    "machine arch=amd64\n"
    "run ticks=5\n"
    "  this line is not printed\n"
    "\n"
    "# a comment that --update keeps\n";

}  // namespace

TEST_CASE("a matching file passes with status 0") {
  const std::string f_pass = scratch("runner_pass.scn");
  write_text(f_pass, "machine arch=i386 hz=100\nrun until=idle\n");
  Captured result = run({false, false, std::nullopt, {f_pass}});
  CHECK(result.status == 0);
  CHECK(result.out == "1 passed, 0 failed\n");
  CHECK(result.err.empty());
}

TEST_CASE("a wrong expected line fails with status 1 and a unified diff") {
  const std::string f_wrong = scratch("runner_wrong.scn");
  write_text(f_wrong, kWrong);
  Captured result = run({false, false, std::nullopt, {f_wrong}});
  CHECK(result.status == 1);
  CHECK(result.out == "--- " + f_wrong +
                          " (expected)\n"
                          "+++ " +
                          f_wrong +
                          " (actual)\n"
                          "@@ -1,6 +1,5 @@\n"
                          " # Shows nothing in particular.\n"
                          " machine arch=amd64\n"
                          " run ticks=5\n"
                          "-  this line is not printed\n"
                          " \n"
                          " # a comment that --update keeps\n"
                          "0 passed, 1 failed\n");
  CHECK(read_text(f_wrong) == kWrong);
}

TEST_CASE("--update rewrites only the expected output") {
  const std::string f_update = scratch("runner_update.scn");
  write_text(f_update, kWrong);
  Captured result = run({true, false, std::nullopt, {f_update}});
  CHECK(result.status == 0);
  CHECK(read_text(f_update) ==
        "# Shows nothing in particular.\n"
        "machine arch=amd64\n"
        "run ticks=5\n"
        "\n"
        "# a comment that --update keeps\n");
}

TEST_CASE("a malformed file is an error with status 2 and is never rewritten") {
  const std::string f_error = scratch("runner_error.scn");
  const std::string text = "machine arch=amd64\nrun ticks=5\n  stale\nbogus\n";
  write_text(f_error, text);
  Captured result = run({true, false, std::nullopt, {f_error}});
  CHECK(result.status == 2);
  CHECK(result.err == f_error + ":4:1: error: unknown directive 'bogus'\n");
  CHECK(result.out == "0 passed, 0 failed, 1 error\n");
  CHECK(read_text(f_error) == text);
}

TEST_CASE("an error in one file outranks a mismatch in another") {
  const std::string f_wrong2 = scratch("runner_wrong2.scn");
  const std::string f_error2 = scratch("runner_error2.scn");
  write_text(f_wrong2, kWrong);
  write_text(f_error2, "machine\n");
  Captured result = run({false, false, std::nullopt, {f_wrong2, f_error2}});
  CHECK(result.status == 2);
  CHECK(result.err == f_error2 + ":1:1: error: missing argument 'arch' to 'machine'\n");
  CHECK(result.out.find("0 passed, 1 failed, 1 error\n") != std::string::npos);
}

TEST_CASE("a missing file is reported without a crash") {
  Captured result = run({false, false, std::nullopt, {"no-such-file.scn"}});
  CHECK(result.status == 2);
  CHECK(result.err == "procsim: no-such-file.scn: cannot read: No such file or directory\n");
}

TEST_CASE("--print shows the replayed transcript") {
  const std::string f_print = scratch("runner_print.scn");
  write_text(f_print, "machine arch=arm64\n");
  Captured result = run({false, true, std::nullopt, {f_print}});
  CHECK(result.status == 0);
  CHECK(result.out == "machine arch=arm64\n1 passed, 0 failed\n");
}

TEST_CASE("the file directive names what it cannot set up") {
  struct Case {
    std::string line;
    std::string message;
  };
  const Case cases[] = {
      {"file /bin/nothing", "3:6: error: cannot set up /bin/nothing: No such file or directory"},
      {"file /bin", "3:6: error: cannot set up /bin: Is a directory"},
      {"file /dev/null", "3:6: error: cannot set up /dev/null: Inappropriate file type or format"},
      {"file bin/ls", "3:6: error: the path must be absolute"},
      {"file /bin/ls ino=2", "3:18: error: cannot set up /bin/ls: File exists"},
      {"file /bin/ls user=nobody2", "3:19: error: unknown user 'nobody2'"},
      {"file /bin/ls group=staff2", "3:20: error: unknown group 'staff2'"},
      {"file /bin/ls mode=010000", "3:19: error: mode must be at most 07777"},
      {"file /bin/ls mtime=\"1993-02-30 00:00:00\"",
       "3:20: error: bad mtime '1993-02-30 00:00:00' (expected \"YYYY-MM-DD HH:MM:SS\", 1970 to 9999)"},
      {"file /bin/ls color=red", "3:14: error: unknown argument 'color' to 'file'"},
  };
  for (const Case& c : cases) {
    const std::string path = scratch("runner_file.scn");
    write_text(path, "# Shows nothing.\nmachine arch=amd64\n" + c.line + "\n");
    Captured result = run({false, false, std::nullopt, {path}});
    CHECK(result.status == 2);
    CHECK(result.err == path + ":" + c.message + "\n");
  }
}

TEST_CASE("the file directive restamps a file as ls -li then lists it") {
  const std::string path = scratch("runner_file_ok.scn");
  write_text(path,
             "# Shows nothing.\n"
             "machine arch=amd64 profile=4.4bsd clock=\"1993-09-21 15:06:00\"\n"
             "file /bin/ls ino=1554 mode=0555 user=bin group=bin size=90112 mtime=\"1993-03-29 04:52:00\"\n"
             "login\n"
             "% ls -li /bin/ls\n"
             "  1554 -r-xr-xr-x  1 bin  bin  90112 Mar 29 04:52 /bin/ls\n");
  Captured result = run({false, false, std::nullopt, {path}});
  CHECK(result.err == "");
  CHECK(result.out == "1 passed, 0 failed\n");
}

TEST_CASE("login into another session needs that session and its terminal") {
  struct Case {
    std::string line;
    std::string message;
  };
  const Case cases[] = {
      {"login sid=99 tty=ttyv0", "4:1: error: cannot log in: No such process"},
      {"login sid=81 tty=console", "4:1: error: cannot log in: Invalid argument"},
      {"login sid=81 pgid=7 tty=ttyv0", "4:1: error: cannot log in: No such process"},
      {"login ppid=0", "4:12: error: ppid must be between 1 and 99999"},
      {"login tz", "4:7: error: unexpected argument 'tz' to 'login'"},
  };
  for (const Case& c : cases) {
    const std::string path = scratch("runner_login.scn");
    write_text(path, "# Shows nothing.\nmachine arch=amd64\nspawn pid=81 tty=ttyv0 script\n" + c.line + "\n");
    Captured result = run({false, false, std::nullopt, {path}});
    CHECK(result.status == 2);
    CHECK(result.err == path + ":" + c.message + "\n");
  }
}
