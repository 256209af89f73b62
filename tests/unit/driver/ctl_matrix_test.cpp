// The pure half of `procsim ctl-matrix`: how a target's state and a write's outcome are named, and
// how a table is laid out. The cells themselves are checked against docs/ctl-matrix.md by ctest.
#include "model/driver/ctl_matrix.h"

#include <doctest/doctest.h>

using namespace procsim;
using namespace procsim::driver;

namespace {

constexpr CellRoles kRoles{400, 400, 402};  // the writer is the parent
constexpr CellRoles kRootRoles{403, 400, 402};

TargetView alive(kern::ProcFlags flags, std::int32_t ppid) {
  TargetView view;
  view.life = TargetLife::Alive;
  view.flags = flags;
  view.ppid = ppid;
  return view;
}

}  // namespace

TEST_CASE("a stop beats a sleep, and every stop bit is named in P_SHOULDSTOP's order") {
  TargetView view = alive(kern::P_STOPPED_TRACE | kern::P_STOPPED_SIG | kern::P_TRACED, 400);
  view.sleeping = true;
  view.wmesg = "nanslp";
  CHECK(describe_target(view, kRoles) == "stopped (SIG+TRACE), traced, parent W");
  view.flags = kern::P_STOPPED_SINGLE;
  CHECK(describe_target(view, kRoles) == "stopped (SINGLE), parent W");
  view.flags = 0;
  CHECK(describe_target(view, kRoles) == "sleeping (nanslp), parent W");
}

TEST_CASE("a running process is named by its thread, an unrelated flag is not shown") {
  TargetView view = alive(kern::P_INMEM | kern::P_CONTROLT, 400);
  view.runnable = true;
  CHECK(describe_target(view, kRoles) == "running, parent W");
  view.runnable = false;
  CHECK(describe_target(view, kRoles) == "idle, parent W");
}

TEST_CASE("parents are named by role, the writer first, and other pids by number") {
  TargetView view = alive(0, 400);
  view.runnable = true;
  CHECK(describe_target(view, kRootRoles) == "running, parent P");
  view.ppid = 403;
  CHECK(describe_target(view, kRootRoles) == "running, parent W");
  view.ppid = 402;
  CHECK(describe_target(view, kRootRoles) == "running, parent T");
  view.ppid = 0;
  CHECK(describe_target(view, kRootRoles) == "running, parent 0");
  view.ppid.reset();
  CHECK(describe_target(view, kRootRoles) == "running");
}

TEST_CASE("a zombie keeps its parent and flags, a reaped process is only gone") {
  TargetView view;
  view.life = TargetLife::Zombie;
  view.flags = kern::P_TRACED | kern::P_WEXIT;
  view.ppid = 400;
  CHECK(describe_target(view, kRoles) == "zombie, traced, parent W");
  view.life = TargetLife::Gone;
  CHECK(describe_target(view, kRoles) == "gone");
}

TEST_CASE("a write is 0, its errno's name, or the sleep it has not left") {
  CHECK(describe_write(WriteOutcome{true, std::nullopt, ""}) == "0");
  CHECK(describe_write(WriteOutcome{true, vfs::Errno::Ebusy, ""}) == "EBUSY");
  CHECK(describe_write(WriteOutcome{true, vfs::Errno::Eopnotsupp, ""}) == "EOPNOTSUPP");
  CHECK(describe_write(WriteOutcome{false, std::nullopt, "procfsx"}) == "sleeps (procfsx)");
  CHECK(describe_write(WriteOutcome{false, std::nullopt, ""}) == "has not returned");
}

TEST_CASE("a table has one column per message, says unchanged, and fills an absent row with n/a") {
  MatrixTable table;
  table.heading = "writer: the parent";
  table.messages = {"attach", "run"};
  MatrixRow running{"running", "running, parent W", std::nullopt, {}};
  running.cells = {{"0", "stopped (SIG+TRACE), traced, parent W"}, {"EBUSY", "running, parent W"}};
  MatrixRow absent{"traced by T", "", "not reached in 4.4bsd: the target is gone", {}};
  table.rows = {running, absent};
  CHECK(format_matrix_table(table) ==
        "| target state | before the write | `attach` | `run` |\n"
        "| --- | --- | --- | --- |\n"
        "| running | running, parent W | 0 -> stopped (SIG+TRACE), traced, parent W | EBUSY -> unchanged |\n"
        "| traced by T | not reached in 4.4bsd: the target is gone | n/a | n/a |\n");
}

TEST_CASE("a vertical bar in a cell is escaped so that it does not split the cell") {
  MatrixTable table;
  table.messages = {"a|b"};
  MatrixRow row{"x|y", "s", std::nullopt, {{"0", "p|q"}}};
  table.rows = {row};
  CHECK(format_matrix_table(table) ==
        "| target state | before the write | `a\\|b` |\n"
        "| --- | --- | --- |\n"
        "| x\\|y | s | 0 -> p\\|q |\n");
}
