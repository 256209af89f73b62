// Unified diff: Myers' O((N+M)D) search for a shortest edit script, in its linear-space form
// (find a split point by searching from both ends, then recurse on each half), followed by
// hunk assembly in GNU diff's layout. See diff.h for the limits.
#include "sim/script/diff.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "sim/base/assert.h"

namespace procsim::script {

namespace {

using Index = std::ptrdiff_t;

// Lines become small integers so the search compares numbers; equal lines get equal ids.
std::vector<int> intern(const std::vector<std::string>& lines, std::map<std::string_view, int>& ids) {
  std::vector<int> result;
  result.reserve(lines.size());
  for (const std::string& line : lines) {
    auto [entry, added] = ids.try_emplace(line, static_cast<int>(ids.size()));
    result.push_back(entry->second);
  }
  return result;
}

struct Point {
  Index x = 0;  // lines of a consumed
  Index y = 0;  // lines of b consumed
};

// Marks which lines of a are deleted and which lines of b are inserted; every other line of a
// is matched, in order, with an equal unmarked line of b.
class EditFinder {
 public:
  EditFinder(const std::vector<int>& a, const std::vector<int>& b, std::size_t work_max)
      : m_a(a), m_b(b), m_deleted(a.size(), false), m_inserted(b.size(), false), m_work_max(work_max) {}

  void run() { compare(0, static_cast<Index>(m_a.size()), 0, static_cast<Index>(m_b.size())); }
  const std::vector<bool>& deleted() const { return m_deleted; }
  const std::vector<bool>& inserted() const { return m_inserted; }

 private:
  void compare(Index a_lo, Index a_hi, Index b_lo, Index b_hi);
  std::optional<Point> find_split(Index a_lo, Index a_hi, Index b_lo, Index b_hi);
  void mark(Index a_lo, Index a_hi, Index b_lo, Index b_hi) {
    for (Index i = a_lo; i < a_hi; ++i) m_deleted[static_cast<std::size_t>(i)] = true;
    for (Index j = b_lo; j < b_hi; ++j) m_inserted[static_cast<std::size_t>(j)] = true;
  }
  bool same(Index i, Index j) const {
    return m_a[static_cast<std::size_t>(i)] == m_b[static_cast<std::size_t>(j)];
  }

