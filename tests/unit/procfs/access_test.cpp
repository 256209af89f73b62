// Who may open, read and write which node: the permission test on getattr's attributes (root
// reads even write-only nodes in the vnode-ops eras), FreeBSD 4's jail, exclusive-open, P_INEXEC,
// CHECKIO and securelevel gates, FreeBSD 8's visibility with its ENOENT/EIO split, and the errors
// for using a node the wrong way round.
#include "model/procfs/access.h"

#include <doctest/doctest.h>

#include "test_support.h"

using namespace procfs_test;  // NOLINT: test-local helpers
using kern::Pid;
using procfs::Era;
using procfs::IoDirection;
using procfs::MemOpenState;
using procfs::Node;
using procfs::NodeAttributes;
using procfs::VnodeOpenRequest;

namespace {

NodeAttributes attributes(std::uint16_t mode, std::uint32_t uid, std::uint32_t gid,
                          procfs::VnodeKind kind = procfs::VnodeKind::Regular) {
  return NodeAttributes{kind, mode, vfs::Uid(uid), vfs::Gid(gid), 1, 0, 0};
}

std::optional<vfs::Errno> access_error(Era era, const NodeAttributes& node, vfs::Accmode accmode,
                                       const vfs::Ucred& cred) {
  vfs::KResult<void> result = procfs::check_node_access(era, node, accmode, cred);
  if (result.ok()) return std::nullopt;
  return result.error();
}

procfs::ReaderView allowed_reader() {
  procfs::ReaderView view;
  view.io_allowed = true;
  return view;
}

vfs::Errno open_error(Era era, const VnodeOpenRequest& request, const procfs::ReaderView& reader) {
  vfs::KResult<MemOpenState> result = procfs::vnode_open_gate(era, request, reader);
  REQUIRE(result.is_error());
  return result.error();
}

}  // namespace

TEST_CASE("the vnode-ops eras let euid 0 read even a write-only ctl") {
  vfs::Ucred root = cred_of(0, {0}, Era::FreeBSD4);
  CHECK_FALSE(access_error(Era::FreeBSD4, attributes(0200, 1001, 20), vfs::VREAD, root).has_value());
  CHECK_FALSE(
      access_error(Era::FreeBSD4, attributes(0, 1001, 20), vfs::VREAD | vfs::VWRITE, root).has_value());
  // FreeBSD 8's vaccess() also lets root read and write regardless of the mode.
  CHECK_FALSE(access_error(Era::FreeBSD8, attributes(0, 1001, 20), vfs::VREAD, root).has_value());
}

TEST_CASE("the vnode-ops eras check exactly one permission class") {
  vfs::Ucred owner = cred_of(1001, {20}, Era::FreeBSD4);
  vfs::Ucred member = cred_of(1002, {30, 20}, Era::FreeBSD4);
  vfs::Ucred other = cred_of(1003, {30}, Era::FreeBSD4);
  NodeAttributes mem = attributes(0640, 1001, 20);
  CHECK_FALSE(access_error(Era::FreeBSD4, mem, vfs::VREAD | vfs::VWRITE, owner).has_value());
  CHECK_FALSE(access_error(Era::FreeBSD4, mem, vfs::VREAD, member).has_value());
  CHECK(access_error(Era::FreeBSD4, mem, vfs::VWRITE, member) == vfs::Errno::Eacces);
  CHECK(access_error(Era::FreeBSD4, mem, vfs::VREAD, other) == vfs::Errno::Eacces);
  // The owner class alone decides, even when the other class would allow more.
  CHECK(access_error(Era::FreeBSD4, attributes(0044, 1001, 20), vfs::VREAD, owner) == vfs::Errno::Eacces);
  CHECK(access_error(Era::FreeBSD4, attributes(0200, 1001, 20), vfs::VREAD, owner) == vfs::Errno::Eacces);
  CHECK(access_error(Era::FreeBSD8, attributes(0200, 1001, 20), vfs::VREAD, owner) == vfs::Errno::Eacces);
}

