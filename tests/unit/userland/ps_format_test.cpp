// ps output against FreeBSD 8.3 bin/ps: headers and widths from keyword.c, STAT letters, TT
// names, TIME rounding, COMMAND text, selection, sorting and option handling. Expected lines
// are worked out by hand from the printf formats of print.c.
#include "model/userland/ps_format.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace procsim::userland;

namespace {

constexpr std::uint32_t kJsp = 1001;
constexpr std::uint32_t kAlice = 1002;
constexpr std::int64_t kNow = 1243080000;  // 2009-05-23 12:00:00

PsTty tty(std::string name, std::uint32_t device) { return PsTty{std::move(name), device, 5, device & 0xff}; }

PsProcess process(std::int32_t pid, std::string comm, std::optional<std::vector<std::string>> argv) {
  PsProcess p;
  p.pid = pid;
  p.tid = 100000 + pid;
  p.comm = std::move(comm);
  p.argv = std::move(argv);
  p.state = PsState::Sleep;
  p.flags = kPsFlagInMemory;
  p.priority_level = 152;
  p.priority_user = 152;
  p.start_seconds = kNow - 60;
  return p;
}

// A session of jsp on ttyp0 (shell 400, background sleep 401, foreground ps 402), alice's
// shell on ttyp1, and the kernel and init without a terminal.
std::vector<PsProcess> machine() {
  std::vector<PsProcess> table;
  PsProcess kernel = process(0, "kernel", std::nullopt);
  kernel.sleep_interruptible = false;
  kernel.flags |= kPsFlagSystem;
  kernel.session_leader = true;
  table.push_back(kernel);
  PsProcess init = process(1, "init", std::vector<std::string>{"/sbin/init", "--"});
  init.flags |= kPsFlagSystem;
  init.session_leader = true;
  init.sleep_seconds = 25;
  init.ppid = 0;
  init.pgid = init.sid = 1;
  init.runtime_usec = 12000;
  table.push_back(init);
  auto on_ttyp0 = [](PsProcess p) {
    p.uid = p.ruid = p.svuid = kJsp;
    p.user_name = p.ruser_name = "jsp";
    p.rgid = 20;
    p.rgroup_name = "staff";
    p.tty = tty("ttyp0", 0x500);
    p.has_controlling_tty = true;
    p.flags |= kPsFlagControllingTty;
    p.sid = 400;
    p.tpgid = 402;
    return p;
  };
  PsProcess shell = on_ttyp0(process(400, "sh", std::vector<std::string>{"-sh"}));
  shell.session_leader = true;
  shell.ppid = 1;
  shell.pgid = 400;
  shell.runtime_usec = 10000;
  shell.wchan = 0xc0ffee;
  shell.wmesg = "wait";
  table.push_back(shell);
  PsProcess sleeper = on_ttyp0(process(401, "sleep", std::vector<std::string>{"sleep", "100"}));
  sleeper.ppid = 400;
  sleeper.pgid = 401;
  sleeper.wchan = 0xbeef;
  sleeper.wmesg = "nanslp";
  sleeper.vsize_bytes = 4568 * 1024;
  sleeper.rss_pages = 120;
  table.push_back(sleeper);
  PsProcess ps = on_ttyp0(process(402, "ps", std::vector<std::string>{"ps"}));
  ps.state = PsState::Run;
  ps.ppid = 400;
  ps.pgid = 402;
  ps.runtime_usec = 4999;
  table.push_back(ps);
  PsProcess other = process(403, "sh", std::vector<std::string>{"-sh"});
  other.uid = other.ruid = kAlice;
  other.user_name = "alice";
  other.tty = tty("ttyp1", 0x501);
  other.has_controlling_tty = true;
  other.flags |= kPsFlagControllingTty;
  other.session_leader = true;
  other.pgid = other.sid = other.tpgid = 403;
  table.push_back(other);
  return table;
}

PsContext context() {
  PsContext c;
  c.real_uid = kJsp;
  c.now_seconds = kNow;
  return c;
}

ProgramOutput run_ps(std::vector<std::string> args, const std::vector<PsProcess>& table, int width = 79) {
  auto parsed = parse_ps_arguments(args, width);
  REQUIRE(parsed.ok());
  return format_ps(parsed.value(), context(), table);
}

std::string ps_text(std::vector<std::string> args, const std::vector<PsProcess>& table, int width = 79) {
  return run_ps(std::move(args), table, width).stdout_text();
}

}  // namespace

