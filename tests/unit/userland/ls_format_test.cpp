// ls output against FreeBSD's bin/ls layout, including the 1993 procfs README listings
// rebuilt from their inputs (inode numbers from spec/procfs.md §2.1).
#include "model/userland/ls_format.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace procsim::userland;

namespace {

constexpr std::int64_t kSeedNow = 748623960;       // 1993-09-21 15:06:00
constexpr std::int64_t kSeedFileTime = 733380720;  // 1993-03-29 04:52:00

FileInfo entry(std::string name, std::uint32_t mode, std::uint64_t inode, std::string owner,
               std::string group, std::int64_t size = 0, std::int64_t mtime = kSeedNow) {
  FileInfo info;
  info.name = std::move(name);
  info.mode = mode;
  info.inode = inode;
  info.nlink = (mode & kModeTypeMask) == kModeDirectory ? 2 : 1;
  info.owner_name = std::move(owner);
  info.group_name = std::move(group);
  info.size_bytes = size;
  info.mtime_seconds = mtime;
  return info;
}

LsOperand directory_operand(std::string path, std::vector<FileInfo> children) {
  LsOperand operand;
  operand.path = std::move(path);
  operand.info = entry(operand.path, kModeDirectory | 0555, 2, "root", "wheel");
  for (auto& child : children) operand.entries.push_back(LsEntry{std::move(child), std::nullopt});
  return operand;
}

LsOptions long_inode_options() {
  LsOptions options;
  options.long_format = true;
  options.inode = true;
  options.now_seconds = kSeedNow;
  return options;
}

std::vector<FileInfo> seed_proc_root() {
  struct Row {
    const char* pid;
    const char* owner;
    const char* group;
  };
  const Row rows[] = {{"0", "root", "wheel"},   {"1", "root", "wheel"},  {"2", "root", "wheel"},
                      {"10", "root", "wheel"},  {"32", "root", "wheel"}, {"48", "root", "wheel"},
                      {"50", "root", "wheel"},  {"57", "root", "wheel"}, {"59", "root", "wheel"},
                      {"66", "root", "kmem"},   {"67", "root", "wheel"}, {"81", "jsp", "staff"},
                      {"82", "jsp", "staff"},   {"83", "jsp", "staff"},  {"84", "root", "wheel"},
                      {"257", "root", "wheel"}, {"309", "jsp", "staff"}, {"390", "jsp", "staff"},
                      {"400", "jsp", "staff"},  {"401", "jsp", "staff"}, {"408", "jsp", "staff"}};
  std::vector<FileInfo> children;
  children.push_back(entry(".", kModeDirectory | 0555, 2, "root", "wheel"));
  children.push_back(entry("..", kModeDirectory | 0555, 2, "root", "wheel"));
  for (const Row& row : rows) {
    std::uint64_t pid = std::stoull(row.pid);
    children.push_back(entry(row.pid, kModeDirectory | 0555, (pid + 1) * 8 + 1, row.owner, row.group));
  }
  children.push_back(entry("curproc", kModeDirectory | 0555, 3273, "jsp", "staff"));
  return children;
}

}  // namespace

TEST_CASE("ls -li /proc reproduces the 1993 README listing in FreeBSD's column layout") {
  std::vector<LsOperand> operands{directory_operand("/proc", seed_proc_root())};
  ProgramOutput output = format_ls(long_inode_options(), operands);
  CHECK(output.stderr_text().empty());
  CHECK(output.exit_status() == 0);
  CHECK(output.stdout_text() ==
        "total 0\n"
        "   9 dr-xr-xr-x  2 root  wheel  0 Sep 21 15:06 0\n"
        "  17 dr-xr-xr-x  2 root  wheel  0 Sep 21 15:06 1\n"
        "  89 dr-xr-xr-x  2 root  wheel  0 Sep 21 15:06 10\n"
        "  25 dr-xr-xr-x  2 root  wheel  0 Sep 21 15:06 2\n"
        "2065 dr-xr-xr-x  2 root  wheel  0 Sep 21 15:06 257\n"
        "2481 dr-xr-xr-x  2 jsp   staff  0 Sep 21 15:06 309\n"
        " 265 dr-xr-xr-x  2 root  wheel  0 Sep 21 15:06 32\n"
        "3129 dr-xr-xr-x  2 jsp   staff  0 Sep 21 15:06 390\n"
        "3209 dr-xr-xr-x  2 jsp   staff  0 Sep 21 15:06 400\n"
        "3217 dr-xr-xr-x  2 jsp   staff  0 Sep 21 15:06 401\n"
        "3273 dr-xr-xr-x  2 jsp   staff  0 Sep 21 15:06 408\n"
        " 393 dr-xr-xr-x  2 root  wheel  0 Sep 21 15:06 48\n"
        " 409 dr-xr-xr-x  2 root  wheel  0 Sep 21 15:06 50\n"
        " 465 dr-xr-xr-x  2 root  wheel  0 Sep 21 15:06 57\n"
        " 481 dr-xr-xr-x  2 root  wheel  0 Sep 21 15:06 59\n"
        " 537 dr-xr-xr-x  2 root  kmem   0 Sep 21 15:06 66\n"
        " 545 dr-xr-xr-x  2 root  wheel  0 Sep 21 15:06 67\n"
        " 657 dr-xr-xr-x  2 jsp   staff  0 Sep 21 15:06 81\n"
        " 665 dr-xr-xr-x  2 jsp   staff  0 Sep 21 15:06 82\n"
        " 673 dr-xr-xr-x  2 jsp   staff  0 Sep 21 15:06 83\n"
        " 681 dr-xr-xr-x  2 root  wheel  0 Sep 21 15:06 84\n"
        "3273 dr-xr-xr-x  2 jsp   staff  0 Sep 21 15:06 curproc\n");
}

