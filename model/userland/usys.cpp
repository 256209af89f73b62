// libc's system-call stubs for host programs; see usys.h. Every wrapper starts a fresh scratch
// region, so buffers from one call never outlive it, and checks what the kernel returned
// against what it was asked (a read never returns more than the buffer).
#include "model/userland/usys.h"

#include <algorithm>

#include "sim/base/assert.h"
#include "sim/base/bytes.h"

namespace procsim::userland {

namespace {

using kern::Sysno;
using kern::UserAddr;

// sizeof(struct timespec) and the wait4 status word on LP64.
constexpr std::size_t kTimespecBytes = 16;
constexpr std::size_t kIntBytes = 4;
constexpr std::size_t kPointerBytes = 8;
// NGROUPS_MAX + 1 in 8.3: the most groups getgroups can return.
constexpr std::size_t kGroupsMax = 1024;
// CLOCK_REALTIME.
constexpr std::uint64_t kClockRealtime = 0;

base::Failure<vfs::Errno> fail_with(const kern::SyscallResult& result) {
  PROCSIM_ASSERT(result.error.has_value());
  return base::fail(*result.error);
}

}  // namespace

Usys::Usys(kern::UserContext& context) : m_context(&context) {}

kern::SyscallResult Usys::trap(Sysno number, std::initializer_list<std::uint64_t> args) {
  return m_context->syscall(number, args);
}

SysResult<UserAddr> Usys::copyout_string(std::string_view text) {
  if (text.size() >= kPathMax * 64) return base::fail(vfs::Errno::Enametoolong);
  UserAddr addr = m_context->scratch(text.size() + 1);
  std::string with_nul(text);
  with_nul.push_back('\0');
  auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(with_nul.data()), with_nul.size());
  TRY(m_context->memory().copyout(addr, bytes));
  return addr;
}

SysResult<int> Usys::open(std::string_view path, vfs::OpenFlags flags, std::uint32_t mode) {
  m_context->reset_scratch();
  UserAddr name = TRY(copyout_string(path));
  kern::SyscallResult result = trap(Sysno::Open, {name.value(), flags, mode});
  if (!result.ok()) return fail_with(result);
  return static_cast<int>(result.retval[0]);
}

SysResult<void> Usys::close(int fd) {
  kern::SyscallResult result = trap(Sysno::Close, {kern::sarg(fd)});
  if (!result.ok()) return fail_with(result);
  return {};
}

SysResult<std::string> Usys::read(int fd, std::size_t max_bytes) {
  m_context->reset_scratch();
  std::size_t asked = std::min(max_bytes, kReadChunkMax);
  UserAddr buffer = m_context->scratch(std::max<std::size_t>(asked, 1));
  kern::SyscallResult result = trap(Sysno::Read, {kern::sarg(fd), buffer.value(), asked});
  if (!result.ok()) return fail_with(result);
  std::size_t got = static_cast<std::size_t>(result.retval[0]);
  PROCSIM_ASSERT_MSG(got <= asked, "read returned more than the buffer holds");
  std::string text(got, '\0');
  auto bytes = std::span(reinterpret_cast<std::uint8_t*>(text.data()), text.size());
  TRY(m_context->memory().copyin(buffer, bytes));
  return text;
}

SysResult<std::size_t> Usys::write(int fd, std::string_view bytes) {
  m_context->reset_scratch();
  UserAddr buffer = m_context->scratch(std::max<std::size_t>(bytes.size(), 1));
  auto span = std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  TRY(m_context->memory().copyout(buffer, span));
  kern::SyscallResult result = trap(Sysno::Write, {kern::sarg(fd), buffer.value(), bytes.size()});
  if (!result.ok()) return fail_with(result);
  std::size_t wrote = static_cast<std::size_t>(result.retval[0]);
  PROCSIM_ASSERT_MSG(wrote <= bytes.size(), "write reported more than it was given");
  return wrote;
}

SysResult<void> Usys::write_all(int fd, std::string_view bytes) {
  // Scratch space is bounded, so large outputs go in pieces, as stdio's BUFSIZ buffer does.
  constexpr std::size_t kPieceBytes = 16 * 1024;
  while (!bytes.empty()) {
    std::size_t wrote = TRY(write(fd, bytes.substr(0, kPieceBytes)));
    if (wrote == 0) return base::fail(vfs::Errno::Eio);
    bytes.remove_prefix(wrote);
  }
  return {};
}