TEST_CASE("plain ps lists the user's terminal processes in FreeBSD's default columns") {
  ProgramOutput output = run_ps({}, machine());
  CHECK(output.stdout_text() ==
        "  PID  TT  STAT      TIME COMMAND\n"
        "  400  p0  Ss     0:00.01 -sh (sh)\n"
        "  401  p0  S      0:00.00 sleep 100\n"
        "  402  p0  R+     0:00.00 ps\n");
  CHECK(output.stderr_text().empty());
  CHECK(output.exit_status() == 0);
}

TEST_CASE("-ax adds other users and processes without a terminal, which sort first") {
  CHECK(ps_text({"-ax"}, machine()) ==
        "  PID  TT  STAT      TIME COMMAND\n"
        "    0  ??  DLs    0:00.00 [kernel]\n"
        "    1  ??  ILs    0:00.01 /sbin/init --\n"
        "  400  p0  Ss     0:00.01 -sh (sh)\n"
        "  401  p0  S      0:00.00 sleep 100\n"
        "  402  p0  R+     0:00.00 ps\n"
        "  403  p1  Ss+    0:00.00 -sh (sh)\n");
  // The BSD spelling without a dash means the same.
  CHECK(ps_text({"ax"}, machine()) == ps_text({"-ax"}, machine()));
  CHECK(ps_text({"-A"}, machine()) == ps_text({"-ax"}, machine()));
}

TEST_CASE("-a and -x each widen the selection in one direction only") {
  CHECK(ps_text({"-a"}, machine()) ==
        "  PID  TT  STAT      TIME COMMAND\n"
        "  400  p0  Ss     0:00.01 -sh (sh)\n"
        "  401  p0  S      0:00.00 sleep 100\n"
        "  402  p0  R+     0:00.00 ps\n"
        "  403  p1  Ss+    0:00.00 -sh (sh)\n");
  std::vector<PsProcess> table = machine();
  table[1].uid = kJsp;  // an init of jsp's, without a terminal
  CHECK(ps_text({"-x"}, table) ==
        "  PID  TT  STAT      TIME COMMAND\n"
        "    1  ??  ILs    0:00.01 /sbin/init --\n"
        "  400  p0  Ss     0:00.01 -sh (sh)\n"
        "  401  p0  S      0:00.00 sleep 100\n"
        "  402  p0  R+     0:00.00 ps\n");
}

TEST_CASE("-p selects by pid, even another user's and even without a terminal") {
  CHECK(ps_text({"-p", "403"}, machine()) ==
        "  PID  TT  STAT      TIME COMMAND\n"
        "  403  p1  Ss+    0:00.00 -sh (sh)\n");
  CHECK(ps_text({"-X", "-p1,0"}, machine()) ==
        "  PID  TT  STAT      TIME COMMAND\n"
        "    0  ??  DLs    0:00.00 [kernel]\n"
        "    1  ??  ILs    0:00.01 /sbin/init --\n");
  CHECK(ps_text({"1"}, machine()) ==
        "  PID  TT  STAT      TIME COMMAND\n"
        "    1  ??  ILs    0:00.01 /sbin/init --\n");
  // "ps 1 0": the first word is rewritten to -p1, so both pids are listed.
  CHECK(ps_text({"1", "0"}, machine()) ==
        "  PID  TT  STAT      TIME COMMAND\n"
        "    0  ??  DLs    0:00.00 [kernel]\n"
        "    1  ??  ILs    0:00.01 /sbin/init --\n");
}

TEST_CASE("nothing selected prints the header alone and exits 1") {
  ProgramOutput output = run_ps({"-p", "999"}, machine());
  CHECK(output.stdout_text() == "  PID  TT  STAT      TIME COMMAND\n");
  CHECK(output.exit_status() == 1);
}

TEST_CASE("-l uses the long format's columns and widths") {
  CHECK(ps_text({"-l", "-p", "401"}, machine()) ==
        "  UID   PID  PPID CPU PRI NI   VSZ   RSS MWCHAN STAT  TT       TIME COMMAND\n"
        " 1001   401   400   0  68  0  4568   480 nanslp S     p0    0:00.00 sleep 100\n");
}

