// `procsim ctl-matrix`: what a write of each ctl message does to a target in each state, for
// each procfs era, printed as Markdown (docs/ctl-matrix.md). Every cell is replayed on a freshly
// booted machine through the scenario session, and both the write's result and the target's new
// state are read back from the kernel. Targets are amd64 processes of one unprivileged user; other
// architectures, credentials and message spellings are the scenarios' business.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/kern/proc_flags.h"
#include "model/vfs/errno.h"

namespace procsim::driver {

// Whether the target still exists, as pfind() and zpfind() see it.
enum class TargetLife : std::uint8_t { Alive, Zombie, Gone };

// What the kernel holds about the target after a cell ran; what describe_target() formats.
struct TargetView {
  TargetLife life = TargetLife::Gone;
  kern::ProcFlags flags = 0;         // p_flag; only P_TRACED and P_STOPPED_* are shown
  std::optional<std::int32_t> ppid;  // p_pptr's pid; none for a process without a parent
  bool sleeping = false;             // the first thread is on a sleep queue
  std::string wmesg;                 // its wmesg when sleeping
  bool runnable = false;             // the first thread is on the run queue or running
};

// The processes of a cell, by the letter the page names them with.
struct CellRoles {
  std::int32_t writer = 0;  // W: writes to the target's ctl
  std::int32_t parent = 0;  // P: the target's parent at creation (W itself in the parent table)
  std::int32_t third = 0;   // T: a process of the same user that may attach the target first
};

// "stopped (SIG+TRACE), traced, parent W", "sleeping (nanslp), parent P", "zombie, parent W",
// "gone". Parents named in `roles` are shown by letter, others by pid.
std::string describe_target(const TargetView& view, const CellRoles& roles);

// How the write ended within the cell's ticks: returned (with an error or not), or still asleep.
struct WriteOutcome {
  bool returned = false;
  std::optional<vfs::Errno> error;  // when returned
  std::string wmesg;                // when not returned: where the writer sleeps
};

// "0", "EBUSY" or "sleeps (procfsx)".
std::string describe_write(const WriteOutcome& outcome);

// One cell of a table: the write's outcome and the state afterwards, or the reason the row's
// state could not be set up (then the whole row says so).
struct MatrixCell {
  std::string result;     // describe_write()
  std::string new_state;  // describe_target() after the write
};

struct MatrixRow {
  std::string state;                  // the row's name ("running")
  std::string before;                 // describe_target() before the write
  std::optional<std::string> absent;  // set: the state cannot exist in this era, and why
  std::vector<MatrixCell> cells;      // one per message, in column order
};

struct MatrixTable {
  std::string heading;                // "freebsd4, writer: the parent"
  std::vector<std::string> messages;  // the column words
  std::vector<MatrixRow> rows;
};

// One Markdown table: a heading line, the header, and one line per row. A cell whose new state
// equals the row's state before the write says "unchanged".
std::string format_matrix_table(const MatrixTable& table);

// Builds every table by replaying every cell (each on a fresh machine), and prints the page.
// 0 on success; 2 if a cell's set-up is refused (a bug in the tables, reported on `err`).
int print_ctl_matrix(std::FILE* out, std::FILE* err);

// The whole page as print_ctl_matrix() prints it, or the diagnostic that stopped it.
struct MatrixPage {
  std::string text;
  std::optional<std::string> error;
};
MatrixPage build_ctl_matrix();

}  // namespace procsim::driver