TEST_CASE("FreeBSD 4 opens of a process in another jail fail with ENOENT, except pid 0") {
  VnodeOpenRequest request;
  request.node = Node::Status;
  request.target_pid = Pid(300);
  request.same_prison = false;
  CHECK(open_error(Era::FreeBSD4, request, allowed_reader()) == vfs::Errno::Enoent);
  request.target_pid = Pid(0);
  CHECK(procfs::vnode_open_gate(Era::FreeBSD4, request, allowed_reader()).ok());
}

TEST_CASE("mem opens: exclusive rule, then P_INEXEC, then CHECKIO in FreeBSD 4") {
  VnodeOpenRequest request;
  request.node = Node::Mem;
  request.target_pid = Pid(300);
  request.for_write = true;
  vfs::KResult<MemOpenState> plain = procfs::vnode_open_gate(Era::FreeBSD4, request, allowed_reader());
  REQUIRE(plain.ok());
  CHECK(plain.value().write_open);
  CHECK_FALSE(plain.value().exclusive);

  VnodeOpenRequest exclusive = request;
  exclusive.exclusive = true;
  exclusive.mem = plain.value();
  exclusive.target_flags = kern::P_INEXEC;
  CHECK(open_error(Era::FreeBSD4, exclusive, procfs::ReaderView{}) == vfs::Errno::Ebusy);
  VnodeOpenRequest exec = request;
  exec.target_flags = kern::P_INEXEC;
  CHECK(open_error(Era::FreeBSD4, exec, procfs::ReaderView{}) == vfs::Errno::Eagain);
  CHECK(open_error(Era::FreeBSD4, request, procfs::ReaderView{}) == vfs::Errno::Eperm);
  // A read-only open leaves the recorded state alone.
  VnodeOpenRequest reader_open = request;
  reader_open.for_write = false;
  reader_open.mem = MemOpenState{true, true};
  vfs::KResult<MemOpenState> read_only =
      procfs::vnode_open_gate(Era::FreeBSD4, reader_open, allowed_reader());
  REQUIRE(read_only.ok());
  CHECK(read_only.value().exclusive);
}

TEST_CASE("a plain write open leaves FWRITE behind, so O_EXCL opens keep failing") {
  VnodeOpenRequest request;
  request.node = Node::Mem;
  request.target_pid = Pid(300);
  request.for_write = true;
  MemOpenState after_open = procfs::vnode_open_gate(Era::Bsd44, request, procfs::ReaderView{}).value();
  MemOpenState after_close = procfs::mem_close(after_open, true);
  CHECK(after_close.write_open);
  VnodeOpenRequest exclusive = request;
  exclusive.exclusive = true;
  exclusive.mem = after_close;
  CHECK(open_error(Era::Bsd44, exclusive, procfs::ReaderView{}) == vfs::Errno::Ebusy);
  // An exclusive writer's close clears both bits.
  MemOpenState exclusive_held{true, true};
  CHECK_FALSE(procfs::mem_close(exclusive_held, true).write_open);
  CHECK(procfs::mem_close(exclusive_held, false).exclusive);
  // While an O_EXCL writer holds it, any write open is refused; a read open is not.
  VnodeOpenRequest writer = request;
  writer.mem = exclusive_held;
  CHECK(open_error(Era::Bsd44, writer, procfs::ReaderView{}) == vfs::Errno::Ebusy);
  writer.for_write = false;
  CHECK(procfs::vnode_open_gate(Era::Bsd44, writer, procfs::ReaderView{}).ok());
}

TEST_CASE("FreeBSD 4 refuses writes to init while the securelevel is above 0") {
  CHECK(procfs::vnode_rw_gate(Era::FreeBSD4, Pid(1), true, 1).error() == vfs::Errno::Eacces);
  CHECK(procfs::vnode_rw_gate(Era::FreeBSD4, Pid(1), false, 1).ok());
  CHECK(procfs::vnode_rw_gate(Era::FreeBSD4, Pid(1), true, 0).ok());
  CHECK(procfs::vnode_rw_gate(Era::FreeBSD4, Pid(2), true, 2).ok());
  CHECK(procfs::vnode_rw_gate(Era::Bsd44, Pid(1), true, 2).ok());
}