SysResult<vfs::Stat> Usys::stat_call(Sysno number, std::uint64_t first_argument) {
  std::size_t size = vfs::stat_size(vfs::StatAbi::Lp64);
  UserAddr buffer = m_context->scratch(size);
  kern::SyscallResult result = trap(number, {first_argument, buffer.value()});
  if (!result.ok()) return fail_with(result);
  std::vector<std::uint8_t> raw(size);
  TRY(m_context->memory().copyin(buffer, raw));
  return decode_stat(raw);
}

SysResult<vfs::Stat> Usys::stat(std::string_view path) {
  m_context->reset_scratch();
  UserAddr name = TRY(copyout_string(path));
  return stat_call(Sysno::Stat, name.value());
}

SysResult<vfs::Stat> Usys::lstat(std::string_view path) {
  m_context->reset_scratch();
  UserAddr name = TRY(copyout_string(path));
  return stat_call(Sysno::Lstat, name.value());
}

SysResult<vfs::Stat> Usys::fstat(int fd) {
  m_context->reset_scratch();
  return stat_call(Sysno::Fstat, kern::sarg(fd));
}

SysResult<std::vector<vfs::Dirent>> Usys::getdirentries(int fd, std::size_t buffer_bytes) {
  m_context->reset_scratch();
  std::size_t asked = std::min(buffer_bytes, kReadChunkMax);
  UserAddr buffer = m_context->scratch(asked);
  UserAddr basep = m_context->scratch(kPointerBytes);
  kern::SyscallResult result =
      trap(Sysno::Getdirentries, {kern::sarg(fd), buffer.value(), asked, basep.value()});
  if (!result.ok()) return fail_with(result);
  std::size_t got = static_cast<std::size_t>(result.retval[0]);
  PROCSIM_ASSERT_MSG(got <= asked, "getdirentries returned more than the buffer holds");
  std::vector<std::uint8_t> raw(got);
  TRY(m_context->memory().copyin(buffer, raw));
  auto records = vfs::decode_dirents(raw);
  // libc's readdir skips what it cannot parse; a malformed buffer is a kernel bug here.
  PROCSIM_ASSERT_MSG(records.has_value(), "getdirentries returned malformed records");
  return std::move(*records);
}

SysResult<std::string> Usys::readlink(std::string_view path) {
  m_context->reset_scratch();
  UserAddr name = TRY(copyout_string(path));
  UserAddr buffer = m_context->scratch(kPathMax);
  kern::SyscallResult result = trap(Sysno::Readlink, {name.value(), buffer.value(), kPathMax});
  if (!result.ok()) return fail_with(result);
  std::size_t got = static_cast<std::size_t>(result.retval[0]);
  PROCSIM_ASSERT(got <= kPathMax);
  std::string text(got, '\0');
  TRY(m_context->memory().copyin(buffer, std::span(reinterpret_cast<std::uint8_t*>(text.data()), got)));
  return text;
}

SysResult<void> Usys::chdir(std::string_view path) {
  m_context->reset_scratch();
  UserAddr name = TRY(copyout_string(path));
  kern::SyscallResult result = trap(Sysno::Chdir, {name.value()});
  if (!result.ok()) return fail_with(result);
  return {};
}

SysResult<int> Usys::dup2(int from, int to) {
  kern::SyscallResult result = trap(Sysno::Dup2, {kern::sarg(from), kern::sarg(to)});
  if (!result.ok()) return fail_with(result);
  return static_cast<int>(result.retval[0]);
}

SysResult<std::array<int, 2>> Usys::pipe() {
  // amd64's pipe(2) returns both descriptors in the two return registers.
  kern::SyscallResult result = trap(Sysno::Pipe, {});
  if (!result.ok()) return fail_with(result);
  return std::array<int, 2>{static_cast<int>(result.retval[0]), static_cast<int>(result.retval[1])};
}

