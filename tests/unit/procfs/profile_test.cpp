// The per-era node tables decide what `ls -l /proc/N` shows: names and their order, modes,
// owners, sizes and link counts, and which entries a system process or a process the reader
// cannot debug still has. Expected values are spec/procfs.md §1.2-§1.3 and the README listing.
#include "model/procfs/profile.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "test_support.h"

using namespace procfs_test;  // NOLINT: test-local helpers
using kern::Pid;
using procfs::Era;
using procfs::Node;
using procfs::NodeAttributes;

namespace {

std::vector<std::string> listing_names(Era era) {
  std::vector<std::string> names;
  for (const procfs::ListingRow& row : procfs::profile(era).proc_listing) names.emplace_back(row.name);
  return names;
}

// The names a process directory lists for a target with these flags and debug permission.
std::string present_names(Era era, kern::ProcFlags flags, bool can_debug) {
  std::string out;
  for (const procfs::ListingRow& row : procfs::profile(era).proc_listing) {
    if (!procfs::node_present(procfs::node_row(era, row.node), flags, can_debug)) continue;
    if (!out.empty()) out += ' ';
    out += row.name;
  }
  return out;
}

procfs::AttrInputs inputs_for(const vfs::Ucred& cred, std::int32_t pid, kern::ProcFlags flags = 0) {
  procfs::AttrInputs in;
  in.target_cred = &cred;
  in.target_flags = flags;
  in.target_pid = Pid(pid);
  in.caller_pid = Pid(pid);
  in.register_sizes = {176, 512, 128};
  return in;
}

}  // namespace

TEST_CASE("4.4BSD process directories list the first revision's table, without . and ..") {
  CHECK(listing_names(Era::Bsd44) ==
        std::vector<std::string>{"file", "mem", "regs", "ctl", "status", "note", "notepg"});
  CHECK(procfs::profile(Era::Bsd44).curproc == procfs::CurprocForm::DirectoryAlias);
  CHECK(procfs::find_node(Era::Bsd44, Node::Curproc) == nullptr);
  CHECK(procfs::find_node(Era::Bsd44, Node::Cmdline) == nullptr);
}

TEST_CASE("4.4BSD attributes match the README's ls -l of /proc and /proc/curproc") {
  vfs::Ucred jsp = cred_of(11, {20, 20, 0, 21, 117}, Era::Bsd44);
  procfs::AttrInputs in = inputs_for(jsp, 416);
  in.mem_image_bytes = 118784;
  struct Row {
    Node node;
    std::uint16_t mode;
    std::uint32_t nlink;
    std::uint64_t size;
  };
  const std::vector<Row> kRows = {
      {Node::ProcDir, 0555, 2, 0}, {Node::Ctl, 0200, 1, 0},    {Node::Mem, 0600, 1, 118784},
      {Node::Note, 0200, 1, 0},    {Node::Notepg, 0200, 1, 0}, {Node::Regs, 0600, 1, 0},
      {Node::Status, 0444, 1, 0},
  };
  for (const Row& row : kRows) {
    CAPTURE(static_cast<int>(row.node));
    NodeAttributes attributes = procfs::node_attributes(Era::Bsd44, row.node, in);
    CHECK(attributes.mode == row.mode);
    CHECK(attributes.nlink == row.nlink);
    CHECK(attributes.size == row.size);
    CHECK(attributes.uid == vfs::Uid(11));
    CHECK(attributes.gid == vfs::Gid(20));
  }
  // 1993's getattr had no P_SUGID adjustment yet.
  CHECK(procfs::node_attributes(Era::Bsd44, Node::Mem, inputs_for(jsp, 416, kern::P_SUGID)).mode == 0600);
}

