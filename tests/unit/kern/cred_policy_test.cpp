// Every permission error a debugger, kill(1) or procfs meets comes from these policies, so each
// rule is a table row showing the errno it produces, plus rows that show which rule wins when
// several would fail.
#include "model/kern/cred_policy.h"

#include <array>
#include <functional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

namespace kern = procsim::kern;
namespace vfs = procsim::vfs;
using kern::CheckioForm;
using kern::Pid;
using kern::PolicyConfig;
using kern::Priv;
using kern::ProcFlags;
using kern::ProcView;
using vfs::Gid;
using vfs::PrisonId;
using vfs::Ucred;
using vfs::Uid;

namespace {

constexpr int OK = 0;
constexpr int kEperm = 1;
constexpr int kEsrch = 3;
constexpr int kEbusy = 16;

int outcome(const vfs::KResult<void>& result) { return result.ok() ? OK : vfs::errno_value(result.error()); }

// Prison 1 and 3 sit under the host; prison 2 under prison 1.
const std::array<PrisonId, 4> kParents = {PrisonId(0), PrisonId(0), PrisonId(1), PrisonId(0)};

Ucred cred_of(std::uint32_t uid, std::vector<std::uint32_t> group_list, std::uint32_t prison = 0) {
  std::vector<Gid> gids;
  for (std::uint32_t gid : group_list) gids.emplace_back(gid);
  Ucred cred = vfs::make_ucred(Uid(uid), gids, vfs::group_rules(vfs::Era::FreeBSD8));
  cred.prison = PrisonId(prison);
  return cred;
}

// The cast of processes: alice (1001) and bob (1002) share group 20; root is uid 0.
struct Cast {
  Ucred alice = cred_of(1001, {20});
  Ucred bob = cred_of(1002, {20});
  Ucred carol = cred_of(1003, {30});
  Ucred root = cred_of(0, {0});
  Ucred alice_in_1 = cred_of(1001, {20}, 1);
  Ucred alice_in_2 = cred_of(1001, {20}, 2);
  Ucred alice_in_3 = cred_of(1001, {20}, 3);
  Ucred root_in_1 = cred_of(0, {0}, 1);
  Ucred alice_extra_group = cred_of(1001, {20, 5});
  Ucred alice_other_rgid = [] {
    Ucred cred = cred_of(1001, {20});
    cred.rgid = Gid(7);
    return cred;
  }();
  Ucred alice_root_svuid = [] {
    Ucred cred = cred_of(1001, {20});
    cred.svuid = Uid(0);
    return cred;
  }();
  // A set-uid-1001 program run by carol: euid 1001, ruid 1003.
  Ucred carol_as_alice = [] {
    Ucred cred = cred_of(1003, {30});
    cred.uid = Uid(1001);
    cred.svuid = Uid(1001);
    return cred;
  }();
  // alice's program started by carol with setuid(): euid and svuid alice's, ruid carol's.
  Ucred alice_run_by_carol = [] {
    Ucred cred = cred_of(1001, {20});
    cred.ruid = Uid(1003);
    return cred;
  }();
  // bob after a set-uid-1001 exec: his svuid is alice's.
  Ucred bob_svuid_alice = [] {
    Ucred cred = cred_of(1002, {20});
    cred.uid = Uid(1001);
    cred.svuid = Uid(1001);
    return cred;
  }();
};

const Cast kCast;

PolicyConfig base_config() {
  PolicyConfig config;
  config.prisons.parents = kParents;
  return config;
}

struct Side {
  const Ucred* cred;
  std::int32_t pid;
  ProcFlags flags = 0;
  bool is_init = false;
  std::int32_t session = 0;  // 0: its own pid
  std::int32_t leader = 0;   // 0: its own pid
};

ProcView view_of(const Side& side) {
  return ProcView{Pid(side.pid),
                  side.flags,
                  *side.cred,
                  side.is_init,
                  Pid(side.session == 0 ? side.pid : side.session),
                  Pid(side.leader == 0 ? side.pid : side.leader)};
}

using ConfigTweak = std::function<void(PolicyConfig&)>;
const ConfigTweak kDefaults = [](PolicyConfig&) {};

struct Row {
  const char* rule;
  Side caller;
  Side target;
  ConfigTweak tweak;
  int expected;
};

using Policy = std::function<vfs::KResult<void>(const ProcView&, const ProcView&, const PolicyConfig&)>;

void check_rows(const std::vector<Row>& rows, const Policy& policy) {
  for (const Row& row : rows) {
    std::string rule = row.rule;
    CAPTURE(rule);
    PolicyConfig config = base_config();
    row.tweak(config);
    CHECK(outcome(policy(view_of(row.caller), view_of(row.target), config)) == row.expected);
  }
}

ConfigTweak securelevel(int level) {
  return [level](PolicyConfig& config) { config.securelevel = level; };
}

}  // namespace