SysResult<void> Usys::ioctl(int fd, std::uint32_t command, std::span<std::uint8_t> argument) {
  m_context->reset_scratch();
  UserAddr buffer = m_context->scratch(std::max<std::size_t>(argument.size(), 1));
  TRY(m_context->memory().copyout(buffer, argument));
  kern::SyscallResult result = trap(Sysno::Ioctl, {kern::sarg(fd), command, buffer.value()});
  if (!result.ok()) return fail_with(result);
  TRY(m_context->memory().copyin(buffer, argument));
  return {};
}

SysResult<void> Usys::ioctl_value(int fd, std::uint32_t command, std::uint64_t value) {
  kern::SyscallResult result = trap(Sysno::Ioctl, {kern::sarg(fd), command, value});
  if (!result.ok()) return fail_with(result);
  return {};
}

SysResult<std::int64_t> Usys::lseek(int fd, std::int64_t offset, int whence) {
  kern::SyscallResult result = trap(Sysno::Lseek, {kern::sarg(fd), kern::sarg(offset), kern::sarg(whence)});
  if (!result.ok()) return fail_with(result);
  return static_cast<std::int64_t>(result.retval[0]);
}

SysResult<std::int64_t> Usys::fcntl(int fd, int command, std::int64_t argument) {
  kern::SyscallResult result =
      trap(Sysno::Fcntl, {kern::sarg(fd), kern::sarg(command), kern::sarg(argument)});
  if (!result.ok()) return fail_with(result);
  return static_cast<std::int64_t>(result.retval[0]);
}

std::int32_t Usys::getpid() { return static_cast<std::int32_t>(trap(Sysno::Getpid, {}).retval[0]); }
std::int32_t Usys::getppid() { return static_cast<std::int32_t>(trap(Sysno::Getppid, {}).retval[0]); }
std::uint32_t Usys::getuid() { return static_cast<std::uint32_t>(trap(Sysno::Getuid, {}).retval[0]); }
std::uint32_t Usys::geteuid() { return static_cast<std::uint32_t>(trap(Sysno::Geteuid, {}).retval[0]); }
std::uint32_t Usys::getgid() { return static_cast<std::uint32_t>(trap(Sysno::Getgid, {}).retval[0]); }
std::uint32_t Usys::getegid() { return static_cast<std::uint32_t>(trap(Sysno::Getegid, {}).retval[0]); }

SysResult<std::vector<std::uint32_t>> Usys::getgroups() {
  m_context->reset_scratch();
  UserAddr buffer = m_context->scratch(kGroupsMax * kIntBytes);
  kern::SyscallResult result = trap(Sysno::Getgroups, {kGroupsMax, buffer.value()});
  if (!result.ok()) return fail_with(result);
  std::size_t count = static_cast<std::size_t>(result.retval[0]);
  PROCSIM_ASSERT(count <= kGroupsMax);
  std::vector<std::uint8_t> raw(count * kIntBytes);
  TRY(m_context->memory().copyin(buffer, raw));
  std::vector<std::uint32_t> groups;
  for (std::size_t i = 0; i < count; ++i) groups.push_back(base::load_le<std::uint32_t>(raw, i * kIntBytes));
  return groups;
}

SysResult<std::int32_t> Usys::fork(kern::Program::Entry child) {
  kern::SyscallResult result = m_context->fork(std::move(child));
  if (!result.ok()) return fail_with(result);
  return static_cast<std::int32_t>(result.retval[0]);
}

vfs::Errno Usys::execve(std::string_view path, std::span<const std::string> argv,
                        std::span<const std::string> envp) {
  m_context->reset_scratch();
  if (argv.size() + envp.size() > kExecStringsMax) return vfs::Errno::E2big;
  auto vector_of = [&](std::span<const std::string> strings) -> SysResult<UserAddr> {
    std::vector<std::uint8_t> pointers((strings.size() + 1) * kPointerBytes, 0);
    for (std::size_t i = 0; i < strings.size(); ++i) {
      UserAddr addr = TRY(copyout_string(strings[i]));
      base::store_le<std::uint64_t>(pointers, i * kPointerBytes, addr.value());
    }
    UserAddr table = m_context->scratch(pointers.size());
    TRY(m_context->memory().copyout(table, pointers));
    return table;
  };
  auto name = copyout_string(path);
  if (name.is_error()) return name.error();
  auto args = vector_of(argv);
  if (args.is_error()) return args.error();
  auto env = vector_of(envp);
  if (env.is_error()) return env.error();
  kern::SyscallResult result =
      trap(Sysno::Execve, {name.value().value(), args.value().value(), env.value().value()});
  PROCSIM_ASSERT_MSG(!result.ok(), "a successful execve does not return to the old image");
  return *result.error;
}

