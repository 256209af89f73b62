// Names of KERN_* results and VM errno values, and the per-system-call translation of KERN_*
// results into errno values, as 8.3's vm_mmap.c does it. Nothing else lives here.
#include "model/vm/vm_types.h"

namespace procsim::vm {

std::string_view kern_return_name(KernReturn result) {
  switch (result) {
    case KernReturn::KERN_SUCCESS: return "KERN_SUCCESS";
    case KernReturn::KERN_INVALID_ADDRESS: return "KERN_INVALID_ADDRESS";
    case KernReturn::KERN_PROTECTION_FAILURE: return "KERN_PROTECTION_FAILURE";
    case KernReturn::KERN_NO_SPACE: return "KERN_NO_SPACE";
    case KernReturn::KERN_INVALID_ARGUMENT: return "KERN_INVALID_ARGUMENT";
    case KernReturn::KERN_FAILURE: return "KERN_FAILURE";
    case KernReturn::KERN_RESOURCE_SHORTAGE: return "KERN_RESOURCE_SHORTAGE";
  }
  PROCSIM_UNREACHABLE();
}

std::string_view vm_errno_name(VmErrno error) {
  switch (error) {
    case VmErrno::Enoexec: return "ENOEXEC";
    case VmErrno::Enomem: return "ENOMEM";
    case VmErrno::Eacces: return "EACCES";
    case VmErrno::Efault: return "EFAULT";
    case VmErrno::Einval: return "EINVAL";
  }
  PROCSIM_UNREACHABLE();
}

// 8.3 vm_mmap(): only address-space exhaustion maps to ENOMEM; a refused swap reservation
// (KERN_RESOURCE_SHORTAGE) falls into the default arm and is EINVAL. The ENOMEM arm for it was
// added to vm_mmap_to_errno() after 8.3.
VmErrno errno_for_mmap(KernReturn result) {
  PROCSIM_ASSERT(result != KernReturn::KERN_SUCCESS);
  switch (result) {
    case KernReturn::KERN_INVALID_ADDRESS:
    case KernReturn::KERN_NO_SPACE: return VmErrno::Enomem;
    case KernReturn::KERN_PROTECTION_FAILURE: return VmErrno::Eacces;
    default: return VmErrno::Einval;
  }
}

// 8.3 mprotect(): spec/kernel.md §5.3 (KERN_RESOURCE_SHORTAGE → ENOMEM).
VmErrno errno_for_mprotect(KernReturn result) {
  PROCSIM_ASSERT(result != KernReturn::KERN_SUCCESS);
  switch (result) {
    case KernReturn::KERN_PROTECTION_FAILURE: return VmErrno::Eacces;
    case KernReturn::KERN_RESOURCE_SHORTAGE: return VmErrno::Enomem;
    default: return VmErrno::Einval;
  }
}

// munmap() never looks at vm_map_delete's result (it always succeeds); only the argument
// checks fail, with EINVAL.
VmErrno errno_for_munmap(KernReturn result) {
  PROCSIM_ASSERT(result != KernReturn::KERN_SUCCESS);
  return VmErrno::Einval;
}

}  // namespace procsim::vm
