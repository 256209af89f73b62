// procfs's layout per era as data (spec/procfs.md §1): every node an era has, with its type
// number, vnode kind, mode, owner rule, P_SUGID adjustment, presence rule, size rule and link
// count; a process directory's entries in readdir order; the root's fixed entries. node_attributes()
// evaluates a row for getattr. Lookup, vnode caching and time stamps belong to the vnode layer.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "model/kern/pid_alloc.h"
#include "model/kern/proc_flags.h"
#include "model/vfs/ucred.h"

namespace procsim::procfs {

using vfs::Era;

// The kinds of node procfs has in any era. Which exist, and their numbers, is per era.
enum class Node : std::uint8_t {
  Root,
  Curproc,
  ProcDir,
  File,
  Mem,
  Regs,
  Fpregs,
  Dbregs,
  Ctl,
  Status,
  Note,
  Notepg,
  Map,
  Etype,
  Cmdline,
  Rlimit,
  Osrel,
};
inline constexpr std::size_t kNodeCount = 17;

// d_type values (sys/dirent.h; the same numbers in every era). The host's <dirent.h> owns the
// DT_* spellings as macros, so the enumerators are shortened.
enum class DirentType : std::uint8_t { Unknown = 0, Dir = 4, Reg = 8, Lnk = 10 };

// "DT_DIR", "DT_REG", "DT_LNK", "DT_UNKNOWN".
std::string_view dirent_type_name(DirentType type);

enum class VnodeKind : std::uint8_t { Directory, Regular, Symlink };

// Whose ids getattr reports as a node's owner.
enum class OwnerRule : std::uint8_t {
  Root,                        // uid 0, gid 0
  TargetEffective,             // the target's cr_uid and cr_gid (its egid, cr_groups[0])
  TargetEffectiveRootIfSugid,  // FreeBSD 4 mem: uid 0 while the target has P_SUGID
  TargetReal,                  // FreeBSD 8: cr_ruid and cr_rgid
};

// What P_SUGID on the target does to the mode getattr reports.
enum class SugidRule : std::uint8_t {
  Keep,
  ClearReadWrite,  // FreeBSD 4: every read and write bit cleared (spec §1.2)
  ModeZero,        // FreeBSD 8: mode 0 for nodes with the procfs attribute callback
};

// When a node exists for a process: readdir lists it and lookup finds it.
enum class Presence : std::uint8_t {
  Always,
  NotSystem,  // the target lacks P_SYSTEM
  CanDebug,   // FreeBSD 8: lacks P_SYSTEM and p_candebug(reader, target) == 0
};

// st_size.
enum class SizeRule : std::uint8_t {
  Zero,
  DevBsize,          // 512
  RegSize,           // sizeof(struct reg)
  FpregSize,         // sizeof(struct fpreg)
  DbregSize,         // sizeof(struct dbreg)
  CallerPidDigits,   // FreeBSD 4 curproc: the digits of the stat caller's pid
  LinkTargetLength,  // FreeBSD 4 file: strlen(path), or 7 for "unknown"
  MemImage,          // 4.4BSD mem: text, data and stack pages in bytes
};

// How a read of the node's generated text honours the file offset (spec §3.7). text_read.h.
enum class TextRead : std::uint8_t {
  NotText,         // not a generated text file
  Slice,           // the part of the text at [offset, offset + resid)
  OffsetZeroOnly,  // offset 0 gets the text (cut to resid), any other offset end of file
  RawLines,        // FreeBSD 4 map: offset != 0 is end of file; a line longer than what is left
                   // of the buffer fails the read with EFBIG
  SbufWindow,      // FreeBSD 8: a buffer of min(offset + resid, MAXPHYS) bytes, then a slice
};

// Every fact about one node in one era.
struct NodeRow {
  Node node;
  std::string_view name;  // the entry name ("mem"); empty for the root and process directories
  std::uint32_t number;   // 4.4BSD, FreeBSD 4: the pfstype value; FreeBSD 8: pseudofs node number
  VnodeKind kind;
  std::uint16_t mode;  // before any P_SUGID adjustment
  OwnerRule owner;
  SugidRule sugid;
  Presence presence;
  SizeRule size;
  std::uint16_t nlink;
  TextRead text_read;
  bool yields_text_vnode;  // 4.4BSD file: lookup returns the executable's own vnode
};

// One directory entry: its name, the node it names and the d_type readdir reports.
struct ListingRow {
  std::string_view name;
  Node node;
  DirentType type;
};

// What "curproc" is in the root directory.
enum class CurprocForm : std::uint8_t {
  DirectoryAlias,  // 4.4BSD: lookup yields the caller's own process directory
  Symlink,         // FreeBSD 4 and 8: a symbolic link whose target is the caller's pid
};

// Everything about one era's layout. Row order is readdir order wherever it is a listing.
struct Profile {
  Era era;
  std::string_view name;                     // the machine directive's profile= value
  std::span<const NodeRow> nodes;            // every node the era has, in number order
  std::span<const ListingRow> proc_listing;  // a process directory, in readdir order
  std::span<const ListingRow> root_before;   // root entries listed before the processes
  std::span<const ListingRow> root_after;    // root entries listed after the processes
  DirentType proc_dir_type;                  // d_type of a process directory in the root
  CurprocForm curproc;
  std::size_t maxcomlen;  // MAXCOMLEN: p_comm's capacity without its NUL
  std::int32_t pid_max;   // PID_MAX
};

const Profile& profile(Era era);

// The era's row for a node, or nullptr when the era has no such node.
const NodeRow* find_node(Era era, Node node);
// The era's row for a node the caller knows exists.
const NodeRow& node_row(Era era, Node node);

// The node a process directory entry names, by exact name, for the entries of the era's
// proc_listing other than "." and ".." (the vnode layer resolves those itself).
std::optional<Node> lookup_proc_entry(Era era, std::string_view name);

// The row's presence rule applied to a target (can_debug: FreeBSD 8's p_candebug() == 0).
bool node_present(const NodeRow& row, kern::ProcFlags target_flags, bool can_debug);

// sizeof(struct reg), sizeof(struct fpreg), sizeof(struct dbreg) of the target's register files.
struct RegisterSizes {
  std::uint32_t reg = 0;
  std::uint32_t fpreg = 0;
  std::uint32_t dbreg = 0;
};

// What getattr reads besides the table.
struct AttrInputs {
  const vfs::Ucred* target_cred = nullptr;  // the target's credentials; unused for root nodes
  kern::ProcFlags target_flags = 0;
  kern::Pid target_pid{0};
  kern::Pid caller_pid{0};  // the process calling stat (FreeBSD 4 curproc size)
  RegisterSizes register_sizes;
  std::optional<std::size_t> link_target_length;  // FreeBSD 4 file; none: "unknown"
  std::uint64_t mem_image_bytes = 0;              // 4.4BSD mem
};

// The attributes getattr reports (times are "now" and belong to the caller).
struct NodeAttributes {
  VnodeKind kind;
  std::uint16_t mode;
  vfs::Uid uid;
  vfs::Gid gid;
  std::uint32_t nlink;
  std::uint64_t size;
  std::uint32_t fileno;
};

// getattr of a node the era has. 4.4BSD's file node and curproc alias never reach procfs's
// getattr (lookup hands out other vnodes), so asking for them is a bug.
NodeAttributes node_attributes(Era era, Node node, const AttrInputs& in);

}  // namespace procsim::procfs
