// execve in the kernel: what the new image changes (credentials of set-id files, p_comm and
// p_args, the ABI name and osrel, caught signals, close-on-exec descriptors, the address space
// and its charges), what it keeps, ARG_MAX, and the hook that makes machine-code programs.
#include <doctest/doctest.h>

#include "kernel_test_support.h"
#include "model/vm/elf_image.h"

namespace procsim::kern {
namespace {

using testing::kArgA;
using testing::TestMachine;

constexpr std::uint64_t kWork = kScriptScratchAddr + 0x10000;  // strings and vectors

void put_string(TestMachine& m, Pid pid, std::uint64_t addr, std::string_view text) {
  base::Bytes bytes(text.begin(), text.end());
  bytes.push_back(0);
  m.write(pid, addr, bytes);
}

// Writes `contents` to a new file at `path` through open/write/close of process `pid`.
void install_file(TestMachine& m, Pid pid, std::string_view path, const base::Bytes& contents,
                  std::uint32_t mode) {
  put_string(m, pid, kArgA, path);
  std::int64_t fd = m.ok_value(pid, Sysno::Open, {kArgA, 0x201, mode});  // O_WRONLY|O_CREAT
  m.write(pid, kWork, contents);
  CHECK(m.ok_value(pid, Sysno::Write, {static_cast<std::uint64_t>(fd), kWork, contents.size()}) ==
        static_cast<std::int64_t>(contents.size()));
  CHECK(m.ok_value(pid, Sysno::Close, {static_cast<std::uint64_t>(fd)}) == 0);
}

base::Bytes image_file(std::string host_program) {
  vm::ElfImageSpec spec;
  spec.entry = 0x400000;
  spec.osrel = 803000;
  spec.host_program = std::move(host_program);
  spec.segments.push_back({0x400000, base::Bytes{0xc3}, 0, vm::VM_PROT_READ | vm::VM_PROT_EXECUTE});
  return vm::write_elf(spec);
}

// execve(path, {args...}, NULL) by `pid`, with the strings and the vector at kWork.
SyscallResult execve(TestMachine& m, Pid pid, std::string_view path, const std::vector<std::string>& argv) {
  put_string(m, pid, kArgA, path);
  std::uint64_t at = kWork + 0x1000;
  base::Bytes vector((argv.size() + 1) * 8, 0);
  for (std::size_t i = 0; i < argv.size(); ++i) {
    put_string(m, pid, at, argv[i]);
    base::store_le<std::uint64_t>(vector, 8 * i, at);
    at += argv[i].size() + 1;
  }
  m.write(pid, kWork, vector);
  return m.call(pid, Sysno::Execve, {kArgA, kWork, 0});
}

// A host program that waits for signals for ever, so the test can look at the process.
std::unique_ptr<Program> waiting_program() {
  return std::make_unique<HostProgram>([](UserContext& context) {
    UserAddr mask = context.scratch(16);
    for (;;) (void)context.syscall(Sysno::Sigsuspend, {mask.value()});
    return 0;
  });
}

TEST_CASE("exec names the process after the file, keeps its arguments and replaces its map") {
  TestMachine m;
  m.kernel.register_host_image("waiter", waiting_program);
  Pid pid = m.spawn();
  install_file(m, pid, "/tmp/waiter", image_file("waiter"), 0755);
  const vm::VmMap* old_map = m.proc(pid).vmspace.get();
  SyscallResult result = execve(m, pid, "/tmp/waiter", {"waiter", "-x"});
  CHECK(result.error == vfs::Errno::Ejustreturn);
  Proc& p = m.proc(pid);
  CHECK(p.comm == "waiter");
  CHECK(p.first_thread().name == "waiter");
  CHECK(p.args == std::vector<std::string>{"waiter", "-x"});
  CHECK(p.sysent_name == "FreeBSD ELF64");
  CHECK(p.osrel == 803000);
  CHECK((p.flag & P_EXEC) != 0);
  CHECK((p.flag & P_INEXEC) == 0);
  CHECK(p.vmspace.get() != old_map);
  CHECK(p.vmspace->entry_containing(0x400000) != nullptr);
  CHECK(p.vmspace->entry_containing(kScriptScratchAddr) == nullptr);
  // A scripted process that exec'd takes no more scripted calls.
  SyscallRequest request;
  request.number = sysno_value(Sysno::Getpid);
  CHECK(m.kernel.script_submit(pid, request).error() == vfs::Errno::Esrch);
  p.vmspace->check_invariants();
}

TEST_CASE("a set-user-id image changes the effective and saved uid and marks the process P_SUGID") {
  TestMachine m;
  m.kernel.register_host_image("waiter", waiting_program);
  Pid root = m.spawn();
  install_file(m, root, "/tmp/suid", image_file("waiter"), 04755);
  Pid user = m.spawn_as(1001);
  CHECK(execve(m, user, "/tmp/suid", {"suid"}).error == vfs::Errno::Ejustreturn);
  const Proc& p = m.proc(user);
  CHECK(p.cred.uid == vfs::Uid(0));
  CHECK(p.cred.svuid == vfs::Uid(0));
  CHECK(p.cred.ruid == vfs::Uid(1001));
  CHECK((p.flag & P_SUGID) != 0);
}

TEST_CASE("exec resets caught signals, keeps ignored ones, and closes close-on-exec descriptors") {
  TestMachine m;
  m.kernel.register_host_image("waiter", waiting_program);
  Pid pid = m.spawn();
  install_file(m, pid, "/tmp/waiter", image_file("waiter"), 0755);
  m.write_sigaction(pid, kArgA + 0x100, 0x1234);
  CHECK(m.ok_value(pid, Sysno::Sigaction, {Sigusr1.value(), kArgA + 0x100, 0}) == 0);
  m.write_sigaction(pid, kArgA + 0x100, Sig_ign);
  CHECK(m.ok_value(pid, Sysno::Sigaction, {Sigint.value(), kArgA + 0x100, 0}) == 0);
  put_string(m, pid, kArgA, "/tmp/waiter");
  std::int64_t kept = m.ok_value(pid, Sysno::Open, {kArgA, 0, 0});
  std::int64_t closed = m.ok_value(pid, Sysno::Open, {kArgA, 0x100000, 0});  // O_CLOEXEC
  CHECK(execve(m, pid, "/tmp/waiter", {"waiter"}).error == vfs::Errno::Ejustreturn);
  Proc& p = m.proc(pid);
  CHECK(p.sigacts.handler(Sigusr1) == Sig_dfl);
  CHECK_FALSE(p.sigacts.sigcatch.contains(Sigusr1));
  CHECK(p.sigacts.handler(Sigint) == Sig_ign);
  CHECK(m.kernel.fdtable(p).is_open(static_cast<int>(kept)));
  CHECK_FALSE(m.kernel.fdtable(p).is_open(static_cast<int>(closed)));
}

TEST_CASE("more than ARG_MAX bytes of strings is E2BIG, and the caller keeps its image") {
  TestMachine m;
  Pid pid = m.spawn();
  std::string huge(kArgMax, 'a');  // with its NUL, one byte too many
  SyscallResult result = execve(m, pid, "/usr/bin/true", {huge});
  CHECK(result.error == vfs::Errno::E2big);
  CHECK(m.proc(pid).comm == "script");
  CHECK(m.ok_value(pid, Sysno::Getpid) == pid.value());
}

TEST_CASE("a machine-code image goes to the installed factory with its entry and stack; none is ENOEXEC") {
  TestMachine m;
  Pid pid = m.spawn();
  install_file(m, pid, "/tmp/code", image_file(""), 0755);
  // The kernel attaches the interpreter at construction; without it machine code cannot run.
  m.kernel.set_machine_program_factory(nullptr);
  CHECK(execve(m, pid, "/tmp/code", {"code"}).error == vfs::Errno::Enoexec);
  std::optional<ExecImage> seen;
  // Machine code has no host scratch: this stand-in waits with its mask read from the stack.
  m.kernel.set_machine_program_factory([&seen](Proc&, const ExecImage& image) {
    seen = image;
    std::uint64_t sp = image.stack.stack_pointer;
    return std::make_unique<HostProgram>([sp](UserContext& context) {
      for (;;) (void)context.syscall(Sysno::Sigsuspend, {sp});
      return 0;
    });
  });
  CHECK(execve(m, pid, "/tmp/code", {"code", "one"}).error == vfs::Errno::Ejustreturn);
  REQUIRE(seen.has_value());
  CHECK(seen->abi == machine::Abi::Amd64);
  CHECK(seen->entry == 0x400000);
  // argc sits at the initial stack pointer, below USRSTACK.
  CHECK(seen->stack.stack_pointer < vm::kAmd64Params.usrstack);
  std::array<std::uint8_t, 8> argc{};
  Proc& p = m.proc(pid);
  RwmemResult read =
      m.kernel.proc_rwmem(p, p.first_thread(), seen->stack.stack_pointer, base::MutableByteSpan(argc));
  CHECK(read.moved == 8);
  CHECK(base::load_le<std::uint64_t>(argc, 0) == 2);
}

}  // namespace
}  // namespace procsim::kern

