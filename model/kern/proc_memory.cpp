// copyin/copyout over the vmspace; see proc_memory.h.
#include "model/kern/proc_memory.h"

#include "model/kern/kernel.h"
#include "model/vm/fault.h"
#include "sim/base/assert.h"

namespace procsim::kern {

ProcUserMemory::ProcUserMemory(Kernel& kernel, Proc& proc) : m_kernel(&kernel), m_proc(&proc) {}

vfs::KResult<void> ProcUserMemory::copyin(UserAddr addr, base::MutableByteSpan out) const {
  if (out.empty()) return {};
  // A released address space (exit) has nothing left to read.
  if (!m_proc->vmspace) return base::fail(vfs::Errno::Efault);
  if (addr.value() + out.size() < addr.value()) return base::fail(vfs::Errno::Efault);
  vm::Caller caller = m_kernel->vm_caller(*m_proc);
  if (vm::read_user(*m_proc->vmspace, addr.value(), out, caller).is_error())
    return base::fail(vfs::Errno::Efault);
  return {};
}

vfs::KResult<void> ProcUserMemory::copyout(UserAddr addr, base::ByteSpan in) {
  if (in.empty()) return {};
  if (!m_proc->vmspace) return base::fail(vfs::Errno::Efault);
  if (addr.value() + in.size() < addr.value()) return base::fail(vfs::Errno::Efault);
  vm::Caller caller = m_kernel->vm_caller(*m_proc);
  if (vm::write_user(*m_proc->vmspace, addr.value(), in, caller).is_error())
    return base::fail(vfs::Errno::Efault);
  PROCSIM_ASSERT(m_proc->vmspace != nullptr);
  return {};
}

namespace {

vfs::Errno fault_errno(const vm::UserFault& fault) {
  return fault.result == vm::KernReturn::KERN_PROTECTION_FAILURE ? vfs::Errno::Eacces : vfs::Errno::Efault;
}

}  // namespace

vfs::KResult<void> ProcUserMemory::load(UserAddr addr, base::MutableByteSpan out) {
  if (out.empty()) return {};
  if (!m_proc->vmspace) return base::fail(vfs::Errno::Efault);
  if (addr.value() + out.size() < addr.value()) return base::fail(vfs::Errno::Efault);
  auto loaded = vm::read_user(*m_proc->vmspace, addr.value(), out, m_kernel->vm_caller(*m_proc));
  if (loaded.is_error()) return base::fail(fault_errno(loaded.error()));
  return {};
}

vfs::KResult<void> ProcUserMemory::store(UserAddr addr, base::ByteSpan in) {
  if (in.empty()) return {};
  if (!m_proc->vmspace) return base::fail(vfs::Errno::Efault);
  if (addr.value() + in.size() < addr.value()) return base::fail(vfs::Errno::Efault);
  auto stored = vm::write_user(*m_proc->vmspace, addr.value(), in, m_kernel->vm_caller(*m_proc));
  if (stored.is_error()) return base::fail(fault_errno(stored.error()));
  return {};
}

vfs::KResult<void> ProcUserMemory::fetch(UserAddr addr, base::MutableByteSpan out) {
  if (out.empty()) return {};
  if (!m_proc->vmspace) return base::fail(vfs::Errno::Efault);
  if (addr.value() + out.size() < addr.value()) return base::fail(vfs::Errno::Efault);
  vm::Caller caller = m_kernel->vm_caller(*m_proc);
  bool no_execute_bit = m_proc->abi == machine::Abi::I386;
  auto fetched = no_execute_bit ? vm::read_user(*m_proc->vmspace, addr.value(), out, caller)
                                : vm::fetch_user(*m_proc->vmspace, addr.value(), out, caller);
  if (fetched.ok()) return {};
  return base::fail(fault_errno(fetched.error()));
}

std::uint64_t ProcUserMemory::code_generation() const {
  return m_proc->vmspace ? m_proc->vmspace->generation() : 0;
}

}  // namespace procsim::kern