SysResult<WaitReport> Usys::wait4(std::int32_t pid, std::int32_t options) {
  m_context->reset_scratch();
  UserAddr status = m_context->scratch(kIntBytes);
  TRY(m_context->memory().copyout(status, std::array<std::uint8_t, kIntBytes>{}));
  kern::SyscallResult result = trap(Sysno::Wait4, {kern::sarg(pid), status.value(), kern::sarg(options), 0});
  if (!result.ok()) return fail_with(result);
  std::array<std::uint8_t, kIntBytes> raw{};
  TRY(m_context->memory().copyin(status, raw));
  return WaitReport{static_cast<std::int32_t>(result.retval[0]), base::load_le<std::int32_t>(raw, 0)};
}

SysResult<void> Usys::kill(std::int32_t pid, int signal) {
  kern::SyscallResult result = trap(Sysno::Kill, {kern::sarg(pid), kern::sarg(signal)});
  if (!result.ok()) return fail_with(result);
  return {};
}

SysResult<void> Usys::nanosleep(std::int64_t seconds, std::int64_t nanoseconds) {
  m_context->reset_scratch();
  UserAddr request = m_context->scratch(kTimespecBytes);
  std::array<std::uint8_t, kTimespecBytes> raw{};
  base::store_le<std::int64_t>(raw, 0, seconds);
  base::store_le<std::int64_t>(raw, 8, nanoseconds);
  TRY(m_context->memory().copyout(request, raw));
  kern::SyscallResult result = trap(Sysno::Nanosleep, {request.value(), 0});
  if (!result.ok()) return fail_with(result);
  return {};
}

SysResult<void> Usys::setpgid(std::int32_t pid, std::int32_t pgid) {
  kern::SyscallResult result = trap(Sysno::Setpgid, {kern::sarg(pid), kern::sarg(pgid)});
  if (!result.ok()) return fail_with(result);
  return {};
}

SysResult<void> Usys::set_signal_disposition(int signal, bool ignore) {
  // struct sigaction on LP64: the handler at 0, sa_flags at 8, sa_mask at 12 (32 bytes).
  constexpr std::size_t kSigactionBytes = 32;
  constexpr std::uint64_t kSigDfl = 0;
  constexpr std::uint64_t kSigIgn = 1;
  m_context->reset_scratch();
  UserAddr act = m_context->scratch(kSigactionBytes);
  std::array<std::uint8_t, kSigactionBytes> raw{};
  base::store_le<std::uint64_t>(raw, 0, ignore ? kSigIgn : kSigDfl);
  TRY(m_context->memory().copyout(act, raw));
  kern::SyscallResult result = trap(Sysno::Sigaction, {kern::sarg(signal), act.value(), 0});
  if (!result.ok()) return fail_with(result);
  return {};
}

SysResult<std::string> Usys::sysctl(std::span<const std::int32_t> name, std::size_t max_bytes) {
  return sysctl_call(name, max_bytes, {});
}

SysResult<std::vector<std::int32_t>> Usys::sysctl_name_to_oid(std::string_view name) {
  // CTL_MAXNAME integers at most.
  constexpr std::array<std::int32_t, 2> kName2oid = {0, 3};
  std::string raw = TRY(sysctl_call(kName2oid, 24 * kIntBytes, name));
  std::vector<std::int32_t> oid;
  for (std::size_t at = 0; at + kIntBytes <= raw.size(); at += kIntBytes) {
    auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size());
    oid.push_back(base::load_le<std::int32_t>(bytes, at));
  }
  return oid;
}