namespace procsim::kern {
namespace {

using testing::TestMachine;

TEST_CASE("a 32-bit image on amd64 runs as FreeBSD ELF32 with the ia32 address space") {
  TestMachine m;
  m.kernel.register_host_image("waiter", waiting_program);
  Pid pid = m.spawn();
  vm::ElfImageSpec spec;
  spec.elf_class = vm::ElfClass::Elf32;
  spec.machine = vm::EM_386;
  spec.entry = 0x08048000;
  spec.host_program = "waiter";
  spec.segments.push_back({0x08048000, base::Bytes{0xc3}, 0, vm::VM_PROT_READ | vm::VM_PROT_EXECUTE});
  install_file(m, pid, "/tmp/waiter32", vm::write_elf(spec), 0755);
  CHECK(execve(m, pid, "/tmp/waiter32", {"waiter32"}).error == vfs::Errno::Ejustreturn);
  const Proc& p = m.proc(pid);
  CHECK(p.sysent_name == "FreeBSD ELF32");
  CHECK(p.osrel == 0);  // no ABI tag note
  CHECK(p.vmspace->max_offset() == 0xfffff000);
  // An arm64 image is not for this machine.
  spec.elf_class = vm::ElfClass::Elf64;
  spec.machine = vm::EM_AARCH64;
  Pid other = m.spawn();
  install_file(m, other, "/tmp/arm", vm::write_elf(spec), 0755);
  CHECK(execve(m, other, "/tmp/arm", {"arm"}).error == vfs::Errno::Enoexec);
}

TEST_CASE("exec stops at a procfs S_EXEC stop event, and an ordinary image clears P_SUGID") {
  TestMachine m;
  m.kernel.register_host_image("waiter", waiting_program);
  Pid pid = m.spawn_as(1001);
  install_file(m, pid, "/tmp/waiter", image_file("waiter"), 0755);
  Proc& p = m.proc(pid);
  p.flag |= P_SUGID;
  p.stops = S_EXEC;
  put_string(m, pid, kArgA, "/tmp/waiter");
  put_string(m, pid, kWork + 0x1000, "waiter");
  base::Bytes vector(16, 0);
  base::store_le<std::uint64_t>(vector, 0, kWork + 0x1000);
  m.write(pid, kWork, vector);
  m.start(pid, Sysno::Execve, {kArgA, kWork, 0});
  m.run_until_idle();
  CHECK(m.wmesg(pid) == "stopevent");
  CHECK(p.stype == S_EXEC);
  CHECK(p.comm == "waiter");
  CHECK((p.flag & P_SUGID) == 0);
  CHECK(p.cred.svuid == vfs::Uid(1001));
}

TEST_CASE("exec releases the old map's swap charges and charges the new one's") {
  TestMachine m;
  m.kernel.register_host_image("waiter", waiting_program);
  Pid pid = m.spawn_as(1001);
  install_file(m, pid, "/tmp/waiter", image_file("waiter"), 0755);
  const vm::SwapAccount& swap = m.kernel.swap_account();
  CHECK(m.ok_value(pid, Sysno::Mmap, {0, 1 << 20, 3, 0x1002, sarg(-1), 0}) != 0);
  std::int64_t before = swap.uid_reserved_bytes(vm::Uid(1001));
  CHECK(execve(m, pid, "/tmp/waiter", {"waiter"}).error == vfs::Errno::Ejustreturn);
  std::int64_t after = swap.uid_reserved_bytes(vm::Uid(1001));
  // Gone: the 1 MiB mapping and the scripted scratch; new: the host program's scratch.
  std::int64_t host_scratch =
      static_cast<std::int64_t>(UserContext::kScratchBytes * UserContext::kScratchLevels);
  CHECK(after < before + host_scratch);
  CHECK(after >= host_scratch);
  m.proc(pid).vmspace->check_invariants();
}

}  // namespace
}  // namespace procsim::kern
