// execve() after 8.3 kern_exec.c and imgact_elf.c (spec/kernel.md §3.5, §7): the argument size
// limit, the executable's lookup and exec_check_permissions() (EACCES unless a regular file with
// an execute bit that VOP_ACCESS(VEXEC) grants, ENOEXEC when empty), the ELF activator (class,
// machine and OSABI must suit the kernel, else ENOEXEC), a new vmspace with the image mapped
// copy-on-write from the file and the argument block on the stack, then the set-id rules,
// p_comm, p_args, the sysent name and osrel, signal dispositions reset, close-on-exec, the vfork
// parent released and the S_EXEC stop event. The new vmspace is built before the old one goes,
// so every failure leaves the process as it was. Shell scripts (#!) and interpreters are not
// modelled: such files are ENOEXEC.
#include <algorithm>
#include <array>

#include "model/kern/kernel.h"
#include "model/kern/proc_memory.h"
#include "model/kern/sys_handlers.h"
#include "model/machine/abi_ops.h"
#include "model/vfs/namei.h"
#include "model/vfs/vfs_syscalls.h"
#include "model/vm/elf_image.h"
#include "sim/base/assert.h"

namespace procsim::kern {

namespace {

// The largest executable exec reads; a simulated program is a few pages.
constexpr std::uint64_t kImageBytesMax = 16ULL << 20;

// Auxiliary vector entry types (sys/elf_common.h).
constexpr std::uint64_t AT_PHENT = 4;
constexpr std::uint64_t AT_PHNUM = 5;
constexpr std::uint64_t AT_PAGESZ = 6;
constexpr std::uint64_t AT_BASE = 7;
constexpr std::uint64_t AT_FLAGS = 8;
constexpr std::uint64_t AT_ENTRY = 9;

// The process ABI an ELF header asks for on this kernel, if it can run it.
std::optional<machine::Abi> abi_for(machine::Arch arch, const vm::ElfInfo& info) {
  if (info.osabi != vm::ELFOSABI_FREEBSD) return std::nullopt;
  bool elf64 = info.elf_class == vm::ElfClass::Elf64;
  switch (arch) {
    case machine::Arch::Amd64:
      if (elf64 && info.machine == vm::EM_X86_64) return machine::Abi::Amd64;
      if (!elf64 && info.machine == vm::EM_386) return machine::Abi::Ia32;
      return std::nullopt;
    case machine::Arch::I386:
      if (!elf64 && info.machine == vm::EM_386) return machine::Abi::I386;
      return std::nullopt;
    case machine::Arch::Arm64:
      if (elf64 && info.machine == vm::EM_AARCH64) return machine::Abi::Arm64;
      return std::nullopt;
    case machine::Arch::Riscv64:
      if (elf64 && info.machine == vm::EM_RISCV) return machine::Abi::Riscv64;
      return std::nullopt;
  }
  PROCSIM_UNREACHABLE();
}

// copyinstr() of one argument string into what is left of ARG_MAX: E2BIG without a NUL in it.
vfs::KResult<std::string> copyin_arg(Kernel& kernel, Thread& td, std::uint64_t addr, std::size_t& space) {
  std::string text;
  for (;;) {
    std::uint64_t chunk = vm::kPageSize - addr % vm::kPageSize;
    base::Bytes bytes(static_cast<std::size_t>(chunk));
    TRY(kernel.copyin(td, UserAddr(addr), bytes));
    auto nul = std::find(bytes.begin(), bytes.end(), std::uint8_t{0});
    std::size_t taken = static_cast<std::size_t>(nul - bytes.begin()) + (nul != bytes.end() ? 1 : 0);
    if (taken > space) return base::fail(vfs::Errno::E2big);
    space -= taken;
    text.append(bytes.begin(), nul);
    if (nul != bytes.end()) return text;
    addr += chunk;
  }
}

// An argv or envp vector: pointers (LP64) up to a NULL one. A NULL envp is empty; a NULL argv
// is read like any other pointer, and faults.
vfs::KResult<std::vector<std::string>> copyin_vector(Kernel& kernel, Thread& td, UserAddr vector,
                                                     std::size_t& space, bool null_is_empty) {
  std::vector<std::string> strings;
  if (is_null(vector) && null_is_empty) return strings;
  for (std::uint64_t at = vector.value();; at += 8) {
    std::array<std::uint8_t, 8> raw{};
    TRY(kernel.copyin(td, UserAddr(at), raw));
    auto pointer = base::load_le<std::uint64_t>(raw, 0);
    if (pointer == 0) return strings;
    strings.push_back(TRY(copyin_arg(kernel, td, pointer, space)));
  }
}

}  // namespace

// execve(path, argv, envp): exec_copyin_args() copies the path, then the strings, before any
// lookup, so EFAULT and E2BIG come first.
vfs::KResult<SyscallReturn> sys_execve(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  std::string path = TRY(kernel.copyin_path(td, arg_ptr(request, 0)));
  std::size_t space = kArgMax;
  std::vector<std::string> argv = TRY(copyin_vector(kernel, td, arg_ptr(request, 1), space, false));
  std::vector<std::string> envv = TRY(copyin_vector(kernel, td, arg_ptr(request, 2), space, true));
  TRY(kernel.kern_execve(td, path, std::move(argv), std::move(envv)));
  // The new image starts with the registers exec set; nothing is returned.
  return base::fail(vfs::Errno::Ejustreturn);
}

namespace {

// The user code of a process the scenario spawns on a path: it execs the path, as a shell's
// child would, and exits with 127 when that fails.
int exec_stub(UserContext& context, const std::string& path, const std::vector<std::string>& argv) {
  auto place = [&context](std::string_view text) {
    UserAddr addr = context.scratch(text.size() + 1);
    base::Bytes bytes(text.begin(), text.end());
    bytes.push_back(0);
    PROCSIM_ASSERT(context.memory().copyout(addr, bytes).ok());
    return addr;
  };
  UserAddr path_addr = place(path);
  base::Bytes vector((argv.size() + 1) * 8, 0);
  for (std::size_t i = 0; i < argv.size(); ++i)
    base::store_le<std::uint64_t>(vector, 8 * i, place(argv[i]).value());
  UserAddr vector_addr = context.scratch(vector.size());
  PROCSIM_ASSERT(context.memory().copyout(vector_addr, vector).ok());
  (void)context.syscall(Sysno::Execve, {path_addr.value(), vector_addr.value(), 0});
  return 127;
}

}  // namespace

vfs::KResult<Pid> Kernel::spawn_exec(SpawnSpec spec, std::string path) {
  std::string_view base = std::string_view(path).substr(
      path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  spec.comm = std::string(base);
  std::vector<std::string> argv = spec.argv;
  auto stub = std::make_unique<HostProgram>(
      [path, argv](UserContext& context) { return exec_stub(context, path, argv); });
  return spawn_program(spec, std::move(stub));
}

// The address space of a process of `abi`: the native ABIs' tables, and for a 32-bit process
// on amd64 the ia32 layout (stack top and user space end at 4 GB - PAGE_SIZE).
vm::AddressSpaceParams address_space_for(machine::Abi abi) {
  switch (abi) {
    case machine::Abi::I386: return vm::kI386Params;
    case machine::Abi::Amd64: return vm::kAmd64Params;
    case machine::Abi::Ia32: {
      vm::AddressSpaceParams params = vm::kI386Params;
      params.max_user_address = machine::abi_info(abi).vm_maxuser_address;
      params.usrstack = machine::abi_info(abi).usrstack;
      params.pmap = vm::kAmd64Params.pmap;
      return params;
    }
    case machine::Abi::Arm64: return vm::kArm64Params;
    case machine::Abi::Riscv64: return vm::kRiscv64Params;
  }
  PROCSIM_UNREACHABLE();
}

struct Kernel::ActivatedImage {
  vfs::VnodeRef vp;
  vfs::Vattr attr;
  base::Bytes contents;
  vm::ElfInfo elf;
  machine::Abi abi = machine::Abi::Amd64;
  std::unique_ptr<Program> program;  // made once the stack is known (machine code) or now
  vm::InitialStack stack;
};

void Kernel::set_machine_program_factory(MachineProgramFactory factory) {
  m_machine_programs = std::move(factory);
}

void Kernel::register_host_image(std::string name, HostImageFactory factory) {
  PROCSIM_ASSERT(!name.empty() && factory != nullptr);
  m_host_images[std::move(name)] = std::move(factory);
}

vfs::KResult<void> Kernel::kern_execve(Thread& td, std::string_view path, std::vector<std::string> argv,
                                       std::vector<std::string> envv) {
  Proc& p = td.proc();
  PROCSIM_ASSERT(m_curthread == &td);
  // exec_copyin_args(): every string with its NUL must fit in ARG_MAX.
  std::size_t string_bytes = 0;
  for (const auto& list : {&argv, &envv}) {
    for (const std::string& text : *list) string_bytes += text.size() + 1;
  }
  if (string_bytes > kArgMax) return base::fail(vfs::Errno::E2big);
  // P_INEXEC makes debuggers wait (p_candebug: EBUSY) while the image changes.
  p.flag |= P_INEXEC;
  vfs::KResult<ActivatedImage> image = exec_activate(p, path);
  vfs::KResult<std::unique_ptr<vm::VmMap>> vmspace =
      image.is_error() ? base::fail(image.error()) : exec_build_vmspace(p, image.value(), path, argv, envv);
  if (vmspace.is_error()) {
    p.flag &= ~P_INEXEC;
    return base::fail(vmspace.error());
  }
  exec_commit(td, image.value(), std::move(vmspace.value()), path, std::move(argv));
  p.flag &= ~P_INEXEC;
  // spec/kernel.md §3.5: the S_EXEC stop event, then a traced process stops with SIGTRAP on its
  // way back to user mode (TDB_EXEC).
  if ((p.stops & S_EXEC) != 0) stopevent(td, S_EXEC, 0);
  if ((p.flag & P_TRACED) != 0) td.dbgflags |= TDB_EXEC;
  return {};
}

// namei, exec_check_permissions() and the activators. Nothing of the process changes here.
vfs::KResult<Kernel::ActivatedImage> Kernel::exec_activate(Proc& p, std::string_view path) {
  vfs::VfsContext ctx = vfs_context(p);
  vfs::NameiResult found = TRY(vfs::namei(ctx, vfs::NameiRequest{path, vfs::NameiOp::Lookup, true}));
  ActivatedImage image;
  image.vp = std::move(found.vp);
  vfs::Vnode& vp = *image.vp;
  image.attr = TRY(vp.ops()->getattr(vp, ctx));
  bool any_exec_bit = (image.attr.mode & 0111) != 0;
  if (image.attr.type != vfs::VType::VREG || !any_exec_bit || (vp.mount().flags() & vfs::kMntNoexec) != 0)
    return base::fail(vfs::Errno::Eacces);
  if (image.attr.size == 0) return base::fail(vfs::Errno::Enoexec);
  TRY(vp.ops()->access(vp, vfs::VEXEC, ctx));
  if (image.attr.size > kImageBytesMax) return base::fail(vfs::Errno::Enoexec);
  image.contents.resize(static_cast<std::size_t>(image.attr.size));
  std::size_t got = TRY(vfs::vn_read_at(ctx, vp, 0, image.contents));
  image.contents.resize(got);
  auto elf = vm::read_elf(image.contents);
  // FIXME: the shell-script activator (#!); until then only ELF images run.
  if (elf.is_error()) return base::fail(vfs::Errno::Enoexec);
  image.elf = std::move(elf.value());
  std::optional<machine::Abi> abi = abi_for(m_config.arch, image.elf);
  if (!abi || image.elf.segments.empty()) return base::fail(vfs::Errno::Enoexec);
  image.abi = *abi;
  if (image.elf.host_program) {
    auto factory = m_host_images.find(*image.elf.host_program);
    if (factory == m_host_images.end()) return base::fail(vfs::Errno::Enoexec);
    image.program = factory->second();
    PROCSIM_ASSERT(image.program != nullptr);
  } else if (m_machine_programs == nullptr) {
    // No interpreter is attached to this kernel: it cannot run machine code.
    return base::fail(vfs::Errno::Enoexec);
  }
  return image;
}

// exec_new_vmspace(), the ELF loader's segments from the file's VM object, and the argument
// block: all in a map of its own until exec_commit() installs it.
vfs::KResult<std::unique_ptr<vm::VmMap>> Kernel::exec_build_vmspace(Proc& p, ActivatedImage& image,
                                                                    std::string_view path,
                                                                    const std::vector<std::string>& argv,
                                                                    const std::vector<std::string>& envv) {
  vm::AddressSpaceParams params = address_space_for(image.abi);
  vm::Caller caller = vm_caller(p);
  std::unique_ptr<vm::VmMap> map = vm::new_exec_vmspace(m_vm_objects, params, caller);
  if (map == nullptr) return base::fail(vfs::Errno::Enomem);
  for (const vm::ImageSegment& segment : image.elf.segments) {
    if (segment.vaddr + segment.mem_bytes < segment.vaddr ||
        segment.vaddr + segment.mem_bytes > map->vmspace().maxsaddr)
      return base::fail(vfs::Errno::Enoexec);
  }
  vm::ObjectId object = vnode_object(*image.vp, image.contents, path);
  auto loaded = vm::load_image(*map, object, image.elf.segments, caller);
  if (loaded.is_error()) return base::fail(errno_from_vm(loaded.error()));
  vm::ExecStrings strings;
  strings.argv = argv;
  strings.envv = envv;
  strings.execpath = std::string(path);
  std::uint64_t phent = image.elf.elf_class == vm::ElfClass::Elf64 ? 56 : 32;
  strings.auxv = std::vector<vm::AuxEntry>{{AT_PHENT, phent},           {AT_PHNUM, image.elf.segments.size()},
                                           {AT_PAGESZ, vm::kPageSize},  {AT_FLAGS, 0},
                                           {AT_ENTRY, image.elf.entry}, {AT_BASE, 0}};
  auto stack = vm::copyout_exec_strings(*map, params, strings, caller);
  if (stack.is_error()) return base::fail(errno_from_vm(stack.error()));
  image.stack = stack.value();
  if (image.program == nullptr) {
    image.program = m_machine_programs(p, ExecImage{image.abi, image.elf.entry, image.stack});
    if (image.program == nullptr) return base::fail(vfs::Errno::Enoexec);
  }
  if (image.elf.host_program) map_host_scratch(*map, p);
  return map;
}

// Past the point of no return: nothing here can fail.
void Kernel::exec_commit(Thread& td, ActivatedImage& image, std::unique_ptr<vm::VmMap> vmspace,
                         std::string_view path, std::vector<std::string> argv) {
  Proc& p = td.proc();
  exec_credentials(p, image);
  // The old address space goes, and its swap charges with it.
  p.vmspace = std::move(vmspace);
  if (!image.elf.host_program) p.host_scratch_base = 0;
  // p_comm: the last component of the name looked up, at most MAXCOMLEN bytes.
  std::string_view base =
      path.substr(path.find_last_of('/') == std::string_view::npos ? 0 : path.find_last_of('/') + 1);
  p.comm = std::string(base.substr(0, std::min(base.size(), kMaxComLen)));
  td.name = p.comm;
  p.args = std::move(argv);
  p.sysent_name = std::string(machine::abi_info(image.abi).sv_name);
  // exec_setregs(): the new image's registers (an amd64 thread being stepped keeps PSL_T).
  p.abi = image.abi;
  td.frame = machine::exec_setregs(td.frame, image.abi, image.elf.entry, image.stack.stack_pointer);
  // p_osrel is reset and then set from the image's ABI tag note.
  p.osrel = image.elf.osrel.value_or(0);
  p.flag |= P_EXEC;
  if ((p.flag & P_PPWAIT) != 0) {
    p.flag &= ~P_PPWAIT;
    wakeup(WaitChannel{WaitChannel::Kind::ProcPwait, p.pid().value()});
  }
  execsigs(p);
  fdtable(p).close_marked_on_exec(vfs_context(p));
  // The old program is still on this thread's stack: it is retired, and unwinds on the way out.
  td.retired_program = std::move(p.program);
  p.program = std::move(image.program);
  td.image_replaced = true;
  if (p.script) {
    // The scenario's execve line shows what truss would: EJUSTRETURN.
    p.script->image_replaced = true;
    p.script->in_progress = false;
    p.script->result = SyscallResult{{}, vfs::Errno::Ejustreturn};
  }
  trace(KernTrace::Exec, {{"pid", std::int64_t{p.pid().value()}}, {"comm", p.comm}});
  PROCSIM_ASSERT(p.program != nullptr && p.vmspace != nullptr);
}

// Set-id images change the effective ids unless the process is traced or the mount is nosuid;
// otherwise P_SUGID is dropped when the effective ids equal the real ones. Either way the saved
// ids become the effective ones.
void Kernel::exec_credentials(Proc& p, const ActivatedImage& image) {
  constexpr std::uint32_t kSetuid = 04000;
  constexpr std::uint32_t kSetgid = 02000;
  vfs::Ucred cred = p.cred;
  bool setuid = (image.attr.mode & kSetuid) != 0 && image.attr.uid != cred.uid;
  bool setgid = (image.attr.mode & kSetgid) != 0 && image.attr.gid != cred.egid();
  bool honoured = (p.flag & P_TRACED) == 0 && (image.vp->mount().flags() & vfs::kMntNosuid) == 0;
  if ((setuid || setgid) && honoured) {
    if (setuid) cred.uid = image.attr.uid;
    if (setgid) cred.groups.front() = image.attr.gid;
    cred.svuid = cred.uid;
    cred.svgid = cred.egid();
    p.cred = cred;
    setsugid(p);
    return;
  }
  if (cred.uid == cred.ruid && cred.egid() == cred.rgid) p.flag &= ~P_SUGID;
  cred.svuid = cred.uid;
  cred.svgid = cred.egid();
  p.cred = cred;
}

// execsigs(): caught signals go back to their default action (a default-ignore one becomes
// ignored), SIGCHLD ignored becomes default, the alternate stack and the no-zombie flags go.
// The signal mask and pending signals stay.
void Kernel::execsigs(Proc& p) {
  Sigacts& acts = p.sigacts;
  for (std::uint32_t number = 1; number <= kSigMaxsig; ++number) {
    Signal signal(number);
    if (!acts.sigcatch.contains(signal)) continue;
    acts.sigcatch.del(signal);
    acts.action[number - 1] = Sig_dfl;
    if ((sigprop(signal) & SA_IGNORE) != 0 && signal != Sigcont) acts.sigignore.add(signal);
  }
  if (acts.handler(Sigchld) == Sig_ign) {
    acts.action[Sigchld.value() - 1] = Sig_dfl;
    acts.sigignore.add(Sigchld);
  }
  acts.sigonstack = SigSet{};
  acts.flag &= ~(PS_NOCLDWAIT | PS_CLDSIGIGN);
  PROCSIM_ASSERT(acts.sigcatch.empty());
}

}  // namespace procsim::kern