TEST_CASE("-u sorts by CPU and shows the user, percentages and start time") {
  std::vector<PsProcess> table = machine();
  table[3].pcpu_tenths = 123;
  table[3].pmem_tenths = 5;
  table[4].start_seconds = kNow - 2 * 86400;
  CHECK(ps_text({"-u"}, table) ==
        "USER   PID %CPU %MEM   VSZ   RSS  TT  STAT STARTED      TIME COMMAND\n"
        "jsp    401 12.3  0.5  4568   480  p0  S    11:59AM   0:00.00 sleep 100\n"
        "jsp    400  0.0  0.0     0     0  p0  Ss   11:59AM   0:00.01 -sh (sh)\n"
        "jsp    402  0.0  0.0     0     0  p0  R+   Thu12PM   0:00.00 ps\n");
}

TEST_CASE("-j shows job-control ids") {
  CHECK(ps_text({"-j", "-p", "402"}, machine()) ==
        "USER   PID  PPID  PGID   SID JOBC STAT  TT       TIME COMMAND\n"
        "jsp    402   400   402   400    0 R+    p0    0:00.00 ps\n");
}

TEST_CASE("-o builds columns from keywords, aliases and custom headers") {
  CHECK(ps_text({"-o", "pid,ucomm,user", "-p", "400"}, machine()) ==
        "  PID UCOMM USER\n"
        "  400 sh    jsp \n");
  CHECK(ps_text({"-o", "pid,stat,ni", "-p", "1"}, machine()) ==
        "  PID STAT NI\n"
        "    1 ILs   0\n");
  CHECK(ps_text({"-o", "pid=PROCESS ID", "-p", "1"}, machine()) ==
        "PROCESS ID\n"
        "         1\n");
  CHECK(ps_text({"-o", "pid,comm=Name of the command", "-p", "1"}, machine()) ==
        "  PID Name of the command\n"
        "    1 init\n");
  // Empty headers everywhere: no header line.
  CHECK(ps_text({"-o", "pid=", "-p", "1"}, machine()) == "    1\n");
  // -o may repeat a keyword; -O wraps the list in pid ... tt,state,time,command.
  CHECK(ps_text({"-o", "pid,pid", "-p", "1"}, machine()) == "  PID   PID\n    1     1\n");
  CHECK(ps_text({"-O", "ppid", "-p", "401"}, machine()) ==
        "  PID  PPID  TT  STAT      TIME COMMAND\n"
        "  401   400  p0  S      0:00.00 sleep 100\n");
}

TEST_CASE("an unknown keyword is reported and the rest still prints, with exit status 1") {
  ProgramOutput output = run_ps({"-o", "foo,pid", "-p", "1"}, machine());
  CHECK(output.stderr_text() == "ps: foo: keyword not found\n");
  CHECK(output.stdout_text() == "  PID\n    1\n");
  CHECK(output.exit_status() == 1);
}

TEST_CASE("no valid keyword at all lists the valid ones and exits") {
  std::vector<std::string> args{"-o", "foo"};
  auto parsed = parse_ps_arguments(args, 79);
  REQUIRE(parsed.is_error());
  CHECK(parsed.error().stderr_text() ==
        "ps: foo: keyword not found\nps: no valid keywords; valid keywords:\n");
  std::string keywords = parsed.error().stdout_text();
  CHECK(
      keywords.starts_with("%cpu %mem acflag acflg args blocked caught comm command cpu cputime emul etime\n"
                           "f flags "));
  CHECK(keywords.ends_with("xstat\n"));
  CHECK(parsed.error().exit_status() == 1);
  CHECK(keywords == format_ps_keywords(79));
}

TEST_CASE("-L lists every keyword, wrapped before the terminal width") {
  ProgramOutput output = run_ps({"-L"}, machine());
  CHECK(output.stdout_text() == format_ps_keywords(79));
  CHECK(output.exit_status() == 0);
  std::string listing = format_ps_keywords(79);
  std::size_t start = 0;
  while (start < listing.size()) {
    std::size_t end = listing.find('\n', start);
    CHECK(end - start <= 79);
    start = end + 1;
  }
  CHECK(format_ps_keywords(0).find('\n') == format_ps_keywords(0).size() - 1);
}

