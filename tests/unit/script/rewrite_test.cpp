// --update and the transcripts: rewriting with the outputs a run produced changes the expected
// blocks and nothing else, byte for byte.
#include "sim/script/rewrite.h"

#include <string_view>

#include <doctest/doctest.h>

#include "sim/script/diff.h"

namespace script = procsim::script;

namespace {

script::Scenario parse_ok(std::string_view contents) {
  auto result = script::parse_scenario("r.scn", contents);
  REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error().format()));
  return result.value();
}

script::ActualOutput outputs_as_expected(const script::Scenario& scenario) {
  script::ActualOutput actual;
  for (const auto& input : scenario.inputs) actual.push_back(input.expected);
  return actual;
}

constexpr std::string_view kRich =
    "# Shows that a rewrite with the same output reproduces the file\n"
    "\n"
    "machine arch=amd64 seed=7 clock=\"2009-05-23 12:00:00\"\n"
    "program spin\n"
    "  loop:\tjmp loop   \n"
    "\n"
    "end\n"
    "spawn pid=401 -- /usr/bin/spin\n"
    "  pid 401\n"
    "% cat /proc/401/status\n"
    "  spin 401 1 401 0 -1,-1 noflags\t \n"
    "  \n"
    "   \t\n"
    "\n"
    "\n"
    "@402 open(\"/proc/401/ctl\", O_WRONLY) &\n"
    "# trailing comment\n";

}  // namespace

TEST_CASE("rewriting with the same output reproduces the file byte for byte") {
  std::string_view variants[] = {
      kRich,
      kRich.substr(0, kRich.size() - 1),  // no final newline
      "% ls\n  bin",                      // ends inside an expected block, no newline
      "% ls\n  bin  \n",
      "# only a comment",
      "\n\n",
      "",
  };
  for (std::string_view contents : variants) {
    CAPTURE(contents);
    auto scenario = parse_ok(contents);
    CHECK(script::rewrite_scenario(scenario, outputs_as_expected(scenario)) == contents);
    CHECK(script::actual_transcript(scenario, outputs_as_expected(scenario)) ==
          script::expected_transcript(scenario));
  }
}

TEST_CASE("rewriting replaces, grows, shrinks, removes and inserts expected blocks") {
  auto scenario = parse_ok(
      "machine arch=amd64\n"
      "% echo a\n"
      "  old\n"
      "% echo b\n"
      "  b1\n"
      "  b2\n"
      "# keep\n"
      "@402 getpid()\n"
      "program p\n"
      "nop\n"
      "end\n"
      "% last\n"
      "  gone");
  REQUIRE(scenario.inputs.size() == 6);
  script::ActualOutput actual = {
      {"machine output"},   // inserted below an input that had none
      {"new", "\tmore  "},  // replaced and grown, tabs and trailing spaces kept
      {},                   // removed
      {"= 402"},            // inserted
      {"assembled"},        // inserted below `end`, not below `program`
      {},                   // the final block disappears and the file still lacks its newline
  };
  CHECK(script::rewrite_scenario(scenario, actual) ==
        "machine arch=amd64\n"
        "  machine output\n"
        "% echo a\n"
        "  new\n"
        "  \tmore  \n"
        "% echo b\n"
        "# keep\n"
        "@402 getpid()\n"
        "  = 402\n"
        "program p\n"
        "nop\n"
        "end\n"
        "  assembled\n"
        "% last");
}

TEST_CASE("an empty output line is written as two spaces and parses back the same") {
  auto scenario = parse_ok("% printf '\\n'\n");
  std::string rewritten = script::rewrite_scenario(scenario, {{"", " "}});
  CHECK(rewritten == "% printf '\\n'\n  \n   \n");
  auto reparsed = parse_ok(rewritten);
  CHECK(reparsed.inputs[0].expected == std::vector<std::string>{"", " "});
}

TEST_CASE("the expected and actual transcripts diff as the user reads them") {
  auto scenario = parse_ok(
      "# Shows that pids are allocated in order\n"
      "spawn -- /bin/sleep 100\n"
      "  pid 401\n"
      "spawn -- /bin/sleep 100\n"
      "  pid 402\n");
  auto expected = script::expected_transcript(scenario);
  auto actual = script::actual_transcript(scenario, {{"pid 401"}, {"pid 403"}});
  CHECK(script::unified_diff("r.scn", "r.scn (actual)", expected, actual) ==
        "--- r.scn\n"
        "+++ r.scn (actual)\n"
        "@@ -2,4 +2,4 @@\n"
        " spawn -- /bin/sleep 100\n"
        "   pid 401\n"
        " spawn -- /bin/sleep 100\n"
        "-  pid 402\n"
        "+  pid 403\n");
}
