// procfs inode numbers per era (spec/procfs.md §2): the three formulas, the number stat reports
// for a node, and the d_fileno readdir reports for an entry, which differs from stat in 4.4BSD
// (curproc, file) and FreeBSD 8 (every process directory in the root listing, and `..`).
// FreeBSD 5-7's lazily allocated numbers are not modelled.
#pragma once

#include <cstdint>
#include <optional>

#include "model/kern/pid_alloc.h"
#include "model/procfs/profile.h"

namespace procsim::procfs {

// 4.4BSD: 2 for the root (type 0), else ((pid + 1) << 3) + type. spec §2.1
std::uint32_t fileno_44bsd(std::int32_t pid, std::uint32_t type);

// FreeBSD 4: type + 2 below Pproc (root, curproc), else ((pid + 1) << 4) + type. spec §2.3
std::uint32_t fileno_freebsd4(std::int32_t pid, std::uint32_t type);

// FreeBSD 8: node * NO_PID + pid for a node of a process, the bare node number otherwise.
// spec §2.5
std::uint32_t fileno_freebsd8(std::uint32_t node_number, std::optional<kern::Pid> pid);

// st_ino of `node` of process `pid` (pid is ignored for the root and curproc).
std::uint32_t stat_fileno(Era era, Node node, kern::Pid pid);

// d_fileno of a fixed entry (a row of proc_listing, root_before or root_after) as readdir
// reports it in the directory of dir_pid (none: the root directory).
std::uint32_t listing_fileno(Era era, const ListingRow& row, std::optional<kern::Pid> dir_pid);

// d_fileno of a process directory's entry in the root listing.
std::uint32_t root_proc_entry_fileno(Era era, kern::Pid pid);

}  // namespace procsim::procfs