TEST_CASE("the prison tree: a prison contains itself and everything beneath it") {
  kern::PrisonTree tree{kParents};
  CHECK(tree.is_descendant_or_self(PrisonId(2), PrisonId(1)));
  CHECK(tree.is_descendant_or_self(PrisonId(2), PrisonId(0)));
  CHECK(tree.is_descendant_or_self(PrisonId(3), PrisonId(3)));
  CHECK_FALSE(tree.is_descendant_or_self(PrisonId(1), PrisonId(2)));
  CHECK_FALSE(tree.is_descendant_or_self(PrisonId(3), PrisonId(1)));
  CHECK_FALSE(tree.is_descendant_or_self(PrisonId(0), PrisonId(1)));
  CHECK(kern::PrisonTree{}.is_descendant_or_self(PrisonId(0), PrisonId(0)));
}

TEST_CASE("priv_check_cred: euid 0, ruid 0 for the process-limit privileges, jail refusals") {
  PolicyConfig config = base_config();
  Ucred euid_root = kCast.bob;
  euid_root.uid = Uid(0);
  Ucred ruid_root = kCast.bob;
  ruid_root.ruid = Uid(0);
  CHECK(outcome(kern::priv_check_cred(kCast.root, Priv::DebugDiffcred, config)) == OK);
  CHECK(outcome(kern::priv_check_cred(kCast.alice, Priv::DebugDiffcred, config)) == kEperm);
  CHECK(outcome(kern::priv_check_cred(euid_root, Priv::DebugDiffcred, config)) == OK);
  CHECK(outcome(kern::priv_check_cred(ruid_root, Priv::DebugDiffcred, config)) == kEperm);
  CHECK(outcome(kern::priv_check_cred(ruid_root, Priv::Maxproc, config)) == OK);
  CHECK(outcome(kern::priv_check_cred(ruid_root, Priv::ProcLimit, config)) == OK);
  CHECK(outcome(kern::priv_check_cred(ruid_root, Priv::Maxfiles, config)) == OK);
  CHECK(outcome(kern::priv_check_cred(euid_root, Priv::Maxproc, config)) == kEperm);
  CHECK(outcome(kern::priv_check_cred(kCast.root_in_1, Priv::DebugDiffcred, config)) == OK);
  CHECK(outcome(kern::priv_check_cred(kCast.root_in_1, Priv::Maxproc, config)) == kEperm);
  CHECK(outcome(kern::priv_check_cred(kCast.root_in_1, Priv::ProcLimit, config)) == OK);
  config.suser_enabled = false;
  CHECK(outcome(kern::priv_check_cred(kCast.root, Priv::DebugDiffcred, config)) == kEperm);
}

TEST_CASE("securelevel_gt refuses only above the level") {
  PolicyConfig config = base_config();
  CHECK(outcome(kern::securelevel_gt(0, config)) == OK);
  config.securelevel = 0;
  CHECK(outcome(kern::securelevel_gt(0, config)) == OK);
  config.securelevel = 1;
  CHECK(outcome(kern::securelevel_gt(0, config)) == kEperm);
  CHECK(outcome(kern::securelevel_gt(1, config)) == OK);
}

