#include "model/driver/runner.h"

#include <cstdio>
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
  write_text("runner_pass.scn", "machine arch=i386 hz=100\nrun until=idle\n");
  Captured result = run({false, false, std::nullopt, {"runner_pass.scn"}});
  CHECK(result.status == 0);
  CHECK(result.out == "1 passed, 0 failed\n");
  CHECK(result.err.empty());
}

TEST_CASE("a wrong expected line fails with status 1 and a unified diff") {
  write_text("runner_wrong.scn", kWrong);
  Captured result = run({false, false, std::nullopt, {"runner_wrong.scn"}});
  CHECK(result.status == 1);
  CHECK(result.out ==
        "--- runner_wrong.scn (expected)\n"
        "+++ runner_wrong.scn (actual)\n"
        "@@ -1,6 +1,5 @@\n"
        " # Shows nothing in particular.\n"
        " machine arch=amd64\n"
        " run ticks=5\n"
        "-  this line is not printed\n"
        " \n"
        " # a comment that --update keeps\n"
        "0 passed, 1 failed\n");
  CHECK(read_text("runner_wrong.scn") == kWrong);
}

TEST_CASE("--update rewrites only the expected output") {
  write_text("runner_update.scn", kWrong);
  Captured result = run({true, false, std::nullopt, {"runner_update.scn"}});
  CHECK(result.status == 0);
  CHECK(read_text("runner_update.scn") ==
        "# Shows nothing in particular.\n"
        "machine arch=amd64\n"
        "run ticks=5\n"
        "\n"
        "# a comment that --update keeps\n");
}

TEST_CASE("a malformed file is an error with status 2 and is never rewritten") {
  const std::string text = "machine arch=amd64\nrun ticks=5\n  stale\nbogus\n";
  write_text("runner_error.scn", text);
  Captured result = run({true, false, std::nullopt, {"runner_error.scn"}});
  CHECK(result.status == 2);
  CHECK(result.err == "runner_error.scn:4:1: error: unknown directive 'bogus'\n");
  CHECK(result.out == "0 passed, 0 failed, 1 error\n");
  CHECK(read_text("runner_error.scn") == text);
}

TEST_CASE("an error in one file outranks a mismatch in another") {
  write_text("runner_wrong2.scn", kWrong);
  write_text("runner_error2.scn", "machine\n");
  Captured result = run({false, false, std::nullopt, {"runner_wrong2.scn", "runner_error2.scn"}});
  CHECK(result.status == 2);
  CHECK(result.err == "runner_error2.scn:1:1: error: missing argument 'arch' to 'machine'\n");
  CHECK(result.out.find("0 passed, 1 failed, 1 error\n") != std::string::npos);
}

TEST_CASE("a missing file is reported without a crash") {
  Captured result = run({false, false, std::nullopt, {"no-such-file.scn"}});
  CHECK(result.status == 2);
  CHECK(result.err == "procsim: no-such-file.scn: cannot read: No such file or directory\n");
}

TEST_CASE("--print shows the replayed transcript") {
  write_text("runner_print.scn", "machine arch=arm64\n");
  Captured result = run({false, true, std::nullopt, {"runner_print.scn"}});
  CHECK(result.status == 0);
  CHECK(result.out == "machine arch=arm64\n1 passed, 0 failed\n");
}