SysResult<std::string> Usys::sysctl_call(std::span<const std::int32_t> name, std::size_t max_bytes,
                                         std::string_view new_value) {
  m_context->reset_scratch();
  std::uint64_t new_addr = 0;
  if (!new_value.empty()) new_addr = TRY(copyout_string(new_value)).value();
  std::vector<std::uint8_t> mib(name.size() * kIntBytes);
  for (std::size_t i = 0; i < name.size(); ++i) base::store_le<std::int32_t>(mib, i * kIntBytes, name[i]);
  UserAddr mib_addr = m_context->scratch(std::max<std::size_t>(mib.size(), 1));
  TRY(m_context->memory().copyout(mib_addr, mib));
  std::size_t asked = std::min(max_bytes, kern::UserContext::kScratchBytes / 2);
  UserAddr buffer = m_context->scratch(std::max<std::size_t>(asked, 1));
  UserAddr length = m_context->scratch(kPointerBytes);
  std::array<std::uint8_t, kPointerBytes> raw{};
  base::store_le<std::uint64_t>(raw, 0, asked);
  TRY(m_context->memory().copyout(length, raw));
  kern::SyscallResult result = trap(Sysno::Sysctl, {mib_addr.value(), name.size(), buffer.value(),
                                                    length.value(), new_addr, new_value.size()});
  if (!result.ok()) return fail_with(result);
  TRY(m_context->memory().copyin(length, raw));
  std::size_t got = static_cast<std::size_t>(base::load_le<std::uint64_t>(raw, 0));
  PROCSIM_ASSERT_MSG(got <= asked, "sysctl returned more than the buffer holds");
  std::string text(got, '\0');
  TRY(m_context->memory().copyin(buffer, std::span(reinterpret_cast<std::uint8_t*>(text.data()), got)));
  return text;
}

SysResult<std::int64_t> Usys::time_of_day_seconds() {
  m_context->reset_scratch();
  UserAddr buffer = m_context->scratch(kTimespecBytes);
  kern::SyscallResult result = trap(Sysno::ClockGettime, {kClockRealtime, buffer.value()});
  if (!result.ok()) return fail_with(result);
  std::array<std::uint8_t, kTimespecBytes> raw{};
  TRY(m_context->memory().copyin(buffer, raw));
  return base::load_le<std::int64_t>(raw, 0);
}

vfs::Stat decode_stat(std::span<const std::uint8_t> bytes) {
  PROCSIM_ASSERT(bytes.size() == vfs::stat_size(vfs::StatAbi::Lp64));
  vfs::Stat sb;
  sb.dev = base::load_le<std::uint32_t>(bytes, 0);
  sb.ino = base::load_le<std::uint32_t>(bytes, 4);
  sb.mode = base::load_le<std::uint16_t>(bytes, 8);
  sb.nlink = base::load_le<std::uint16_t>(bytes, 10);
  sb.uid = vfs::Uid(base::load_le<std::uint32_t>(bytes, 12));
  sb.gid = vfs::Gid(base::load_le<std::uint32_t>(bytes, 16));
  sb.rdev = base::load_le<std::uint32_t>(bytes, 20);
  // Three LP64 timespecs from offset 24, then the 64-bit counts (vfs/stat.cpp's layout).
  sb.atime = {base::load_le<std::int64_t>(bytes, 24), base::load_le<std::int64_t>(bytes, 32)};
  sb.mtime = {base::load_le<std::int64_t>(bytes, 40), base::load_le<std::int64_t>(bytes, 48)};
  sb.ctime = {base::load_le<std::int64_t>(bytes, 56), base::load_le<std::int64_t>(bytes, 64)};
  sb.size = base::load_le<std::int64_t>(bytes, 72);
  sb.blocks = base::load_le<std::int64_t>(bytes, 80);
  sb.blksize = base::load_le<std::uint32_t>(bytes, 88);
  sb.flags = base::load_le<std::uint32_t>(bytes, 92);
  sb.gen = base::load_le<std::uint32_t>(bytes, 96);
  sb.birthtime = {base::load_le<std::int64_t>(bytes, 104), base::load_le<std::int64_t>(bytes, 112)};
  PROCSIM_ASSERT(sb.blocks >= 0);
  return sb;
}

std::string strerror_text(vfs::Errno error) { return vfs::errno_text(error); }

}  // namespace procsim::userland
