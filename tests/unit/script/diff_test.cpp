// Unified diffs: the layout is checked against output recorded from GNU diff 3.8
// (`diff -U N --label expected --label actual`), and the edit scripts are checked exhaustively
// on small inputs to be valid and as short as possible.
#include "sim/script/diff.h"

#include <algorithm>
#include <string_view>

#include <doctest/doctest.h>

namespace script = procsim::script;
using Lines = std::vector<std::string>;

namespace {

Lines numbers(int first, int last) {
  Lines lines;
  for (int i = first; i <= last; ++i) lines.push_back(std::to_string(i));
  return lines;
}

Lines replaced(Lines lines, const std::string& from, const std::string& to) {
  std::replace(lines.begin(), lines.end(), from, to);
  return lines;
}

std::string diff(const Lines& a, const Lines& b, int context = 3) {
  return script::unified_diff("expected", "actual", a, b, context);
}

}  // namespace

TEST_CASE("equal inputs give an empty diff") {
  CHECK(diff({}, {}).empty());
  CHECK(diff({"a", "", "b "}, {"a", "", "b "}).empty());
}

TEST_CASE("changes at most 2*context lines apart share one hunk") {
  Lines a = numbers(1, 16);
  CHECK(diff(a, replaced(replaced(a, "2", "X"), "9", "Y")) ==
        "--- expected\n+++ actual\n@@ -1,12 +1,12 @@\n 1\n-2\n+X\n 3\n 4\n 5\n 6\n 7\n 8\n-9\n+Y\n 10\n 11\n "
        "12\n");
}

TEST_CASE("changes further apart get separate hunks") {
  Lines a = numbers(1, 16);
  CHECK(diff(a, replaced(replaced(a, "2", "X"), "10", "Y")) ==
        "--- expected\n+++ actual\n@@ -1,5 +1,5 @@\n 1\n-2\n+X\n 3\n 4\n 5\n"
        "@@ -7,7 +7,7 @@\n 7\n 8\n 9\n-10\n+Y\n 11\n 12\n 13\n");
}

TEST_CASE("hunks at the edges of the file have only the context that exists") {
  Lines a = numbers(1, 16);
  Lines b = numbers(0, 15);
  b.push_back("16x");
  CHECK(diff(a, b) ==
        "--- expected\n+++ actual\n@@ -1,3 +1,4 @@\n+0\n 1\n 2\n 3\n@@ -13,4 +14,4 @@\n 13\n 14\n "
        "15\n-16\n+16x\n");
}

TEST_CASE("an empty side is written as the line before it with a count of 0") {
  CHECK(diff({}, {"1", "2", "3"}) == "--- expected\n+++ actual\n@@ -0,0 +1,3 @@\n+1\n+2\n+3\n");
  CHECK(diff({"1", "2", "3"}, {}) == "--- expected\n+++ actual\n@@ -1,3 +0,0 @@\n-1\n-2\n-3\n");
  Lines six = numbers(1, 6);
  Lines eight = {"1", "2", "3", "4", "5", "N1", "N2", "6"};
  CHECK(diff(six, eight, 0) == "--- expected\n+++ actual\n@@ -5,0 +6,2 @@\n+N1\n+N2\n");
  CHECK(diff(eight, six, 0) == "--- expected\n+++ actual\n@@ -6,2 +5,0 @@\n-N1\n-N2\n");
}

TEST_CASE("a range of one line is written without its count") {
  CHECK(diff({"x"}, {"1", "2"}) == "--- expected\n+++ actual\n@@ -1 +1,2 @@\n-x\n+1\n+2\n");
  CHECK(diff({"a", "b", "c"}, {"b"}, 1) == "--- expected\n+++ actual\n@@ -1,3 +1 @@\n-a\n b\n-c\n");
}

TEST_CASE("transcript lines keep tabs, trailing blanks and empty output lines") {
  Lines a = {"machine arch=amd64",
             "spawn -- /bin/sleep 100",
             "  pid 401",
             "% ps",
             "  PID\tTT  STAT",
             "  401 ??  S ",
             "  ",
             "# end"};
  Lines b = a;
  b[2] = "  pid 402";
  b[5] = "  402 ??  S ";
  CHECK(diff(a, b) ==
        "--- expected\n+++ actual\n@@ -1,8 +1,8 @@\n machine arch=amd64\n spawn -- /bin/sleep 100\n"
        "-  pid 401\n+  pid 402\n % ps\n   PID\tTT  STAT\n-  401 ??  S \n+  402 ??  S \n   \n # end\n");
}

namespace {

// Splits a one-hunk diff back into the two sides and counts its edits.
struct Sides {
  Lines a;
  Lines b;
  std::size_t edits = 0;
};

Sides undo(const std::string& text) {
  Sides sides;
  std::size_t start = 0;
  int line = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    REQUIRE(end != std::string::npos);
    std::string row = text.substr(start, end - start);
    start = end + 1;
    if (++line <= 3) continue;  // the two headers and the single hunk header
    REQUIRE(!row.empty());
    std::string body = row.substr(1);
    if (row[0] != '+') sides.a.push_back(body);
    if (row[0] != '-') sides.b.push_back(body);
    if (row[0] != ' ') ++sides.edits;
  }
  return sides;
}

std::size_t lcs_length(const Lines& a, const Lines& b) {
  std::vector<std::vector<std::size_t>> table(a.size() + 1, std::vector<std::size_t>(b.size() + 1, 0));
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j)
      table[i][j] =
          a[i - 1] == b[j - 1] ? table[i - 1][j - 1] + 1 : std::max(table[i - 1][j], table[i][j - 1]);
  return table[a.size()][b.size()];
}

// Every sequence over `alphabet` with at most `length_max` elements.
std::vector<Lines> all_sequences(std::string_view alphabet, std::size_t length_max) {
  std::vector<Lines> result = {{}};
  for (std::size_t begin = 0; begin < result.size(); ++begin) {
    if (result[begin].size() == length_max) continue;
    for (char c : alphabet) {
      Lines longer = result[begin];
      longer.emplace_back(1, c);
      result.push_back(longer);
    }
  }
  return result;
}

}  // namespace

TEST_CASE("every diff of small inputs is valid and as short as possible") {
  // Few symbols make many repeated lines, which is where edit scripts have the most choices.
  for (auto [alphabet, length_max] : {std::pair{"abc", 4}, std::pair{"ab", 6}}) {
    auto sequences = all_sequences(alphabet, static_cast<std::size_t>(length_max));
    for (const Lines& a : sequences) {
      for (const Lines& b : sequences) {
        std::string text = diff(a, b, 10);
        if (a == b) {
          REQUIRE(text.empty());
          continue;
        }
        Sides sides = undo(text);
        REQUIRE(sides.a == a);
        REQUIRE(sides.b == b);
        REQUIRE(sides.edits == a.size() + b.size() - 2 * lcs_length(a, b));
      }
    }
  }
}

TEST_CASE("past the work limit a region is replaced whole, still a correct diff") {
  Lines a = {"a", "x1", "b", "x2", "c", "x3", "d"};
  Lines b = {"a", "y1", "b", "y2", "c", "y3", "d"};
  std::string limited = script::unified_diff("expected", "actual", a, b, 10, 4);
  Sides sides = undo(limited);
  CHECK(sides.a == a);
  CHECK(sides.b == b);
  CHECK(sides.edits == 10);  // only the common first and last lines survive
  CHECK(undo(diff(a, b, 10)).edits == 6);
}
