// Host-implemented programs: C++ user code that reaches the kernel only through the trap. Fork
// with a child entry, caught signals running the registered handler, CPU use charged by the
// statclock, sigsuspend, a fork bomb stopped by RLIMIT_NPROC, and sysctl hw.machine_arch. Code
// that runs on a simulated thread uses CHECK, never REQUIRE: an exception must not leave a fiber.
#include <memory>

#include <doctest/doctest.h>

#include "tests/unit/kern/kernel_test_support.h"

using namespace procsim::kern;
using procsim::kern::testing::TestMachine;
namespace vfs = procsim::vfs;
namespace base = procsim::base;

namespace {

constexpr std::uint64_t kUsr1Handler = 0x1234;

Pid spawn_host(TestMachine& m, Program::Entry entry, HostProgram::Handlers handlers = {},
               std::optional<vfs::Ucred> cred = std::nullopt) {
  SpawnSpec spec;
  spec.comm = "host";
  spec.cred = std::move(cred);
  vfs::KResult<Pid> pid =
      m.kernel.spawn_program(spec, std::make_unique<HostProgram>(std::move(entry), std::move(handlers)));
  REQUIRE(pid.ok());
  return pid.value();
}

void put_sigaction(UserContext& ctx, UserAddr addr, std::uint64_t handler, std::uint32_t flags) {
  std::array<std::uint8_t, 32> raw{};
  base::store_le<std::uint64_t>(raw, 0, handler);
  base::store_le<std::uint32_t>(raw, 8, flags);
  CHECK(ctx.memory().copyout(addr, raw).ok());
}

std::uint32_t get_u32(UserContext& ctx, UserAddr addr) {
  std::array<std::uint8_t, 4> raw{};
  CHECK(ctx.memory().copyin(addr, raw).ok());
  return base::load_le<std::uint32_t>(raw, 0);
}

}  // namespace

TEST_CASE("a host program forks a child that runs its entry, then reaps it") {
  std::vector<std::string> log;
  TestMachine m;
  Pid pid = spawn_host(m, [&log](UserContext& ctx) {
    SyscallResult forked = ctx.fork([&log](UserContext& child) {
      log.push_back(fmt::format("child ppid={}", child.syscall(Sysno::Getppid).retval[0]));
      return 5;
    });
    log.push_back(fmt::format("fork={}", forked.retval[0]));
    UserAddr status = ctx.scratch(4);
    SyscallResult waited = ctx.syscall(Sysno::Wait4, {sarg(-1), status.value(), 0, 0});
    log.push_back(fmt::format("wait={} status={:#x}", waited.retval[0], get_u32(ctx, status)));
    return 0;
  });
  m.run_until_idle();
  REQUIRE(log.size() == 3);
  CHECK(log[0] == fmt::format("fork={}", pid.value() + 1));
  CHECK(log[1] == fmt::format("child ppid={}", pid));
  CHECK(log[2] == fmt::format("wait={} status=0x500", pid.value() + 1));
  // The host program returned: it exited with status 0 and init reaped it.
  CHECK(m.kernel.find_proc(pid) == nullptr);
}

TEST_CASE("a caught signal runs the host program's handler before the call returns") {
  std::vector<std::string> log;
  TestMachine m;
  HostProgram::Handlers handlers;
  handlers[kUsr1Handler] = [&log](UserContext& ctx, Signal signal) {
    log.push_back(fmt::format("handler {} mask-has-usr1={}", signal_name(signal),
                              ctx.thread().sigmask.contains(Sigusr1)));
  };
  Pid pid = spawn_host(
      m,
      [&log](UserContext& ctx) {
        UserAddr act = ctx.scratch(32);
        put_sigaction(ctx, act, kUsr1Handler, 0);
        CHECK(ctx.syscall(Sysno::Sigaction, {Sigusr1.value(), act.value(), 0}).ok());
        std::uint64_t self = ctx.syscall(Sysno::Getpid).retval[0];
        SyscallResult killed = ctx.syscall(Sysno::Kill, {self, Sigusr1.value()});
        log.push_back(fmt::format("kill returned ok={} mask-has-usr1={}", killed.ok(),
                                  ctx.thread().sigmask.contains(Sigusr1)));
        return 0;
      },
      handlers);
  m.run_until_idle();
  CHECK(log == std::vector<std::string>{"handler SIGUSR1 mask-has-usr1=true",
                                        "kill returned ok=true mask-has-usr1=false"});
  CHECK(m.kernel.find_proc(pid) == nullptr);
}

TEST_CASE("CPU used in user mode is charged as user time, a tick per exhausted slice") {
  TestMachine m;
  Pid pid = spawn_host(m, [](UserContext& ctx) {
    for (int i = 0; i < 10; ++i) ctx.consume_cpu(50000);
    // Stop here so that the parent can look at the times before the reap.
    ctx.syscall(Sysno::Kill, {ctx.syscall(Sysno::Getpid).retval[0], Sigstop.value()});
    return 0;
  });
  m.run_until_idle();
  Proc& p = m.proc(pid);
  REQUIRE((p.flag & P_STOPPED_SIG) != 0);
  CHECK(p.user_ticks == 5);
  CHECK(p.system_ticks == 0);
}