TEST_CASE("ls -li /proc/curproc reproduces the README's second listing and its block total") {
  FileInfo file = entry("file", kModeRegular | 0555, 1554, "bin", "bin", 90112, kSeedFileTime);
  file.blocks = 176;
  FileInfo mem = entry("mem", kModeRegular | 0600, 3339, "jsp", "staff", 118784);
  mem.blocks = 232;
  std::vector<LsOperand> operands{directory_operand(
      "/proc/curproc", {entry(".", kModeDirectory | 0555, 3337, "jsp", "staff"),
                        entry("..", kModeDirectory | 0555, 2, "root", "wheel"), entry("file", 0, 0, "", ""),
                        entry("mem", 0, 0, "", ""), entry("regs", kModeRegular | 0600, 3340, "jsp", "staff"),
                        entry("ctl", kModeRegular | 0200, 3341, "jsp", "staff"),
                        entry("status", kModeRegular | 0444, 3342, "jsp", "staff"),
                        entry("note", kModeRegular | 0200, 3343, "jsp", "staff"),
                        entry("notepg", kModeRegular | 0200, 3344, "jsp", "staff")})};
  operands[0].entries[2].info = file;
  operands[0].entries[3].info = mem;
  ProgramOutput output = format_ls(long_inode_options(), operands);
  CHECK(output.stdout_text() ==
        "total 408\n"
        "3341 --w-------  1 jsp  staff       0 Sep 21 15:06 ctl\n"
        "1554 -r-xr-xr-x  1 bin  bin     90112 Mar 29 04:52 file\n"
        "3339 -rw-------  1 jsp  staff  118784 Sep 21 15:06 mem\n"
        "3343 --w-------  1 jsp  staff       0 Sep 21 15:06 note\n"
        "3344 --w-------  1 jsp  staff       0 Sep 21 15:06 notepg\n"
        "3340 -rw-------  1 jsp  staff       0 Sep 21 15:06 regs\n"
        "3342 -r--r--r--  1 jsp  staff       0 Sep 21 15:06 status\n");
}

TEST_CASE("strmode letters cover every file type and the set-id and sticky bits") {
  CHECK(format_mode(kModeDirectory | 0755) == "drwxr-xr-x ");
  CHECK(format_mode(kModeSymlink | 0444) == "lr--r--r-- ");
  CHECK(format_mode(kModeRegular | 04755) == "-rwsr-xr-x ");
  CHECK(format_mode(kModeRegular | 04644) == "-rwSr--r-- ");
  CHECK(format_mode(kModeRegular | 02755) == "-rwxr-sr-x ");
  CHECK(format_mode(kModeRegular | 02745) == "-rwxr-Sr-x ");
  CHECK(format_mode(kModeDirectory | 01777) == "drwxrwxrwt ");
  CHECK(format_mode(kModeDirectory | 01776) == "drwxrwxrwT ");
  CHECK(format_mode(kModeCharDevice | 0620) == "crw--w---- ");
  CHECK(format_mode(kModeBlockDevice | 0640) == "brw-r----- ");
  CHECK(format_mode(kModeFifo | 0600) == "prw------- ");
  CHECK(format_mode(kModeSocket | 0777) == "srwxrwxrwx ");
  CHECK(format_mode(kModeWhiteout) == "w--------- ");
  CHECK(format_mode(0644) == "?rw-r--r-- ");
}

