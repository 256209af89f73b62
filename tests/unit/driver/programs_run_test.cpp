// The programs run as processes on a booted machine: each test starts one with its terminal as
// descriptors 0-2 (as a login shell's child would have it), runs the machine until everything
// is idle and checks what the terminal shows. This exercises the system-call stubs, stdio and
// the programs' error paths without going through exec.
#include <doctest/doctest.h>

#include "model/system/machine.h"
#include "model/userland/program_table.h"

using namespace procsim;

namespace {

struct Ran {
  std::string output;
  kern::Pid pid{0};
};

system::Machine boot() {
  system::MachineConfig config;
  config.profile = system::Profile::FreeBSD8;
  config.epoch_seconds = 1243080000;  // 2009-05-23 12:00:00
  return system::Machine(config);
}

void add_jsp(system::Machine& machine) {
  REQUIRE_FALSE(machine.add_group({"staff", 20}).has_value());
  REQUIRE_FALSE(machine.add_user({"jsp", 1001, 20, {}}).has_value());
}

Ran run(system::Machine& machine, std::vector<std::string> argv, std::string_view tty = "ttyp0",
        std::vector<std::string> env = {"PATH=/bin:/sbin:/usr/bin:/usr/sbin"}) {
  const userland::ProgramRow* row = userland::find_program_by_name(argv.front());
  REQUIRE(row != nullptr);
  kern::SpawnSpec spec;
  spec.tty = std::string(tty);
  spec.comm = argv.front();
  spec.argv = argv;
  if (const system::User* user = machine.find_user("jsp")) {
    spec.cred = machine.credentials_of(*user);
    spec.login = "jsp";
  }
  auto pid = machine.kernel().spawn_program(spec, userland::make_host_program(*row, {argv, env}));
  REQUIRE(pid.ok());
  machine.engine().run_until_idle(machine);
  kern::Tty* terminal = machine.tty(tty);
  REQUIRE(terminal != nullptr);
  return Ran{terminal->take_output(), pid.value()};
}

}  // namespace

TEST_CASE("echo and id write to their terminal; id names the user and group from the account files") {
  system::Machine machine = boot();
  add_jsp(machine);
  CHECK(run(machine, {"echo", "hello", "world"}).output == "hello world\n");
  CHECK(run(machine, {"id"}).output == "uid=1001(jsp) gid=20(staff) groups=20(staff)\n");
}

TEST_CASE("cat copies files and reports the ones it cannot open, going on to the next") {
  system::Machine machine = boot();
  add_jsp(machine);
  std::string out = run(machine, {"cat", "/nonexistent", "/etc/group"}).output;
  CHECK(out.starts_with("cat: /nonexistent: No such file or directory\nwheel:*:0:root\n"));
  CHECK(out.find("staff:*:20:") != std::string::npos);
}

TEST_CASE("kill reports a pid that does not exist and refuses init to an ordinary user") {
  system::Machine machine = boot();
  add_jsp(machine);
  CHECK(run(machine, {"kill", "99999"}).output == "kill: 99999: No such process\n");
  CHECK(run(machine, {"kill", "-9", "1"}).output == "kill: 1: Operation not permitted\n");
  CHECK(run(machine, {"kill", "-l"}).output ==
        "hup int quit ill trap abrt emt fpe kill bus segv sys pipe alrm term urg\n"
        "stop tstp cont chld ttin ttou io xcpu xfsz vtalrm prof winch info usr1 usr2\n");
}

TEST_CASE("ls lists a directory in name order and reports a missing operand first") {
  system::Machine machine = boot();
  add_jsp(machine);
  std::string out = run(machine, {"ls", "/nonexistent", "/"}).output;
  CHECK(out.starts_with("ls: /nonexistent: No such file or directory\n/:\n"));
  CHECK(out.find("\nbin\n") != std::string::npos);
  CHECK(out.find("\netc\n") != std::string::npos);
  std::string long_out = run(machine, {"ls", "-ld", "/tmp"}).output;
  CHECK(long_out.starts_with("drwxrwxrwt "));
  CHECK(long_out.find(" root  wheel ") != std::string::npos);
}

TEST_CASE("hexdump -C shows a file in the canonical format") {
  system::Machine machine = boot();
  add_jsp(machine);
  std::string out = run(machine, {"hexdump", "-C", "/etc/group"}).output;
  CHECK(out.starts_with("00000000  77 68 65 65 6c 3a 2a 3a  30 3a 72 6f 6f 74 0a"));
  CHECK(run(machine, {"hexdump", "-C", "/nonexistent"}).output ==
        "hexdump: /nonexistent: No such file or directory\n");
}

TEST_CASE("ps lists the processes of its own user with the default format") {
  system::Machine machine = boot();
  add_jsp(machine);
  std::string out = run(machine, {"ps", "-ax"}).output;
  CHECK(out.starts_with("  PID  TT  STAT      TIME COMMAND\n"));
  CHECK(out.find("    1  ??  ") != std::string::npos);
  CHECK(out.find(" p0  Rs+    0:00.00 ps -ax\n") != std::string::npos);
}

TEST_CASE("dmesg prints the kernel message buffer and sleep returns after its time") {
  system::Machine machine = boot();
  machine.kernel().message_buffer().append("procfs: got a attach command\n");
  CHECK(run(machine, {"dmesg"}).output.ends_with("procfs: got a attach command\n"));
  std::uint64_t before = machine.engine().now().value();
  CHECK(run(machine, {"sleep", "1"}).output.empty());
  CHECK(machine.engine().now().value() >= before + 1000);
  CHECK(run(machine, {"sleep"}).output == "usage: sleep seconds\n");
}
