// The status line is procfs's best-known output; each era's format is checked against the text
// it must produce: the README's 1993 line, a FreeBSD 4 line, the 2009 article's FreeBSD line and
// the spec's FreeBSD 8 example, plus the edge cases of each field (no terminal, swapped out,
// jails, odd command names).
#include "model/procfs/fill_status.h"

#include <array>
#include <string>

#include <doctest/doctest.h>

#include "model/procfs/proc_snapshot.h"
#include "test_support.h"

using namespace procfs_test;  // NOLINT: test-local helpers
using kern::Pid;
using procfs::Era;

namespace {

std::string status_of(const procfs::ProcSnapshot& target, Era era) {
  vfs::KResult<std::string> text = procfs::fill_status(target, procfs::ReaderView{}, era);
  REQUIRE(text.ok());
  return text.value();
}

// The README's cat: pid 446 of jsp (uid 11, groups staff 20, 20, wheel 0, 21, 117) on tty 12,0.
procfs::ProcSnapshot readme_cat() {
  procfs::ProcSnapshot cat = plain_snapshot(446, "cat", cred_of(11, {20, 20, 0, 21, 117}, Era::Bsd44));
  cat.ppid = Pid(439);
  cat.pgid = Pid(400);
  cat.sid = Pid(81);
  cat.p_flag = kern::P_INMEM | kern::P_CONTROLT;
  cat.session_tty = procfs::TtyView{12, 0, "ttyp0"};
  cat.session_has_tty_vnode = true;
  cat.start = {748620684, 270000};
  cat.system_time = {0, 20000};
  return cat;
}

// A login shell leading its own session on pts/0, asleep reading the terminal.
procfs::ProcSnapshot login_shell(Era era) {
  procfs::ProcSnapshot sh = plain_snapshot(812, "sh", cred_of(1001, {1001, 0}, era));
  sh.ppid = Pid(811);
  sh.p_flag = kern::P_INMEM | kern::P_CONTROLT;
  sh.session_tty = procfs::TtyView{5, 0, "pts/0"};
  sh.session_has_tty_vnode = true;
  sh.session_leader = true;
  sh.start = {1254300000, 123456};
  sh.user_time = {0, 3906};
  sh.system_time = {0, 11718};
  sh.wmesg = "ttyin";
  return sh;
}

}  // namespace

TEST_CASE("4.4BSD status reproduces the README's cat line") {
  CHECK(status_of(readme_cat(), Era::Bsd44) ==
        "cat 446 439 400 81 12,0 ctty 748620684 270000 0 0 0 20000 nochan 11 20 20 20 0 21 117\n");
}

TEST_CASE("4.4BSD status prints -1 -1 for the start of a swapped-out process but keeps run times") {
  procfs::ProcSnapshot cat = readme_cat();
  cat.p_flag = kern::P_CONTROLT;
  cat.wmesg = "ttyin";
  CHECK(status_of(cat, Era::Bsd44) ==
        "cat 446 439 400 81 12,0 ctty -1 -1 0 0 0 20000 ttyin 11 20 20 20 0 21 117\n");
}

TEST_CASE("FreeBSD 4 status uses sec,usec, euid ruid rgid and the group list after commas") {
  CHECK(status_of(login_shell(Era::FreeBSD4), Era::FreeBSD4) ==
        "sh 812 811 812 812 5,0 ctty,sldr 1254300000,123456 0,3906 0,11718 ttyin 1001 1001 1001,1001,0 -\n");
}

TEST_CASE("FreeBSD 4 status without a controlling terminal, swapped out, in a jail") {
  procfs::ProcSnapshot sh = login_shell(Era::FreeBSD4);
  sh.p_flag = 0;  // no P_CONTROLT, no P_INMEM
  sh.session_has_tty_vnode = false;
  sh.session_leader = false;
  sh.sid = Pid(0);
  sh.wmesg.reset();
  sh.jail = procfs::JailView{"www.example.org", "1"};
  CHECK(status_of(sh, Era::FreeBSD4) ==
        "sh 812 811 812 0 -1,-1 noflags -1,-1 -1,-1 -1,-1 nochan 1001 1001 1001,1001,0 www.example.org\n");
}

TEST_CASE("the terminal needs both P_CONTROLT and a session terminal") {
  procfs::ProcSnapshot sh = login_shell(Era::FreeBSD4);
  sh.session_tty.reset();
  CHECK(status_of(sh, Era::FreeBSD4).find(" 812 -1,-1 ctty,sldr ") != std::string::npos);
  procfs::ProcSnapshot c2 = login_shell(Era::FreeBSD8);
  c2.p_flag &= ~kern::P_CONTROLT;
  CHECK(status_of(c2, Era::FreeBSD8).find(" 812 - ctty,sldr ") != std::string::npos);
}

TEST_CASE("FreeBSD 4 status cuts p_comm at MAXCOMLEN (16)") {
  procfs::ProcSnapshot long_name = login_shell(Era::FreeBSD4);
  long_name.comm = std::string("abcdefghijklmnopq");
  CHECK(status_of(long_name, Era::FreeBSD4).rfind("abcdefghijklmnop 812 ", 0) == 0);
  // FreeBSD 8 keeps up to 19 bytes of the same name.
  long_name.comm = std::string("abcdefghijklmnopqrs");
  CHECK(status_of(long_name, Era::FreeBSD8).rfind("abcdefghijklmnopqrs 812 ", 0) == 0);
  CHECK(status_of(long_name, Era::Bsd44).rfind("abcdefghijklmnop 812 ", 0) == 0);
}