TEST_CASE("dates show the time within six months either side of now, otherwise the year") {
  constexpr std::int64_t kNow = 1243080000;  // 2009-05-23 12:00:00
  constexpr std::int64_t kSixMonths = 182 * 86400;
  LsOptions options;
  options.long_format = true;
  options.now_seconds = kNow;
  auto line_for = [&](std::int64_t mtime) {
    std::vector<LsOperand> operands(1);
    operands[0].path = "f";
    operands[0].info = entry("f", kModeRegular | 0644, 5, "root", "wheel", 7, mtime);
    return format_ls(options, operands).stdout_text();
  };
  CHECK(line_for(kNow) == "-rw-r--r--  1 root  wheel  7 May 23 12:00 f\n");
  CHECK(line_for(kNow - kSixMonths + 1) == "-rw-r--r--  1 root  wheel  7 Nov 22 12:00 f\n");
  CHECK(line_for(kNow - kSixMonths) == "-rw-r--r--  1 root  wheel  7 Nov 22  2008 f\n");
  CHECK(line_for(kNow + kSixMonths - 1) == "-rw-r--r--  1 root  wheel  7 Nov 21 11:59 f\n");
  CHECK(line_for(kNow + kSixMonths) == "-rw-r--r--  1 root  wheel  7 Nov 21  2009 f\n");
  CHECK(line_for(0) == "-rw-r--r--  1 root  wheel  7 Jan  1  1970 f\n");
}

TEST_CASE("plain ls prints one name per line, sorted bytewise, hiding dot files") {
  LsOptions options;
  std::vector<LsOperand> operands{directory_operand(
      "/tmp", {entry(".", kModeDirectory, 1, "", ""), entry("..", kModeDirectory, 1, "", ""),
               entry("b", kModeRegular, 3, "", ""), entry(".hidden", kModeRegular, 4, "", ""),
               entry("B", kModeRegular, 5, "", ""), entry("a", kModeRegular, 6, "", "")})};
  CHECK(format_ls(options, operands).stdout_text() == "B\na\nb\n");
  options.list_dot = true;
  CHECK(format_ls(options, operands).stdout_text() == ".hidden\nB\na\nb\n");
  options.see_dot = true;
  CHECK(format_ls(options, operands).stdout_text() == ".\n..\n.hidden\nB\na\nb\n");
  options.unsorted = true;
  CHECK(format_ls(options, operands).stdout_text() == ".\n..\nb\n.hidden\nB\na\n");
  options.see_dot = options.list_dot = false;
  CHECK(format_ls(options, operands).stdout_text() == "b\nB\na\n");
  options.unsorted = false;
  options.inode = true;
  CHECK(format_ls(options, operands).stdout_text() == "5 B\n6 a\n3 b\n");
}

TEST_CASE("operands: errors first, then files, then each directory under a header") {
  LsOptions options;
  std::vector<LsOperand> operands(4);
  operands[0] = directory_operand("/d2", {entry("y", kModeRegular, 1, "", "")});
  operands[1].path = "/nonexistent";
  operands[1].stat_error = "No such file or directory";
  operands[2].path = "/etc/motd";
  operands[2].info = entry("motd", kModeRegular | 0644, 9, "root", "wheel");
  operands[3] = directory_operand("/d1", {entry("x", kModeRegular, 1, "", "")});
  ProgramOutput output = format_ls(options, operands);
  CHECK(output.interleaved_text() ==
        "ls: /nonexistent: No such file or directory\n"
        "/etc/motd\n"
        "\n/d1:\nx\n"
        "\n/d2:\ny\n");
  CHECK(output.stderr_text() == "ls: /nonexistent: No such file or directory\n");
  CHECK(output.exit_status() == 1);
}

TEST_CASE("a single missing operand prints only the error, and a lone directory has no header") {
  std::vector<LsOperand> missing(1);
  missing[0].path = "/nonexistent";
  missing[0].stat_error = "No such file or directory";
  ProgramOutput output = format_ls(LsOptions{}, missing);
  CHECK(output.stdout_text().empty());
  CHECK(output.stderr_text() == "ls: /nonexistent: No such file or directory\n");
  CHECK(output.exit_status() == 1);
  std::vector<LsOperand> two{missing[0], directory_operand("/d", {entry("x", kModeRegular, 1, "", "")})};
  // Two operands: the directory gets a header even though the other one failed.
  CHECK(format_ls(LsOptions{}, two).stdout_text() == "/d:\nx\n");
}

