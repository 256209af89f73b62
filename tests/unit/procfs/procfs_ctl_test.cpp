// ctl writes, PIOC ioctls, mem's last close and revocation at exit, through the vnode layer with
// the kernel running the processes involved.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "model/kern/program.h"
#include "tests/unit/procfs/procfs_fixture.h"

namespace procfs_test {
namespace {

using vfs::Era;
using vfs::Errno;

constexpr std::uint32_t kPiocbis = 0x20047001;
constexpr std::uint32_t kPiocsfl = 0x20047003;
constexpr std::uint32_t kPiocwait = 0x40207004;
constexpr std::uint32_t kPioccont = 0x20047005;
constexpr std::uint32_t kPiocstatus = 0x40207006;
constexpr std::uint32_t kPiocgfl = 0x40047007;

std::string ctl_path(kern::Pid pid) { return fmt::format("/proc/{}/ctl", pid.value()); }

vfs::KResult<void> ioctl_int(ProcfsMachine& m, kern::Pid as, int fd, std::uint32_t command,
                             std::uint32_t value) {
  std::array<std::uint8_t, 4> data{};
  base::store_le<std::uint32_t>(data, 0, value);
  return vfs::kern_ioctl(m.ctx(as), m.fdt(as), fd, command, data);
}

// struct procfs_status (LP64): state, flags, events, why, val.
struct Status {
  std::int32_t state;
  std::uint32_t flags;
  std::uint64_t events;
  std::uint32_t why;
  std::uint64_t val;
};

Status decode_status(const std::array<std::uint8_t, 32>& raw) {
  return Status{base::load_le<std::int32_t>(raw, 0), base::load_le<std::uint32_t>(raw, 4),
                base::load_le<std::uint64_t>(raw, 8), base::load_le<std::uint32_t>(raw, 16),
                base::load_le<std::uint64_t>(raw, 24)};
}

TEST_CASE("FreeBSD 8 attach traces, adopts and stops the target; detach hands it back") {
  ProcfsMachine m(Era::FreeBSD8);
  kern::Pid debugger = m.spawn_as(1001);
  kern::Pid target = m.spawn_as(1001);
  int fd = m.open_ok(debugger, ctl_path(target), vfs::kOWronly);
  REQUIRE(m.write(debugger, fd, "attach\n").ok());
  kern::Proc& p = m.tm.proc(target);
  CHECK((p.flag & kern::P_TRACED) != 0);
  CHECK(p.pptr->pid() == debugger);
  CHECK(p.oppid == kern::Pid(1));
  CHECK(m.tm.kernel.message_buffer().contents().ends_with("procfs: got a attach command\n"));
  // The SIGSTOP is not taken yet: `wait` on a running traced child is EBUSY at once (spec §4.4).
  CHECK(m.write(debugger, fd, "wait").error() == Errno::Ebusy);
  m.tm.run_until_idle();
  CHECK(kern::p_shouldstop(p.flag));
  std::string status = m.cat(debugger, fmt::format("/proc/{}/status", target.value()));
  CHECK(status.starts_with(fmt::format("script {} {} ", target.value(), debugger.value())));
  CHECK(m.write(debugger, fd, "attach").error() == Errno::Ebusy);
  REQUIRE(m.write(debugger, fd, "detach").ok());
  CHECK((p.flag & kern::P_TRACED) == 0);
  CHECK(p.pptr->pid() == kern::Pid(1));
  CHECK(p.oppid == kern::Pid(0));
  CHECK(m.write(debugger, fd, "bogus").error() == Errno::Eopnotsupp);
  CHECK(m.tm.kernel.message_buffer().contents().ends_with("procfs: got a detach command\n"));
}

TEST_CASE("FreeBSD 4 ctl: self-attach, size, offset and permission errors") {
  ProcfsMachine m(Era::FreeBSD4);
  kern::Pid debugger = m.spawn_as(1001);
  kern::Pid stranger = m.spawn_as(1002);
  int self = m.open_ok(debugger, "/proc/curproc/ctl", vfs::kOWronly);
  CHECK(m.write(debugger, self, "attach").error() == Errno::Einval);
  CHECK(m.write(debugger, self, "attach\nxx").error() == Errno::Emsgsize);
  CHECK(m.write(debugger, self, "ATTACH").error() == Errno::Eopnotsupp);
  // The descriptor's offset stays 0, so writes keep working.
  CHECK(m.fdt(debugger).get(self).value()->offset() == 0);
  CHECK(m.write(debugger, self, "run").error() == Errno::Ebusy);
  kern::Pid root = m.tm.spawn();
  int other = m.open_ok(root, ctl_path(stranger), vfs::kOWronly);
  REQUIRE(m.write(root, other, "attach").ok());
  CHECK(m.tm.proc(stranger).pptr->pid() == root);
  CHECK(m.tm.kernel.message_buffer().contents().find("procfs: got") == std::string::npos);
}

TEST_CASE("FreeBSD 4 ctl wait sleeps on the target until it stops, then succeeds") {
  ProcfsMachine m(Era::FreeBSD4);
  kern::Pid target = m.spawn_as(1001);
  std::vector<std::string> log;
  kern::SpawnSpec spec;
  spec.cred = kern::testing::user_cred(1001);
  spec.comm = "debugger";
  auto body = [&m, &log, target](kern::UserContext& uc) {
    kern::Pid self = uc.thread().proc().pid();
    vfs::KResult<int> fd = m.open(self, ctl_path(target), vfs::kOWronly);
    REQUIRE(fd.ok());
    log.push_back(m.write(self, fd.value(), "attach").ok() ? "attach" : "attach failed");
    vfs::KResult<std::size_t> waited = m.write(self, fd.value(), "wait");
    log.push_back(waited.ok() ? "wait" : std::string(vfs::errno_name(waited.error())));
    log.push_back(kern::p_shouldstop(m.tm.proc(target).flag) ? "stopped" : "running");
    log.push_back(m.write(self, fd.value(), "detach").ok() ? "detach" : "detach failed");
    return 0;
  };
  REQUIRE(m.tm.kernel.spawn_program(spec, std::make_unique<kern::HostProgram>(body)).ok());
  m.tm.run_until_idle();
  std::vector<std::string> expected{"attach", "wait", "stopped", "detach"};
  CHECK(log == expected);
}

TEST_CASE("PIOC ioctls work on mem only in FreeBSD 8; the last close clears the stops") {
  ProcfsMachine m(Era::FreeBSD8);
  kern::Pid a = m.spawn_as(1001);
  kern::Pid b = m.spawn_as(1001);
  int mem = m.open_ok(a, fmt::format("/proc/{}/mem", b.value()), vfs::kORdwr);
  REQUIRE(ioctl_int(m, a, mem, kPiocbis, kern::S_EXEC | kern::S_EXIT).ok());
  std::array<std::uint8_t, 32> raw{};
  REQUIRE(vfs::kern_ioctl(m.ctx(a), m.fdt(a), mem, kPiocstatus, raw).ok());
  Status status = decode_status(raw);
  CHECK(status.state == 1);
  CHECK(status.events == (kern::S_EXEC | kern::S_EXIT));
  CHECK(status.why == 0);
  REQUIRE(ioctl_int(m, a, mem, kPiocsfl, kern::PF_LINGER).ok());
  std::array<std::uint8_t, 4> flags{};
  REQUIRE(vfs::kern_ioctl(m.ctx(a), m.fdt(a), mem, kPiocgfl, flags).ok());
  CHECK(base::load_le<std::uint32_t>(flags, 0) == kern::PF_LINGER);
  // PIOCCONT on a process that is not at a stop event does nothing in FreeBSD 8.
  CHECK(ioctl_int(m, a, mem, kPioccont, 0).ok());
  int status_fd = m.open_ok(a, fmt::format("/proc/{}/status", b.value()), vfs::kORdonly);
  CHECK(vfs::kern_ioctl(m.ctx(a), m.fdt(a), status_fd, kPiocstatus, raw).error() == Errno::Enotty);
  int dir_fd = m.open_ok(a, fmt::format("/proc/{}", b.value()), vfs::kORdonly);
  CHECK(vfs::kern_ioctl(m.ctx(a), m.fdt(a), dir_fd, kPiocstatus, raw).error() == Errno::Einval);
  // PF_LINGER: the stops survive the last close.
  REQUIRE(vfs::kern_close(m.ctx(a), m.fdt(a), mem).ok());
  CHECK(m.tm.proc(b).stops == (kern::S_EXEC | kern::S_EXIT));
  mem = m.open_ok(a, fmt::format("/proc/{}/mem", b.value()), vfs::kORdwr);
  REQUIRE(ioctl_int(m, a, mem, kPiocsfl, 0).ok());
  REQUIRE(vfs::kern_close(m.ctx(a), m.fdt(a), mem).ok());
  CHECK(m.tm.proc(b).stops == 0);
}

TEST_CASE("FreeBSD 4 takes PIOC ioctls on any node and refuses PIOCCONT when not stopped") {
  ProcfsMachine m(Era::FreeBSD4);
  kern::Pid a = m.spawn_as(1001);
  int status_fd = m.open_ok(a, "/proc/curproc/status", vfs::kORdonly);
  REQUIRE(ioctl_int(m, a, status_fd, 0x20007001, kern::S_SIG).ok());
  CHECK(m.tm.proc(a).stops == kern::S_SIG);
  CHECK(ioctl_int(m, a, status_fd, 0x20007005, 0).error() == Errno::Einval);
  std::array<std::uint8_t, 32> raw{};
  REQUIRE(vfs::kern_ioctl(m.ctx(a), m.fdt(a), status_fd, kPiocstatus, raw).ok());
  CHECK(decode_status(raw).events == kern::S_SIG);
  ProcfsMachine m44(Era::Bsd44);
  kern::Pid c = m44.spawn_as(1001);
  int fd44 = m44.open_ok(c, "/proc/curproc/status", vfs::kORdonly);
  CHECK(ioctl_int(m44, c, fd44, 0x20007001, 1).error() == Errno::Enotty);
}

TEST_CASE("A stop event holds the target until PIOCCONT; PIOCWAIT reports it") {
  ProcfsMachine m(Era::FreeBSD8);
  kern::Pid target = m.spawn_as(1001);
  std::vector<std::string> log;
  kern::SpawnSpec spec;
  spec.cred = kern::testing::user_cred(1001);
  spec.comm = "truss";
  auto body = [&m, &log, target](kern::UserContext& uc) {
    kern::Pid self = uc.thread().proc().pid();
    int mem = m.open_ok(self, fmt::format("/proc/{}/mem", target.value()), vfs::kORdwr);
    REQUIRE(ioctl_int(m, self, mem, kPiocbis, kern::S_SCE).ok());
    std::array<std::uint8_t, 32> raw{};
    vfs::KResult<void> waited = vfs::kern_ioctl(m.ctx(self), m.fdt(self), mem, kPiocwait, raw);
    REQUIRE(waited.ok());
    Status status = decode_status(raw);
    log.push_back(fmt::format("state {} why {} val {}", status.state, status.why, status.val));
    REQUIRE(ioctl_int(m, self, mem, kPioccont, 0).ok());
    REQUIRE(vfs::kern_close(m.ctx(self), m.fdt(self), mem).ok());
    return 0;
  };
  REQUIRE(m.tm.kernel.spawn_program(spec, std::make_unique<kern::HostProgram>(body)).ok());
  m.tm.run_until_idle();
  CHECK(log.empty());
  m.tm.start(target, kern::Sysno::Getpid);
  CHECK(m.tm.finish(target) == procsim::sim::RunOutcome::Done);
  REQUIRE(log.size() == 1);
  CHECK(log[0] == "state 0 why 4 val 0");
  CHECK(m.tm.kernel.script_result(target)->retval[0] == static_cast<std::uint64_t>(target.value()));
}

TEST_CASE("A descriptor on a process that exited answers as a revoked vnode") {
  ProcfsMachine m(Era::FreeBSD8);
  kern::Pid reader = m.spawn_as(1001);
  kern::Pid target = m.spawn_as(1001);
  int status_fd = m.open_ok(reader, fmt::format("/proc/{}/status", target.value()), vfs::kORdonly);
  int mem_fd = m.open_ok(reader, fmt::format("/proc/{}/mem", target.value()), vfs::kORdwr);
  m.tm.kill(reader, target.value(), kern::Sigkill);
  m.tm.run_until_idle();
  CHECK(m.tm.kernel.find_proc(target) == nullptr);
  CHECK(m.read(reader, status_fd).error() == Errno::Eio);
  CHECK(m.write(reader, mem_fd, "x").error() == Errno::Eio);
  CHECK(vfs::kern_fstat(m.ctx(reader), m.fdt(reader), status_fd).error() == Errno::Ebadf);
  std::array<std::uint8_t, 32> raw{};
  CHECK(vfs::kern_ioctl(m.ctx(reader), m.fdt(reader), mem_fd, kPiocstatus, raw).error() == Errno::Enotty);
  CHECK(vfs::kern_close(m.ctx(reader), m.fdt(reader), status_fd).ok());
  CHECK(vfs::kern_close(m.ctx(reader), m.fdt(reader), mem_fd).ok());
  CHECK(m.open(reader, fmt::format("/proc/{}/status", target.value()), vfs::kORdonly).error() ==
        Errno::Enoent);
}

TEST_CASE("A debugger's exit kills the process it traces") {
  ProcfsMachine m(Era::FreeBSD8);
  kern::Pid debugger = m.spawn_as(1001);
  kern::Pid target = m.spawn_as(1001);
  int fd = m.open_ok(debugger, ctl_path(target), vfs::kOWronly);
  REQUIRE(m.write(debugger, fd, "attach").ok());
  m.tm.run_until_idle();
  REQUIRE(vfs::kern_close(m.ctx(debugger), m.fdt(debugger), fd).ok());
  kern::Pid killer = m.tm.spawn();
  m.tm.kill(killer, debugger.value(), kern::Sigkill);
  m.tm.run_until_idle();
  CHECK(m.tm.kernel.find_proc(target) == nullptr);
}

}  // namespace
}  // namespace procfs_test

