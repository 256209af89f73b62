// Unified diffs of two line sequences, in the format of GNU `diff -u` with the file names given
// as labels (no timestamps). Lines carry no newline, so there is no "\ No newline at end of
// file" marker. Used to show how an actual transcript differs from the expected one.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace procsim::script {

// Named limit on the work of the minimal-diff search (steps along diagonals). When a region of
// the inputs needs more, that region is shown as deleted and reinserted whole: the diff is then
// correct but not minimal, and the time spent stays bounded whatever the inputs.
inline constexpr std::size_t kDiffWorkMax = std::size_t{1} << 26;

// The diff of `expected` (shown as `--- expected_name`) to `actual` (`+++ actual_name`) with
// `context` lines of context; "" when the sequences are equal. Hunks whose contexts touch or
// overlap are merged, as diff does (two changes at most 2*context lines apart share a hunk).
// Among edit scripts of the same (shortest) length the one shown may differ from GNU diff's
// choice, which also depends on its heuristics; `work_max` exists so tests can reach the limit.
std::string unified_diff(std::string_view expected_name, std::string_view actual_name,
                         const std::vector<std::string>& expected, const std::vector<std::string>& actual,
                         int context = 3, std::size_t work_max = kDiffWorkMax);

}  // namespace procsim::script