TEST_CASE("-d lists directories themselves, sorted with the files") {
  LsOptions options;
  options.directory = true;
  std::vector<LsOperand> operands{directory_operand("/z", {}), directory_operand("/a", {})};
  LsOperand file;
  file.path = "/m";
  file.info = entry("m", kModeRegular, 3, "root", "wheel");
  operands.push_back(file);
  CHECK(format_ls(options, operands).stdout_text() == "/a\n/m\n/z\n");
  options.long_format = true;
  options.now_seconds = kSeedNow;
  CHECK(format_ls(options, std::span(operands).subspan(0, 1)).stdout_text() ==
        "dr-xr-xr-x  2 root  wheel  0 Sep 21 15:06 /z\n");
}

TEST_CASE("-n prints numeric ids and unknown ids print as numbers anyway") {
  LsOptions options;
  options.long_format = true;
  options.now_seconds = kSeedNow;
  FileInfo known = entry("known", kModeRegular | 0644, 1, "jsp", "staff", 5);
  known.uid = 1001;
  known.gid = 20;
  FileInfo unknown = entry("unknown", kModeRegular | 0644, 2, "", "", 12345);
  unknown.owner_name.reset();
  unknown.group_name.reset();
  unknown.uid = 4242;
  unknown.gid = 77;
  std::vector<LsOperand> operands{directory_operand("/x", {known, unknown})};
  CHECK(format_ls(options, operands).stdout_text() ==
        "total 0\n"
        "-rw-r--r--  1 jsp   staff      5 Sep 21 15:06 known\n"
        "-rw-r--r--  1 4242  77     12345 Sep 21 15:06 unknown\n");
  options.numeric_ids = true;
  CHECK(format_ls(options, operands).stdout_text() ==
        "total 0\n"
        "-rw-r--r--  1 1001  20      5 Sep 21 15:06 known\n"
        "-rw-r--r--  1 4242  77  12345 Sep 21 15:06 unknown\n");
}

TEST_CASE("symbolic links show their target, and a failed readlink goes to stderr") {
  LsOptions options;
  options.long_format = true;
  options.now_seconds = kSeedNow;
  FileInfo link = entry("curproc", kModeSymlink | 0755, 3, "root", "wheel", 3);
  link.link_target = "408";
  FileInfo broken = entry("gone", kModeSymlink | 0755, 4, "root", "wheel", 3);
  broken.link_error = "No such file or directory";
  std::vector<LsOperand> operands{directory_operand("/proc", {link, broken})};
  ProgramOutput output = format_ls(options, operands);
  CHECK(output.stdout_text() ==
        "total 0\n"
        "lrwxr-xr-x  1 root  wheel  3 Sep 21 15:06 curproc -> 408\n"
        "lrwxr-xr-x  1 root  wheel  3 Sep 21 15:06 gone\n");
  CHECK(output.stderr_text() == "\nls: /proc/gone: No such file or directory\n");
}

TEST_CASE("device files show major and minor numbers in the size column") {
  LsOptions options;
  options.long_format = true;
  options.now_seconds = kSeedNow;
  FileInfo tty = entry("ttyp0", kModeCharDevice | 0620, 7, "jsp", "tty");
  tty.rdev_major = 5;
  tty.rdev_minor = 0;
  FileInfo big = entry("disk", kModeCharDevice | 0640, 8, "root", "operator");
  big.rdev_major = 0;
  big.rdev_minor = 0x10002;
  std::vector<LsOperand> operands{directory_operand("/dev", {tty})};
  CHECK(format_ls(options, operands).stdout_text() ==
        "total 0\n"
        "crw--w----  1 jsp  tty    5,   0 Sep 21 15:06 ttyp0\n");
  operands = {directory_operand("/dev", {tty, big})};
  CHECK(format_ls(options, operands).stdout_text() ==
        "total 0\n"
        "crw-r-----  1 root  operator    0, 0x00010002 Sep 21 15:06 disk\n"
        "crw--w----  1 jsp   tty                5,   0 Sep 21 15:06 ttyp0\n");
}

