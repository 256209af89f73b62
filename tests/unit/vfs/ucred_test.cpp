// Credentials decide every permission check and show up in each status file's group list, so
// the per-era group storage and each vaccess() rule are checked here one row at a time.
#include "model/vfs/ucred.h"

#include <array>
#include <string>
#include <vector>

#include <doctest/doctest.h>

using procsim::vfs::Accmode;
using procsim::vfs::check_setgroups_count;
using procsim::vfs::crsetgroups;
using procsim::vfs::Era;
using procsim::vfs::Errno;
using procsim::vfs::FileKind;
using procsim::vfs::Gid;
using procsim::vfs::group_rules;
using procsim::vfs::groupmember;
using procsim::vfs::KResult;
using procsim::vfs::make_ucred;
using procsim::vfs::Ucred;
using procsim::vfs::Uid;
using procsim::vfs::vaccess;
using procsim::vfs::VADMIN;
using procsim::vfs::VAPPEND;
using procsim::vfs::VEXEC;
using procsim::vfs::VREAD;
using procsim::vfs::VWRITE;

namespace {

std::vector<Gid> gids(std::initializer_list<std::uint32_t> values) {
  std::vector<Gid> out;
  for (std::uint32_t value : values) out.emplace_back(value);
  return out;
}

Ucred user(std::uint32_t uid, std::initializer_list<std::uint32_t> group_list, Era era = Era::FreeBSD8) {
  return make_ucred(Uid(uid), gids(group_list), group_rules(era));
}

// 0 for success, else the errno number: lets a table hold expected outcomes.
int outcome(const KResult<void>& result) {
  return result.ok() ? 0 : procsim::vfs::errno_value(result.error());
}

}  // namespace

TEST_CASE("a new credential has one uid everywhere and the primary group as egid, rgid, svgid") {
  Ucred cred = user(1001, {20, 5});
  CHECK(cred.uid == Uid(1001));
  CHECK(cred.ruid == Uid(1001));
  CHECK(cred.svuid == Uid(1001));
  CHECK(cred.egid() == Gid(20));
  CHECK(cred.rgid == Gid(20));
  CHECK(cred.svgid == Gid(20));
  CHECK_FALSE(cred.jailed());
}

TEST_CASE("freebsd8 sorts the supplementary groups but keeps the egid first and duplicates") {
  Ucred cred = user(1001, {20, 20, 5, 0, 5}, Era::FreeBSD8);
  CHECK(cred.groups == gids({20, 0, 5, 5, 20}));
  CHECK(cred.ngroups() == 5);
}

TEST_CASE("freebsd4 and 4.4bsd keep the group list in the order given") {
  CHECK(user(1001, {20, 20, 5, 0}, Era::FreeBSD4).groups == gids({20, 20, 5, 0}));
  CHECK(user(1001, {20, 5, 0}, Era::Bsd44).groups == gids({20, 5, 0}));
}

TEST_CASE("crsetgroups truncates to the era's capacity") {
  std::vector<Gid> many;
  for (std::uint32_t gid = 2000; gid > 1970; --gid) many.emplace_back(gid);
  Ucred cred = user(1, {1});
  crsetgroups(cred, many, group_rules(Era::FreeBSD4));
  CHECK(cred.groups.size() == 16);
  CHECK(cred.groups.front() == Gid(2000));
  CHECK(cred.groups.back() == Gid(1985));
  crsetgroups(cred, many, group_rules(Era::FreeBSD8));
  CHECK(cred.groups.size() == 30);
  CHECK(cred.groups[1] == Gid(1971));
}

TEST_CASE("setgroups refuses more groups than the era holds with EINVAL") {
  CHECK(outcome(check_setgroups_count(16, group_rules(Era::FreeBSD4))) == 0);
  CHECK(outcome(check_setgroups_count(17, group_rules(Era::FreeBSD4))) == 22);
  CHECK(outcome(check_setgroups_count(16, group_rules(Era::Bsd44))) == 0);
  CHECK(outcome(check_setgroups_count(17, group_rules(Era::Bsd44))) == 22);
  CHECK(outcome(check_setgroups_count(1024, group_rules(Era::FreeBSD8))) == 0);
  CHECK(outcome(check_setgroups_count(1025, group_rules(Era::FreeBSD8))) == 22);
}

TEST_CASE("groupmember looks at the egid and the supplementary groups only") {
  Ucred cred = user(1001, {20, 5});
  CHECK(groupmember(Gid(20), cred));
  CHECK(groupmember(Gid(5), cred));
  CHECK_FALSE(groupmember(Gid(0), cred));
  // After a set-gid exec the effective gid changes; the real gid is not a membership.
  cred.groups[0] = Gid(7);
  CHECK(groupmember(Gid(7), cred));
  CHECK_FALSE(groupmember(Gid(20), cred));
}

