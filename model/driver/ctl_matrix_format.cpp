// The pure half of `procsim ctl-matrix`: naming a target's state from what the kernel holds,
// naming a write's outcome, and laying a table out as Markdown. Nothing here boots a machine;
// the cells are computed in ctl_matrix.cpp.
#include "model/driver/ctl_matrix.h"

#include <array>

#include <fmt/format.h>

#include "sim/base/assert.h"

namespace procsim::driver {

namespace {

// The stop reasons in P_SHOULDSTOP's order, by the short names the page uses.
struct StopBitRow {
  kern::ProcFlags bit;
  std::string_view name;
};

constexpr std::array<StopBitRow, 3> kStopBits = {{
    {kern::P_STOPPED_SIG, "SIG"},
    {kern::P_STOPPED_TRACE, "TRACE"},
    {kern::P_STOPPED_SINGLE, "SINGLE"},
}};

std::string stop_reasons(kern::ProcFlags flags) {
  PROCSIM_ASSERT(kern::p_shouldstop(flags));
  std::string reasons;
  for (const StopBitRow& row : kStopBits) {
    if ((flags & row.bit) == 0) continue;
    if (!reasons.empty()) reasons += '+';
    reasons += row.name;
  }
  PROCSIM_ASSERT(!reasons.empty());
  return reasons;
}

std::string process_name(std::int32_t pid, const CellRoles& roles) {
  if (pid == roles.writer) return "W";
  if (pid == roles.parent) return "P";
  if (pid == roles.third) return "T";
  return fmt::format("{}", pid);
}

// What a live process is doing: a stop beats a sleep, as ps's state letter does.
std::string activity(const TargetView& view) {
  if (kern::p_shouldstop(view.flags)) return fmt::format("stopped ({})", stop_reasons(view.flags));
  if (view.sleeping) return fmt::format("sleeping ({})", view.wmesg);
  if (view.runnable) return "running";
  return "idle";  // a scripted process waiting for its next line
}

// Markdown ends a cell at '|'.
std::string escape_cell(std::string_view text) {
  std::string escaped;
  for (char c : text) {
    if (c == '|') escaped += '\\';
    escaped += c;
  }
  return escaped;
}

}  // namespace

std::string describe_target(const TargetView& view, const CellRoles& roles) {
  PROCSIM_ASSERT(roles.writer != 0 && roles.parent != 0);
  if (view.life == TargetLife::Gone) return "gone";
  std::string text = view.life == TargetLife::Zombie ? "zombie" : activity(view);
  if ((view.flags & kern::P_TRACED) != 0) text += ", traced";
  if (view.ppid) text += ", parent " + process_name(*view.ppid, roles);
  return text;
}

std::string describe_write(const WriteOutcome& outcome) {
  PROCSIM_ASSERT(outcome.returned || !outcome.error.has_value());
  if (!outcome.returned) {
    if (outcome.wmesg.empty()) return "has not returned";
    return fmt::format("sleeps ({})", outcome.wmesg);
  }
  if (outcome.error) return vfs::errno_name(*outcome.error);
  return "0";
}

std::string format_matrix_table(const MatrixTable& table) {
  PROCSIM_ASSERT(!table.messages.empty());
  std::string text = "| target state | before the write |";
  std::string rule = "| --- | --- |";
  for (const std::string& message : table.messages) {
    text += fmt::format(" `{}` |", escape_cell(message));
    rule += " --- |";
  }
  text += "\n" + rule + "\n";
  for (const MatrixRow& row : table.rows) {
    text += fmt::format("| {} |", escape_cell(row.state));
    if (row.absent) {
      text += fmt::format(" {} |", escape_cell(*row.absent));
      for (std::size_t column = 0; column < table.messages.size(); ++column) text += " n/a |";
      text += "\n";
      continue;
    }
    PROCSIM_ASSERT(row.cells.size() == table.messages.size());
    text += fmt::format(" {} |", escape_cell(row.before));
    for (const MatrixCell& cell : row.cells) {
      std::string_view state = cell.new_state == row.before ? "unchanged" : std::string_view(cell.new_state);
      text += fmt::format(" {} -> {} |", escape_cell(cell.result), escape_cell(state));
    }
    text += "\n";
  }
  return text;
}

}  // namespace procsim::driver