namespace procfs_test {
namespace {

// Attaches `debugger` to `target` through ctl and lets the SIGSTOP take effect.
void attach_and_stop(ProcfsMachine& m, kern::Pid debugger, kern::Pid target) {
  int ctl = m.open_ok(debugger, ctl_path(target), vfs::kOWronly);
  REQUIRE(m.write(debugger, ctl, "attach").ok());
  m.tm.run_until_idle();
  REQUIRE(kern::p_shouldstop(m.tm.proc(target).flag));
}

TEST_CASE("A register write counts only the bytes the structure took (spec §5.3)") {
  // FreeBSD 8: a non-zero offset moves nothing, so write(2) returns 0 and dr7 stays 0.
  ProcfsMachine m8(Era::FreeBSD8);
  kern::Pid debugger = m8.spawn_as(1001);
  kern::Pid target = m8.spawn_as(1001);
  attach_and_stop(m8, debugger, target);
  int dbregs = m8.open_ok(debugger, fmt::format("/proc/{}/dbregs", target.value()), vfs::kORdwr);
  REQUIRE(vfs::kern_lseek(m8.ctx(debugger), m8.fdt(debugger), dbregs, 56, vfs::kSeekSet).ok());
  vfs::KResult<std::size_t> moved = m8.write(debugger, dbregs, std::string("\x01\0\0\0\0\0\0\0", 8));
  REQUIRE(moved.ok());
  CHECK(moved.value() == 0);
  REQUIRE(vfs::kern_lseek(m8.ctx(debugger), m8.fdt(debugger), dbregs, 0, vfs::kSeekSet).ok());
  vfs::KResult<std::string> image = m8.read(debugger, dbregs, 128);
  REQUIRE(image.ok());
  CHECK(image.value() == std::string(128, '\0'));

  // FreeBSD 4: a write running past the structure's end stores and counts what fits.
  ProcfsMachine m4(Era::FreeBSD4);
  debugger = m4.spawn_as(1001);
  target = m4.spawn_as(1001);
  attach_and_stop(m4, debugger, target);
  dbregs = m4.open_ok(debugger, fmt::format("/proc/{}/dbregs", target.value()), vfs::kORdwr);
  REQUIRE(vfs::kern_lseek(m4.ctx(debugger), m4.fdt(debugger), dbregs, 120, vfs::kSeekSet).ok());
  moved = m4.write(debugger, dbregs, "0123456789abcdef");
  REQUIRE(moved.ok());
  CHECK(moved.value() == 8);
}

}  // namespace
}  // namespace procfs_test