TEST_CASE("FreeBSD 4 lists proc_targets[] in table order and links the directory 15 times") {
  CHECK(listing_names(Era::FreeBSD4) == std::vector<std::string>{".", "..", "mem", "regs", "fpregs", "dbregs",
                                                                 "ctl", "status", "note", "notepg", "map",
                                                                 "etype", "cmdline", "rlimit", "file"});
  vfs::Ucred user = cred_of(1001, {20, 5}, Era::FreeBSD4);
  CHECK(procfs::node_attributes(Era::FreeBSD4, Node::ProcDir, inputs_for(user, 408)).nlink == 15);
  CHECK(procfs::node_attributes(Era::FreeBSD4, Node::ProcDir, inputs_for(user, 408)).size == 512);
  CHECK(procfs::node_attributes(Era::FreeBSD4, Node::Root, inputs_for(user, 408)).nlink == 1);
}

TEST_CASE("FreeBSD 4 attributes: modes, sizes and the P_SUGID rules of getattr") {
  vfs::Ucred user = cred_of(1001, {20}, Era::FreeBSD4);
  user.uid = vfs::Uid(0);  // a set-uid-root program run by 1001: euid 0, ruid 1001
  procfs::AttrInputs in = inputs_for(user, 408);
  in.caller_pid = Pid(12345);
  in.link_target_length = 7;
  CHECK(procfs::node_attributes(Era::FreeBSD4, Node::Mem, in).mode == 0640);
  CHECK(procfs::node_attributes(Era::FreeBSD4, Node::Regs, in).size == 176);
  CHECK(procfs::node_attributes(Era::FreeBSD4, Node::Fpregs, in).size == 512);
  CHECK(procfs::node_attributes(Era::FreeBSD4, Node::Dbregs, in).size == 128);
  CHECK(procfs::node_attributes(Era::FreeBSD4, Node::Curproc, in).size == 5);
  CHECK(procfs::node_attributes(Era::FreeBSD4, Node::Curproc, in).mode == 0444);
  CHECK(procfs::node_attributes(Era::FreeBSD4, Node::File, in).mode == 0555);
  CHECK(procfs::node_attributes(Era::FreeBSD4, Node::File, in).size == 7);
  in.link_target_length.reset();
  CHECK(procfs::node_attributes(Era::FreeBSD4, Node::File, in).size == 7);  // "unknown"
  // Owners are the effective ids.
  CHECK(procfs::node_attributes(Era::FreeBSD4, Node::Status, in).uid == vfs::Uid(0));

  in.target_flags = kern::P_SUGID;
  user.uid = vfs::Uid(1001);
  NodeAttributes mem = procfs::node_attributes(Era::FreeBSD4, Node::Mem, in);
  CHECK(mem.mode == 0);
  CHECK(mem.uid == vfs::Uid(0));
  CHECK(mem.gid == vfs::Gid(20));
  CHECK(procfs::node_attributes(Era::FreeBSD4, Node::Ctl, in).mode == 0);
  CHECK(procfs::node_attributes(Era::FreeBSD4, Node::Regs, in).mode == 0);
  CHECK(procfs::node_attributes(Era::FreeBSD4, Node::Dbregs, in).mode == 0);
  CHECK(procfs::node_attributes(Era::FreeBSD4, Node::Status, in).mode == 0444);
  CHECK(procfs::node_attributes(Era::FreeBSD4, Node::Note, in).mode == 0200);
  CHECK(procfs::node_attributes(Era::FreeBSD4, Node::Status, in).uid == vfs::Uid(1001));
}

TEST_CASE("FreeBSD 8 lists nodes newest first, then .. and .") {
  CHECK(listing_names(Era::FreeBSD8) ==
        std::vector<std::string>{"file", "osrel", "status", "rlimit", "regs", "notepg", "note", "mem", "map",
                                 "fpregs", "etype", "dbregs", "ctl", "cmdline", "..", "."});
}

TEST_CASE("FreeBSD 8 hides nodes by their visibility callbacks as spec 1.2 lists them") {
  CHECK(present_names(Era::FreeBSD8, 0, false) == "file status rlimit map etype ctl cmdline .. .");
  CHECK(present_names(Era::FreeBSD8, kern::P_SYSTEM, true) == "status rlimit etype ctl cmdline .. .");
  CHECK(present_names(Era::FreeBSD8, 0, true) ==
        "file osrel status rlimit regs notepg note mem map fpregs etype dbregs ctl cmdline .. .");
}

