// procfs's permission gates per era (spec/procfs.md §7), as pure functions over a reader's view
// of a target: building that view from model/kern's policies, the access(2)/open permission test,
// the vnode-ops eras' open, read/write and mem gates (jail, exclusive mem opens, P_INEXEC,
// CHECKIO/p_trespass, init at securelevel > 0), FreeBSD 8's node visibility and fill-time checks,
// and the errors for reading a write-only node or writing a read-only one. ioctls are elsewhere.
#pragma once

#include <cstdint>
#include <optional>

#include "model/kern/cred_policy.h"
#include "model/kern/proc_flags.h"
#include "model/procfs/profile.h"
#include "model/procfs/snapshot.h"
#include "model/vfs/errno.h"
#include "model/vfs/ucred.h"

namespace procsim::procfs {

// The reader's view of a target under kern's policies: io_allowed = CHECKIO (the 2001 form,
// P_SUGID only) && p_trespass() == 0; can_see = p_cansee() == 0; debug_error = p_candebug()'s
// error. The ABI flags (reader_compat32, target_compat32) are left false for the caller to set.
ReaderView make_reader_view(const kern::ProcView& reader, const kern::ProcView& target,
                            const kern::PolicyConfig& config, bool ps_argsopen = true);

// access(2) and open(2)'s permission test against a node's attributes. The vnode-ops eras:
// euid 0 passes everything, even reading a write-only node; otherwise exactly one of the owner,
// group or other classes must grant every requested bit (EACCES). FreeBSD 8: vfs::vaccess().
vfs::KResult<void> check_node_access(Era era, const NodeAttributes& attributes, vfs::Accmode accmode,
                                     const vfs::Ucred& cred);

// The mem node's exclusive-open bookkeeping of the vnode-ops eras (pfs_flags: FWRITE|O_EXCL).
struct MemOpenState {
  bool write_open = false;  // FWRITE recorded
  bool exclusive = false;   // O_EXCL recorded
};

// An open(2) of a node of a live process in the vnode-ops eras.
struct VnodeOpenRequest {
  Node node = Node::Status;
  kern::Pid target_pid{0};
  kern::ProcFlags target_flags = 0;
  bool same_prison = true;  // FreeBSD 4 PRISON_CHECK(reader, target)
  bool for_write = false;   // FWRITE
  bool exclusive = false;   // O_EXCL
  MemOpenState mem;         // the mem node's state before this open
};

// The open checks in order; returns the mem node's state after the open (unchanged for other
// nodes). 4.4BSD: mem only: O_EXCL while open for writing, or a write open while an O_EXCL write
// open is recorded -> EBUSY. FreeBSD 4: a target outside the reader's jail -> ENOENT (except pid
// 0); then for mem the EBUSY rule, P_INEXEC -> EAGAIN and !io_allowed -> EPERM.
vfs::KResult<MemOpenState> vnode_open_gate(Era era, const VnodeOpenRequest& request,
                                           const ReaderView& reader);

// close(2) of mem: a write descriptor clears FWRITE and O_EXCL only if O_EXCL was recorded, so a
// plain write open leaves FWRITE behind and later O_EXCL opens keep failing (spec §5.2).
MemOpenState mem_close(const MemOpenState& state, bool closing_write);

// FreeBSD 4's check before every read and write of a node: writing to init while the
// securelevel is above 0 -> EACCES. 4.4BSD has none.
vfs::KResult<void> vnode_rw_gate(Era era, kern::Pid target_pid, bool is_write, int securelevel);

// The checks inside a mem read or write: FreeBSD 4: P_INEXEC -> EAGAIN, !io_allowed -> EPERM;
// FreeBSD 8: p_candebug()'s error as it is; 4.4BSD: none.
vfs::KResult<void> mem_io_gate(Era era, kern::ProcFlags target_flags, const ReaderView& reader);

// FreeBSD 8's map fill: p_candebug()'s error as it is, then a 32-bit reader of a 64-bit target
// -> EOPNOTSUPP.
vfs::KResult<void> pseudofs_map_gate(const ReaderView& reader);

// What FreeBSD 8's pfs_visible() looks at for a node of a process.
struct VisibilityInputs {
  bool process_found = true;  // pfind() finds it (live, not half-forked)
  kern::ProcFlags p_flag = 0;
  bool can_see = true;    // p_cansee(reader, target) == 0
  bool can_debug = true;  // p_candebug(reader, target) == 0
};

// Whether a FreeBSD 8 node is visible: root-level nodes always; a process's nodes while the
// process is found, lacks P_WEXIT, is seen by the reader and passes the node's callback.
bool pseudofs_visible(Node node, const VisibilityInputs& in);

// The pseudofs operations that check visibility.
enum class PfsOp : std::uint8_t { Lookup, Getattr, Readdir, Read, Write, Ioctl, Getextattr };

// An invisible node: ENOENT for lookup, getattr and readdir; EIO for read, write, ioctl and
// getextattr through a descriptor opened earlier.
vfs::Errno invisible_error(PfsOp op);

enum class IoDirection : std::uint8_t { Read, Write };

// The error for reading or writing a node the other way round (spec §8.3), none when the node
// supports the direction. Directories: EOPNOTSUPP in the vnode-ops eras, EINVAL in FreeBSD 8.
std::optional<vfs::Errno> wrong_direction_error(Era era, Node node, IoDirection direction);

}  // namespace procsim::procfs
