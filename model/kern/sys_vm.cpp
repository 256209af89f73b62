// The memory system calls (spec/kernel.md §5): mmap, munmap, mprotect and break, with 8.3's
// argument constraints in front of the VM layer's vm_mmap.h, which does the mapping and the
// KERN_* → errno translation. Swap reservations are charged to the caller's real uid and checked
// against its RLIMIT_SWAP (§5.3). A file mapping maps the vnode's object (its contents as read
// at the time); MAP_SHARED stores are not written back to the file.
#include <algorithm>

#include "model/kern/proc_memory.h"
#include "model/kern/sys_handlers.h"
#include "model/vfs/vfs_syscalls.h"
#include "model/vm/vm_mmap.h"
#include "sim/base/assert.h"

namespace procsim::kern {

namespace {

// P_OSREL_MAP_ANON (8.3 sys/sys/param.h): binaries built from here on may not map 0 bytes.
constexpr std::int32_t kOsrelMapAnon = 800104;

vm::VmMap& map_of(Thread& td) {
  Proc& p = td.proc();
  PROCSIM_ASSERT_MSG(p.vmspace != nullptr, "a process making system calls has an address space");
  return *p.vmspace;
}

// The largest file mmap reads into its object.
constexpr std::uint64_t kMappedFileBytesMax = 64ULL << 20;

// 8.3 sys_mmap()'s descriptor checks: EBADF for no open file, EINVAL for a file that is not a
// regular vnode file (terminals and other devices: ENODEV); the maximum protection follows the
// open mode: reading needs FREAD (else EACCES for PROT_READ), a shared mapping may only be
// writable through a descriptor open for writing, a private one always may (copy on write).
vfs::KResult<void> file_mapping(Kernel& kernel, Proc& p, std::int32_t fd, vm::MmapArgs& args) {
  vfs::File* fp = TRY(kernel.fdtable(p).get(fd));
  if (fp->type() != vfs::FileType::Vnode || fp->vnode() == nullptr) return base::fail(vfs::Errno::Enodev);
  vfs::Vnode& vp = *fp->vnode();
  if (vp.type() == vfs::VType::VCHR) return base::fail(vfs::Errno::Enodev);
  if (vp.type() != vfs::VType::VREG) return base::fail(vfs::Errno::Einval);
  vm::Prot maxprot = (vp.mount().flags() & vfs::kMntNoexec) != 0 ? vm::VM_PROT_NONE : vm::VM_PROT_EXECUTE;
  if ((fp->flags() & vfs::kFRead) != 0) {
    maxprot |= vm::VM_PROT_READ;
  } else if ((args.prot & vm::VM_PROT_READ) != 0) {
    return base::fail(vfs::Errno::Eacces);
  }
  if ((args.flags & vm::kMapShared) == 0 || (fp->flags() & vfs::kFWrite) != 0) {
    maxprot |= vm::VM_PROT_WRITE;
  } else if ((args.prot & vm::VM_PROT_WRITE) != 0) {
    return base::fail(vfs::Errno::Eacces);
  }
  vfs::VfsContext ctx = kernel.vfs_context(p);
  vfs::Vattr attr = TRY(vp.ops()->getattr(vp, ctx));
  base::Bytes contents(static_cast<std::size_t>(std::min(attr.size, kMappedFileBytesMax)));
  contents.resize(TRY(vfs::vn_read_at(ctx, vp, 0, contents)));
  args.object = kernel.vnode_object(vp, contents, "");
  args.maxprot = maxprot;
  return {};
}

}  // namespace

// mmap(addr, len, prot, flags, fd, pos).
vfs::KResult<SyscallReturn> sys_mmap(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  Proc& p = td.proc();
  vm::MmapArgs args;
  args.addr = request.args[0];
  args.len = request.args[1];
  args.prot = static_cast<vm::Prot>(arg_uint(request, 2) & vm::VM_PROT_ALL);
  args.flags = arg_uint(request, 3);
  std::int32_t fd = arg_int(request, 4);
  args.pos = request.args[5];
  // A zero length is refused for binaries of P_OSREL_MAP_ANON or later; an anonymous mapping
  // names no descriptor and no offset.
  if (args.len == 0 && p.osrel >= kOsrelMapAnon) return base::fail(vfs::Errno::Einval);
  if ((args.flags & vm::kMapAnon) != 0 && (fd != -1 || args.pos != 0)) return base::fail(vfs::Errno::Einval);
  if ((args.flags & vm::kMapStack) != 0 && fd != -1) return base::fail(vfs::Errno::Einval);
  bool anonymous = (args.flags & (vm::kMapAnon | vm::kMapStack)) != 0;
  if (!anonymous) TRY(file_mapping(kernel, p, fd, args));
  args.rlimit_data_max = p.limits.get(Rlimit::Data).max;
  auto addr = vm::sys_mmap(map_of(td), args, kernel.vm_caller(p));
  if (addr.is_error()) return base::fail(errno_from_vm(addr.error()));
  return SyscallReturn{addr.value(), 0};
}

// munmap(addr, len).
vfs::KResult<SyscallReturn> sys_munmap(Kernel&, Thread& td, const SyscallRequest& request) {
  auto result = vm::sys_munmap(map_of(td), request.args[0], request.args[1]);
  if (result.is_error()) return base::fail(errno_from_vm(result.error()));
  return ret(0);
}

// mprotect(addr, len, prot).
vfs::KResult<SyscallReturn> sys_mprotect(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  auto prot = static_cast<vm::Prot>(arg_uint(request, 2) & vm::VM_PROT_ALL);
  auto result =
      vm::sys_mprotect(map_of(td), request.args[0], request.args[1], prot, kernel.vm_caller(td.proc()));
  if (result.is_error()) return base::fail(errno_from_vm(result.error()));
  return ret(0);
}

// break(nsize): the end of the data segment moves to nsize, within RLIMIT_DATA.
vfs::KResult<SyscallReturn> sys_obreak(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  Proc& p = td.proc();
  std::uint64_t data_cur = p.limits.get(Rlimit::Data).cur;
  auto result = vm::sys_obreak(map_of(td), request.args[0], data_cur, kernel.vm_caller(p));
  if (result.is_error()) return base::fail(errno_from_vm(result.error()));
  return ret(0);
}

}  // namespace procsim::kern