TEST_CASE("sigsuspend waits in pause and returns EINTR after the handler") {
  std::vector<std::string> log;
  TestMachine m;
  HostProgram::Handlers handlers;
  handlers[kUsr1Handler] = [&log](UserContext&, Signal) { log.push_back("handler"); };
  Pid pid = spawn_host(
      m,
      [&log](UserContext& ctx) {
        UserAddr act = ctx.scratch(32);
        put_sigaction(ctx, act, kUsr1Handler, Sa_restart);
        CHECK(ctx.syscall(Sysno::Sigaction, {Sigusr1.value(), act.value(), 0}).ok());
        UserAddr mask = ctx.scratch(16);
        SyscallResult result = ctx.syscall(Sysno::Sigsuspend, {mask.value()});
        log.push_back(
            fmt::format("sigsuspend {}", vfs::errno_name(result.error.value_or(vfs::Errno::Eperm))));
        return 0;
      },
      handlers);
  m.run_until_idle();
  CHECK(m.wmesg(pid) == "pause");
  Pid sender = m.spawn();
  m.kill(sender, pid.value(), Sigusr1);
  m.run_until_idle();
  CHECK(log == std::vector<std::string>{"handler", "sigsuspend EINTR"});
}

namespace {

// Forks until fork fails, in every process it creates; counts the failures.
struct Bomb {
  std::shared_ptr<int> failures;
  int operator()(UserContext& ctx) const {
    for (;;) {
      SyscallResult forked = ctx.fork(*this);
      if (!forked.ok()) {
        CHECK(forked.error == vfs::Errno::Eagain);
        ++*failures;
        return 0;
      }
    }
  }
};

}  // namespace

TEST_CASE("RLIMIT_NPROC ends a fork bomb with EAGAIN and leaves the system intact") {
  auto failures = std::make_shared<int>(0);
  TestMachine m;
  constexpr std::uint64_t kLimit = 8;
  Pid first = spawn_host(
      m,
      [failures](UserContext& ctx) {
        UserAddr limit = ctx.scratch(16);
        std::array<std::uint8_t, 16> raw{};
        base::store_le<std::uint64_t>(raw, 0, kLimit);
        base::store_le<std::uint64_t>(raw, 8, kLimit);
        CHECK(ctx.memory().copyout(limit, raw).ok());
        CHECK(ctx.syscall(Sysno::Setrlimit, {static_cast<std::uint64_t>(Rlimit::Nproc), limit.value()}).ok());
        return Bomb{failures}(ctx);
      },
      {}, procsim::kern::testing::user_cred(1001));
  const vfs::Uid uid(1001);
  bool saw_pause = false;
  for (int tick = 0; tick < 20000 && m.kernel.proc_table().proc_count(uid) > 0; ++tick) {
    m.run_ticks(1);
    CHECK(m.kernel.proc_table().proc_count(uid) <= static_cast<std::int64_t>(kLimit));
    for (Proc* p : m.kernel.allproc()) saw_pause = saw_pause || p->first_thread().wmesg == "fork";
  }
  CHECK(m.kernel.proc_table().proc_count(uid) == 0);
  CHECK(m.kernel.find_proc(first) == nullptr);
  CHECK(*failures >= static_cast<int>(kLimit));
  CHECK(saw_pause);
  const std::string message = "maxproc limit exceeded by uid 1001, please see tuning(7) and login.conf(5).\n";
  const std::string& dmesg = m.kernel.message_buffer().contents();
  REQUIRE(dmesg.find(message) != std::string::npos);
  // Rate limited to one message a second.
  std::size_t count = 0;
  for (std::size_t at = dmesg.find(message); at != std::string::npos; at = dmesg.find(message, at + 1))
    ++count;
  CHECK(count <= m.engine.now().value() / 1000 + 1);
  CHECK(count < static_cast<std::size_t>(*failures));
  // Everyone else can still fork.
  Pid root = m.spawn();
  CHECK(m.ok_value(root, Sysno::Fork) > 0);
  CHECK(m.wmesg(Pid(1)) == "wait");
}

TEST_CASE("sysctl hw.machine_arch names the kernel's architecture as FreeBSD's MACHINE_ARCH") {
  struct Row {
    procsim::machine::Arch arch;
    std::string_view expected;
  };
  for (Row row :
       {Row{procsim::machine::Arch::Amd64, "amd64"}, Row{procsim::machine::Arch::Arm64, "aarch64"}}) {
    KernelConfig config = procsim::kern::testing::checked_config();
    config.arch = row.arch;
    TestMachine m(config);
    std::string answer;
    std::int64_t error = -1;
    spawn_host(m, [&answer, &error](UserContext& ctx) {
      UserAddr name = ctx.scratch(8);
      std::array<std::uint8_t, 8> oid{};
      base::store_le<std::int32_t>(oid, 0, 6);
      base::store_le<std::int32_t>(oid, 4, 11);
      CHECK(ctx.memory().copyout(name, oid).ok());
      UserAddr old = ctx.scratch(32);
      UserAddr old_length = ctx.scratch(8);
      std::array<std::uint8_t, 8> length{};
      base::store_le<std::uint64_t>(length, 0, 32);
      CHECK(ctx.memory().copyout(old_length, length).ok());
      SyscallResult result =
          ctx.syscall(Sysno::Sysctl, {name.value(), 2, old.value(), old_length.value(), 0, 0});
      error = result.error.has_value() ? static_cast<std::int64_t>(*result.error) : 0;
      CHECK(ctx.memory().copyin(old_length, length).ok());
      std::vector<std::uint8_t> bytes(base::load_le<std::uint64_t>(length, 0));
      CHECK(ctx.memory().copyin(old, bytes).ok());
      answer.assign(bytes.begin(), bytes.end());
      return 0;
    });
    m.run_until_idle();
    CHECK(error == 0);
    CHECK(answer == std::string(row.expected) + '\0');
  }
}