TEST_CASE("FreeBSD 8 status reproduces the spec's login-shell example") {
  CHECK(
      status_of(login_shell(Era::FreeBSD8), Era::FreeBSD8) ==
      "sh 812 811 812 812 pts/0 ctty,sldr 1254300000,123456 0,3906 0,11718 ttyin 1001 1001 1001,1001,0 -\n");
}

TEST_CASE("FreeBSD 8 status reproduces the 2009 article's svscan line") {
  procfs::ProcSnapshot svscan = plain_snapshot(28246, "svscan", cred_of(0, {0, 5, 0}, Era::FreeBSD8));
  svscan.ppid = Pid(1);
  svscan.pgid = Pid(28245);
  svscan.sid = Pid(0);
  svscan.p_flag = kern::P_INMEM | kern::P_CONTROLT;
  svscan.session_tty = procfs::TtyView{5, 0, "ttyp0"};
  svscan.start = {1242921860, 839572};
  svscan.user_time = {0, 318052};
  svscan.system_time = {3, 263576};
  svscan.wmesg = "nanslp";
  CHECK(status_of(svscan, Era::FreeBSD8) ==
        "svscan 28246 1 28245 0 ttyp0 noflags 1242921860,839572 0,318052 3,263576 nanslp 0 0 0,0,0,5 -\n");
}

TEST_CASE("FreeBSD 8 status names the jail relative to the reader") {
  procfs::ProcSnapshot sh = login_shell(Era::FreeBSD8);
  sh.jail = procfs::JailView{"host.example", "0"};
  CHECK(status_of(sh, Era::FreeBSD8).ends_with(" 1001,1001,0 0\n"));
  sh.jail = procfs::JailView{"host.example", "web.inner"};
  CHECK(status_of(sh, Era::FreeBSD8).ends_with(" 1001,1001,0 web.inner\n"));
}

TEST_CASE("prison_name() names a jail relative to the reader's prison, its own being 0") {
  // prison0; 1 and 4 beneath it; 2 beneath 1; 3 beneath 2.
  constexpr std::array parents = {vfs::PrisonId(0), vfs::PrisonId(0), vfs::PrisonId(1), vfs::PrisonId(2),
                                  vfs::PrisonId(0)};
  kern::PrisonTree tree{parents};
  CHECK(procfs::prison_name(tree, vfs::kPrison0, vfs::PrisonId(1)) == "1");
  CHECK(procfs::prison_name(tree, vfs::kPrison0, vfs::PrisonId(3)) == "1.2.3");
  CHECK(procfs::prison_name(tree, vfs::PrisonId(1), vfs::PrisonId(1)) == "0");
  CHECK(procfs::prison_name(tree, vfs::PrisonId(1), vfs::PrisonId(3)) == "2.3");
  CHECK(procfs::prison_name(tree, vfs::PrisonId(2), vfs::PrisonId(3)) == "3");
  CHECK(procfs::prison_name(tree, vfs::PrisonId(3), vfs::PrisonId(3)) == "0");
  CHECK(procfs::prison_name(tree, vfs::PrisonId(4), vfs::PrisonId(2)) == "1.2");
}

TEST_CASE("FreeBSD 8 escapes command-name bytes below 33, above 126 and the backslash") {
  CHECK(procfs::escape_comm_freebsd8("sh") == "sh");
  CHECK(procfs::escape_comm_freebsd8("a b") == "a\\040b");
  CHECK(procfs::escape_comm_freebsd8("a\\b") == "a\\134b");
  CHECK(procfs::escape_comm_freebsd8("~!") == "~!");
  CHECK(procfs::escape_comm_freebsd8("\x7f") == "\\177");
  CHECK(procfs::escape_comm_freebsd8(std::string("\t\x1f", 2)) == "\\011\\037");
  // A byte above 0x7f is a negative char, printed as a 32-bit unsigned octal number.
  CHECK(procfs::escape_comm_freebsd8("\x80") == "\\37777777600");
  CHECK(procfs::escape_comm_freebsd8("\xff") == "\\37777777777");
  // The first byte is printed even when it is the terminating NUL.
  CHECK(procfs::escape_comm_freebsd8("") == "\\000");
  CHECK(procfs::escape_comm_freebsd8(std::string("ls\0ep", 5)) == "ls");
}

TEST_CASE("FreeBSD 8 status prints the escaped name in place") {
  procfs::ProcSnapshot odd = login_shell(Era::FreeBSD8);
  odd.comm = "my prog";
  CHECK(status_of(odd, Era::FreeBSD8).rfind("my\\040prog 812 811 ", 0) == 0);
}

TEST_CASE("status in every era prints nochan while the process sleeps on nothing") {
  for (Era era : {Era::Bsd44, Era::FreeBSD4, Era::FreeBSD8}) {
    procfs::ProcSnapshot target = plain_snapshot(5, "spin", cred_of(0, {0}, era));
    CHECK(status_of(target, era).find(" nochan ") != std::string::npos);
  }
}