TEST_CASE("unreadable directories and vanished entries are reported the way fts reports them") {
  LsOptions options;
  options.long_format = true;
  options.now_seconds = kSeedNow;
  LsOperand locked = directory_operand("/root", {});
  locked.read_error = "Permission denied";
  ProgramOutput output = format_ls(options, std::span(&locked, 1));
  CHECK(output.interleaved_text() == "total 0\nls: /root: Permission denied\n");
  CHECK(output.exit_status() == 1);
  CHECK(format_ls(LsOptions{}, std::span(&locked, 1)).interleaved_text() == "ls: /root: Permission denied\n");

  LsOperand proc = directory_operand(
      "/proc", {entry("1", kModeDirectory | 0555, 17, "root", "wheel"), entry("401", 0, 0, "", ""),
                entry("2", kModeDirectory | 0555, 25, "root", "wheel")});
  proc.entries[1].stat_error = "No such file or directory";
  output = format_ls(options, std::span(&proc, 1));
  CHECK(output.interleaved_text() ==
        "ls: 401: No such file or directory\n"
        "total 0\n"
        "dr-xr-xr-x  2 root  wheel  0 Sep 21 15:06 1\n"
        "dr-xr-xr-x  2 root  wheel  0 Sep 21 15:06 2\n");
}

TEST_CASE("an empty directory prints nothing, or just its total with -l") {
  LsOperand empty = directory_operand(
      "/e", {entry(".", kModeDirectory, 1, "", ""), entry("..", kModeDirectory, 1, "", "")});
  CHECK(format_ls(LsOptions{}, std::span(&empty, 1)).interleaved_text().empty());
  LsOptions options;
  options.long_format = true;
  CHECK(format_ls(options, std::span(&empty, 1)).interleaved_text() == "total 0\n");
}

TEST_CASE("option parsing follows FreeBSD 8 ls, including root's implied -A") {
  std::vector<std::string> args{"-li", "-1", "/proc"};
  auto parsed = parse_ls_arguments(args, false);
  REQUIRE(parsed.ok());
  CHECK_FALSE(parsed.value().options.long_format);
  CHECK(parsed.value().options.inode);
  CHECK(parsed.value().operands == std::vector<std::string>{"/proc"});

  std::vector<std::string> none;
  auto as_root = parse_ls_arguments(none, true);
  REQUIRE(as_root.ok());
  CHECK(as_root.value().options.list_dot);
  CHECK_FALSE(as_root.value().options.see_dot);
  CHECK(as_root.value().operands == std::vector<std::string>{"."});
  std::vector<std::string> no_auto{"-I"};
  CHECK_FALSE(parse_ls_arguments(no_auto, true).value().options.list_dot);
  std::vector<std::string> all{"-a"};
  CHECK(parse_ls_arguments(all, false).value().options.see_dot);

  std::vector<std::string> bad{"-lQ"};
  auto failed = parse_ls_arguments(bad, false);
  REQUIRE(failed.is_error());
  CHECK(failed.error().stderr_text() ==
        "ls: illegal option -- Q\n"
        "usage: ls [-ABCFGHILPRSTUWZabcdfghiklmnopqrstuwx1] [-D format] [file ...]\n");
  CHECK(failed.error().exit_status() == 1);
}

TEST_CASE("the program is told which operands to follow and read") {
  LsOptions options;
  CHECK(ls_follows_operand_links(options));
  CHECK_FALSE(ls_needs_entry_stat(options));
  LsOperand dir = directory_operand("/d", {});
  CHECK(ls_lists_contents(options, dir));
  options.long_format = true;
  CHECK_FALSE(ls_follows_operand_links(options));
  CHECK(ls_needs_entry_stat(options));
  options.directory = true;
  CHECK_FALSE(ls_lists_contents(options, dir));
}

TEST_CASE("ls -l prints dates in TZ's zone while the six-month rule compares UTC seconds") {
  LsOptions options = long_inode_options();
  options.inode = false;
  // 14:06 UTC is the README's 15:06 in British Summer Time (TZ=BST-1).
  options.now_seconds = kSeedNow - 3600;
  options.utc_offset_seconds = 3600;
  LsOperand operand = directory_operand(
      "/proc/curproc",
      {entry("mem", kModeRegular | 0600, 3339, "jsp", "staff", 0, kSeedNow - 3600),
       entry("old", kModeRegular | 0444, 9, "bin", "bin", 0, kSeedNow - 3600 - 200 * 86400)});
  std::vector<LsOperand> operands{operand};
  ProgramOutput output = format_ls(options, operands);
  CHECK(output.stdout_text() ==
        "total 0\n"
        "-rw-------  1 jsp  staff  0 Sep 21 15:06 mem\n"
        "-r--r--r--  1 bin  bin    0 Mar  5  1993 old\n");
}
