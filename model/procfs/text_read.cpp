// The offset rules of the text files. Facts: spec/procfs.md §3.2 (map read semantics), §3.4
// (etype), §3.7; FreeBSD 4's "xlen = len - offset; xlen = min(xlen, resid)" slice, procfs_dotype()
// and procfs_domap(); FreeBSD 8's pfs_read() with a fixed sbuf that keeps the prefix that fits.
#include "model/procfs/text_read.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/base/assert.h"

namespace procsim::procfs {

using vfs::Errno;

namespace {

ReadOutcome failure(Errno error) { return ReadOutcome{std::string(), error}; }

// The bytes of `text` at [offset, offset + resid); nothing past the end.
std::string slice(std::string_view text, std::uint64_t offset, std::size_t resid) {
  if (offset >= text.size()) return std::string();
  auto start = static_cast<std::size_t>(offset);
  return std::string(text.substr(start, std::min(resid, text.size() - start)));
}

ReadOutcome read_sbuf_window(std::string_view text, const ReadRequest& request) {
  auto offset = static_cast<std::uint64_t>(request.offset);
  constexpr std::uint64_t kOffMax = INT64_MAX;
  if (request.resid > kOffMax - offset) return failure(Errno::Einval);
  // The sbuf holds min(offset + resid, MAXPHYS) bytes: text beyond it is never produced.
  std::uint64_t buffer = std::min<std::uint64_t>(offset + request.resid, kMaxphys);
  std::string_view held =
      text.substr(0, static_cast<std::size_t>(std::min<std::uint64_t>(buffer, text.size())));
  ReadOutcome outcome{slice(held, offset, request.resid), std::nullopt};
  PROCSIM_ASSERT(outcome.bytes.size() <= request.resid);
  return outcome;
}

ReadOutcome read_raw_lines(std::span<const std::string> lines, const ReadRequest& request) {
  ReadOutcome outcome;
  if (request.offset != 0) return outcome;
  std::size_t left = request.resid;
  for (const std::string& line : lines) {
    if (left == 0) break;
    if (line.size() > left) {
      outcome.error = Errno::Efbig;
      break;
    }
    outcome.bytes += line;
    left -= line.size();
  }
  PROCSIM_ASSERT(outcome.bytes.size() + left == request.resid);
  return outcome;
}

// The text's lines, each with its '\n'; a last line without one counts as a line too.
std::vector<std::string> split_keeping_newlines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    std::size_t end = std::min(text.find('\n'), text.size() - 1) + 1;
    lines.emplace_back(text.substr(0, end));
    text.remove_prefix(end);
  }
  return lines;
}

std::string concatenate(std::span<const std::string> lines) {
  std::string text;
  for (const std::string& line : lines) text += line;
  return text;
}

}  // namespace

ReadOutcome read_text(TextRead rule, std::string_view text, const ReadRequest& request) {
  PROCSIM_ASSERT_MSG(rule != TextRead::NotText, "read_text needs a text rule");
  if (request.offset < 0) return failure(Errno::Einval);
  auto offset = static_cast<std::uint64_t>(request.offset);
  switch (rule) {
    case TextRead::NotText: break;
    case TextRead::Slice: return ReadOutcome{slice(text, offset, request.resid), std::nullopt};
    case TextRead::OffsetZeroOnly:
      if (offset != 0) return ReadOutcome{};
      return ReadOutcome{slice(text, 0, request.resid), std::nullopt};
    case TextRead::RawLines: {
      std::vector<std::string> lines = split_keeping_newlines(text);
      return read_raw_lines(lines, request);
    }
    case TextRead::SbufWindow: return read_sbuf_window(text, request);
  }
  PROCSIM_UNREACHABLE();
}

ReadOutcome read_lines(TextRead rule, std::span<const std::string> lines, const ReadRequest& request) {
  if (rule != TextRead::RawLines) return read_text(rule, concatenate(lines), request);
  if (request.offset < 0) return failure(Errno::Einval);
  return read_raw_lines(lines, request);
}

}  // namespace procsim::procfs