TEST_CASE("p_candebug: one row per 8.3 rule") {
  const Cast& c = kCast;
  auto no_unpriv_debug = [](PolicyConfig& config) { config.unprivileged_proc_debug = false; };
  auto hide_uids = [](PolicyConfig& config) { config.see_other_uids = false; };
  auto hide_gids = [](PolicyConfig& config) { config.see_other_gids = false; };
  auto no_suser = [](PolicyConfig& config) { config.suser_enabled = false; };
  std::vector<Row> rows = {
      {"same uids and groups may debug", {&c.alice, 400}, {&c.alice, 401}, kDefaults, OK},
      {"unprivileged_proc_debug=0 refuses a user", {&c.alice, 400}, {&c.alice, 401}, no_unpriv_debug, kEperm},
      {"unprivileged_proc_debug=0 refuses even self",
       {&c.alice, 400},
       {&c.alice, 400},
       no_unpriv_debug,
       kEperm},
      {"unprivileged_proc_debug=0 lets root", {&c.root, 400}, {&c.alice, 401}, no_unpriv_debug, OK},
      {"self passes although every later rule would fail",
       {&c.alice, 400},
       {&c.alice, 400, kern::P_SUGID | kern::P_INEXEC, true},
       securelevel(2),
       OK},
      {"jailed caller, host target: ESRCH", {&c.alice_in_1, 400}, {&c.alice, 401}, kDefaults, kEsrch},
      {"host caller, jailed target: allowed", {&c.alice, 400}, {&c.alice_in_1, 401}, kDefaults, OK},
      {"target in a child prison: allowed", {&c.alice_in_1, 400}, {&c.alice_in_2, 401}, kDefaults, OK},
      {"target in a sibling prison: ESRCH", {&c.alice_in_1, 400}, {&c.alice_in_3, 401}, kDefaults, kEsrch},
      {"see_other_uids=0, other ruid: ESRCH", {&c.alice, 400}, {&c.bob, 401}, hide_uids, kEsrch},
      {"see_other_gids=0, no shared group: ESRCH", {&c.alice, 400}, {&c.carol, 401}, hide_gids, kEsrch},
      {"see_other_gids=0, shared group: on to the uid rule",
       {&c.alice, 400},
       {&c.bob, 401},
       hide_gids,
       kEperm},
      {"other uid: EPERM", {&c.alice, 400}, {&c.bob, 401}, kDefaults, kEperm},
      {"target group the caller lacks: EPERM",
       {&c.alice, 400},
       {&c.alice_extra_group, 401},
       kDefaults,
       kEperm},
      {"target rgid the caller lacks: EPERM", {&c.alice, 400}, {&c.alice_other_rgid, 401}, kDefaults, kEperm},
      {"target svuid not the caller's euid: EPERM",
       {&c.alice, 400},
       {&c.alice_root_svuid, 401},
       kDefaults,
       kEperm},
      {"the caller's euid decides, not its ruid",
       {&c.alice_run_by_carol, 400},
       {&c.alice, 401},
       kDefaults,
       OK},
      {"matching euid without the target's groups: EPERM",
       {&c.carol_as_alice, 400},
       {&c.alice, 401},
       kDefaults,
       kEperm},
      {"root passes the DIFFCRED rule", {&c.root, 400}, {&c.bob, 401}, kDefaults, OK},
      {"jailed root passes DIFFCRED in its prison", {&c.root_in_1, 400}, {&c.alice_in_1, 401}, kDefaults, OK},
      {"set-id target: EPERM", {&c.alice, 400}, {&c.alice, 401, kern::P_SUGID}, kDefaults, kEperm},
      {"root passes the SUGID rule", {&c.root, 400}, {&c.alice, 401, kern::P_SUGID}, kDefaults, OK},
      {"suser_enabled=0: root is refused", {&c.root, 400}, {&c.bob, 401}, no_suser, kEperm},
      {"init with securelevel 1: EPERM even for root",
       {&c.root, 400},
       {&c.root, 1, 0, true},
       securelevel(1),
       kEperm},
      {"init with securelevel 0: allowed", {&c.root, 400}, {&c.root, 1, 0, true}, securelevel(0), OK},
      {"securelevel 1 matters only for init", {&c.root, 400}, {&c.root, 2}, securelevel(1), OK},
      {"target in exec: EBUSY", {&c.alice, 400}, {&c.alice, 401, kern::P_INEXEC}, kDefaults, kEbusy},
      {"root still gets EBUSY for a target in exec",
       {&c.root, 400},
       {&c.alice, 401, kern::P_INEXEC},
       kDefaults,
       kEbusy},
      {"prison beats every uid rule", {&c.alice_in_1, 400}, {&c.bob, 401, kern::P_SUGID}, kDefaults, kEsrch},
      {"DIFFCRED beats exec", {&c.alice, 400}, {&c.bob, 401, kern::P_INEXEC}, kDefaults, kEperm},
      {"init securelevel beats exec",
       {&c.root, 400},
       {&c.root, 1, kern::P_INEXEC, true},
       securelevel(1),
       kEperm},
  };
  check_rows(rows, kern::p_candebug);
}

