// How a read of a generated procfs text honours the file offset and the buffer size, per rule
// (spec/procfs.md §3.7): a plain slice (the vnode-ops eras' status, cmdline, rlimit), text only
// at offset 0 (FreeBSD 4 etype), whole lines with EFBIG (FreeBSD 4 map) and FreeBSD 8's sbuf of
// offset + resid bytes capped at MAXPHYS. The text is generated anew for every read by the caller.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "model/procfs/profile.h"
#include "model/vfs/errno.h"

namespace procsim::procfs {

// MAXPHYS in FreeBSD 8: pseudofs never builds a text buffer larger than this.
inline constexpr std::size_t kMaxphys = 128 * 1024;

// The read's file offset and buffer size.
struct ReadRequest {
  std::int64_t offset = 0;
  std::size_t resid = 0;
};

// What a read copied to the caller, and the error it returns. A read can fail after copying
// (FreeBSD 4 map's EFBIG): the bytes are in the caller's buffer and the descriptor's offset
// advances by them, yet read(2) returns -1.
struct ReadOutcome {
  std::string bytes;
  std::optional<vfs::Errno> error;

  bool ok() const { return !error.has_value(); }
};

// Reads `text` under `rule`. A negative offset is EINVAL under every rule (the vnode-ops eras
// would index before their buffer; the model refuses instead). `rule` must not be NotText; for
// RawLines each '\n'-terminated line is one copy-out (a last line without '\n' counts too).
ReadOutcome read_text(TextRead rule, std::string_view text, const ReadRequest& request);

// Reads a text made of lines under `rule`: RawLines copies whole lines only (FreeBSD 4 map:
// offset != 0 is end of file; the read stops quietly once the buffer is exactly full, and fails
// with EFBIG when the next line is longer than what is left); every other rule reads the
// concatenation.
ReadOutcome read_lines(TextRead rule, std::span<const std::string> lines, const ReadRequest& request);

}  // namespace procsim::procfs
