// A process's user memory as the kernel's copyin()/copyout() reach it: accesses go through the
// process's own vmspace, faulting pages in (and copying on write) on behalf of the process, and
// fail with EFAULT where nothing is mapped or the protection forbids the access (8.3 trap.c's
// pcb_onfault path). Stack growth, swap charges and COW all happen as for a user access.
#pragma once

#include "model/kern/program.h"
#include "model/vm/vm_types.h"

namespace procsim::kern {

class Kernel;
class Proc;

// The VM's errno values are FreeBSD's numbers, as vfs::Errno's are.
constexpr vfs::Errno errno_from_vm(vm::VmErrno error) {
  return static_cast<vfs::Errno>(static_cast<std::uint8_t>(error));
}

class ProcUserMemory final : public UserMemory {
 public:
  ProcUserMemory(Kernel& kernel, Proc& proc);

  vfs::KResult<void> copyin(UserAddr addr, base::MutableByteSpan out) const override;
  vfs::KResult<void> copyout(UserAddr addr, base::ByteSpan in) override;
  // The CPU's accesses: as copyin/copyout, with EACCES for a protection failure.
  // An instruction fetch needs execute permission (plain i386 has none to check): EFAULT where
  // nothing is mapped, EACCES where the protection forbids it. The generation is the map's.
  vfs::KResult<void> fetch(UserAddr addr, base::MutableByteSpan out) override;
  vfs::KResult<void> load(UserAddr addr, base::MutableByteSpan out) override;
  vfs::KResult<void> store(UserAddr addr, base::ByteSpan in) override;
  std::uint64_t code_generation() const override;

 private:
  Kernel* m_kernel;
  Proc* m_proc;
};

}  // namespace procsim::kern