TEST_CASE("p_cansignal: one row per 8.3 rule") {
  const Cast& c = kCast;
  auto hide_uids = [](PolicyConfig& config) { config.see_other_uids = false; };
  auto liberal = [](PolicyConfig& config) { config.conservative_signals = false; };
  auto signal_row = [](const char* rule, Side caller, Side target, std::uint32_t signum, ConfigTweak tweak,
                       int expected) {
    std::string rule_text = rule;
    CAPTURE(rule_text);
    PolicyConfig config = base_config();
    tweak(config);
    CHECK(outcome(kern::p_cansignal(view_of(caller), view_of(target), signum, config)) == expected);
  };
  signal_row("same ruid", {&c.alice, 400}, {&c.alice, 401}, 15, kDefaults, OK);
  signal_row("other uid: EPERM", {&c.alice, 400}, {&c.bob, 401}, 15, kDefaults, kEperm);
  signal_row("existence check to another uid: EPERM", {&c.alice, 400}, {&c.bob, 401}, 0, kDefaults, kEperm);
  signal_row("caller euid equals target ruid", {&c.carol_as_alice, 400}, {&c.alice, 401}, 15, kDefaults, OK);
  signal_row("caller ruid equals target svuid", {&c.alice, 400}, {&c.bob_svuid_alice, 401}, 15, kDefaults,
             OK);
  signal_row("self, even set-id", {&c.alice, 400}, {&c.alice, 400, kern::P_SUGID}, 11, kDefaults, OK);
  signal_row("SIGCONT within the session", {&c.alice, 400, 0, false, 300}, {&c.bob, 401, 0, false, 300}, 19,
             kDefaults, OK);
  signal_row("SIGCONT across sessions: EPERM", {&c.alice, 400}, {&c.bob, 401}, 19, kDefaults, kEperm);
  signal_row("other signals within the session: EPERM", {&c.alice, 400, 0, false, 300},
             {&c.bob, 401, 0, false, 300}, 15, kDefaults, kEperm);
  signal_row("SIGTHR between rfork peers", {&c.alice, 400, 0, false, 0, 399}, {&c.bob, 401, 0, false, 0, 399},
             32, kDefaults, OK);
  signal_row("SIGTHR+3 between rfork peers", {&c.alice, 400, 0, false, 0, 399},
             {&c.bob, 401, 0, false, 0, 399}, 35, kDefaults, OK);
  signal_row("SIGTHR+4 between rfork peers: EPERM", {&c.alice, 400, 0, false, 0, 399},
             {&c.bob, 401, 0, false, 0, 399}, 36, kDefaults, kEperm);
  signal_row("SIGTHR without a shared leader: EPERM", {&c.alice, 400}, {&c.bob, 401}, 32, kDefaults, kEperm);
  signal_row("jailed caller, host target: ESRCH", {&c.alice_in_1, 400}, {&c.alice, 401}, 15, kDefaults,
             kEsrch);
  signal_row("see_other_uids=0: ESRCH", {&c.alice, 400}, {&c.bob, 401}, 15, hide_uids, kEsrch);
  signal_row("set-id target, SIGSEGV: EPERM", {&c.alice, 400}, {&c.alice, 401, kern::P_SUGID}, 11, kDefaults,
             kEperm);
  signal_row("set-id target, SIGCHLD: EPERM", {&c.alice, 400}, {&c.alice, 401, kern::P_SUGID}, 20, kDefaults,
             kEperm);
  signal_row("conservative_signals=0 lets SIGSEGV through", {&c.alice, 400}, {&c.alice, 401, kern::P_SUGID},
             11, liberal, OK);
  signal_row("root signals a set-id target", {&c.root, 400}, {&c.alice, 401, kern::P_SUGID}, 11, kDefaults,
             OK);
  signal_row("root signals anyone", {&c.root, 400}, {&c.bob, 401}, 9, kDefaults, OK);
  for (std::uint32_t signum : {0u, 1u, 2u, 9u, 14u, 15u, 17u, 18u, 21u, 22u, 30u, 31u}) {
    CAPTURE(signum);
    signal_row("set-id target, an allowed signal", {&c.alice, 400}, {&c.alice, 401, kern::P_SUGID}, signum,
               kDefaults, OK);
  }
  signal_row("SUGID rule before the uid rule", {&c.bob, 400}, {&c.alice, 401, kern::P_SUGID}, 11, kDefaults,
             kEperm);
}

