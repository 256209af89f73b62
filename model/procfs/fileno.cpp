// The three numbering schemes and where readdir departs from stat. Facts: spec/procfs.md §2.1
// (4.4BSD PROCFS_FILENO, curproc listed as pid PID_MAX + 1), §2.3 (FreeBSD 4) and §2.5 (FreeBSD 8
// pn_fileno(), computed in readdir with the directory's pid).
#include "model/procfs/fileno.h"

#include "sim/base/assert.h"

namespace procsim::procfs {

namespace {

// FreeBSD 8's NO_PID: the multiplier of node numbers.
constexpr std::uint32_t kNoPid = static_cast<std::uint32_t>(kern::NO_PID);

std::uint32_t checked_pid(std::int32_t pid) {
  PROCSIM_ASSERT(pid >= 0);
  PROCSIM_ASSERT(pid <= kern::NO_PID);
  return static_cast<std::uint32_t>(pid);
}

}  // namespace

std::uint32_t fileno_44bsd(std::int32_t pid, std::uint32_t type) {
  PROCSIM_ASSERT(type <= 8);
  if (type == 0) return 2;
  return ((checked_pid(pid) + 1) << 3) + type;
}

std::uint32_t fileno_freebsd4(std::int32_t pid, std::uint32_t type) {
  constexpr std::uint32_t kPproc = 2;
  PROCSIM_ASSERT(type <= 15);
  if (type < kPproc) return type + 2;
  return ((checked_pid(pid) + 1) << 4) + type;
}

std::uint32_t fileno_freebsd8(std::uint32_t node_number, std::optional<kern::Pid> pid) {
  PROCSIM_ASSERT(node_number >= 2);
  if (!pid.has_value()) return node_number;
  std::uint32_t result = node_number * kNoPid + checked_pid(pid->value());
  PROCSIM_ASSERT(result / kNoPid == node_number);
  return result;
}

std::uint32_t stat_fileno(Era era, Node node, kern::Pid pid) {
  const NodeRow& found = node_row(era, node);
  bool root_level = node == Node::Root || node == Node::Curproc;
  switch (era) {
    case Era::Bsd44: return fileno_44bsd(pid.value(), found.number);
    case Era::FreeBSD4: return fileno_freebsd4(root_level ? 0 : pid.value(), found.number);
    case Era::FreeBSD8:
      return fileno_freebsd8(found.number, root_level ? std::nullopt : std::optional<kern::Pid>(pid));
  }
  PROCSIM_UNREACHABLE();
}

std::uint32_t listing_fileno(Era era, const ListingRow& row, std::optional<kern::Pid> dir_pid) {
  switch (era) {
    case Era::Bsd44: {
      // 4.4BSD lists curproc as the process directory of pid PID_MAX + 1. spec §2.1
      if (row.node == Node::Curproc) {
        return fileno_44bsd(profile(era).pid_max + 1, node_row(era, Node::ProcDir).number);
      }
      return fileno_44bsd(dir_pid.value_or(kern::Pid(0)).value(), node_row(era, row.node).number);
    }
    case Era::FreeBSD4:
      return fileno_freebsd4(dir_pid.value_or(kern::Pid(0)).value(), node_row(era, row.node).number);
    case Era::FreeBSD8:
      // pn_fileno() with the directory's pid: ".." inside /proc/P is 200000 + P. spec §2.5
      return fileno_freebsd8(node_row(era, row.node).number, dir_pid);
  }
  PROCSIM_UNREACHABLE();
}

std::uint32_t root_proc_entry_fileno(Era era, kern::Pid pid) {
  std::uint32_t proc_dir_number = node_row(era, Node::ProcDir).number;
  switch (era) {
    case Era::Bsd44: return fileno_44bsd(pid.value(), proc_dir_number);
    case Era::FreeBSD4: return fileno_freebsd4(pid.value(), proc_dir_number);
    // The root directory has no pid, so every process directory is listed with the bare node
    // number. spec §2.5
    case Era::FreeBSD8: return fileno_freebsd8(proc_dir_number, std::nullopt);
  }
  PROCSIM_UNREACHABLE();
}

}  // namespace procsim::procfs
