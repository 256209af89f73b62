// The pure halves of the small programs: echo's text, sleep's operand, kill's command line and
// its diagnostics, dmesg's rendering, id's line, and the kern.proc record codec ps reads.
#include <doctest/doctest.h>

#include "model/kern/kinfo_proc.h"
#include "model/userland/programs.h"

using namespace procsim::userland;
namespace kern = procsim::kern;

namespace {

std::vector<std::string> words(std::initializer_list<const char*> list) { return {list.begin(), list.end()}; }

}  // namespace

TEST_CASE("echo joins its operands; -n first or \\c at the very end drops the newline") {
  CHECK(echo_text(words({"hello", "world"})) == "hello world\n");
  CHECK(echo_text(words({})) == "\n");
  CHECK(echo_text(words({"-n", "a", "b"})) == "a b");
  CHECK(echo_text(words({"a", "-n"})) == "a -n\n");
  CHECK(echo_text(words({"a", "b\\c"})) == "a b");
  // Only the last operand's \c counts.
  CHECK(echo_text(words({"a\\c", "b"})) == "a\\c b\n");
}

TEST_CASE("sleep reads whole and fractional seconds and refuses what is not a number") {
  CHECK(parse_sleep_duration("5") == SleepDuration{5, 0});
  CHECK(parse_sleep_duration("0.25") == SleepDuration{0, 250'000'000});
  CHECK(parse_sleep_duration("+1.5x") == SleepDuration{1, 500'000'000});
  // A negative time sleeps not at all; a bare '-' is a usage error.
  CHECK(parse_sleep_duration("-3") == SleepDuration{0, 0});
  CHECK_FALSE(parse_sleep_duration("-x").has_value());
  CHECK(parse_sleep_duration("abc") == SleepDuration{0, 0});
}

TEST_CASE("kill takes -SIG, -NUMBER and -s SIG, and -- before the pids") {
  auto plan = parse_kill_arguments(words({"-KILL", "401"}));
  REQUIRE(plan.ok());
  CHECK(plan.value().signal == 9);
  CHECK(plan.value().operands == words({"401"}));
  plan = parse_kill_arguments(words({"-s", "sigstop", "1", "2"}));
  REQUIRE(plan.ok());
  CHECK(plan.value().signal == 17);
  CHECK(plan.value().operands.size() == 2);
  plan = parse_kill_arguments(words({"-0", "--", "7"}));
  REQUIRE(plan.ok());
  CHECK(plan.value().signal == 0);
  CHECK(plan.value().operands == words({"7"}));
  plan = parse_kill_arguments(words({"401"}));
  REQUIRE(plan.ok());
  CHECK(plan.value().signal == 15);
}

TEST_CASE("kill's usage, unknown signals and -l print FreeBSD's texts with status 2 or 0") {
  auto usage = parse_kill_arguments(words({}));
  REQUIRE(usage.is_error());
  CHECK(usage.error().exit_status() == 2);
  CHECK(usage.error().stderr_text().starts_with("usage: kill [-s signal_name] pid ...\n"));
  auto unknown = parse_kill_arguments(words({"-FOO", "1"}));
  REQUIRE(unknown.is_error());
  CHECK(unknown.error().stderr_text().starts_with("kill: unknown signal FOO; valid signals:\nhup int quit"));
  auto list = parse_kill_arguments(words({"-l"}));
  REQUIRE(list.is_error());
  CHECK(list.error().exit_status() == 0);
  CHECK(list.error().stdout_text().ends_with("usr1 usr2\n"));
  // An exit status above 128 names the signal that killed the process.
  auto name = parse_kill_arguments(words({"-l", "137"}));
  REQUIRE(name.is_error());
  CHECK(name.error().stdout_text() == "kill\n");
  auto bad = parse_kill_arguments(words({"-l", "99"}));
  REQUIRE(bad.is_error());
  CHECK(bad.error().stderr_text() == "kill: illegal signal number: 99\n");
}

TEST_CASE("kill's pid operands are whole decimal numbers, negative ones naming groups") {
  CHECK(parse_kill_pid("401") == 401);
  CHECK(parse_kill_pid("-1") == -1);
  CHECK_FALSE(parse_kill_pid("40x").has_value());
  CHECK_FALSE(parse_kill_pid("").has_value());
}

TEST_CASE("dmesg drops leading NULs and non-kernel syslog lines, and shows control bytes as vis does") {
  using std::string_literals::operator""s;
  CHECK(format_dmesg("\0\0boot\n"s) == "boot\n");
  CHECK(format_dmesg("<6>kernel line\n<13>user line\nplain\n") == "kernel line\nplain\n");
  CHECK(format_dmesg("bell\x07 tab\t\n") == "bell\\^G tab\t\n");
  CHECK(format_dmesg(""s) == "");
}

TEST_CASE("id prints names in parentheses, effective ids only when they differ, groups once each") {
  IdFacts facts;
  facts.uid = facts.euid = 1001;
  facts.gid = facts.egid = 20;
  facts.groups = {20, 20, 0, 5};
  auto users = [](std::uint32_t uid) -> std::optional<std::string> {
    return uid == 1001 ? std::optional<std::string>("jsp") : std::nullopt;
  };
  auto groups = [](std::uint32_t gid) -> std::optional<std::string> {
    if (gid == 20) return "staff";
    if (gid == 0) return "wheel";
    return std::nullopt;
  };
  CHECK(format_id(facts, users, groups) == "uid=1001(jsp) gid=20(staff) groups=20(staff),0(wheel),5\n");
  facts.euid = 0;
  CHECK(format_id(facts, users, groups).starts_with("uid=1001(jsp) gid=20(staff) euid=0 groups="));
}

TEST_CASE("a kern.proc record decodes to what was encoded, and malformed bytes are refused") {
  kern::KinfoProc info;
  info.pid = 401;
  info.ppid = 400;
  info.uid = 1001;
  info.stat = kern::KinfoStat::Sleep;
  info.comm = "sleep";
  info.wmesg = "nanslp";
  info.login = "jsp";
  info.emul = "FreeBSD ELF64";
  info.tty = "ttyp0";
  info.start_seconds = 1243080000;
  procsim::base::Bytes bytes = kern::encode_kinfo_proc(info);
  CHECK(bytes.size() == kern::kKinfoProcBytes);
  auto decoded = kern::decode_kinfo_proc(bytes);
  REQUIRE(decoded.has_value());
  CHECK(*decoded == info);
  CHECK_FALSE(kern::decode_kinfo_proc(procsim::base::ByteSpan(bytes.data(), bytes.size() - 1)).has_value());
  std::fill(bytes.begin() + 150, bytes.end(), std::uint8_t{'x'});
  CHECK_FALSE(kern::decode_kinfo_proc(bytes).has_value());
}
