// Who may see, debug, signal, reschedule and wait for whom: FreeBSD 8.3's kern_prot.c policies
// rule by rule in source order with their errnos (spec/kernel.md §2.8), the privilege check they
// rely on, jail containment, and the older forms procfs used: 4.x CHECKIO and p_trespass and the
// 2001 p_can(P_CAN_DEBUG) (spec/procfs.md §4.2). Pure functions over a narrow view of each
// process. MAC hooks, per-jail securelevels and jail privilege settings are not modelled.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "model/kern/pid_alloc.h"
#include "model/kern/proc_flags.h"
#include "model/vfs/errno.h"
#include "model/vfs/ucred.h"

namespace procsim::kern {

// The privileges these policies ask for (8.3 sys/sys/priv.h).
enum class Priv : std::uint8_t {
  Maxfiles,
  Maxproc,
  ProcLimit,
  DebugDiffcred,
  DebugSugid,
  DebugUnpriv,
  SchedDiffcred,
  SeeOtherGids,
  SeeOtherUids,
  SignalDiffcred,
  SignalSugid,
};

// Every fact about one privilege.
struct PrivRow {
  Priv priv;
  std::string_view name;  // "PRIV_DEBUG_DIFFCRED"
  bool by_real_uid;       // granted to ruid 0 rather than euid 0 (kern_priv.c)
  bool allowed_in_jail;   // prison_priv_check() lets jailed root have it
};

inline constexpr std::array<PrivRow, 11> kPrivTable = {{
    {Priv::Maxfiles, "PRIV_MAXFILES", true, false},
    {Priv::Maxproc, "PRIV_MAXPROC", true, false},
    {Priv::ProcLimit, "PRIV_PROC_LIMIT", true, true},
    {Priv::DebugDiffcred, "PRIV_DEBUG_DIFFCRED", false, true},
    {Priv::DebugSugid, "PRIV_DEBUG_SUGID", false, true},
    {Priv::DebugUnpriv, "PRIV_DEBUG_UNPRIV", false, true},
    {Priv::SchedDiffcred, "PRIV_SCHED_DIFFCRED", false, true},
    {Priv::SeeOtherGids, "PRIV_SEEOTHERGIDS", false, true},
    {Priv::SeeOtherUids, "PRIV_SEEOTHERUIDS", false, true},
    {Priv::SignalDiffcred, "PRIV_SIGNAL_DIFFCRED", false, true},
    {Priv::SignalSugid, "PRIV_SIGNAL_SUGID", false, true},
}};

constexpr const PrivRow& priv_row(Priv priv) { return kPrivTable[static_cast<std::size_t>(priv)]; }

// The jail hierarchy the policies read: parents[id] is the parent of prison `id`; parents[0] is
// prison0, its own parent. An empty span means only prison0 exists.
struct PrisonTree {
  std::span<const vfs::PrisonId> parents;

