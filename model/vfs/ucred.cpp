// Group-list storage, group membership and vaccess(). Behaviour follows FreeBSD 8.3
// kern/kern_prot.c (crsetgroups, groupmember) and kern/vfs_subr.c (vaccess); the 4.x differences
// are the GroupRules rows. Privilege here is plain "euid 0": jails do not restrict the VFS
// privileges vaccess() uses (8.3 prison_priv_check grants them to jailed root).
#include "model/vfs/ucred.h"

#include <algorithm>

#include "sim/base/assert.h"

namespace procsim::vfs {

namespace {

// One permission class of a mode as three bits, the way sys/stat.h lays them out: read 4,
// write 2, execute 1; the owner class sits 6 bits up, the group class 3.
constexpr std::uint32_t kClassRead = 4;
constexpr std::uint32_t kClassWrite = 2;
constexpr std::uint32_t kClassExec = 1;
constexpr std::uint32_t kOwnerShift = 6;
constexpr std::uint32_t kGroupShift = 3;
constexpr std::uint32_t kAnyExecBits = 0111;

constexpr Accmode kKnownAccmode = VEXEC | VWRITE | VREAD | VADMIN | VAPPEND;

static_assert(kGroupRules[0].era == Era::Bsd44);
static_assert(kGroupRules[1].era == Era::FreeBSD4);
static_assert(kGroupRules[2].era == Era::FreeBSD8);

// What one permission class grants.
Accmode class_grant(std::uint32_t class_bits) {
  PROCSIM_ASSERT(class_bits <= 7);
  Accmode granted = 0;
  if ((class_bits & kClassExec) != 0) granted |= VEXEC;
  if ((class_bits & kClassRead) != 0) granted |= VREAD;
  if ((class_bits & kClassWrite) != 0) granted |= VWRITE | VAPPEND;
  return granted;
}

// The discretionary grant: the owner class (which also carries VADMIN), else the group class,
// else the other class. Exactly one class is consulted, as in 8.3.
Accmode dac_grant(std::uint32_t mode, Uid file_uid, Gid file_gid, const Ucred& cred) {
  if (cred.uid == file_uid) return VADMIN | class_grant((mode >> kOwnerShift) & 7);
  if (groupmember(file_gid, cred)) return class_grant((mode >> kGroupShift) & 7);
  return class_grant(mode & 7);
}

// What privilege adds for the bits the discretionary check left out (PRIV_VFS_LOOKUP, _EXEC,
// _READ, _WRITE, _ADMIN all reduce to "euid 0" here).
Accmode privilege_grant(FileKind kind, std::uint32_t mode, Accmode accmode, Accmode dac_granted,
                        bool privileged) {
  if (!privileged) return 0;
  Accmode missing = accmode & ~dac_granted;
  Accmode granted = 0;
  bool any_exec_bit = (mode & kAnyExecBits) != 0;
  if ((missing & VEXEC) != 0 && (kind == FileKind::Directory || any_exec_bit)) granted |= VEXEC;
  if ((missing & VREAD) != 0) granted |= VREAD;
  if ((missing & VWRITE) != 0) granted |= VWRITE | VAPPEND;
  if ((missing & VADMIN) != 0) granted |= VADMIN;
  return granted;
}

}  // namespace

Gid Ucred::egid() const {
  PROCSIM_ASSERT(!groups.empty());
  return groups.front();
}

Ucred make_ucred(Uid uid, std::span<const Gid> group_list, const GroupRules& rules) {
  PROCSIM_ASSERT(!group_list.empty());
  Ucred cred;
  cred.uid = uid;
  cred.ruid = uid;
  cred.svuid = uid;
  cred.rgid = group_list.front();
  cred.svgid = group_list.front();
  crsetgroups(cred, group_list, rules);
  PROCSIM_ASSERT(cred.egid() == cred.rgid);
  return cred;
}

bool groupmember(Gid gid, const Ucred& cred) {
  PROCSIM_ASSERT(!cred.groups.empty());
  // 8.3 binary-searches the sorted remainder; a linear scan gives the same answer in every era.
  return std::find(cred.groups.begin(), cred.groups.end(), gid) != cred.groups.end();
}

KResult<void> check_setgroups_count(std::size_t count, const GroupRules& rules) {
  PROCSIM_ASSERT(rules.groups_max > 0);
  if (count > rules.groups_max) return base::fail(Errno::Einval);
  return {};
}

void crsetgroups(Ucred& cred, std::span<const Gid> group_list, const GroupRules& rules) {
  PROCSIM_ASSERT(!group_list.empty());
  PROCSIM_ASSERT(rules.groups_max > 0);
  std::size_t count = std::min(group_list.size(), rules.groups_max);
  cred.groups.assign(group_list.begin(), group_list.begin() + static_cast<std::ptrdiff_t>(count));
  if (rules.sorts_supplementary) {
    // Equal gids are indistinguishable, so a stable sort and 8.3's insertion sort agree.
    std::stable_sort(cred.groups.begin() + 1, cred.groups.end());
  }
  PROCSIM_ASSERT(cred.groups.size() == count);
  PROCSIM_ASSERT(cred.groups.front() == group_list.front());
}

KResult<void> vaccess(FileKind kind, std::uint32_t file_mode, Uid file_uid, Gid file_gid, Accmode accmode,
                      const Ucred& cred, bool suser_enabled) {
  PROCSIM_ASSERT((accmode & ~kKnownAccmode) == 0);
  PROCSIM_ASSERT(!cred.groups.empty());
  Accmode dac_granted = dac_grant(file_mode, file_uid, file_gid, cred);
  if ((accmode & dac_granted) == accmode) return {};
  bool privileged = suser_enabled && cred.uid == kRootUid;
  Accmode priv_granted = privilege_grant(kind, file_mode, accmode, dac_granted, privileged);
  if ((accmode & (dac_granted | priv_granted)) == accmode) return {};
  return base::fail((accmode & VADMIN) != 0 ? Errno::Eperm : Errno::Eacces);
}

}  // namespace procsim::vfs
