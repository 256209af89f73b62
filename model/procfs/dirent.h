// procfs directory reads per era (spec/procfs.md §8.2): the record layout (16-byte pfsdent in
// 4.4BSD, 20-byte struct dirent sized for 8-character names in FreeBSD 4, 32-byte PFS_DELEN
// records in FreeBSD 8), the offset checks, how an offset resumes a listing (including FreeBSD
// 4's root-directory continuation bug) and the listings themselves. Cookies, NFS export and the
// uio machinery are not modelled: a read returns the bytes and the new directory offset.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "model/kern/pid_alloc.h"
#include "model/kern/proc_flags.h"
#include "model/procfs/profile.h"
#include "model/vfs/errno.h"
#include "sim/base/bytes.h"

namespace procsim::procfs {

// One era's record: u32 d_fileno, u16 d_reclen, u8 d_type, u8 d_namlen (little-endian), then
// the name area, always NUL-terminated.
//   4.4BSD: struct pfsdent, UIO_MX = 16 (8-byte name area).
//   FreeBSD 4: GENERIC_DIRSIZ of a dirent with d_namlen = PROCFS_NAMELEN (8): 8 + ((8 + 1 + 3)
//     & ~3) = 20 bytes (12-byte name area). Every record has that size, whatever its name.
//   FreeBSD 8: PFS_DELEN = 32 (24-byte name area, PFS_NAMELEN).
struct DirentLayout {
  Era era;
  std::size_t record_bytes;
  std::size_t name_bytes;
};

inline constexpr std::size_t kDirentHeaderBytes = 8;

inline constexpr std::array<DirentLayout, vfs::kEraCount> kDirentLayouts = {{
    {Era::Bsd44, 16, 8},
    {Era::FreeBSD4, 20, 12},
    {Era::FreeBSD8, 32, 24},
}};

constexpr const DirentLayout& dirent_layout(Era era) { return kDirentLayouts[static_cast<std::size_t>(era)]; }

// One entry a listing may hold. `listed` false: the entry exists in the list but readdir passes
// over it (FreeBSD 4: a proc_targets[] row whose validity test fails, or a process outside the
// reader's jail; FreeBSD 8: an invisible node or process).
struct DirSlot {
  std::string name;
  std::uint32_t fileno = 0;
  DirentType type = DirentType::Unknown;
  bool listed = true;
};

enum class DirKind : std::uint8_t { Root, ProcDir };

// A directory's entries in list order. fixed_before counts the root's entries ahead of the
// processes (4.4BSD curproc; FreeBSD 4 ".", "..", curproc), which the continuation arithmetic of
// the vnode-ops eras treats apart. readable false: FreeBSD 4 lists nothing for a process outside
// the reader's jail; FreeBSD 8 fails with ENOENT when the directory is not visible.
struct DirListing {
  DirKind kind = DirKind::ProcDir;
  std::vector<DirSlot> slots;
  std::size_t fixed_before = 0;
  bool readable = true;
};

// getdirentries(2)'s position and buffer size.
struct DirReadRequest {
  std::int64_t offset = 0;
  std::size_t resid = 0;
};

// What a directory read copied out and the directory offset it leaves behind.
struct DirRead {
  base::Bytes bytes;
  std::int64_t offset = 0;
  std::size_t entries = 0;
};

// One directory read in the era's rules:
//   4.4BSD: resid < 16, offset not a multiple of 16 or negative -> EINVAL; entry i of the list is
//     at offset 16 * i; the new offset is 16 * (index after the last entry).
//   FreeBSD 4: offset outside int, negative, not a multiple of 20, or resid < 20 -> EINVAL; an
//     index counts every slot, listed or not; the root's continuation skips `index` processes
//     instead of index - 3 (spec §8.2), losing processes at every continued read.
//   FreeBSD 8: offset negative or not a multiple of 32, or 0 < resid < 32 -> EINVAL; resid 0 ->
//     nothing; unreadable -> ENOENT; the offset counts listed entries to skip, re-evaluated on
//     every call; the new offset is the old one plus the bytes copied.
vfs::KResult<DirRead> read_directory(Era era, const DirListing& listing, const DirReadRequest& request);

// One process on allproc, newest first, and whether the reader's listing includes it (FreeBSD 4:
// PRISON_CHECK; FreeBSD 8: not P_WEXIT and p_cansee; 4.4BSD: always).
struct RootProcEntry {
  kern::Pid pid;
  bool listed = true;
};

// The root directory's listing for an era, processes in the order given.
DirListing root_listing(Era era, std::span<const RootProcEntry> allproc);

// What a process directory's listing depends on.
struct ProcDirFacts {
  kern::Pid pid{0};
  kern::ProcFlags p_flag = 0;
  bool can_debug = false;  // FreeBSD 8: p_candebug(reader, target) == 0
  bool readable = true;    // FreeBSD 4: PRISON_CHECK(reader, target); FreeBSD 8: directory visible
};

// A process directory's listing for an era, in the era's readdir order.
DirListing proc_dir_listing(Era era, const ProcDirFacts& facts);

}  // namespace procsim::procfs