TEST_CASE("mem reads and writes check again at transfer time") {
  CHECK(procfs::mem_io_gate(Era::FreeBSD4, kern::P_INEXEC, allowed_reader()).error() == vfs::Errno::Eagain);
  CHECK(procfs::mem_io_gate(Era::FreeBSD4, 0, procfs::ReaderView{}).error() == vfs::Errno::Eperm);
  CHECK(procfs::mem_io_gate(Era::FreeBSD4, 0, allowed_reader()).ok());
  CHECK(procfs::mem_io_gate(Era::Bsd44, kern::P_INEXEC, procfs::ReaderView{}).ok());
  procfs::ReaderView busy;
  busy.debug_error = vfs::Errno::Ebusy;
  CHECK(procfs::mem_io_gate(Era::FreeBSD8, 0, busy).error() == vfs::Errno::Ebusy);
}

TEST_CASE(
    "FreeBSD 8's map returns p_candebug's error as it is and refuses 32-bit readers of 64-bit targets") {
  procfs::ReaderView jailed;
  jailed.debug_error = vfs::Errno::Esrch;
  CHECK(procfs::pseudofs_map_gate(jailed).error() == vfs::Errno::Esrch);
  procfs::ReaderView reader32;
  reader32.reader_compat32 = true;
  CHECK(procfs::pseudofs_map_gate(reader32).error() == vfs::Errno::Eopnotsupp);
  reader32.target_compat32 = true;
  CHECK(procfs::pseudofs_map_gate(reader32).ok());
}

TEST_CASE("FreeBSD 8 visibility: exiting, unseen and undebuggable targets") {
  procfs::VisibilityInputs live;
  CHECK(procfs::pseudofs_visible(Node::Regs, live));
  procfs::VisibilityInputs exiting = live;
  exiting.p_flag = kern::P_WEXIT;
  CHECK_FALSE(procfs::pseudofs_visible(Node::Status, exiting));
  CHECK(procfs::pseudofs_visible(Node::Curproc, exiting));
  procfs::VisibilityInputs unseen = live;
  unseen.can_see = false;
  CHECK_FALSE(procfs::pseudofs_visible(Node::ProcDir, unseen));
  procfs::VisibilityInputs gone = live;
  gone.process_found = false;
  CHECK_FALSE(procfs::pseudofs_visible(Node::Cmdline, gone));
  procfs::VisibilityInputs stranger = live;
  stranger.can_debug = false;
  CHECK_FALSE(procfs::pseudofs_visible(Node::Mem, stranger));
  CHECK_FALSE(procfs::pseudofs_visible(Node::Osrel, stranger));
  CHECK(procfs::pseudofs_visible(Node::Map, stranger));
  CHECK(procfs::pseudofs_visible(Node::Ctl, stranger));
  procfs::VisibilityInputs system = live;
  system.p_flag = kern::P_SYSTEM;
  CHECK_FALSE(procfs::pseudofs_visible(Node::Map, system));
  CHECK_FALSE(procfs::pseudofs_visible(Node::File, system));
  CHECK(procfs::pseudofs_visible(Node::Ctl, system));
}

TEST_CASE("an invisible node is ENOENT by path and EIO through an open descriptor") {
  CHECK(procfs::invisible_error(procfs::PfsOp::Lookup) == vfs::Errno::Enoent);
  CHECK(procfs::invisible_error(procfs::PfsOp::Getattr) == vfs::Errno::Enoent);
  CHECK(procfs::invisible_error(procfs::PfsOp::Readdir) == vfs::Errno::Enoent);
  CHECK(procfs::invisible_error(procfs::PfsOp::Read) == vfs::Errno::Eio);
  CHECK(procfs::invisible_error(procfs::PfsOp::Write) == vfs::Errno::Eio);
  CHECK(procfs::invisible_error(procfs::PfsOp::Ioctl) == vfs::Errno::Eio);
  CHECK(procfs::invisible_error(procfs::PfsOp::Getextattr) == vfs::Errno::Eio);
}