  const std::vector<int>& m_a;
  const std::vector<int>& m_b;
  std::vector<bool> m_deleted;
  std::vector<bool> m_inserted;
  std::size_t m_work_max;
  std::size_t m_work = 0;
};

void EditFinder::compare(Index a_lo, Index a_hi, Index b_lo, Index b_hi) {
  // Stripping the common ends first guarantees that a split point is never a corner, so both
  // halves are strictly smaller and the recursion ends.
  while (a_lo < a_hi && b_lo < b_hi && same(a_lo, b_lo)) ++a_lo, ++b_lo;
  while (a_lo < a_hi && b_lo < b_hi && same(a_hi - 1, b_hi - 1)) --a_hi, --b_hi;
  if (a_lo == a_hi || b_lo == b_hi) {
    mark(a_lo, a_hi, b_lo, b_hi);
    return;
  }
  auto split = find_split(a_lo, a_hi, b_lo, b_hi);
  if (!split) {
    mark(a_lo, a_hi, b_lo, b_hi);
    return;
  }
  Index x = a_lo + split->x;
  Index y = b_lo + split->y;
  PROCSIM_ASSERT(x >= a_lo && x <= a_hi && y >= b_lo && y <= b_hi);
  PROCSIM_ASSERT(x - a_lo + y - b_lo > 0);
  PROCSIM_ASSERT(a_hi - x + b_hi - y > 0);
  compare(a_lo, x, b_lo, y);
  compare(x, a_hi, y, b_hi);
}

// Runs the forward and the backward search in lock step until their furthest-reaching paths
// overlap; the forward end point there lies on a shortest edit path. Empty when the work
// limit runs out first.
std::optional<Point> EditFinder::find_split(Index a_lo, Index a_hi, Index b_lo, Index b_hi) {
  const Index n = a_hi - a_lo;
  const Index m = b_hi - b_lo;
  PROCSIM_ASSERT(n > 0 && m > 0);
  const Index delta = n - m;
  const bool odd = (delta & 1) != 0;
  const Index max_d = (n + m + 1) / 2;
  const Index offset = max_d + 2;
  const Index length = 2 * max_d + 4;
  std::vector<Index> forward(static_cast<std::size_t>(length), -1);
  std::vector<Index> backward(static_cast<std::size_t>(length), -1);
  auto at = [](std::vector<Index>& v, Index i) -> Index& { return v[static_cast<std::size_t>(i)]; };
  at(forward, offset + 1) = 0;
  at(backward, offset + 1) = 0;
  // Diagonals that ran off the grid are not extended again (trimmed from each end).
  Index f_start = 0, f_end = 0, b_start = 0, b_end = 0;
  for (Index d = 0; d <= max_d; ++d) {
    for (Index k = -d + f_start; k <= d - f_end; k += 2) {
      if (++m_work > m_work_max) return std::nullopt;
      Index i = offset + k;
      Index x = (k == -d || (k != d && at(forward, i - 1) < at(forward, i + 1))) ? at(forward, i + 1)
                                                                                 : at(forward, i - 1) + 1;
      Index y = x - k;
      PROCSIM_ASSERT(y >= 0);
      while (x < n && y < m && same(a_lo + x, b_lo + y)) ++x, ++y, ++m_work;
      at(forward, i) = x;
      if (x > n) {
        f_end += 2;
      } else if (y > m) {
        f_start += 2;
      } else if (odd) {
        Index j = offset + delta - k;
        if (j >= 0 && j < length && at(backward, j) != -1 && x >= n - at(backward, j)) return Point{x, y};
      }
    }
    for (Index k = -d + b_start; k <= d - b_end; k += 2) {
      if (++m_work > m_work_max) return std::nullopt;
      Index i = offset + k;
      Index x = (k == -d || (k != d && at(backward, i - 1) < at(backward, i + 1))) ? at(backward, i + 1)
                                                                                   : at(backward, i - 1) + 1;
      Index y = x - k;
      PROCSIM_ASSERT(y >= 0);
      while (x < n && y < m && same(a_hi - 1 - x, b_hi - 1 - y)) ++x, ++y, ++m_work;
      at(backward, i) = x;
      if (x > n) {
        b_end += 2;
      } else if (y > m) {
        b_start += 2;
      } else if (!odd) {
        Index j = offset + delta - k;
        if (j >= 0 && j < length && at(forward, j) != -1) {
          Index fx = at(forward, j);
          if (fx >= n - x) return Point{fx, fx - (j - offset)};
        }
      }
    }
  }
  return std::nullopt;
}

// One run of deleted and inserted lines between matched lines.
struct Change {
  std::size_t a_start = 0;
  std::size_t a_count = 0;
  std::size_t b_start = 0;
  std::size_t b_count = 0;
};

std::vector<Change> collect_changes(const std::vector<bool>& deleted, const std::vector<bool>& inserted) {
  std::vector<Change> changes;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < deleted.size() || j < inserted.size()) {
    if (i < deleted.size() && j < inserted.size() && !deleted[i] && !inserted[j]) {
      ++i, ++j;
      continue;
    }
    // diff prints a change's deletions before its insertions.
    Change change{i, 0, j, 0};
    while (i < deleted.size() && deleted[i]) ++i, ++change.a_count;
    while (j < inserted.size() && inserted[j]) ++j, ++change.b_count;
    PROCSIM_ASSERT_MSG(change.a_count + change.b_count > 0, "unmatched line outside any change");
    changes.push_back(change);
  }
  return changes;
}

// diff's range notation: "L" for one line, "L,N" otherwise, and for no lines the line before.
std::string format_range(std::size_t start, std::size_t count) {
  if (count == 1) return fmt::format("{}", start + 1);
  if (count == 0) return fmt::format("{},0", start);
  return fmt::format("{},{}", start + 1, count);
}

void append_hunk(std::string& out, const std::vector<std::string>& a, const std::vector<std::string>& b,
                 const std::vector<Change>& changes, std::size_t first, std::size_t last,
                 std::size_t context) {
  PROCSIM_ASSERT(first <= last && last < changes.size());
  const Change& head = changes[first];
  const Change& tail = changes[last];
  std::size_t leading = std::min(context, head.a_start);
  std::size_t trailing = std::min(context, a.size() - (tail.a_start + tail.a_count));
  std::size_t a_begin = head.a_start - leading;
  std::size_t b_begin = head.b_start - leading;
  std::size_t a_end = tail.a_start + tail.a_count + trailing;
  std::size_t b_end = tail.b_start + tail.b_count + trailing;
  PROCSIM_ASSERT(b_end <= b.size());
  fmt::format_to(std::back_inserter(out), "@@ -{} +{} @@\n", format_range(a_begin, a_end - a_begin),
                 format_range(b_begin, b_end - b_begin));
  std::size_t i = a_begin;
  for (std::size_t c = first; c <= last; ++c) {
    const Change& change = changes[c];
    for (; i < change.a_start; ++i) fmt::format_to(std::back_inserter(out), " {}\n", a[i]);
    for (std::size_t k = 0; k < change.a_count; ++k)
      fmt::format_to(std::back_inserter(out), "-{}\n", a[i + k]);
    for (std::size_t k = 0; k < change.b_count; ++k)
      fmt::format_to(std::back_inserter(out), "+{}\n", b[change.b_start + k]);
    i += change.a_count;
  }
  for (; i < a_end; ++i) fmt::format_to(std::back_inserter(out), " {}\n", a[i]);
}

}  // namespace

std::string unified_diff(std::string_view expected_name, std::string_view actual_name,
                         const std::vector<std::string>& expected, const std::vector<std::string>& actual,
                         int context, std::size_t work_max) {
  PROCSIM_ASSERT(context >= 0);
  std::map<std::string_view, int> ids;
  std::vector<int> a = intern(expected, ids);
  std::vector<int> b = intern(actual, ids);
  EditFinder finder(a, b, work_max);
  finder.run();
  std::vector<Change> changes = collect_changes(finder.deleted(), finder.inserted());
  if (changes.empty()) return "";
  auto span = static_cast<std::size_t>(context);
  std::string out = fmt::format("--- {}\n+++ {}\n", expected_name, actual_name);
  std::size_t first = 0;
  for (std::size_t c = 1; c <= changes.size(); ++c) {
    // Changes at most 2*context matched lines apart share one hunk.
    bool merge = c < changes.size() &&
                 changes[c].a_start - (changes[c - 1].a_start + changes[c - 1].a_count) <= 2 * span;
    if (merge) continue;
    append_hunk(out, expected, actual, changes, first, c - 1, span);
    first = c;
  }
  PROCSIM_ASSERT(out.back() == '\n');
  return out;
}

}  // namespace procsim::script