TEST_CASE("p_cansee: prison, then other uids, then other gids") {
  const Cast& c = kCast;
  auto hide_uids = [](PolicyConfig& config) { config.see_other_uids = false; };
  auto hide_gids = [](PolicyConfig& config) { config.see_other_gids = false; };
  std::vector<Row> rows = {
      {"everyone sees everyone by default", {&c.alice, 400}, {&c.carol, 401}, kDefaults, OK},
      {"jailed caller, host target: ESRCH", {&c.alice_in_1, 400}, {&c.alice, 401}, kDefaults, kEsrch},
      {"jailed caller sees into a child prison", {&c.alice_in_1, 400}, {&c.alice_in_2, 401}, kDefaults, OK},
      {"see_other_uids=0 hides another ruid", {&c.alice, 400}, {&c.bob, 401}, hide_uids, kEsrch},
      {"see_other_uids=0 keeps the same ruid", {&c.alice, 400}, {&c.alice, 401}, hide_uids, OK},
      {"see_other_uids=0 does not hide from root", {&c.root, 400}, {&c.bob, 401}, hide_uids, OK},
      {"see_other_gids=0 hides without a shared group", {&c.alice, 400}, {&c.carol, 401}, hide_gids, kEsrch},
      {"see_other_gids=0 keeps a shared group", {&c.alice, 400}, {&c.bob, 401}, hide_gids, OK},
      {"see_other_gids=0 does not hide from root", {&c.root, 400}, {&c.carol, 401}, hide_gids, OK},
      {"a process sees itself", {&c.alice, 400}, {&c.alice, 400}, hide_uids, OK},
  };
  check_rows(rows, kern::p_cansee);
}

TEST_CASE("p_cansched: real or effective uid must match the target's real uid") {
  const Cast& c = kCast;
  std::vector<Row> rows = {
      {"same ruid", {&c.alice, 400}, {&c.alice, 401}, kDefaults, OK},
      {"other ruid: EPERM", {&c.alice, 400}, {&c.bob, 401}, kDefaults, kEperm},
      {"caller euid equals target ruid", {&c.carol_as_alice, 400}, {&c.alice, 401}, kDefaults, OK},
      {"target svuid does not count", {&c.alice, 400}, {&c.bob_svuid_alice, 401}, kDefaults, kEperm},
      {"root may reschedule anyone", {&c.root, 400}, {&c.bob, 401}, kDefaults, OK},
      {"self", {&c.alice_in_1, 400}, {&c.alice_in_1, 400}, kDefaults, OK},
      {"jailed caller, host target: ESRCH", {&c.root_in_1, 400}, {&c.alice, 401}, kDefaults, kEsrch},
  };
  check_rows(rows, kern::p_cansched);
}

TEST_CASE("p_canwait: only the prison matters") {
  const Cast& c = kCast;
  std::vector<Row> rows = {
      {"other uid may be waited for", {&c.alice, 400}, {&c.bob, 401, kern::P_SUGID}, kDefaults, OK},
      {"jailed parent, host child: ESRCH", {&c.alice_in_1, 400}, {&c.alice, 401}, kDefaults, kEsrch},
      {"host parent, jailed child", {&c.alice, 400}, {&c.alice_in_1, 401}, kDefaults, OK},
  };
  check_rows(rows, kern::p_canwait);
}