TEST_CASE("reading a write-only node or writing a read-only one fails per era (spec 8.3)") {
  CHECK(procfs::wrong_direction_error(Era::FreeBSD4, Node::Ctl, IoDirection::Read) == vfs::Errno::Eopnotsupp);
  CHECK(procfs::wrong_direction_error(Era::FreeBSD4, Node::Note, IoDirection::Read) == vfs::Errno::Einval);
  CHECK(procfs::wrong_direction_error(Era::FreeBSD4, Node::Notepg, IoDirection::Read) == vfs::Errno::Einval);
  CHECK(procfs::wrong_direction_error(Era::FreeBSD4, Node::Status, IoDirection::Write) ==
        vfs::Errno::Eopnotsupp);
  CHECK(procfs::wrong_direction_error(Era::FreeBSD4, Node::Rlimit, IoDirection::Write) ==
        vfs::Errno::Eopnotsupp);
  CHECK(procfs::wrong_direction_error(Era::FreeBSD4, Node::ProcDir, IoDirection::Read) ==
        vfs::Errno::Eopnotsupp);
  CHECK_FALSE(procfs::wrong_direction_error(Era::FreeBSD4, Node::Mem, IoDirection::Write).has_value());
  CHECK_FALSE(procfs::wrong_direction_error(Era::FreeBSD4, Node::Ctl, IoDirection::Write).has_value());
  CHECK(procfs::wrong_direction_error(Era::Bsd44, Node::Status, IoDirection::Write) ==
        vfs::Errno::Eopnotsupp);
  CHECK(procfs::wrong_direction_error(Era::FreeBSD8, Node::Ctl, IoDirection::Read) == vfs::Errno::Ebadf);
  CHECK(procfs::wrong_direction_error(Era::FreeBSD8, Node::Note, IoDirection::Read) == vfs::Errno::Ebadf);
  CHECK(procfs::wrong_direction_error(Era::FreeBSD8, Node::Map, IoDirection::Write) == vfs::Errno::Ebadf);
  CHECK(procfs::wrong_direction_error(Era::FreeBSD8, Node::ProcDir, IoDirection::Read) == vfs::Errno::Einval);
  CHECK_FALSE(procfs::wrong_direction_error(Era::FreeBSD8, Node::Osrel, IoDirection::Write).has_value());
  CHECK_FALSE(procfs::wrong_direction_error(Era::FreeBSD8, Node::Status, IoDirection::Read).has_value());
}

TEST_CASE("make_reader_view applies kern's policies") {
  vfs::Ucred alice = cred_of(1001, {20});
  vfs::Ucred bob = cred_of(1002, {20});
  vfs::Ucred root = cred_of(0, {0});
  kern::PolicyConfig config;
  kern::ProcView alice_proc{Pid(400), kern::P_INMEM, alice, false, Pid(400), Pid(400)};
  kern::ProcView alice_other{Pid(401), kern::P_INMEM, alice, false, Pid(400), Pid(401)};
  kern::ProcView bob_proc{Pid(500), kern::P_INMEM, bob, false, Pid(500), Pid(500)};
  kern::ProcView root_proc{Pid(1), kern::P_INMEM, root, true, Pid(1), Pid(1)};

  procfs::ReaderView own = procfs::make_reader_view(alice_proc, alice_other, config);
  CHECK(own.pid == Pid(400));
  CHECK(own.io_allowed);
  CHECK(own.can_see);
  CHECK(own.can_debug());

  procfs::ReaderView foreign = procfs::make_reader_view(alice_proc, bob_proc, config, false);
  CHECK_FALSE(foreign.io_allowed);
  CHECK_FALSE(foreign.ps_argsopen);
  CHECK(foreign.can_see);
  CHECK(foreign.debug_error == vfs::Errno::Eperm);

  procfs::ReaderView superuser = procfs::make_reader_view(root_proc, bob_proc, config);
  CHECK(superuser.io_allowed);
  CHECK(superuser.can_debug());
}
