// The credential policies, each written as the sequence of checks FreeBSD makes, in its order,
// returning the first failure. spec/kernel.md §2.8 (8.3 kern_prot.c, kern_priv.c, kern_jail.c)
// and spec/procfs.md §4.2 (the 4.x and 2001 forms).
#include "model/kern/cred_policy.h"

#include "model/kern/signal.h"
#include "sim/base/assert.h"

namespace procsim::kern {

using vfs::Errno;
using vfs::KResult;
using vfs::Ucred;

namespace {

constexpr bool priv_table_is_in_enum_order() {
  for (std::size_t i = 0; i < kPrivTable.size(); ++i) {
    if (static_cast<std::size_t>(kPrivTable[i].priv) != i) return false;
    if (kPrivTable[i].name.substr(0, 5) != "PRIV_") return false;
  }
  return true;
}
static_assert(priv_table_is_in_enum_order());

bool is_self(const ProcView& caller, const ProcView& target) { return caller.pid == target.pid; }

bool is_root(const Ucred& cred) { return cred.uid == vfs::kRootUid; }

// Is every group of the target (its list, rgid and svgid) one of the caller's groups?
bool target_groups_are_subset(const Ucred& caller, const Ucred& target) {
  for (vfs::Gid gid : target.groups) {
    if (!vfs::groupmember(gid, caller)) return false;
  }
  return vfs::groupmember(target.rgid, caller) && vfs::groupmember(target.svgid, caller);
}

// Are all of the target's uids the caller's effective uid?
bool target_uids_are_callers_euid(const Ucred& caller, const Ucred& target) {
  return caller.uid == target.uid && caller.uid == target.svuid && caller.uid == target.ruid;
}

// The signals conservative_signals still lets anyone with matching uids send to a set-id process.
bool signal_allowed_to_sugid_target(std::uint32_t signum) {
  if (signum == 0) return true;
  constexpr std::array kAllowed = {Sigkill, Sigint,  Sigterm, Sigalrm, Sigstop, Sigttin,
                                   Sigttou, Sigtstp, Sighup,  Sigusr1, Sigusr2};
  for (Signal allowed : kAllowed) {
    if (allowed.value() == signum) return true;
  }
  return false;
}

}  // namespace

bool PrisonTree::is_descendant_or_self(vfs::PrisonId descendant, vfs::PrisonId ancestor) const {
  if (descendant == ancestor || ancestor == vfs::kPrison0) return true;
  vfs::PrisonId current = descendant;
  // Each step climbs one level; a tree of n prisons is at most n levels deep.
  for (std::size_t steps = 0; steps <= parents.size(); ++steps) {
    if (current == vfs::kPrison0) return false;
    PROCSIM_ASSERT_MSG(current.value() < parents.size(), "prison missing from the PrisonTree");
    current = parents[current.value()];
    if (current == ancestor) return true;
  }
  PROCSIM_UNREACHABLE();
}

KResult<void> priv_check_cred(const Ucred& cred, Priv priv, const PolicyConfig& config) {
  const PrivRow& row = priv_row(priv);
  PROCSIM_ASSERT(row.priv == priv);
  if (cred.jailed() && !row.allowed_in_jail) return base::fail(Errno::Eperm);
  if (!config.suser_enabled) return base::fail(Errno::Eperm);
  vfs::Uid deciding_uid = row.by_real_uid ? cred.ruid : cred.uid;
  if (deciding_uid == vfs::kRootUid) return {};
  return base::fail(Errno::Eperm);
}

KResult<void> securelevel_gt(int level, const PolicyConfig& config) {
  if (config.securelevel > level) return base::fail(Errno::Eperm);
  return {};
}

KResult<void> prison_check(const Ucred& c1, const Ucred& c2, const PrisonTree& prisons) {
  if (prisons.is_descendant_or_self(c2.prison, c1.prison)) return {};
  return base::fail(Errno::Esrch);
}

KResult<void> cr_seeotheruids(const Ucred& c1, const Ucred& c2, const PolicyConfig& config) {
  if (config.see_other_uids || c1.ruid == c2.ruid) return {};
  if (priv_check_cred(c1, Priv::SeeOtherUids, config).ok()) return {};
  return base::fail(Errno::Esrch);
}

KResult<void> cr_seeothergids(const Ucred& c1, const Ucred& c2, const PolicyConfig& config) {
  if (config.see_other_gids) return {};
  for (vfs::Gid gid : c1.groups) {
    if (vfs::groupmember(gid, c2)) return {};
  }
  if (priv_check_cred(c1, Priv::SeeOtherGids, config).ok()) return {};
  return base::fail(Errno::Esrch);
}

KResult<void> cr_cansee(const Ucred& c1, const Ucred& c2, const PolicyConfig& config) {
  TRY(prison_check(c1, c2, config.prisons));
  TRY(cr_seeotheruids(c1, c2, config));
  TRY(cr_seeothergids(c1, c2, config));
  return {};
}

KResult<void> p_cansee(const ProcView& caller, const ProcView& target, const PolicyConfig& config) {
  return cr_cansee(caller.cred, target.cred, config);
}

KResult<void> p_candebug(const ProcView& caller, const ProcView& target, const PolicyConfig& config) {
  const Ucred& cred = caller.cred;
  if (!config.unprivileged_proc_debug) TRY(priv_check_cred(cred, Priv::DebugUnpriv, config));
  if (is_self(caller, target)) return {};
  TRY(prison_check(cred, target.cred, config.prisons));
  TRY(cr_seeotheruids(cred, target.cred, config));
  TRY(cr_seeothergids(cred, target.cred, config));
  bool subset =
      target_groups_are_subset(cred, target.cred) && target_uids_are_callers_euid(cred, target.cred);
  if (!subset) TRY(priv_check_cred(cred, Priv::DebugDiffcred, config));
  if ((target.p_flag & P_SUGID) != 0) TRY(priv_check_cred(cred, Priv::DebugSugid, config));
  if (target.is_init) TRY(securelevel_gt(0, config));
  if ((target.p_flag & P_INEXEC) != 0) return base::fail(Errno::Ebusy);
  return {};
}

KResult<void> cr_cansignal(const Ucred& cred, const ProcView& target, std::uint32_t signum,
                           const PolicyConfig& config) {
  PROCSIM_ASSERT(signum <= kSigMaxsig);
  const Ucred& other = target.cred;
  TRY(prison_check(cred, other, config.prisons));
  TRY(cr_seeotheruids(cred, other, config));
  TRY(cr_seeothergids(cred, other, config));
  bool sugid_target = (target.p_flag & P_SUGID) != 0;
  if (config.conservative_signals && sugid_target && !signal_allowed_to_sugid_target(signum)) {
    TRY(priv_check_cred(cred, Priv::SignalSugid, config));
  }
  bool uids_match = cred.ruid == other.ruid || cred.ruid == other.svuid || cred.uid == other.ruid ||
                    cred.uid == other.svuid;
  if (!uids_match) TRY(priv_check_cred(cred, Priv::SignalDiffcred, config));
  return {};
}

KResult<void> p_cansignal(const ProcView& caller, const ProcView& target, std::uint32_t signum,
                          const PolicyConfig& config) {
  PROCSIM_ASSERT(signum <= kSigMaxsig);
  if (is_self(caller, target)) return {};
  if (signum == Sigcont.value() && caller.session == target.session) return {};
  bool thread_signal = signum >= Sigthr.value() && signum < Sigthr.value() + 4;
  if (thread_signal && caller.leader == target.leader) return {};
  return cr_cansignal(caller.cred, target, signum, config);
}

KResult<void> p_cansched(const ProcView& caller, const ProcView& target, const PolicyConfig& config) {
  if (is_self(caller, target)) return {};
  const Ucred& cred = caller.cred;
  TRY(prison_check(cred, target.cred, config.prisons));
  TRY(cr_seeotheruids(cred, target.cred, config));
  TRY(cr_seeothergids(cred, target.cred, config));
  if (cred.ruid != target.cred.ruid && cred.uid != target.cred.ruid) {
    TRY(priv_check_cred(cred, Priv::SchedDiffcred, config));
  }
  return {};
}

KResult<void> p_canwait(const ProcView& caller, const ProcView& target, const PolicyConfig& config) {
  return prison_check(caller.cred, target.cred, config.prisons);
}

bool prison_check_flat(const Ucred& c1, const Ucred& c2) { return !c1.jailed() || c1.prison == c2.prison; }

bool checkio(const ProcView& p1, const ProcView& p2, CheckioForm form) {
  if (is_root(p1.cred)) return true;
  vfs::Uid target_ruid = p2.cred.ruid;
  bool uids_match = p1.cred.uid == target_ruid && p1.cred.ruid == target_ruid && p1.cred.svuid == target_ruid;
  ProcFlags refused = P_SUGID | (form == CheckioForm::WithInexec ? P_INEXEC : 0);
  return uids_match && (p2.p_flag & refused) == 0;
}

KResult<void> p_trespass(const ProcView& p1, const ProcView& p2) {
  if (is_self(p1, p2)) return {};
  if (!prison_check_flat(p1.cred, p2.cred)) return base::fail(Errno::Esrch);
  const Ucred& c1 = p1.cred;
  const Ucred& c2 = p2.cred;
  if (c1.ruid == c2.ruid || c1.uid == c2.ruid || c1.ruid == c2.uid || c1.uid == c2.uid) return {};
  if (is_root(c1)) return {};
  return base::fail(Errno::Eperm);
}

KResult<void> p_can_debug_2001(const ProcView& p1, const ProcView& p2, const PolicyConfig& config) {
  if (is_self(p1, p2)) return {};
  if (!prison_check_flat(p1.cred, p2.cred)) return base::fail(Errno::Esrch);
  bool uids_differ = !target_uids_are_callers_euid(p1.cred, p2.cred);
  bool sugid = (p2.p_flag & P_SUGID) != 0;
  if ((uids_differ || sugid) && !is_root(p1.cred)) return base::fail(Errno::Eperm);
  if (p2.is_init) TRY(securelevel_gt(0, config));
  return {};
}

}  // namespace procsim::kern