TEST_CASE("STAT letters combine the run state with FreeBSD's flag letters in order") {
  PsProcess p = process(5, "x", std::nullopt);
  CHECK(format_ps_state(p) == "S");
  p.sleep_seconds = 20;
  CHECK(format_ps_state(p) == "I");
  p.sleep_interruptible = false;
  CHECK(format_ps_state(p) == "D");
  p.state = PsState::Stop;
  CHECK(format_ps_state(p) == "T");
  p.state = PsState::Run;
  CHECK(format_ps_state(p) == "R");
  p.state = PsState::Idle;
  CHECK(format_ps_state(p) == "R");
  p.state = PsState::Wait;
  CHECK(format_ps_state(p) == "W");
  p.state = PsState::Lock;
  CHECK(format_ps_state(p) == "L");
  p.state = PsState::Zombie;
  p.flags |= kPsFlagExiting;
  CHECK(format_ps_state(p) == "Z");
  p.state = PsState::Run;
  CHECK(format_ps_state(p) == "RE");
  p.flags = 0;  // swapped out
  p.nice = -5;
  p.session_leader = true;
  CHECK(format_ps_state(p) == "RW<s");
  p.flags =
      kPsFlagInMemory | kPsFlagTraced | kPsFlagPpwait | kPsFlagSystem | kPsFlagJailed | kPsFlagControllingTty;
  p.nice = 5;
  p.pgid = p.tpgid = 7;
  CHECK(format_ps_state(p) == "RNXVLs+J");
  p.tpgid = 8;
  CHECK(format_ps_state(p) == "RNXVLsJ");
}

TEST_CASE("TIME rounds to hundredths and counts minutes past an hour") {
  CHECK(format_ps_cputime(0) == "  0:00.00");
  CHECK(format_ps_cputime(4999) == "  0:00.00");
  CHECK(format_ps_cputime(5000) == "  0:00.01");
  CHECK(format_ps_cputime(995000) == "  0:01.00");
  CHECK(format_ps_cputime(61230000) == "  1:01.23");
  CHECK(format_ps_cputime(6000000000) == "100:00.00");
  CHECK(format_ps_cputime(60000000000) == "1000:00.00");
}

TEST_CASE("TT drops tty, cua and pts/ prefixes, and marks a lost controlling terminal") {
  std::vector<PsProcess> table;
  const char* names[] = {"ttyp0", "ttyv1", "console", "pts/3", "cuaa0"};
  for (int index = 0; index < 5; ++index) {
    PsProcess p = process(10 + index, "x", std::vector<std::string>{"x"});
    p.tty = tty(names[index], static_cast<std::uint32_t>(index));
    p.has_controlling_tty = index != 4;
    table.push_back(p);
  }
  CHECK(ps_text({"-o", "pid,tt,tty,tdev", "-ax"}, table) ==
        "  PID  TT  TTY       TDEV\n"
        "   10  p0  ttyp0      5/0\n"
        "   11  v1  ttyv1      5/1\n"
        "   12 con  console    5/2\n"
        "   13   3  pts/3      5/3\n"
        "   14  a0- cuaa0      5/4\n");
}

TEST_CASE("COMMAND shows the arguments, the command name when argv[0] differs, or brackets") {
  PsProcess p = process(1, "sh", std::vector<std::string>{"-sh"});
  CHECK(format_ps_command(p) == "-sh (sh)");
  p.argv = std::vector<std::string>{"/bin/sh", "-c", "echo hi"};
  CHECK(format_ps_command(p) == "/bin/sh -c echo hi");
  p.argv = std::vector<std::string>{"echo", "", "x"};
  p.comm = "echo";
  CHECK(format_ps_command(p) == "echo x");
  p.argv = std::vector<std::string>{"printf", "a\nb\tc\x01"};
  p.comm = "printf";
  CHECK(format_ps_command(p) == "printf a\\nb^Ic\\001");
  p.argv = std::nullopt;
  p.comm = "swapper";
  CHECK(format_ps_command(p) == "[swapper]");
  p.argv = std::vector<std::string>{};
  CHECK(format_ps_command(p) == "[swapper]");

  std::vector<PsProcess> table = machine();
  table[3].state = PsState::Zombie;
  CHECK(ps_text({"-p", "401"}, table) ==
        "  PID  TT  STAT      TIME COMMAND\n"
        "  401  p0  Z      0:00.00 <defunct>\n");
  CHECK(ps_text({"-c", "-p", "400"}, machine()) ==
        "  PID  TT  STAT      TIME COMMAND\n"
        "  400  p0  Ss     0:00.01 sh\n");
}