TEST_CASE("CHECKIO: all of p1's uids must be p2's ruid, p2 not set-id, or p1 root") {
  const Cast& c = kCast;
  auto io = [](Side p1, Side p2, CheckioForm form) { return kern::checkio(view_of(p1), view_of(p2), form); };
  CHECK(io({&c.alice, 400}, {&c.alice, 401}, CheckioForm::Classic));
  CHECK_FALSE(io({&c.alice, 400}, {&c.bob, 401}, CheckioForm::Classic));
  CHECK_FALSE(io({&c.alice, 400}, {&c.alice, 401, kern::P_SUGID}, CheckioForm::Classic));
  CHECK(io({&c.alice, 400}, {&c.alice, 401, kern::P_INEXEC}, CheckioForm::Classic));
  CHECK_FALSE(io({&c.alice, 400}, {&c.alice, 401, kern::P_INEXEC}, CheckioForm::WithInexec));
  CHECK_FALSE(io({&c.carol_as_alice, 400}, {&c.alice, 401}, CheckioForm::Classic));
  CHECK_FALSE(io({&c.alice_root_svuid, 400}, {&c.alice, 401}, CheckioForm::Classic));
  CHECK(io({&c.root, 400}, {&c.alice, 401, kern::P_SUGID | kern::P_INEXEC}, CheckioForm::WithInexec));
  CHECK(io({&c.root_in_1, 400}, {&c.bob, 401}, CheckioForm::Classic));
}

TEST_CASE("p_trespass: self, flat prison, any uid pairing, root") {
  const Cast& c = kCast;
  auto trespass = [](const ProcView& p1, const ProcView& p2, const PolicyConfig&) {
    return kern::p_trespass(p1, p2);
  };
  Ucred euid_bob = kCast.carol;
  euid_bob.uid = Uid(1002);
  std::vector<Row> rows = {
      {"self", {&c.alice_in_1, 400}, {&c.alice_in_1, 400}, kDefaults, OK},
      {"jailed p1 reaches its own prison", {&c.alice_in_1, 400}, {&c.alice_in_1, 401}, kDefaults, OK},
      {"jailed p1, host p2: ESRCH", {&c.alice_in_1, 400}, {&c.alice, 401}, kDefaults, kEsrch},
      {"jailed p1, p2 in another prison: ESRCH",
       {&c.alice_in_1, 400},
       {&c.alice_in_2, 401},
       kDefaults,
       kEsrch},
      {"unjailed p1 reaches a jail", {&c.alice, 400}, {&c.alice_in_1, 401}, kDefaults, OK},
      {"ruid == ruid", {&c.alice, 400}, {&c.alice, 401}, kDefaults, OK},
      {"euid == ruid", {&c.carol_as_alice, 400}, {&c.alice, 401}, kDefaults, OK},
      {"ruid == euid", {&c.bob, 400}, {&c.bob_svuid_alice, 401}, kDefaults, OK},
      {"euid == euid", {&euid_bob, 400}, {&c.bob_svuid_alice, 401}, kDefaults, OK},
      {"no uid in common: EPERM", {&c.alice, 400}, {&c.bob, 401}, kDefaults, kEperm},
      {"root", {&c.root, 400}, {&c.bob, 401, kern::P_SUGID}, kDefaults, OK},
  };
  check_rows(rows, trespass);
}

TEST_CASE("p_can(P_CAN_DEBUG) of 2001: uids equal the euid and not set-id, or root") {
  const Cast& c = kCast;
  std::vector<Row> rows = {
      {"self", {&c.alice, 400}, {&c.alice, 400, kern::P_SUGID, true}, securelevel(1), OK},
      {"same uids", {&c.alice, 400}, {&c.alice, 401}, kDefaults, OK},
      {"different prison: ESRCH", {&c.alice_in_1, 400}, {&c.alice_in_3, 401}, kDefaults, kEsrch},
      {"other uid: EPERM", {&c.alice, 400}, {&c.bob, 401}, kDefaults, kEperm},
      {"target svuid differs: EPERM", {&c.alice, 400}, {&c.alice_root_svuid, 401}, kDefaults, kEperm},
      {"set-id target: EPERM", {&c.alice, 400}, {&c.alice, 401, kern::P_SUGID}, kDefaults, kEperm},
      {"root debugs a set-id target", {&c.root, 400}, {&c.bob, 401, kern::P_SUGID}, kDefaults, OK},
      {"init at securelevel 1: EPERM", {&c.root, 400}, {&c.root, 1, 0, true}, securelevel(1), kEperm},
      {"init at securelevel 0", {&c.root, 400}, {&c.root, 1, 0, true}, securelevel(0), OK},
      {"groups play no part", {&c.alice, 400}, {&c.alice_extra_group, 401}, kDefaults, OK},
  };
  check_rows(rows, kern::p_can_debug_2001);
}

