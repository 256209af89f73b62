// The per-era node tables. Facts: spec/procfs.md §1.2 and §1.3; 4.4BSD from the README
// transcript and the first CSRG revision of procfs_vnops.c (no "." or ".." in a process
// directory, directories with two links and size 0, no P_SUGID adjustment); FreeBSD 4 from the
// 2001 proc_targets[] and procfs_allocvp(); FreeBSD 8 from procfs_init() and procfs_attr().
#include "model/procfs/profile.h"

#include <fmt/format.h>

#include "model/procfs/fileno.h"
#include "sim/base/assert.h"

namespace procsim::procfs {

namespace {

using kern::P_SUGID;
using kern::P_SYSTEM;

constexpr NodeRow row(Node node, std::string_view name, std::uint32_t number, VnodeKind kind,
                      std::uint16_t mode, OwnerRule owner, SugidRule sugid, Presence presence, SizeRule size,
                      std::uint16_t nlink, TextRead text_read) {
  return NodeRow{node, name, number, kind, mode, owner, sugid, presence, size, nlink, text_read, false};
}

constexpr NodeRow text_vnode_row(Node node, std::string_view name, std::uint32_t number) {
  NodeRow result = row(node, name, number, VnodeKind::Regular, 0, OwnerRule::TargetEffective, SugidRule::Keep,
                       Presence::Always, SizeRule::Zero, 1, TextRead::NotText);
  result.yields_text_vnode = true;
  return result;
}

using enum Node;
using enum VnodeKind;
using enum SugidRule;
using enum Presence;
using enum SizeRule;
using enum TextRead;

constexpr OwnerRule RootOwned = OwnerRule::Root;
constexpr OwnerRule TargetEffective = OwnerRule::TargetEffective;
constexpr OwnerRule TargetEffectiveRootIfSugid = OwnerRule::TargetEffectiveRootIfSugid;
constexpr OwnerRule TargetReal = OwnerRule::TargetReal;

// 4.4BSD (1993): pfstype Proot 0 .. Pnotepg 8. Modes as the README's `ls -l` shows them.
constexpr std::array kNodes44 = {
    row(Root, "", 0, Directory, 0555, RootOwned, Keep, Always, Zero, 2, NotText),
    row(ProcDir, "", 1, Directory, 0555, TargetEffective, Keep, Always, Zero, 2, NotText),
    text_vnode_row(File, "file", 2),
    row(Mem, "mem", 3, Regular, 0600, TargetEffective, Keep, Always, MemImage, 1, NotText),
    row(Regs, "regs", 4, Regular, 0600, TargetEffective, Keep, Always, Zero, 1, NotText),
    row(Ctl, "ctl", 5, Regular, 0200, TargetEffective, Keep, Always, Zero, 1, NotText),
    row(Status, "status", 6, Regular, 0444, TargetEffective, Keep, Always, Zero, 1, Slice),
    row(Note, "note", 7, Regular, 0200, TargetEffective, Keep, Always, Zero, 1, NotText),
    row(Notepg, "notepg", 8, Regular, 0200, TargetEffective, Keep, Always, Zero, 1, NotText),
};

// The first revision's procent[]: no "." or "..", every entry DT_REG.
constexpr std::array kListing44 = {
    ListingRow{"file", File, DirentType::Reg},     ListingRow{"mem", Mem, DirentType::Reg},
    ListingRow{"regs", Regs, DirentType::Reg},     ListingRow{"ctl", Ctl, DirentType::Reg},
    ListingRow{"status", Status, DirentType::Reg}, ListingRow{"note", Note, DirentType::Reg},
    ListingRow{"notepg", Notepg, DirentType::Reg},
};

// Every root entry is DT_DIR in 4.4BSD, curproc included.
constexpr std::array kRootBefore44 = {ListingRow{"curproc", Curproc, DirentType::Dir}};

// FreeBSD 4 (2001 procfs.h): Proot 0, Pcurproc 1, Pproc 2, Pfile 3 .. Prlimit 15.
constexpr std::array kNodes4 = {
    row(Root, "", 0, Directory, 0555, RootOwned, Keep, Always, DevBsize, 1, NotText),
    row(Curproc, "curproc", 1, Symlink, 0444, RootOwned, Keep, Always, CallerPidDigits, 1, NotText),
    row(ProcDir, "", 2, Directory, 0555, TargetEffective, Keep, Always, DevBsize, 15, NotText),
    row(File, "file", 3, Symlink, 0555, TargetEffective, Keep, Always, LinkTargetLength, 1, NotText),
    row(Mem, "mem", 4, Regular, 0640, TargetEffectiveRootIfSugid, ClearReadWrite, Always, Zero, 1, NotText),
    row(Regs, "regs", 5, Regular, 0600, TargetEffective, ClearReadWrite, NotSystem, RegSize, 1, NotText),
    row(Fpregs, "fpregs", 6, Regular, 0600, TargetEffective, ClearReadWrite, NotSystem, FpregSize, 1,
        NotText),
    row(Dbregs, "dbregs", 7, Regular, 0600, TargetEffective, ClearReadWrite, NotSystem, DbregSize, 1,
        NotText),
    row(Ctl, "ctl", 8, Regular, 0200, TargetEffective, ClearReadWrite, Always, Zero, 1, NotText),
    row(Status, "status", 9, Regular, 0444, TargetEffective, Keep, Always, Zero, 1, Slice),
    row(Note, "note", 10, Regular, 0200, TargetEffective, Keep, Always, Zero, 1, NotText),
    row(Notepg, "notepg", 11, Regular, 0200, TargetEffective, Keep, Always, Zero, 1, NotText),
    row(Map, "map", 12, Regular, 0444, TargetEffective, Keep, NotSystem, Zero, 1, RawLines),
    row(Etype, "etype", 13, Regular, 0444, TargetEffective, Keep, NotSystem, Zero, 1, OffsetZeroOnly),
    row(Cmdline, "cmdline", 14, Regular, 0444, TargetEffective, Keep, Always, Zero, 1, Slice),
    row(Rlimit, "rlimit", 15, Regular, 0444, TargetEffective, Keep, Always, Zero, 1, Slice),
};

// proc_targets[] of 2001: its row count is the process directory's link count.
constexpr std::array kListing4 = {
    ListingRow{".", ProcDir, DirentType::Dir},       ListingRow{"..", Root, DirentType::Dir},
    ListingRow{"mem", Mem, DirentType::Reg},         ListingRow{"regs", Regs, DirentType::Reg},
    ListingRow{"fpregs", Fpregs, DirentType::Reg},   ListingRow{"dbregs", Dbregs, DirentType::Reg},
    ListingRow{"ctl", Ctl, DirentType::Reg},         ListingRow{"status", Status, DirentType::Reg},
    ListingRow{"note", Note, DirentType::Reg},       ListingRow{"notepg", Notepg, DirentType::Reg},
    ListingRow{"map", Map, DirentType::Reg},         ListingRow{"etype", Etype, DirentType::Reg},
    ListingRow{"cmdline", Cmdline, DirentType::Reg}, ListingRow{"rlimit", Rlimit, DirentType::Reg},
    ListingRow{"file", File, DirentType::Lnk},
};

constexpr std::array kRootBefore4 = {
    ListingRow{".", Root, DirentType::Dir},
    ListingRow{"..", Root, DirentType::Dir},
    ListingRow{"curproc", Curproc, DirentType::Lnk},
};

// FreeBSD 8: node numbers in creation order (root 2, curproc 3, the process directory 4, then
// its files as procfs_init() creates them). Modes: pseudofs defaults (0555 directories, 0444
// files and links) overridden by procfs_attr().
constexpr std::array kNodes8 = {
    row(Root, "", 2, Directory, 0555, RootOwned, Keep, Always, Zero, 1, NotText),
    row(Curproc, "curproc", 3, Symlink, 0444, RootOwned, Keep, Always, Zero, 1, NotText),
    row(ProcDir, "", 4, Directory, 0555, TargetReal, Keep, Always, Zero, 1, NotText),
    row(Cmdline, "cmdline", 5, Regular, 0444, TargetReal, Keep, Always, Zero, 1, SbufWindow),
    row(Ctl, "ctl", 6, Regular, 0200, TargetReal, ModeZero, Always, Zero, 1, NotText),
    row(Dbregs, "dbregs", 7, Regular, 0600, TargetReal, ModeZero, CanDebug, Zero, 1, NotText),
    row(Etype, "etype", 8, Regular, 0444, TargetReal, Keep, Always, Zero, 1, SbufWindow),
    row(Fpregs, "fpregs", 9, Regular, 0600, TargetReal, ModeZero, CanDebug, Zero, 1, NotText),
    row(Map, "map", 10, Regular, 0444, TargetReal, Keep, NotSystem, Zero, 1, SbufWindow),
    row(Mem, "mem", 11, Regular, 0600, TargetReal, ModeZero, CanDebug, Zero, 1, NotText),
    row(Note, "note", 12, Regular, 0200, TargetReal, ModeZero, CanDebug, Zero, 1, NotText),
    row(Notepg, "notepg", 13, Regular, 0200, TargetReal, ModeZero, CanDebug, Zero, 1, NotText),
    row(Regs, "regs", 14, Regular, 0600, TargetReal, ModeZero, CanDebug, Zero, 1, NotText),
    row(Rlimit, "rlimit", 15, Regular, 0444, TargetReal, Keep, Always, Zero, 1, SbufWindow),
    row(Status, "status", 16, Regular, 0444, TargetReal, Keep, Always, Zero, 1, SbufWindow),
    row(Osrel, "osrel", 17, Regular, 0600, TargetReal, ModeZero, CanDebug, Zero, 1, SbufWindow),
    row(File, "file", 18, Symlink, 0444, TargetReal, Keep, NotSystem, Zero, 1, NotText),
};

// pfs_add_node() prepends, so a directory lists its nodes newest first and "." and ".." (made
// first) last. spec §1.2
constexpr std::array kListing8 = {
    ListingRow{"file", File, DirentType::Lnk},     ListingRow{"osrel", Osrel, DirentType::Reg},
    ListingRow{"status", Status, DirentType::Reg}, ListingRow{"rlimit", Rlimit, DirentType::Reg},
    ListingRow{"regs", Regs, DirentType::Reg},     ListingRow{"notepg", Notepg, DirentType::Reg},
    ListingRow{"note", Note, DirentType::Reg},     ListingRow{"mem", Mem, DirentType::Reg},
    ListingRow{"map", Map, DirentType::Reg},       ListingRow{"fpregs", Fpregs, DirentType::Reg},
    ListingRow{"etype", Etype, DirentType::Reg},   ListingRow{"dbregs", Dbregs, DirentType::Reg},
    ListingRow{"ctl", Ctl, DirentType::Reg},       ListingRow{"cmdline", Cmdline, DirentType::Reg},
    ListingRow{"..", Root, DirentType::Dir},       ListingRow{".", ProcDir, DirentType::Dir},
};

// The root's list after prepending: the process directory node (expanded to every process),
// curproc, "..", ".".
constexpr std::array kRootAfter8 = {
    ListingRow{"curproc", Curproc, DirentType::Lnk},
    ListingRow{"..", Root, DirentType::Dir},
    ListingRow{".", Root, DirentType::Dir},
};

constexpr std::array<Profile, vfs::kEraCount> kProfiles = {{
    {Era::Bsd44,
     "4.4bsd",
     kNodes44,
     kListing44,
     kRootBefore44,
     {},
     DirentType::Dir,
     CurprocForm::DirectoryAlias,
     16,
     30000},
    {Era::FreeBSD4,
     "freebsd4",
     kNodes4,
     kListing4,
     kRootBefore4,
     {},
     DirentType::Dir,
     CurprocForm::Symlink,
     16,
     kern::PID_MAX},
    {Era::FreeBSD8,
     "freebsd8",
     kNodes8,
     kListing8,
     {},
     kRootAfter8,
     DirentType::Dir,
     CurprocForm::Symlink,
     19,
     kern::PID_MAX},
}};

template <std::size_t N>
constexpr bool numbers_ascend(const std::array<NodeRow, N>& nodes) {
  for (std::size_t i = 1; i < N; ++i) {
    if (nodes[i].number <= nodes[i - 1].number) return false;
  }
  return true;
}
static_assert(numbers_ascend(kNodes44) && numbers_ascend(kNodes4) && numbers_ascend(kNodes8));

// FreeBSD 4 reports proc_targets[]'s row count as the process directory's link count.
static_assert(kNodes4[2].node == ProcDir && kNodes4[2].nlink == kListing4.size());

constexpr std::uint32_t number_in(std::span<const NodeRow> nodes, Node node) {
  for (const NodeRow& candidate : nodes) {
    if (candidate.node == node) return candidate.number;
  }
  return 0;
}

// FreeBSD 8's files are listed newest first: their node numbers descend along the listing.
constexpr bool listing8_descends() {
  std::uint32_t previous = 1000;
  for (const ListingRow& entry : kListing8) {
    if (entry.name == "." || entry.name == "..") continue;
    std::uint32_t number = number_in(kNodes8, entry.node);
    if (number == 0 || number >= previous) return false;
    previous = number;
  }
  return true;
}
static_assert(listing8_descends());

constexpr bool profiles_in_era_order() {
  for (std::size_t i = 0; i < kProfiles.size(); ++i) {
    if (static_cast<std::size_t>(kProfiles[i].era) != i) return false;
  }
  return true;
}
static_assert(profiles_in_era_order());

std::uint64_t size_of(const NodeRow& node_row_value, const AttrInputs& in) {
  switch (node_row_value.size) {
    case Zero: return 0;
    case DevBsize: return 512;
    case RegSize: return in.register_sizes.reg;
    case FpregSize: return in.register_sizes.fpreg;
    case DbregSize: return in.register_sizes.dbreg;
    case CallerPidDigits: return fmt::formatted_size("{}", in.caller_pid.value());
    case LinkTargetLength: return in.link_target_length.value_or(std::string_view("unknown").size());
    case MemImage: return in.mem_image_bytes;
  }
  PROCSIM_UNREACHABLE();
}

std::uint16_t mode_of(const NodeRow& node_row_value, kern::ProcFlags target_flags) {
  bool sugid = (target_flags & P_SUGID) != 0;
  switch (node_row_value.sugid) {
    case Keep: return node_row_value.mode;
    case ClearReadWrite:
      return sugid ? static_cast<std::uint16_t>(node_row_value.mode & ~0666u) : node_row_value.mode;
    case ModeZero: return sugid ? std::uint16_t{0} : node_row_value.mode;
  }
  PROCSIM_UNREACHABLE();
}

}  // namespace

std::string_view dirent_type_name(DirentType type) {
  switch (type) {
    case DirentType::Unknown: return "DT_UNKNOWN";
    case DirentType::Dir: return "DT_DIR";
    case DirentType::Reg: return "DT_REG";
    case DirentType::Lnk: return "DT_LNK";
  }
  return "DT_?";
}

const Profile& profile(Era era) {
  const Profile& result = kProfiles[static_cast<std::size_t>(era)];
  PROCSIM_ASSERT(result.era == era);
  return result;
}

const NodeRow* find_node(Era era, Node node) {
  for (const NodeRow& candidate : profile(era).nodes) {
    if (candidate.node == node) return &candidate;
  }
  return nullptr;
}

const NodeRow& node_row(Era era, Node node) {
  const NodeRow* found = find_node(era, node);
  PROCSIM_ASSERT_MSG(found != nullptr, "the era has no such procfs node");
  return *found;
}

std::optional<Node> lookup_proc_entry(Era era, std::string_view name) {
  if (name == "." || name == "..") return std::nullopt;
  for (const ListingRow& entry : profile(era).proc_listing) {
    if (entry.name == name) return entry.node;
  }
  return std::nullopt;
}

bool node_present(const NodeRow& row_value, kern::ProcFlags target_flags, bool can_debug) {
  bool system = (target_flags & P_SYSTEM) != 0;
  switch (row_value.presence) {
    case Always: return true;
    case NotSystem: return !system;
    case CanDebug: return !system && can_debug;
  }
  PROCSIM_UNREACHABLE();
}

NodeAttributes node_attributes(Era era, Node node, const AttrInputs& in) {
  const NodeRow& found = node_row(era, node);
  PROCSIM_ASSERT_MSG(!found.yields_text_vnode, "4.4BSD's file node has no procfs attributes");
  bool per_process = found.owner != OwnerRule::Root;
  PROCSIM_ASSERT(!per_process || in.target_cred != nullptr);
  NodeAttributes attributes{
      found.kind,         mode_of(found, in.target_flags),      vfs::kRootUid, vfs::Gid(0), found.nlink,
      size_of(found, in), stat_fileno(era, node, in.target_pid)};
  switch (found.owner) {
    case OwnerRule::Root: break;
    case OwnerRule::TargetEffective:
      attributes.uid = in.target_cred->uid;
      attributes.gid = in.target_cred->egid();
      break;
    case OwnerRule::TargetEffectiveRootIfSugid:
      attributes.uid = (in.target_flags & P_SUGID) != 0 ? vfs::kRootUid : in.target_cred->uid;
      attributes.gid = in.target_cred->egid();
      break;
    case OwnerRule::TargetReal:
      attributes.uid = in.target_cred->ruid;
      attributes.gid = in.target_cred->rgid;
      break;
  }
  PROCSIM_ASSERT(attributes.nlink >= 1);
  return attributes;
}

}  // namespace procsim::procfs