namespace {

struct VaccessRow {
  const char* rule;
  FileKind kind;
  std::uint32_t mode;
  std::uint32_t file_uid;
  std::uint32_t file_gid;
  std::uint32_t caller_uid;
  Accmode accmode;
  int expected;  // 0 or errno
};

// File owned by uid 1001, group 20. Caller 1001 is the owner, 1002 is in group 20 (via its
// supplementary list), 1003 is neither, 0 is root (in group 0 only).
constexpr std::array<VaccessRow, 21> kVaccessRows = {{
    {"owner may read with the owner read bit", FileKind::NonDirectory, 0400, 1001, 20, 1001, VREAD, 0},
    {"owner without the write bit may not write", FileKind::NonDirectory, 0400, 1001, 20, 1001, VWRITE, 13},
    {"owner class excludes the group class", FileKind::NonDirectory, 0070, 1001, 20, 1001, VREAD, 13},
    {"group member reads with the group bit", FileKind::NonDirectory, 0040, 1001, 20, 1002, VREAD, 0},
    {"group class excludes the other class", FileKind::NonDirectory, 0604, 1001, 20, 1002, VREAD, 13},
    {"others read with the other bit", FileKind::NonDirectory, 0004, 1001, 20, 1003, VREAD, 0},
    {"others without bits get EACCES", FileKind::NonDirectory, 0770, 1001, 20, 1003, VREAD, 13},
    {"read and write need both bits", FileKind::NonDirectory, 0004, 1001, 20, 1003, VREAD | VWRITE, 13},
    {"append is granted with write", FileKind::NonDirectory, 0002, 1001, 20, 1003, VWRITE | VAPPEND, 0},
    {"execute needs the class's x bit", FileKind::NonDirectory, 0754, 1001, 20, 1003, VEXEC, 13},
    {"directory search uses the x bit", FileKind::Directory, 0751, 1001, 20, 1003, VEXEC, 0},
    {"root reads a mode 0 file", FileKind::NonDirectory, 0000, 1001, 20, 0, VREAD, 0},
    {"root writes a mode 0 file", FileKind::NonDirectory, 0000, 1001, 20, 0, VWRITE, 0},
    {"root may not execute without any x bit", FileKind::NonDirectory, 0644, 1001, 20, 0, VEXEC, 13},
    {"root executes if only the owner x bit is set", FileKind::NonDirectory, 0100, 1001, 20, 0, VEXEC, 0},
    {"root searches a mode 0 directory", FileKind::Directory, 0000, 1001, 20, 0, VEXEC, 0},
    {"owner may administer", FileKind::NonDirectory, 0000, 1001, 20, 1001, VADMIN, 0},
    {"non-owner administering gets EPERM", FileKind::NonDirectory, 0777, 1001, 20, 1003, VADMIN, 1},
    {"EPERM wins when admin is asked with other bits", FileKind::NonDirectory, 0, 1001, 20, 1003,
     VADMIN | VREAD, 1},
    {"root may administer", FileKind::NonDirectory, 0000, 1001, 20, 0, VADMIN, 0},
    {"empty request always passes", FileKind::NonDirectory, 0000, 1001, 20, 1003, 0, 0},
}};

Ucred caller_for(std::uint32_t uid) {
  if (uid == 1002) return user(1002, {30, 20});
  return user(uid, {uid == 0 ? 0u : 30u});
}

}  // namespace

TEST_CASE("vaccess: one row per rule") {
  for (const VaccessRow& row : kVaccessRows) {
    std::string rule = row.rule;
    CAPTURE(rule);
    Ucred cred = caller_for(row.caller_uid);
    KResult<void> result =
        vaccess(row.kind, row.mode, Uid(row.file_uid), Gid(row.file_gid), row.accmode, cred);
    CHECK(outcome(result) == row.expected);
  }
}

TEST_CASE("vaccess: without suser_enabled root is an ordinary user") {
  Ucred root = caller_for(0);
  CHECK(outcome(vaccess(FileKind::NonDirectory, 0000, Uid(1001), Gid(20), VREAD, root, false)) == 13);
  CHECK(outcome(vaccess(FileKind::NonDirectory, 0000, Uid(1001), Gid(20), VADMIN, root, false)) == 1);
  CHECK(outcome(vaccess(FileKind::NonDirectory, 0004, Uid(1001), Gid(20), VREAD, root, false)) == 0);
}

TEST_CASE("vaccess: the effective uid decides, not the real uid") {
  Ucred cred = user(1003, {30});
  cred.uid = Uid(1001);  // as after exec of a set-uid 1001 program
  CHECK(outcome(vaccess(FileKind::NonDirectory, 0600, Uid(1001), Gid(20), VREAD, cred)) == 0);
  cred.uid = Uid(1003);
  cred.ruid = Uid(1001);
  CHECK(outcome(vaccess(FileKind::NonDirectory, 0600, Uid(1001), Gid(20), VREAD, cred)) == 13);
}
