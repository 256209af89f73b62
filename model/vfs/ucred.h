// Credentials as a value (FreeBSD's struct ucred: effective, real and saved ids, the group list
// and the prison), group membership, the group-list rules of each era, and the vaccess()
// permission check every file system uses. Reference counting, uidinfo accounting, MAC labels
// and audit state are not modelled; the prison table itself lives with the kernel.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "model/vfs/errno.h"
#include "sim/base/strong_id.h"

namespace procsim::vm {
struct UidTag;
}  // namespace procsim::vm

namespace procsim::vfs {

// A user id. The same type as vm::Uid (the VM charges swap to a real uid), hence vm's tag.
using Uid = base::StrongId<vm::UidTag, std::uint32_t>;
// A group id.
using Gid = base::StrongId<struct GidTag, std::uint32_t>;
// A jail. 0 is prison0, the host itself: a process in prison 0 is not jailed.
using PrisonId = base::StrongId<struct PrisonIdTag, std::uint32_t>;

inline constexpr Uid kRootUid{0};
inline constexpr PrisonId kPrison0{0};

// The kernel generation whose rules apply; the machine's procfs profile picks it one to one
// (4.4bsd, freebsd4, freebsd8). Modules that differ per era keep one table row per value.
enum class Era : std::uint8_t { Bsd44, FreeBSD4, FreeBSD8 };
inline constexpr std::size_t kEraCount = 3;

// How an era stores the group list. spec/kernel.md §3.1: 8.3's crsetgroups() sorts groups[1..]
// ascending and keeps up to ngroups_max + 1 entries. 4.4BSD and FreeBSD 4 copy setgroups()'s list
// as given into a fixed cr_groups[NGROUPS] (NGROUPS 16, egid included). The scenario contract's
// "primary group first, then the groups in the order given" is the list handed to setgroups();
// what a status file prints is what the era stores: a user with gid=20 groups=5,0 shows
// ",20,5,0" under freebsd4 and ",20,0,5" under freebsd8.
struct GroupRules {
  Era era;
  bool sorts_supplementary;  // groups[1..] kept in ascending order
  std::size_t groups_max;    // entries in cr_groups, egid included
};

// One row per Era, in Era order. 8.3's ngroups_max is NGROUPS_MAX, 1023 in 8.x (spec/kernel.md
// §3.1 marks the value unconfirmed), so 1024 entries with the egid.
inline constexpr std::array<GroupRules, kEraCount> kGroupRules = {{
    {Era::Bsd44, false, 16},
    {Era::FreeBSD4, false, 16},
    {Era::FreeBSD8, true, 1024},
}};

constexpr const GroupRules& group_rules(Era era) { return kGroupRules[static_cast<std::size_t>(era)]; }

// struct ucred's identity fields. groups[0] is the effective gid (cr_gid); the rest are the
// supplementary groups. Invariant: groups is never empty.
struct Ucred {
  Uid uid;                  // cr_uid: effective user id
  Uid ruid;                 // cr_ruid
  Uid svuid;                // cr_svuid
  Gid rgid;                 // cr_rgid
  Gid svgid;                // cr_svgid
  std::vector<Gid> groups;  // cr_groups[0 .. cr_ngroups)
  PrisonId prison = kPrison0;

  Gid egid() const;
  std::size_t ngroups() const { return groups.size(); }
  bool jailed() const { return prison != kPrison0; }

  bool operator==(const Ucred&) const = default;
};

// Credentials of a freshly logged-in user: every uid is `uid`, the real and saved gids are
// group_list[0], and the group list is stored with crsetgroups() under the era's rules.
// group_list is what initgroups() hands to setgroups(): the primary group first.
Ucred make_ucred(Uid uid, std::span<const Gid> group_list, const GroupRules& rules);

// groupmember(): gid is the effective gid or one of the supplementary groups.
bool groupmember(Gid gid, const Ucred& cred);

// setgroups(2)'s size check: more entries than the era can hold is EINVAL.
KResult<void> check_setgroups_count(std::size_t count, const GroupRules& rules);

// crsetgroups(): stores group_list (non-empty) as the credential's group list, truncated to the
// era's capacity and, where the era sorts, with groups[1..] in ascending order (duplicates kept).
void crsetgroups(Ucred& cred, std::span<const Gid> group_list, const GroupRules& rules);

// Requested access, as FreeBSD's accmode_t bits (8.3 sys/sys/vnode.h).
using Accmode = std::uint32_t;
inline constexpr Accmode VEXEC = 0000100;
inline constexpr Accmode VWRITE = 0000200;
inline constexpr Accmode VREAD = 0000400;
inline constexpr Accmode VADMIN = 0010000;
inline constexpr Accmode VAPPEND = 0040000;  // a write that only appends; granted with VWRITE

// vaccess() treats a directory's execute bit as search permission.
enum class FileKind : std::uint8_t { NonDirectory, Directory };

// vaccess() as in 8.3 (kern/vfs_subr.c): exactly one of the owner, group or other permission
// classes applies; privilege then fills the gaps: root (euid 0, while suser_enabled) may always
// read, write, administer and search directories, and may execute a file only if some execute
// bit is set. Failure is EPERM when VADMIN was asked for, else EACCES.
KResult<void> vaccess(FileKind kind, std::uint32_t file_mode, Uid file_uid, Gid file_gid, Accmode accmode,
                      const Ucred& cred, bool suser_enabled = true);

}  // namespace procsim::vfs