TEST_CASE("the last COMMAND column is cut at the terminal width unless -ww") {
  std::vector<PsProcess> table = machine();
  std::string long_argument(120, 'a');
  table[3].argv = std::vector<std::string>{"sleep", long_argument};
  // 79 columns minus the 26 before COMMAND leave 53 characters.
  std::string line = "  401  p0  S      0:00.00 " + ("sleep " + long_argument).substr(0, 53) + "\n";
  CHECK(ps_text({"-p", "401"}, table) == "  PID  TT  STAT      TIME COMMAND\n" + line);
  std::string wide = "  401  p0  S      0:00.00 " + ("sleep " + long_argument).substr(0, 105) + "\n";
  CHECK(ps_text({"-w", "-p", "401"}, table) == "  PID  TT  STAT      TIME COMMAND\n" + wide);
  CHECK(ps_text({"-ww", "-p", "401"}, table) ==
        "  PID  TT  STAT      TIME COMMAND\n  401  p0  S      0:00.00 sleep " + long_argument + "\n");
  // A COMMAND that is not last is padded or cut to its 16 columns.
  CHECK(ps_text({"-o", "command,pid", "-p", "401"}, table) ==
        "COMMAND            PID\n"
        "sleep aaaaaaaaaa   401\n");
}

TEST_CASE("time and wait-channel keywords format as print.c does") {
  std::vector<PsProcess> table = machine();
  table[3].start_seconds = kNow - 9 * 86400 - 3600;
  // lstart is left-justified in 28 columns, etime right-justified in 12.
  CHECK(ps_text({"-o", "pid,start,lstart,etime,wchan,nwchan", "-p", "401"}, table) ==
        "  PID STARTED " + std::string("STARTED") + std::string(21, ' ') + " " + "     ELAPSED" +
            " WCHAN  NWCHAN\n" + "  401 14May09 " + "Thu May 14 11:00:00 2009" + std::string(4, ' ') + " " +
            "  9-01:00:00" + " nanslp 000000000000beef\n");
  table[3].wmesg.clear();
  table[3].wchan = 0;
  table[3].flags = 0;  // swapped out: no u-area
  CHECK(ps_text({"-o", "pid,start,etime,mwchan,inblk,time", "-p", "401"}, table) ==
        "  PID STARTED      ELAPSED MWCHAN INBLK      TIME\n"
        "  401 " +
            std::string("-      ") + " " + "-           " + " " + "-     " + " " + "    -" + " " +
            "  0:00.00\n");
}

TEST_CASE("option errors print getopt's message and the usage, or ps's own complaint") {
  std::vector<std::string> bad{"-q"};
  auto parsed = parse_ps_arguments(bad, 79);
  REQUIRE(parsed.is_error());
  CHECK(parsed.error().stderr_text() ==
        "ps: illegal option -- q\n"
        "usage: ps [-aCcdeHhjlmrSTuvwXxZ] [-O fmt | -o fmt] [-G gid[,gid...]]\n"
        "          [-M core] [-N system]\n"
        "          [-p pid[,pid...]] [-t tty[,tty...]] [-U user[,user...]]\n"
        "       ps [-L]\n");
  CHECK(parsed.error().exit_status() == 1);
  std::vector<std::string> stray{"-a", "foo"};
  CHECK(parse_ps_arguments(stray, 79).error().stderr_text().starts_with(
      "ps: illegal argument: foo\nusage: ps "));
  std::vector<std::string> bad_pid{"-p", "x,100000,-3,"};
  auto pids = parse_ps_arguments(bad_pid, 79);
  REQUIRE(pids.is_error());
  CHECK(pids.error().stderr_text() ==
        "ps: Invalid process id: x\n"
        "ps: process id too large: 100000\n"
        "ps: Invalid process id: -3\n"
        "ps: Invalid (zero-length) process id\n");
  CHECK(pids.error().exit_status() == 1);
}
