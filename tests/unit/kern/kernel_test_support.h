// A booted kernel on a real engine for the kernel's unit tests, with helpers that drive
// scripted processes the way the scenario driver will: submit a call, run until it returns.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "model/kern/kernel.h"
#include "sim/engine.h"

namespace procsim::kern::testing {

inline KernelConfig checked_config(vfs::Era era = vfs::Era::FreeBSD8) {
  KernelConfig config;
  config.era = era;
  config.check_invariants = true;
  return config;
}

inline vfs::Ucred user_cred(std::uint32_t uid, std::uint32_t gid = 20) {
  const vfs::Gid group(gid);
  return vfs::make_ucred(vfs::Uid(uid), std::span<const vfs::Gid>(&group, 1),
                         vfs::group_rules(vfs::Era::FreeBSD8));
}

// Scratch addresses in a scripted process's memory for call arguments.
inline constexpr std::uint64_t kArgA = kScriptScratchAddr;
inline constexpr std::uint64_t kArgB = kScriptScratchAddr + 0x1000;
inline constexpr std::uint64_t kArgC = kScriptScratchAddr + 0x2000;

class TestMachine {
 public:
  explicit TestMachine(KernelConfig config = checked_config(), sim::EngineConfig engine_config = {})
      : engine(std::move(engine_config)), kernel(engine, std::move(config)) {
    kernel.boot();
  }

  Pid spawn(SpawnSpec spec = {}) {
    if (spec.comm.empty()) spec.comm = "script";
    vfs::KResult<Pid> pid = kernel.spawn_scripted(spec);
    REQUIRE(pid.ok());
    return pid.value();
  }

  Pid spawn_as(std::uint32_t uid, std::optional<Pid> ppid = std::nullopt) {
    SpawnSpec spec;
    spec.cred = user_cred(uid);
    spec.ppid = ppid;
    return spawn(spec);
  }

  // Hands the call to the scripted process without waiting for it.
  void start(Pid pid, Sysno number, std::initializer_list<std::uint64_t> args = {}) {
    SyscallRequest request;
    request.number = sysno_value(number);
    std::copy(args.begin(), args.end(), request.args.begin());
    REQUIRE(kernel.script_submit(pid, request).ok());
  }

  // Runs until the process's call returned (or it is gone); the outcome of the run.
  sim::RunOutcome finish(Pid pid) {
    return engine.run_until(kernel, [this, pid] { return kernel.script_finished(pid); }).outcome;
  }

  // One complete call: its result, which must arrive.
  SyscallResult call(Pid pid, Sysno number, std::initializer_list<std::uint64_t> args = {}) {
    start(pid, number, args);
    sim::RunOutcome outcome = finish(pid);
    REQUIRE(outcome == sim::RunOutcome::Done);
    std::optional<SyscallResult> result = kernel.script_result(pid);
    REQUIRE(result.has_value());
    return *result;
  }

  std::int64_t ok_value(Pid pid, Sysno number, std::initializer_list<std::uint64_t> args = {}) {
    SyscallResult result = call(pid, number, args);
    REQUIRE_MESSAGE(result.ok(), "errno ", vfs::errno_name(result.error.value_or(vfs::Errno::Eperm)));
    return static_cast<std::int64_t>(result.retval[0]);
  }

  vfs::Errno error_of(Pid pid, Sysno number, std::initializer_list<std::uint64_t> args = {}) {
    SyscallResult result = call(pid, number, args);
    REQUIRE(result.error.has_value());
    return *result.error;
  }

  void write(Pid pid, std::uint64_t addr, base::ByteSpan bytes) {
    UserMemory* memory = kernel.user_memory(pid);
    REQUIRE(memory != nullptr);
    REQUIRE(memory->copyout(UserAddr(addr), bytes).ok());
  }

  template <typename T>
  void write_value(Pid pid, std::uint64_t addr, T value) {
    std::array<std::uint8_t, sizeof(T)> raw{};
    base::store_le<T>(raw, 0, value);
    write(pid, addr, raw);
  }

  template <typename T>
  T read_value(Pid pid, std::uint64_t addr) {
    std::array<std::uint8_t, sizeof(T)> raw{};
    UserMemory* memory = kernel.user_memory(pid);
    REQUIRE(memory != nullptr);
    REQUIRE(memory->copyin(UserAddr(addr), raw).ok());
    return base::load_le<T>(raw, 0);
  }

  void write_timespec(Pid pid, std::uint64_t addr, std::int64_t sec, std::int64_t nsec) {
    write_value<std::int64_t>(pid, addr, sec);
    write_value<std::int64_t>(pid, addr + 8, nsec);
  }

  // A struct sigaction with the handler, flags and an empty mask.
  void write_sigaction(Pid pid, std::uint64_t addr, std::uint64_t handler, std::uint32_t flags = 0) {
    std::array<std::uint8_t, 32> raw{};
    base::store_le<std::uint64_t>(raw, 0, handler);
    base::store_le<std::uint32_t>(raw, 8, flags);
    write(pid, addr, raw);
  }

  // wait4(pid, &status at kArgC, options, NULL): (returned pid, status).
  std::pair<std::int64_t, std::uint32_t> wait4(Pid waiter, std::int32_t pid, std::uint32_t options = 0) {
    write_value<std::uint32_t>(waiter, kArgC, 0xdeadbeef);
    std::int64_t returned = ok_value(waiter, Sysno::Wait4, {sarg(pid), kArgC, options, 0});
    return {returned, read_value<std::uint32_t>(waiter, kArgC)};
  }

  void kill(Pid sender, std::int32_t pid, Signal signal) {
    CHECK(ok_value(sender, Sysno::Kill, {sarg(pid), signal.value()}) == 0);
  }

  void run_ticks(std::uint64_t ticks) { (void)engine.run_ticks(kernel, ticks); }
  void run_until_idle() { (void)engine.run_until_idle(kernel); }

  Proc& proc(Pid pid) {
    Proc* p = kernel.find_proc(pid);
    REQUIRE(p != nullptr);
    return *p;
  }
  Thread& thread(Pid pid) { return proc(pid).first_thread(); }
  std::string_view wmesg(Pid pid) { return thread(pid).wmesg; }

  sim::Engine engine;
  Kernel kernel;
};

}  // namespace procsim::kern::testing