namespace {

// A credential with chosen effective, real and saved uids, all in group 20.
Ucred ids(std::uint32_t euid, std::uint32_t ruid, std::uint32_t svuid) {
  Ucred cred = cred_of(ruid, {20});
  cred.uid = Uid(euid);
  cred.svuid = Uid(svuid);
  return cred;
}

int signal_outcome(const Ucred& caller, const Ucred& target) {
  return outcome(kern::p_cansignal(view_of({&caller, 400}), view_of({&target, 401}), 15, base_config()));
}

int sched_outcome(const Ucred& caller, const Ucred& target) {
  return outcome(kern::p_cansched(view_of({&caller, 400}), view_of({&target, 401}), base_config()));
}

int trespass_outcome(const Ucred& p1, const Ucred& p2) {
  return outcome(kern::p_trespass(view_of({&p1, 400}), view_of({&p2, 401})));
}

}  // namespace

TEST_CASE("cr_cansignal: each of the four uid pairings suffices on its own") {
  Ucred target = ids(2003, 2001, 2002);                            // euid 2003, ruid 2001, svuid 2002
  CHECK(signal_outcome(ids(3000, 2001, 3000), target) == OK);      // caller ruid == target ruid
  CHECK(signal_outcome(ids(3000, 2002, 3000), target) == OK);      // caller ruid == target svuid
  CHECK(signal_outcome(ids(2001, 3000, 3000), target) == OK);      // caller euid == target ruid
  CHECK(signal_outcome(ids(2002, 3000, 3000), target) == OK);      // caller euid == target svuid
  CHECK(signal_outcome(ids(2003, 3000, 2001), target) == kEperm);  // euid==euid and svuid count for nothing
}

TEST_CASE("p_cansched: only the target's real uid is compared") {
  Ucred target = ids(2003, 2001, 2002);
  CHECK(sched_outcome(ids(3000, 2001, 3000), target) == OK);      // caller ruid == target ruid
  CHECK(sched_outcome(ids(2001, 3000, 3000), target) == OK);      // caller euid == target ruid
  CHECK(sched_outcome(ids(2002, 2002, 3000), target) == kEperm);  // target svuid does not count
  CHECK(sched_outcome(ids(2003, 3000, 2001), target) == kEperm);  // nor the target euid
}

TEST_CASE("p_trespass: each of the four uid pairings suffices on its own") {
  Ucred p2 = ids(2003, 2001, 2002);
  CHECK(trespass_outcome(ids(3000, 2001, 3000), p2) == OK);      // ruid == ruid
  CHECK(trespass_outcome(ids(2001, 3000, 3000), p2) == OK);      // euid == ruid
  CHECK(trespass_outcome(ids(3000, 2003, 3000), p2) == OK);      // ruid == euid
  CHECK(trespass_outcome(ids(2003, 3000, 3000), p2) == OK);      // euid == euid
  CHECK(trespass_outcome(ids(2002, 2002, 2001), p2) == kEperm);  // svuids play no part
}

TEST_CASE("CHECKIO: p1's euid, ruid and svuid must each equal p2's ruid") {
  Ucred p2 = ids(2003, 2001, 2002);
  auto io = [&p2](const Ucred& p1) {
    return kern::checkio(view_of({&p1, 400}), view_of({&p2, 401}), CheckioForm::Classic);
  };
  CHECK(io(ids(2001, 2001, 2001)));
  CHECK_FALSE(io(ids(3000, 2001, 2001)));
  CHECK_FALSE(io(ids(2001, 3000, 2001)));
  CHECK_FALSE(io(ids(2001, 2001, 3000)));
  CHECK_FALSE(io(ids(2003, 2003, 2003)));  // p2's euid is not what counts
}
