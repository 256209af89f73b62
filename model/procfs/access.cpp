// The access gates. Facts: spec/procfs.md §7.1, §7.2, §5.2, §8.3; FreeBSD 4 procfs_access(),
// procfs_open(), procfs_close() and procfs_rw(); FreeBSD 8 pfs_visible(), pfs_read() and
// pfs_write() (PFS_RD / PFS_WR -> EBADF, non-VREG -> EINVAL).
#include "model/procfs/access.h"

#include <array>
#include <span>

#include "sim/base/assert.h"

namespace procsim::procfs {

using vfs::Errno;

namespace {

// The direction rules of one node in one era: the error for each direction, none = allowed.
struct DirectionRow {
  Node node;
  std::optional<Errno> read_error;
  std::optional<Errno> write_error;
};

constexpr std::optional<Errno> kOk = std::nullopt;

// procfs_rw()'s dispatch: ctl refuses reads with EOPNOTSUPP, note with EINVAL; the text files
// refuse writes with EOPNOTSUPP; a directory has no case and gets EOPNOTSUPP.
constexpr std::array kDirectionsVnodeEras = {
    DirectionRow{Node::Root, Errno::Eopnotsupp, Errno::Eopnotsupp},
    DirectionRow{Node::ProcDir, Errno::Eopnotsupp, Errno::Eopnotsupp},
    DirectionRow{Node::Mem, kOk, kOk},
    DirectionRow{Node::Regs, kOk, kOk},
    DirectionRow{Node::Fpregs, kOk, kOk},
    DirectionRow{Node::Dbregs, kOk, kOk},
    DirectionRow{Node::Ctl, Errno::Eopnotsupp, kOk},
    DirectionRow{Node::Status, kOk, Errno::Eopnotsupp},
    DirectionRow{Node::Note, Errno::Einval, kOk},
    DirectionRow{Node::Notepg, Errno::Einval, kOk},
    DirectionRow{Node::Map, kOk, Errno::Eopnotsupp},
    DirectionRow{Node::Etype, kOk, Errno::Eopnotsupp},
    DirectionRow{Node::Cmdline, kOk, Errno::Eopnotsupp},
    DirectionRow{Node::Rlimit, kOk, Errno::Eopnotsupp},
};

// pseudofs: read and write need a VREG node (EINVAL) carrying PFS_RD or PFS_WR (EBADF).
constexpr std::array kDirections8 = {
    DirectionRow{Node::Root, Errno::Einval, Errno::Einval},
    DirectionRow{Node::ProcDir, Errno::Einval, Errno::Einval},
    DirectionRow{Node::Cmdline, kOk, Errno::Ebadf},
    DirectionRow{Node::Ctl, Errno::Ebadf, kOk},
    DirectionRow{Node::Dbregs, kOk, kOk},
    DirectionRow{Node::Etype, kOk, Errno::Ebadf},
    DirectionRow{Node::Fpregs, kOk, kOk},
    DirectionRow{Node::Map, kOk, Errno::Ebadf},
    DirectionRow{Node::Mem, kOk, kOk},
    DirectionRow{Node::Note, Errno::Ebadf, kOk},
    DirectionRow{Node::Notepg, Errno::Ebadf, kOk},
    DirectionRow{Node::Regs, kOk, kOk},
    DirectionRow{Node::Rlimit, kOk, Errno::Ebadf},
    DirectionRow{Node::Status, kOk, Errno::Ebadf},
    DirectionRow{Node::Osrel, kOk, kOk},
};

// The vnode-ops eras' procfs_access(): one permission class, no privilege beyond euid 0.
vfs::KResult<void> classic_access(const NodeAttributes& attributes, vfs::Accmode accmode,
                                  const vfs::Ucred& cred) {
  if (cred.uid == vfs::kRootUid) return {};
  vfs::Accmode wanted = accmode & (vfs::VREAD | vfs::VWRITE | vfs::VEXEC);
  if (cred.uid != attributes.uid) {
    wanted >>= 3;
    if (!vfs::groupmember(attributes.gid, cred)) wanted >>= 3;
  }
  if ((attributes.mode & wanted) == wanted) return {};
  return base::fail(Errno::Eacces);
}

}  // namespace

ReaderView make_reader_view(const kern::ProcView& reader, const kern::ProcView& target,
                            const kern::PolicyConfig& config, bool ps_argsopen) {
  ReaderView view;
  view.pid = reader.pid;
  view.io_allowed =
      kern::checkio(reader, target, kern::CheckioForm::Classic) && kern::p_trespass(reader, target).ok();
  view.ps_argsopen = ps_argsopen;
  view.can_see = kern::p_cansee(reader, target, config).ok();
  vfs::KResult<void> debug = kern::p_candebug(reader, target, config);
  if (debug.is_error()) view.debug_error = debug.error();
  PROCSIM_ASSERT(view.pid == reader.pid);
  return view;
}

vfs::KResult<void> check_node_access(Era era, const NodeAttributes& attributes, vfs::Accmode accmode,
                                     const vfs::Ucred& cred) {
  PROCSIM_ASSERT(attributes.mode <= 07777);
  if (era != Era::FreeBSD8) return classic_access(attributes, accmode, cred);
  vfs::FileKind kind =
      attributes.kind == VnodeKind::Directory ? vfs::FileKind::Directory : vfs::FileKind::NonDirectory;
  return vfs::vaccess(kind, attributes.mode, attributes.uid, attributes.gid, accmode, cred);
}

vfs::KResult<MemOpenState> vnode_open_gate(Era era, const VnodeOpenRequest& request,
                                           const ReaderView& reader) {
  PROCSIM_ASSERT_MSG(era != Era::FreeBSD8, "FreeBSD 8 opens through pseudofs");
  if (era == Era::FreeBSD4 && request.target_pid.value() != 0 && !request.same_prison) {
    return base::fail(Errno::Enoent);
  }
  if (request.node != Node::Mem) return request.mem;
  const MemOpenState& held = request.mem;
  bool conflict = (held.write_open && request.exclusive) || (held.exclusive && request.for_write);
  if (conflict) return base::fail(Errno::Ebusy);
  if (era == Era::FreeBSD4) {
    if ((request.target_flags & kern::P_INEXEC) != 0) return base::fail(Errno::Eagain);
    if (!reader.io_allowed) return base::fail(Errno::Eperm);
  }
  if (!request.for_write) return held;
  return MemOpenState{true, request.exclusive};
}

MemOpenState mem_close(const MemOpenState& state, bool closing_write) {
  if (closing_write && state.exclusive) return MemOpenState{};
  return state;
}

vfs::KResult<void> vnode_rw_gate(Era era, kern::Pid target_pid, bool is_write, int securelevel) {
  PROCSIM_ASSERT_MSG(era != Era::FreeBSD8, "FreeBSD 8 reads and writes through pseudofs");
  if (era == Era::FreeBSD4 && is_write && target_pid.value() == 1 && securelevel > 0) {
    return base::fail(Errno::Eacces);
  }
  return {};
}

vfs::KResult<void> mem_io_gate(Era era, kern::ProcFlags target_flags, const ReaderView& reader) {
  switch (era) {
    case Era::Bsd44: return {};
    case Era::FreeBSD4:
      if ((target_flags & kern::P_INEXEC) != 0) return base::fail(Errno::Eagain);
      if (!reader.io_allowed) return base::fail(Errno::Eperm);
      return {};
    case Era::FreeBSD8:
      if (reader.debug_error.has_value()) return base::fail(*reader.debug_error);
      return {};
  }
  PROCSIM_UNREACHABLE();
}

vfs::KResult<void> pseudofs_map_gate(const ReaderView& reader) {
  if (reader.debug_error.has_value()) return base::fail(*reader.debug_error);
  if (reader.reader_compat32 && !reader.target_compat32) return base::fail(Errno::Eopnotsupp);
  return {};
}

bool pseudofs_visible(Node node, const VisibilityInputs& in) {
  if (node == Node::Root || node == Node::Curproc) return true;
  if (!in.process_found || (in.p_flag & kern::P_WEXIT) != 0 || !in.can_see) return false;
  return node_present(node_row(Era::FreeBSD8, node), in.p_flag, in.can_debug);
}

Errno invisible_error(PfsOp op) {
  switch (op) {
    case PfsOp::Lookup:
    case PfsOp::Getattr:
    case PfsOp::Readdir: return Errno::Enoent;
    case PfsOp::Read:
    case PfsOp::Write:
    case PfsOp::Ioctl:
    case PfsOp::Getextattr: return Errno::Eio;
  }
  PROCSIM_UNREACHABLE();
}

std::optional<Errno> wrong_direction_error(Era era, Node node, IoDirection direction) {
  PROCSIM_ASSERT(find_node(era, node) != nullptr);
  std::span<const DirectionRow> rows = era == Era::FreeBSD8
                                           ? std::span<const DirectionRow>(kDirections8)
                                           : std::span<const DirectionRow>(kDirectionsVnodeEras);
  for (const DirectionRow& row : rows) {
    if (row.node != node) continue;
    return direction == IoDirection::Read ? row.read_error : row.write_error;
  }
  PROCSIM_ASSERT_MSG(false, "no direction rule for this node (curproc and file are links)");
  return std::nullopt;
}

}  // namespace procsim::procfs