TEST_CASE("FreeBSD 4 hides regs, fpregs, dbregs, map and etype of a system process") {
  CHECK(present_names(Era::FreeBSD4, kern::P_SYSTEM, false) ==
        ". .. mem ctl status note notepg cmdline rlimit file");
  CHECK(present_names(Era::FreeBSD4, 0, false) ==
        ". .. mem regs fpregs dbregs ctl status note notepg map etype cmdline rlimit file");
}

TEST_CASE("FreeBSD 8 attributes: real ids, size 0, one link, mode 0 under P_SUGID") {
  vfs::Ucred user = cred_of(1001, {1001, 0});
  user.uid = vfs::Uid(0);
  user.groups.front() = vfs::Gid(5);
  procfs::AttrInputs in = inputs_for(user, 408);
  NodeAttributes regs = procfs::node_attributes(Era::FreeBSD8, Node::Regs, in);
  CHECK(regs.mode == 0600);
  CHECK(regs.uid == vfs::Uid(1001));
  CHECK(regs.gid == vfs::Gid(1001));
  CHECK(regs.size == 0);
  CHECK(regs.nlink == 1);
  CHECK(procfs::node_attributes(Era::FreeBSD8, Node::ProcDir, in).nlink == 1);
  CHECK(procfs::node_attributes(Era::FreeBSD8, Node::Curproc, in).uid == vfs::Uid(0));
  CHECK(procfs::node_attributes(Era::FreeBSD8, Node::File, in).mode == 0444);

  in.target_flags = kern::P_SUGID;
  for (Node node : {Node::Ctl, Node::Dbregs, Node::Fpregs, Node::Mem, Node::Note, Node::Notepg, Node::Regs,
                    Node::Osrel}) {
    CHECK(procfs::node_attributes(Era::FreeBSD8, node, in).mode == 0);
  }
  for (Node node : {Node::Cmdline, Node::Etype, Node::Map, Node::Rlimit, Node::Status, Node::File}) {
    CHECK(procfs::node_attributes(Era::FreeBSD8, node, in).mode == 0444);
  }
  CHECK(procfs::node_attributes(Era::FreeBSD8, Node::ProcDir, in).mode == 0555);
}

TEST_CASE("lookup finds a process directory entry by exact name only") {
  CHECK(procfs::lookup_proc_entry(Era::FreeBSD4, "dbregs") == Node::Dbregs);
  CHECK(procfs::lookup_proc_entry(Era::FreeBSD8, "osrel") == Node::Osrel);
  CHECK_FALSE(procfs::lookup_proc_entry(Era::FreeBSD4, "osrel").has_value());
  CHECK_FALSE(procfs::lookup_proc_entry(Era::Bsd44, "map").has_value());
  CHECK_FALSE(procfs::lookup_proc_entry(Era::FreeBSD8, "Status").has_value());
  CHECK_FALSE(procfs::lookup_proc_entry(Era::FreeBSD8, "..").has_value());
}

TEST_CASE("every profile names its era and its text nodes' read rules") {
  CHECK(procfs::profile(Era::Bsd44).name == "4.4bsd");
  CHECK(procfs::profile(Era::FreeBSD4).name == "freebsd4");
  CHECK(procfs::profile(Era::FreeBSD8).name == "freebsd8");
  CHECK(procfs::node_row(Era::FreeBSD4, Node::Map).text_read == procfs::TextRead::RawLines);
  CHECK(procfs::node_row(Era::FreeBSD4, Node::Etype).text_read == procfs::TextRead::OffsetZeroOnly);
  CHECK(procfs::node_row(Era::FreeBSD4, Node::Status).text_read == procfs::TextRead::Slice);
  CHECK(procfs::node_row(Era::FreeBSD8, Node::Map).text_read == procfs::TextRead::SbufWindow);
  CHECK(procfs::dirent_type_name(procfs::DirentType::Lnk) == "DT_LNK");
}