  // prison_ischild() or equality: `descendant` is `ancestor` or lies beneath it.
  bool is_descendant_or_self(vfs::PrisonId descendant, vfs::PrisonId ancestor) const;
};

// The kernel settings the policies consult (sysctl names in the comments; defaults are 8.3's).
struct PolicyConfig {
  int securelevel = -1;                 // kern.securelevel
  bool suser_enabled = true;            // security.bsd.suser_enabled
  bool unprivileged_proc_debug = true;  // security.bsd.unprivileged_proc_debug
  bool see_other_uids = true;           // security.bsd.see_other_uids
  bool see_other_gids = true;           // security.bsd.see_other_gids
  bool conservative_signals = true;     // security.bsd.conservative_signals
  PrisonTree prisons;
};

// What a policy needs to know about one process. Callers fill every field.
struct ProcView {
  Pid pid;
  ProcFlags p_flag;
  const vfs::Ucred& cred;
  bool is_init;  // the process is initproc (pid 1)
  Pid session;   // its session's id; equal ids mean the same session
  Pid leader;    // p_leader's pid: the process itself unless it shares an rfork(RFTHREAD) leader
};

// priv_check_cred(): a jailed credential is refused privileges jails do not grant; otherwise,
// while suser_enabled, euid 0 (ruid 0 for the by_real_uid rows) holds every privilege. EPERM.
vfs::KResult<void> priv_check_cred(const vfs::Ucred& cred, Priv priv, const PolicyConfig& config);

// securelevel_gt(): EPERM when the securelevel exceeds `level`.
vfs::KResult<void> securelevel_gt(int level, const PolicyConfig& config);

// prison_check(): ESRCH unless c2 is in c1's prison or one beneath it.
vfs::KResult<void> prison_check(const vfs::Ucred& c1, const vfs::Ucred& c2, const PrisonTree& prisons);

// cr_seeotheruids(): with see_other_uids off, different real uids need PRIV_SEEOTHERUIDS. ESRCH.
vfs::KResult<void> cr_seeotheruids(const vfs::Ucred& c1, const vfs::Ucred& c2, const PolicyConfig& config);

// cr_seeothergids(): with see_other_gids off, c2 must be a member of one of c1's groups, or c1
// needs PRIV_SEEOTHERGIDS. ESRCH.
vfs::KResult<void> cr_seeothergids(const vfs::Ucred& c1, const vfs::Ucred& c2, const PolicyConfig& config);

// cr_cansee() / p_cansee(): prison, then other uids, then other gids; the first error wins.
vfs::KResult<void> cr_cansee(const vfs::Ucred& c1, const vfs::Ucred& c2, const PolicyConfig& config);
vfs::KResult<void> p_cansee(const ProcView& caller, const ProcView& target, const PolicyConfig& config);

// p_candebug() in 8.3's order: unprivileged_proc_debug off (EPERM) -> self (allowed) -> prison
// (ESRCH) -> see uids, see gids (ESRCH) -> group or uid subset (EPERM without
// PRIV_DEBUG_DIFFCRED) -> P_SUGID (EPERM without PRIV_DEBUG_SUGID) -> init with securelevel > 0
// (EPERM) -> P_INEXEC (EBUSY).
vfs::KResult<void> p_candebug(const ProcView& caller, const ProcView& target, const PolicyConfig& config);

// cr_cansignal(): prison, see uids, see gids, then (conservative_signals and target P_SUGID)
// signals outside 0 KILL INT TERM ALRM STOP TTIN TTOU TSTP HUP USR1 USR2 need PRIV_SIGNAL_SUGID,
// then the caller's ruid or euid must equal the target's ruid or svuid, or PRIV_SIGNAL_DIFFCRED.
// signum 0 is kill(2)'s existence check.
vfs::KResult<void> cr_cansignal(const vfs::Ucred& cred, const ProcView& target, std::uint32_t signum,
                                const PolicyConfig& config);

// p_cansignal(): self always; SIGCONT within a session always; SIGTHR..SIGTHR+3 between
// processes sharing a p_leader always; otherwise cr_cansignal().
vfs::KResult<void> p_cansignal(const ProcView& caller, const ProcView& target, std::uint32_t signum,
                               const PolicyConfig& config);

// p_cansched(): self; prison, see uids, see gids; caller ruid or euid must equal the target's
// ruid, else PRIV_SCHED_DIFFCRED (EPERM).
vfs::KResult<void> p_cansched(const ProcView& caller, const ProcView& target, const PolicyConfig& config);

// p_canwait(): prison_check only.
vfs::KResult<void> p_canwait(const ProcView& caller, const ProcView& target, const PolicyConfig& config);

// The flat jails of FreeBSD 4 (PRISON_CHECK): an unjailed process reaches every process, a
// jailed one only those in its own prison.
bool prison_check_flat(const vfs::Ucred& c1, const vfs::Ucred& c2);

// Which CHECKIO a procfs reproduces: 4.4BSD through the 2001 FreeBSD 4 tree test P_SUGID only;
// FreeBSD 4 from 2002 also refuses a target in exec (P_INEXEC).
enum class CheckioForm : std::uint8_t { Classic, WithInexec };

// CHECKIO(p1, p2): p1's euid, ruid and svuid all equal p2's ruid and p2 is not set-id (nor in
// exec, for WithInexec), or p1 is root (euid 0). spec/procfs.md §4.2
bool checkio(const ProcView& p1, const ProcView& p2, CheckioForm form);

// p_trespass(p1, p2) (4.x kern_prot.c): same process -> 0; different prison -> ESRCH; any of
// ruid==ruid, euid==ruid, ruid==euid, euid==euid -> 0; root -> 0; else EPERM.
vfs::KResult<void> p_trespass(const ProcView& p1, const ProcView& p2);

// p_can(p1, p2, P_CAN_DEBUG) of 2001 -current: self -> 0; different (flat) prison -> ESRCH;
// target euid, svuid or ruid differing from p1's euid, or target P_SUGID -> root only (EPERM);
// target is init with securelevel > 0 -> EPERM.
vfs::KResult<void> p_can_debug_2001(const ProcView& p1, const ProcView& p2, const PolicyConfig& config);

}  // namespace procsim::kern
